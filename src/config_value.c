/*
 * Config values from text: durations, days, dates, zones, lists and the
 * match of a score rule. Each parser returns NULL or why the text is not a
 * value of its kind, in words a user can act on. No file, no table here.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "smk/config.h"
#include "smk/when.h"
#include "smk/xmalloc.h"

#include "config_int.h"

static const char *const config_days[] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat"
};

bool
config_in(const char *const *set, const char *s)
{
	for (; *set != NULL; set++) {
		if (strcasecmp(*set, s) == 0)
			return true;
	}
	return false;
}

char *
config_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* A trimmed copy, so that the pointer can be freed. */
char *
config_trimdup(const char *s)
{
	char *copy = xstrdup(s), *t = config_trim(copy);

	memmove(copy, t, strlen(t) + 1);
	return copy;
}

void
config_lower(char *s)
{
	for (; *s != '\0'; s++)
		*s = tolower((unsigned char)*s);
}

bool
config_has_ctrl(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	}
	return false;
}

/* Quote a value for a message: escaped, and cut to a readable length. */
char *
config_quote(const char *s)
{
	char buf[200];
	size_t n = 0;
	const unsigned char *p;

	buf[n++] = '"';
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (n > 64) {
			n += snprintf(buf + n, sizeof buf - n, "...");
			break;
		}
		if (*p == '"' || *p == '\\')
			n += snprintf(buf + n, sizeof buf - n, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			n += snprintf(buf + n, sizeof buf - n, "\\x%02x", *p);
		else
			buf[n++] = *p;
	}
	buf[n++] = '"';
	buf[n] = '\0';
	return xstrdup(buf);
}

/* Like config_quote without the quotes: for names from the file. */
char *
config_safe(const char *s)
{
	char *q = config_quote(s), *r;

	q[strlen(q) - 1] = '\0';
	r = xstrdup(q + 1);
	free(q);
	return r;
}

void
config_free_list(char **list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void
config_value_free(struct config_value *v)
{
	free(v->s);
	config_free_list(v->list, v->count);
	free(v->dates);
	memset(v, 0, sizeof *v);
}

/* "4h", "14d", "500ms": the largest unit that divides ms exactly. */
void
config_fmt_duration(long long ms, char *buf, size_t len)
{
	static const struct {
		long long	 ms;
		const char	*unit;
	} units[] = {
		{ DAY_MS, "d" }, { HOUR_MS, "h" }, { MIN_MS, "m" },
		{ SEC_MS, "s" }, { 1, "ms" }
	};
	size_t i;

	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (ms != 0 && ms % units[i].ms == 0)
			break;
	}
	if (i == sizeof units / sizeof units[0])
		snprintf(buf, len, "0");
	else
		snprintf(buf, len, "%lld%s", ms / units[i].ms, units[i].unit);
}

int
config_number(const char *s, long long *out)
{
	char *end;
	long long n;

	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s) &&
	    !((*s == '-' || *s == '+') && isdigit((unsigned char)s[1])))
		return -1;
	errno = 0;
	n = strtoll(s, &end, 10);	/* base 10: "08" is eight */
	if (errno != 0)
		return -1;
	while (isspace((unsigned char)*end))
		end++;
	if (*end != '\0')
		return -1;
	*out = n;
	return 0;
}

/* "4h", "1h30m", "90 m", "500ms", "0"; in milliseconds. */
const char *
config_parse_duration(const char *s, long long *out)
{
	static const char *why = "not a duration (like 4h, 90m, 2d)";
	long long total = 0, n, unit;
	int parts = 0;

	while (*s != '\0') {
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '\0')
			break;
		if (!isdigit((unsigned char)*s))
			return why;
		for (n = 0; isdigit((unsigned char)*s); s++) {
			if (n > 1000000000LL)
				return "too long a duration";
			n = n * 10 + (*s - '0');
		}
		while (isspace((unsigned char)*s))
			s++;
		if (strncasecmp(s, "ms", 2) == 0) {
			unit = 1;
			s += 2;
		} else {
			switch (tolower((unsigned char)*s)) {
			case 's': unit = SEC_MS; break;
			case 'm': unit = MIN_MS; break;
			case 'h': unit = HOUR_MS; break;
			case 'd': unit = DAY_MS; break;
			case 'w': unit = 7 * DAY_MS; break;
			default:
				if (*s == '\0' && parts == 0 && n == 0) {
					*out = 0;
					return NULL;
				}
				return why;
			}
			s++;
		}
		total += n * unit;
		if (total > 100 * 365 * DAY_MS)
			return "too long a duration";
		parts++;
	}
	if (parts == 0)
		return why;
	*out = total;
	return NULL;
}

