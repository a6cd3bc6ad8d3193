/*
 * Business-hours calendar. Owns a cache of local days: for each day its
 * opening instant, its business length in seconds (0 on weekends and
 * holidays) and the business seconds of all cached days before it, so that
 * "business seconds before t" is one lookup. Days are numbered from
 * 1970-01-01 as local dates; each day's instants come from when_team_mktime,
 * never from adding 86400. Knows nothing of SLA rules or the config loader.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "smk/bizcal.h"
#include "smk/when.h"
#include "smk/xmalloc.h"

#define BIZCAL_DAY	 86400L
#define BIZCAL_SLACK	 64		/* days added around each miss */
#define BIZCAL_MAXDAYS	 (1L << 17)	/* about 358 years of days */
#define BIZCAL_CHUNK	 (100L * 365 * BIZCAL_DAY) /* longest one-pass span */

struct bizcal_day {
	time_t		 open;		/* the day's opening instant */
	long		 len;		/* business seconds in the day */
	long long	 cum;		/* business seconds of cached days before */
};

struct bizcal {
	unsigned	 days;
	int		 start;
	int		 end;
	int		*holidays;	/* sorted */
	size_t		 nholidays;
	char		*zone;		/* the zone the cache was built in */

	struct bizcal_day *day;		/* day[i] is local day base + i */
	long		 base;
	long		 n;
	long		 guess;		/* open of day d is about d*86400+guess */
	unsigned	 gen;		/* bumped when cum restarts */
};

static long
bizcal_floordiv(long long a, long b)
{
	return ((long)(a >= 0 ? a / b : -((-a + b - 1) / b)));
}

