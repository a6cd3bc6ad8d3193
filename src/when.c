/*
 * Time: the team's zone (process TZ), the viewer's zone, the ISO-8601 reader
 * and writer, and the pinned "now" of --at. Owns the TZ environment variable;
 * nothing else may set it. Knows nothing of business hours (bizcal.c).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "smk/when.h"
#include "smk/xmalloc.h"

#define WHEN_ZONE_MAX	 255
#define WHEN_ZONEDIR	 "/usr/share/zoneinfo"
#define WHEN_EXAMPLES	 "2026-11-23T09:30:00Z, 2026-11-23T09:30:00-05:00, " \
			 "2026-11-23 09:30 or 2026-11-23"
#define WHEN_OFFSET_MAX	 (14 * 60)	/* minutes; the widest zone is +14:00 */

static bool	 when_zone_is_set;
static char	*when_team_zone;	/* NULL until when_set_zone */
static bool	 when_viewer_known;
static char	*when_viewer_zone;	/* NULL: the system's local zone */
static bool	 when_is_pinned;
static time_t	 when_pinned;

/* A zone name is a relative path of plain parts: "America/New_York". */
static bool
when_zone_name_ok(const char *zone)
{
	const char	*p, *part;
	size_t		 len;

	len = strlen(zone);
	if (len == 0 || len > WHEN_ZONE_MAX || zone[0] == '/')
		return (false);
	for (p = zone; *p != '\0'; p++) {
		if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789/_+-.", *p) == NULL)
			return (false);
	}
	part = zone;
	for (;;) {
		len = strcspn(part, "/");
		if (len == 0 || (len == 1 && part[0] == '.') ||
		    (len == 2 && part[0] == '.' && part[1] == '.'))
			return (false);
		if (part[len] == '\0')
			return (true);
		part += len + 1;
	}
}

bool
when_zone_valid(const char *zone)
{
	const char	*dir;
	char		*path, magic[4];
	struct stat	 sb;
	int		 fd;
	bool		 ok = false;

	if (zone == NULL || !when_zone_name_ok(zone))
		return (false);
	dir = getenv("TZDIR");
	if (dir == NULL || *dir == '\0')
		dir = WHEN_ZONEDIR;
	xasprintf(&path, "%s/%s", dir, zone);
	fd = open(path, O_RDONLY);
	free(path);
	if (fd == -1)
		return (false);
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    read(fd, magic, sizeof magic) == (ssize_t)sizeof magic &&
	    memcmp(magic, "TZif", sizeof magic) == 0)
		ok = true;
	close(fd);
	return (ok);
}

/* Point TZ at zone (NULL: unset, the system's zone) and reload it. */
static void
when_apply_tz(const char *zone)
{
	if (zone == NULL)
		unsetenv("TZ");
	else
		setenv("TZ", zone, 1);
	tzset();
}

int
when_set_zone(const char *zone, char **cause)
{
	const char	*viewer;

	if (!when_zone_valid(zone)) {
		xasprintf(cause, "unknown time zone \"%s\": use an IANA name "
		    "such as America/New_York or Europe/Berlin",
		    zone == NULL ? "" : zone);
		return (-1);
	}
	if (!when_viewer_known) {
		viewer = getenv("TZ");
		when_viewer_zone = viewer == NULL ? NULL : xstrdup(viewer);
		when_viewer_known = true;
	}
	free(when_team_zone);
	when_team_zone = xstrdup(zone);
	when_zone_is_set = true;
	when_apply_tz(zone);
	return (0);
}

const char *
when_zone(void)
{
	return (when_zone_is_set ? when_team_zone : "UTC");
}

void
when_team_tm(time_t t, struct tm *tm)
{
	if (when_zone_is_set)
		localtime_r(&t, tm);
	else
		gmtime_r(&t, tm);
}

time_t
when_team_mktime(struct tm *tm)
{
	tm->tm_isdst = -1;
	if (when_zone_is_set)
		return (mktime(tm));
	return (timegm(tm));
}

void
when_viewer_tm(time_t t, struct tm *tm)
{
	const char	*viewer = when_viewer_zone;

	if (!when_zone_is_set) {
		localtime_r(&t, tm);
		return;
	}
	if (viewer != NULL && strcmp(viewer, when_team_zone) == 0) {
		localtime_r(&t, tm);
		return;
	}
	when_apply_tz(viewer);
	localtime_r(&t, tm);
	when_apply_tz(when_team_zone);
}

static bool
when_leap(int year)
{
	return ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0);
}

static int
when_mdays(int year, int mon)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (mon == 2 && when_leap(year))
		return (29);
	return (days[mon - 1]);
}

/* Read exactly n decimal digits. */
static bool
when_digits(const char **pp, int n, int *out)
{
	const char	*p = *pp;
	int		 v = 0;

	while (n-- > 0) {
		if (*p < '0' || *p > '9')
			return (false);
		v = v * 10 + (*p++ - '0');
	}
	*pp = p;
	*out = v;
	return (true);
}