const char *
config_parse_bool(const char *s, long long *out)
{
	static const char *yes[] = { "yes", "true", "on", "1", NULL };
	static const char *no[] = { "no", "false", "off", "0", NULL };

	if (config_in(yes, s))
		*out = 1;
	else if (config_in(no, s))
		*out = 0;
	else
		return "not yes or no";
	return NULL;
}

const char *
config_parse_time(const char *s, long long *out)
{
	int h, m, n = -1;

	if (sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || s[n] != '\0' ||
	    !isdigit((unsigned char)s[0]) || h < 0 || m < 0 || m > 59 ||
	    h > 24 || (h == 24 && m != 0))
		return "not a time of day (like 09:00)";
	*out = h * 60 + m;
	return NULL;
}

/* Split at commas, trim, drop empty items; fails on a bad item. */
const char *
config_split(const char *s, size_t max, struct config_value *v)
{
	char *copy = xstrdup(s), *p = copy, *item;
	const char *why = NULL;

	while ((item = strsep(&p, ",")) != NULL) {
		item = config_trim(item);
		if (*item == '\0')
			continue;
		if (v->count == max) {
			why = "too many items";
			break;
		}
		if (strlen(item) > CONFIG_MAXITEM) {
			why = "an item is too long";
			break;
		}
		if (config_has_ctrl(item)) {
			why = "contains control characters";
			break;
		}
		v->list = xreallocarray(v->list, v->count + 1, sizeof *v->list);
		v->list[v->count++] = xstrdup(item);
	}
	free(copy);
	if (why != NULL)
		config_value_free(v);
	return why;
}

static int
config_weekday(const char *s)
{
	size_t i;

	for (i = 0; i < 7; i++) {
		if (strncasecmp(s, config_days[i], 3) == 0 &&
		    (s[3] == '\0' || strlen(s) >= 6))
			break;
	}
	if (i == 7)
		return -1;
	/* Accept full names too: "monday", "wednesday". */
	if (s[3] != '\0') {
		static const char *full[] = { "sunday", "monday", "tuesday",
		    "wednesday", "thursday", "friday", "saturday" };

		if (strcasecmp(s, full[i]) != 0)
			return -1;
	}
	return (int)i;
}

const char *
config_parse_weekdays(const char *s, long long *out)
{
	static const char *why = "not a list of days (like mon-fri or "
	    "mon,tue,wed)";
	struct config_value v = { 0 };
	unsigned days = 0;
	size_t i;
	char *dash;
	int a, b;

	if (config_split(s, 7 * 2, &v) != NULL || v.count == 0)
		goto fail;
	for (i = 0; i < v.count; i++) {
		if ((dash = strchr(v.list[i], '-')) != NULL) {
			*dash = '\0';
			a = config_weekday(config_trim(v.list[i]));
			b = config_weekday(config_trim(dash + 1));
		} else
			a = b = config_weekday(v.list[i]);
		if (a < 0 || b < 0)
			goto fail;
		for (;; a = (a + 1) % 7) {	/* fri-mon wraps */
			days |= 1U << a;
			if (a == b)
				break;
		}
	}
	config_value_free(&v);
	*out = days;
	return NULL;
fail:
	config_value_free(&v);
	return why;
}

static bool
config_valid_date(int y, int m, int d)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	if (m == 2 && !leap)
		return d <= 28;
	return d <= mdays[m - 1];
}

static int
config_cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

const char *
config_parse_dates(const char *s, size_t max, struct config_value *v)
{
	struct config_value items = { 0 };
	const char *why;
	size_t i, n = 0;
	int y, m, d, used;

	if ((why = config_split(s, max, &items)) != NULL)
		return why;
	v->dates = xcalloc(items.count + 1, sizeof *v->dates);
	for (i = 0; i < items.count; i++) {
		used = -1;
		if (sscanf(items.list[i], "%4d-%2d-%2d%n", &y, &m, &d,
		    &used) != 3 || items.list[i][used] != '\0' ||
		    strlen(items.list[i]) != 10 || !config_valid_date(y, m, d)) {
			config_value_free(&items);
			free(v->dates);
			v->dates = NULL;
			return "not a list of dates (like 2026-11-26, "
			    "2026-12-25)";
		}
		v->dates[n++] = y * 10000 + m * 100 + d;
	}
	config_value_free(&items);
	qsort(v->dates, n, sizeof *v->dates, config_cmp_int);
	for (i = 0, v->count = 0; i < n; i++) {	/* drop repeats */
		if (v->count == 0 || v->dates[v->count - 1] != v->dates[i])
			v->dates[v->count++] = v->dates[i];
	}
	return NULL;
}

const char *
config_parse_zone(const char *s, struct config_value *v)
{
	const char *p;

	/* Zone names reach the file system (TZ); keep them plain. */
	if (*s == '\0' || *s == '/' || strlen(s) > 64 ||
	    strstr(s, "..") != NULL)
		return "not a time zone name (like America/New_York)";
	for (p = s; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && strchr("/_+-", *p) == NULL)
			return "not a time zone name (like America/New_York)";
	}
	if (!when_zone_valid(s))
		return "not a time zone this machine knows (like "
		    "America/New_York)";
	v->s = xstrdup(s);
	return NULL;
}