/* Local date of day number d (days since 1970-01-01), Hinnant's method. */
static void
bizcal_civil(long d, int *y, int *m, int *dd)
{
	long		era, doe, yoe, doy, mp;

	d += 719468;
	era = (d >= 0 ? d : d - 146096) / 146097;
	doe = d - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*dd = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
bizcal_intcmp(const void *a, const void *b)
{
	int	x = *(const int *)a, y = *(const int *)b;

	return ((x > y) - (x < y));
}

/* The local instant minutes after midnight of date y-m-d, in the team zone. */
static time_t
bizcal_local(int y, int m, int d, int minutes)
{
	struct tm	tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_min = minutes;
	return (when_team_mktime(&tm));
}

static void
bizcal_fill(const struct bizcal *cal, long d, struct bizcal_day *out)
{
	int	y, m, dd, ymd;
	long	wday;
	time_t	close;

	bizcal_civil(d, &y, &m, &dd);
	out->open = bizcal_local(y, m, dd, cal->start);
	out->len = 0;
	wday = ((d % 7) + 7 + 4) % 7;	/* 1970-01-01 was a Thursday */
	if ((cal->days & (1U << wday)) == 0)
		return;
	ymd = y * 10000 + m * 100 + dd;
	if (cal->nholidays > 0 && bsearch(&ymd, cal->holidays, cal->nholidays, sizeof ymd,
	    bizcal_intcmp) != NULL)
		return;
	close = bizcal_local(y, m, dd, cal->end);
	if (close > out->open)
		out->len = (long)(close - out->open);
}

/* Start the cache afresh over [lo, hi]. */
static void
bizcal_reset(struct bizcal *cal, long lo, long hi)
{
	long	i;

	free(cal->day);
	cal->base = lo;
	cal->n = hi - lo + 1;
	cal->day = xreallocarray(NULL, cal->n, sizeof *cal->day);
	for (i = 0; i < cal->n; i++) {
		bizcal_fill(cal, lo + i, &cal->day[i]);
		cal->day[i].cum = i == 0 ? 0 :
		    cal->day[i - 1].cum + cal->day[i - 1].len;
	}
	cal->guess = (long)(cal->day[0].open - (time_t)lo * BIZCAL_DAY);
	cal->gen++;
}

/* Grow the cache to hold [lo, hi], keeping what is there. */
static void
bizcal_grow(struct bizcal *cal, long lo, long hi)
{
	long	 add_lo, i, oldn = cal->n;
	struct bizcal_day *d;

	add_lo = cal->base - lo;
	if (add_lo < 0)
		add_lo = 0;
	cal->n = (hi > cal->base + oldn - 1 ? hi : cal->base + oldn - 1) -
	    (lo < cal->base ? lo : cal->base) + 1;
	d = xreallocarray(cal->day, cal->n, sizeof *d);
	memmove(d + add_lo, d, oldn * sizeof *d);
	cal->day = d;
	cal->base -= add_lo;
	for (i = add_lo - 1; i >= 0; i--) {
		bizcal_fill(cal, cal->base + i, &d[i]);
		d[i].cum = d[i + 1].cum - d[i].len;
	}
	for (i = add_lo + oldn; i < cal->n; i++) {
		bizcal_fill(cal, cal->base + i, &d[i]);
		d[i].cum = d[i - 1].cum + d[i - 1].len;
	}
}

/* Make days lo..hi cached; may restart the cache (and cum) when too wide. */
static void
bizcal_ensure(struct bizcal *cal, long lo, long hi)
{
	long	top = cal->base + cal->n - 1, span, glo, ghi;

	if (strcmp(cal->zone, when_zone()) != 0) {
		free(cal->zone);
		cal->zone = xstrdup(when_zone());
		cal->n = 0;
	}
	if (cal->n > 0 && lo >= cal->base && hi <= top)
		return;
	if (cal->n == 0) {
		bizcal_reset(cal, lo - BIZCAL_SLACK, hi + BIZCAL_SLACK);
		return;
	}
	/* Grow by at least the cache's size, so growth is amortized. */
	span = cal->n > BIZCAL_SLACK ? cal->n : BIZCAL_SLACK;
	glo = lo, ghi = hi;
	if (glo < cal->base)
		glo = (glo < cal->base - span) ? glo - BIZCAL_SLACK :
		    cal->base - span;
	if (ghi > top)
		ghi = (ghi > top + span) ? ghi + BIZCAL_SLACK : top + span;
	if ((ghi > top ? ghi : top) - (glo < cal->base ? glo : cal->base) +
	    1 > BIZCAL_MAXDAYS)
		bizcal_reset(cal, lo - BIZCAL_SLACK, hi + BIZCAL_SLACK);
	else
		bizcal_grow(cal, glo, ghi);
}

static const struct bizcal_day *
bizcal_get(struct bizcal *cal, long d)
{
	bizcal_ensure(cal, d, d);
	return (&cal->day[d - cal->base]);
}

static time_t
bizcal_clamp(time_t t)
{
	if (t < WHEN_MIN)
		return (WHEN_MIN);
	if (t > WHEN_MAX)
		return (WHEN_MAX);
	return (t);
}

/* The day that t falls in: the last day whose opening is not after t. */
static long
bizcal_day_of(struct bizcal *cal, time_t t)
{
	long	d;

	/* Also notices a zone change before guess is trusted. */
	bizcal_ensure(cal, t / BIZCAL_DAY, t / BIZCAL_DAY);
	d = bizcal_floordiv((long long)t - cal->guess, BIZCAL_DAY);
	while (bizcal_get(cal, d)->open > t)
		d--;
	while (bizcal_get(cal, d + 1)->open <= t)
		d++;
	return (d);
}

/* Business seconds from the cache's origin to t; only differences mean. */
static long long
bizcal_cum_at(struct bizcal *cal, time_t t)
{
	const struct bizcal_day	*day;
	long			 d;
	time_t			 in;

	d = bizcal_day_of(cal, t);
	day = bizcal_get(cal, d);
	in = t - day->open;
	if (in > day->len)
		in = day->len;
	return (day->cum + (in > 0 ? in : 0));
}

struct bizcal *
bizcal_new(const struct bizcal_spec *spec, char **cause)
{
	struct bizcal	*cal;

	if ((spec->days & 0x7f) == 0) {
		xasprintf(cause, "business hours need at least one working "
		    "day (e.g. days = mon,tue,wed,thu,fri)");
		return (NULL);
	}
	if (spec->day_start < 0 || spec->day_end > 24 * 60 ||
	    spec->day_start >= spec->day_end) {
		xasprintf(cause, "business hours must end after they start "
		    "within one day (e.g. start = 09:00, end = 17:00)");
		return (NULL);
	}
	cal = xcalloc(1, sizeof *cal);
	cal->days = spec->days & 0x7f;
	cal->start = spec->day_start;
	cal->end = spec->day_end;
	cal->nholidays = spec->nholidays;
	if (spec->nholidays > 0) {
		cal->holidays = xreallocarray(NULL, spec->nholidays,
		    sizeof *cal->holidays);
		memcpy(cal->holidays, spec->holidays,
		    spec->nholidays * sizeof *cal->holidays);
		qsort(cal->holidays, cal->nholidays, sizeof *cal->holidays,
		    bizcal_intcmp);
	}
	cal->zone = xstrdup(when_zone());
	return (cal);
}

void
bizcal_free(struct bizcal *cal)
{
	if (cal == NULL)
		return;
	free(cal->holidays);
	free(cal->zone);
	free(cal->day);
	free(cal);
}

time_t
bizcal_add(struct bizcal *cal, time_t t0, long secs)
{
	const struct bizcal_day	*day;
	long			 d, left;
	time_t			 in;

	if (secs <= 0)
		return (t0);
	t0 = bizcal_clamp(t0);
	d = bizcal_day_of(cal, t0);
	day = bizcal_get(cal, d);
	in = t0 - day->open;		/* >= 0: see bizcal_day_of */
	if (in > day->len)
		in = day->len;
	for (;;) {
		left = day->len - (long)in;
		if (secs <= left)
			return (day->open + in + secs);
		secs -= left;
		if (day->open > WHEN_MAX)
			return (WHEN_MAX);
		day = bizcal_get(cal, ++d);
		in = 0;
	}
}

long
bizcal_between(struct bizcal *cal, time_t a, time_t b)
{
	long long	ca, cb;
	unsigned	gen;
	time_t		mid;

	a = bizcal_clamp(a);
	b = bizcal_clamp(b);
	if (a == b)
		return (0);
	if (b < a)
		return (-bizcal_between(cal, b, a));
	if (b - a > BIZCAL_CHUNK) {
		mid = a + (b - a) / 2;
		return (bizcal_between(cal, a, mid) +
		    bizcal_between(cal, mid, b));
	}
	/* Both ends must be read from the same cache generation. */
	for (;;) {
		bizcal_ensure(cal, bizcal_day_of(cal, a) - 1,
		    bizcal_day_of(cal, b) + 1);
		gen = cal->gen;
		ca = bizcal_cum_at(cal, a);
		cb = bizcal_cum_at(cal, b);
		if (gen == cal->gen)
			return ((long)(cb - ca));
	}
}

bool
bizcal_is_open(struct bizcal *cal, time_t t)
{
	const struct bizcal_day	*day;

	t = bizcal_clamp(t);
	day = bizcal_get(cal, bizcal_day_of(cal, t));
	return (t >= day->open && t - day->open < day->len);
}
