/*
 * CSV dates: the forms spreadsheets and CRMs write (ISO-8601 with or without
 * an offset, US and European day orders, dotted, with a 12- or 24-hour
 * clock), or exactly a strptime format. A date without an offset is in the
 * team's time zone (when.c). Refuses what it cannot read unambiguously
 * rather than guessing.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "smk/csvin.h"
#include "smk/when.h"
#include "smk/xmalloc.h"

static int
csvin_mdays(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return (29);
	return (days[m - 1]);
}

static int
csvin_digits(const char **pp, int min, int max, int *out)
{
	const char	*p = *pp;
	int		 n = 0, v = 0;

	while (isdigit((unsigned char)*p) && n < max) {
		v = v * 10 + (*p++ - '0');
		n++;
	}
	if (n < min)
		return (-1);
	*pp = p;
	*out = v;
	return (0);
}

/* " HH:MM[:SS] [AM|PM]" after a date; fills tm. */
static int
csvin_clock(const char *p, struct tm *tm)
{
	int	h, m, s = 0;

	while (*p == ' ' || *p == 'T')
		p++;
	if (*p == '\0')
		return (0);
	if (csvin_digits(&p, 1, 2, &h) != 0 || *p++ != ':' ||
	    csvin_digits(&p, 2, 2, &m) != 0)
		return (-1);
	if (*p == ':' && (p++, csvin_digits(&p, 2, 2, &s) != 0))
		return (-1);
	while (*p == ' ')
		p++;
	if (strncasecmp(p, "am", 2) == 0 || strncasecmp(p, "pm", 2) == 0) {
		if (h < 1 || h > 12)
			return (-1);
		h = h % 12 + (tolower((unsigned char)*p) == 'p' ? 12 : 0);
		p += 2;
	}
	if (*p != '\0' || h > 23 || m > 59 || s > 59)
		return (-1);
	tm->tm_hour = h;
	tm->tm_min = m;
	tm->tm_sec = s;
	return (0);
}

static int
csvin_date_fail(const char *s, char **cause)
{
	xasprintf(cause, "cannot read \"%s\" as a date (use YYYY-MM-DD, or "
	    "give --date-format)", s);
	return (-1);
}

static int
csvin_date_make(const char *s, struct tm *tm, int y, int m, int d,
    time_t *out, char **cause)
{
	if (m < 1 || m > 12 || d < 1 || d > csvin_mdays(y, m) || y < 1000)
		return (csvin_date_fail(s, cause));
	tm->tm_year = y - 1900;
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	*out = when_team_mktime(tm);
	return (0);
}

/* "a/b/YYYY", "a.b.YYYY", "a-b-YYYY" or "YYYY/MM/DD", with a clock. */
static int
csvin_date_numeric(const char *s, time_t *out, char **cause)
{
	struct tm	 tm;
	const char	*p = s;
	int		 a, b, y;
	char		 sep;

	memset(&tm, 0, sizeof tm);
	if (csvin_digits(&p, 1, 4, &a) != 0 || (sep = *p) == '\0' ||
	    strchr("/.-", sep) == NULL)
		return (csvin_date_fail(s, cause));
	p++;
	if (p - s == 5) {	/* YYYY/MM/DD */
		if (csvin_digits(&p, 1, 2, &b) != 0 || *p++ != sep ||
		    csvin_digits(&p, 1, 2, &y) != 0 || csvin_clock(p, &tm) != 0)
			return (csvin_date_fail(s, cause));
		return (csvin_date_make(s, &tm, a, b, y, out, cause));
	}
	if (csvin_digits(&p, 1, 2, &b) != 0 || *p++ != sep ||
	    csvin_digits(&p, 4, 4, &y) != 0 || p - s > 10 ||
	    csvin_clock(p, &tm) != 0)
		return (csvin_date_fail(s, cause));
	if (sep == '.' || (a > 12 && b <= 12))	/* day first */
		return (csvin_date_make(s, &tm, y, b, a, out, cause));
	if (a == b || (b > 12 && a <= 12))	/* month first */
		return (csvin_date_make(s, &tm, y, a, b, out, cause));
	if (a > 12 || b > 12)
		return (csvin_date_fail(s, cause));
	xasprintf(cause, "\"%s\" could be day/month or month/day; give "
	    "--date-format (%%d/%%m/%%Y or %%m/%%d/%%Y)", s);
	return (-1);
}

static int
csvin_date_iso(const char *s, time_t *out, char **cause)
{
	char	 buf[64], *why = NULL;
	size_t	 len = strlen(s);

	if (len + 2 > sizeof buf)
		return (csvin_date_fail(s, cause));
	memcpy(buf, s, len + 1);
	/* Salesforce writes offsets as "+0000": make them "+00:00". */
	if (len > 16 && strchr(buf, ':') != NULL &&
	    (buf[len - 5] == '+' || buf[len - 5] == '-') &&
	    strspn(buf + len - 4, "0123456789") == 4) {
		memmove(buf + len - 1, buf + len - 2, 3);
		buf[len - 2] = ':';
	}
	if (when_parse(buf, out, &why) == 0)
		return (0);
	free(why);
	return (csvin_date_fail(s, cause));
}

static int
csvin_date_format(const char *s, const char *fmt, time_t *out, char **cause)
{
	struct tm	 tm;
	const char	*end;

	memset(&tm, 0, sizeof tm);
	tm.tm_mday = 1;
	end = strptime(s, fmt, &tm);
	while (end != NULL && isspace((unsigned char)*end))
		end++;
	if (end == NULL || *end != '\0' || tm.tm_mday >
	    csvin_mdays(tm.tm_year + 1900, tm.tm_mon + 1)) {
		xasprintf(cause, "\"%s\" does not match the date format \"%s\"",
		    s, fmt);
		return (-1);
	}
	*out = when_team_mktime(&tm);
	return (0);
}

int
csvin_date(const char *s, const char *fmt, time_t *out, char **cause)
{
	if (fmt != NULL)
		return (csvin_date_format(s, fmt, out, cause));
	if (strspn(s, "0123456789") == 4 && s[4] == '-')
		return (csvin_date_iso(s, out, cause));
	return (csvin_date_numeric(s, out, cause));
}