/* The value as it may be shown: printable ASCII only, at most 40 bytes. */
static void
when_quote(const char *s, char *buf, size_t size)
{
	size_t	i;

	for (i = 0; s[i] != '\0' && i + 1 < size; i++)
		buf[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	buf[i] = '\0';
	if (s[i] != '\0' && i >= 3)
		memcpy(buf + i - 3, "...", 3);
}

static int
when_fail(const char *s, char **cause, const char *why)
{
	char	shown[41];

	when_quote(s, shown, sizeof shown);
	xasprintf(cause, "\"%s\" is not a valid time: %s (use e.g. %s)",
	    shown, why, WHEN_EXAMPLES);
	return (-1);
}

/* "HH:MM[:SS[.fff]]" after the date; leaves p at what follows. */
static const char *
when_parse_clock(const char **pp, struct tm *tm)
{
	const char	*p = *pp;

	if (!when_digits(&p, 2, &tm->tm_hour) || *p++ != ':' ||
	    !when_digits(&p, 2, &tm->tm_min))
		return ("expected the time as HH:MM or HH:MM:SS");
	if (*p == ':') {
		p++;
		if (!when_digits(&p, 2, &tm->tm_sec))
			return ("expected two digits of seconds");
		if (*p == '.') {
			p++;
			if (*p < '0' || *p > '9')
				return ("expected digits after the '.'");
			while (*p >= '0' && *p <= '9')
				p++;
		}
	}
	*pp = p;
	if (tm->tm_hour > 23)
		return ("the hour is out of range (00-23)");
	if (tm->tm_min > 59)
		return ("the minutes are out of range (00-59)");
	if (tm->tm_sec > 59)
		return ("the seconds are out of range (00-59)");
	return (NULL);
}

/* "Z" or "+HH:MM" / "-HH:MM"; *off in seconds east of UTC. */
static const char *
when_parse_offset(const char **pp, long *off)
{
	const char	*p = *pp;
	int		 sign, hh, mm;

	if (*p == 'Z') {
		*pp = p + 1;
		*off = 0;
		return (NULL);
	}
	sign = *p == '-' ? -1 : 1;
	p++;
	if (!when_digits(&p, 2, &hh) || *p++ != ':' ||
	    !when_digits(&p, 2, &mm))
		return ("expected the offset as Z, +HH:MM or -HH:MM");
	if (mm > 59 || hh * 60 + mm > WHEN_OFFSET_MAX)
		return ("the offset is out of range (-14:00 to +14:00)");
	*pp = p;
	*off = sign * (hh * 3600L + mm * 60L);
	return (NULL);
}

/* The date part, "YYYY-MM-DD", checked against the calendar. */
static const char *
when_parse_date(const char **pp, struct tm *tm)
{
	const char	*p = *pp;
	int		 y, m, d;

	if (!when_digits(&p, 4, &y) || *p++ != '-' ||
	    !when_digits(&p, 2, &m) || *p++ != '-' ||
	    !when_digits(&p, 2, &d))
		return ("expected a date as YYYY-MM-DD");
	if (m < 1 || m > 12)
		return ("the month is out of range (01-12)");
	if (d < 1 || d > when_mdays(y, m))
		return ("that day does not exist in that month");
	*pp = p;
	tm->tm_year = y - 1900;
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	return (NULL);
}

int
when_parse(const char *s, time_t *out, char **cause)
{
	struct tm	 tm;
	const char	*p = s, *why;
	long		 off = 0;
	bool		 zoned = false;
	time_t		 t;

	memset(&tm, 0, sizeof tm);
	if ((why = when_parse_date(&p, &tm)) != NULL)
		return (when_fail(s, cause, why));
	if (*p == 'T' || *p == ' ') {
		p++;
		if ((why = when_parse_clock(&p, &tm)) != NULL)
			return (when_fail(s, cause, why));
		if (*p == 'Z' || *p == '+' || *p == '-') {
			if ((why = when_parse_offset(&p, &off)) != NULL)
				return (when_fail(s, cause, why));
			zoned = true;
		}
	}
	if (*p != '\0')
		return (when_fail(s, cause, "unexpected text after the time"));
	if (zoned) {
		t = timegm(&tm) - off;
	} else {
		errno = 0;
		t = when_team_mktime(&tm);
		if (t == (time_t)-1 && errno != 0)
			return (when_fail(s, cause, "out of range in this zone"));
	}
	*out = t;
	return (0);
}

char *
when_format(time_t t, char *buf)
{
	struct tm	tm;

	if (t < WHEN_MIN)
		t = WHEN_MIN;
	if (t > WHEN_MAX)
		t = WHEN_MAX;
	gmtime_r(&t, &tm);
	/* The clamp above keeps the year at four digits; the modulos tell
	 * the compiler so, too. */
	snprintf(buf, WHEN_ISO_LEN, "%04u-%02u-%02uT%02u:%02u:%02uZ",
	    (unsigned)(tm.tm_year + 1900) % 10000u,
	    (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u,
	    (unsigned)tm.tm_hour % 100u, (unsigned)tm.tm_min % 100u,
	    (unsigned)tm.tm_sec % 100u);
	return (buf);
}

time_t
when_now(void)
{
	if (when_is_pinned)
		return (when_pinned);
	return (time(NULL));
}

void
when_pin(time_t t)
{
	when_pinned = t;
	when_is_pinned = true;
}

void
when_unpin(void)
{
	when_is_pinned = false;
}