const char *
config_parse_name(const char *s, struct config_value *v)
{
	const char *p;

	if (*s == '\0' || strlen(s) > 32)
		return "not a name (letters, digits, - and _)";
	for (p = s; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return "not a name (letters, digits, - and _)";
	}
	v->s = xstrdup(s);
	config_lower(v->s);
	return NULL;
}

const char *
config_parse_currency(const char *s, struct config_value *v)
{
	size_t i;

	if (strlen(s) != 3)
		return "not a currency code (like USD or EUR)";
	for (i = 0; i < 3; i++) {
		if (!isalpha((unsigned char)s[i]))
			return "not a currency code (like USD or EUR)";
	}
	v->s = xstrdup(s);
	for (i = 0; i < 3; i++)
		v->s[i] = toupper((unsigned char)v->s[i]);
	return NULL;
}

/* Refuse the repetition counts that make regcomp build huge automata. */
static const char *
config_regex_ok(const char *re)
{
	const char *p;
	char *end;
	int bounds = 0;

	if (strlen(re) > CONFIG_MAXREGEX)
		return "too long a regular expression";
	for (p = re; (p = strchr(p, '{')) != NULL; p++) {
		if (++bounds > 2 || strtol(p + 1, &end, 10) > 50 ||
		    (*end == ',' && strtol(end + 1, NULL, 10) > 50))
			return "too many or too large {n} repetitions (at most "
			    "two, of 50)";
	}
	return NULL;
}

static const char *
config_compile_regex(struct score_rule *r, const char *re, char *why,
    size_t len)
{
	regex_t rx;
	const char *err;
	char *copy;
	int rc;

	if ((err = config_regex_ok(re)) != NULL)
		return err;
	if ((rc = regcomp(&rx, re, REG_EXTENDED|REG_ICASE|REG_NOSUB)) != 0) {
		char msg[128];

		regerror(rc, &rx, msg, sizeof msg);
		snprintf(why, len, "not a regular expression: %s", msg);
		return why;
	}
	regfree(&rx);
	copy = xstrdup(re);	/* re may be r->match */
	free(r->match);
	r->match = copy;
	r->op = SCORE_REGEX;
	return NULL;
}

/* Fill op, number and values from r->match. */
const char *
config_compile_match(struct score_rule *r, char *why, size_t len)
{
	static const struct {
		const char	*text;
		enum score_op	 op;
	} ops[] = {
		{ ">=", SCORE_GE }, { "<=", SCORE_LE }, { ">", SCORE_GT },
		{ "<", SCORE_LT }, { "=", SCORE_EQ }
	};
	struct config_value v = { 0 };
	char *m = r->match, *inner;
	long long n;
	size_t i, mlen = strlen(m);
	const char *err;

	for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		if (strncmp(m, ops[i].text, strlen(ops[i].text)) != 0)
			continue;
		inner = config_trimdup(m + strlen(ops[i].text));
		if (config_number(inner, &n) == 0 && n >= LONG_MIN / 2 &&
		    n <= LONG_MAX / 2) {
			r->number = (long)n;
		} else if (ops[i].op != SCORE_EQ || *inner == '\0' ||
		    config_score_field_numeric(r->field)) {
			free(inner);
			return "a comparison needs a whole number (like >= 3)";
		}
		if (ops[i].op != SCORE_EQ && !config_score_field_numeric(
		    r->field)) {
			free(inner);
			snprintf(why, len, "%s is text; only visits, forms, "
			    "pages and days_since_activity compare", r->field);
			return why;
		}
		r->op = ops[i].op;
		free(r->match);
		r->match = inner;
		return NULL;
	}
	if (mlen >= 2 && m[0] == '/' && m[mlen - 1] == '/') {
		inner = xstrndup(m + 1, mlen - 2);
		err = config_compile_regex(r, inner, why, len);
		free(inner);
		return err;
	}
	if (strchr(m, '|') != NULL)
		return config_compile_regex(r, m, why, len);
	if (strchr(m, ',') != NULL) {
		if ((err = config_split(m, CONFIG_MAXITEMS, &v)) != NULL)
			return err;
		if (v.count == 0)
			return "an empty list";
		r->op = SCORE_IN;
		r->values = v.list;
		r->nvalues = v.count;
		return NULL;
	}
	r->op = SCORE_EQ;
	if (config_number(m, &n) == 0 && n >= LONG_MIN / 2 && n <= LONG_MAX / 2)
		r->number = (long)n;
	else if (config_score_field_numeric(r->field))
		return "not a number (like 3 or >= 3)";
	return NULL;
}
