/*
 * Lead-flow metrics, the parts that need no store: the metrics' names for
 * the playbook's stages and calendar, months of the team's zone, and rows:
 * their cells, rates and medians, sums and sort orders. Core: must not speak
 * SQL or curses; gathering months from the store is metrics_job.c's.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smk/bizcal.h"
#include "smk/metrics.h"
#include "smk/when.h"
#include "smk/xmalloc.h"

#include "metrics_int.h"

static const char *metrics_col_names[METRICS__COUNT] = {
	"new", "mql", "sql", "opportunities", "customers", "recycled",
	"disqualified", "worked_pct", "close_rate", "median_first_touch_bh",
	"sla_met_pct", "handed_off", "accepted", "rejected", "acceptance_pct",
	"win_rate"
};

const char *
metrics_col_name(enum metrics_col c)
{
	return metrics_col_names[c];
}

bool
metrics_col_is_rate(enum metrics_col c)
{
	switch (c) {
	case METRICS_WORKED_PCT:
	case METRICS_CLOSE_RATE:
	case METRICS_MEDIAN_FIRST_TOUCH_BH:
	case METRICS_SLA_MET_PCT:
	case METRICS_ACCEPTANCE_PCT:
	case METRICS_WIN_RATE:
		return true;
	default:
		return false;
	}
}

const char *
metrics_source_name(const char *s)
{
	return s == NULL || *s == '\0' ? "(none)" : s;
}

/* Stages. */

static const char *
metrics_exit(const struct config *cfg, const char *name, size_t nth)
{
	size_t i, k = 0;

	for (i = cfg->nfunnel; i < cfg->nstages; i++) {
		if (strcmp(cfg->stages[i].name, name) == 0)
			return cfg->stages[i].name;
	}
	for (i = cfg->nfunnel; i < cfg->nstages; i++) {
		if (k++ == nth)
			return cfg->stages[i].name;
	}
	return NULL;
}

void
metrics_stages_from_config(struct metrics_stages *ms,
    const struct config *cfg)
{
	size_t i, sql = 0;

	memset(ms, 0, sizeof *ms);
	for (i = 0; i < cfg->nfunnel; i++) {
		if (ms->mql == NULL && cfg->stages[i].team == TEAM_SHARED)
			ms->mql = cfg->stages[i].name;
		if (ms->sql == NULL && cfg->stages[i].team == TEAM_SALES) {
			ms->sql = cfg->stages[i].name;
			sql = i;
		}
	}
	if (cfg->nfunnel > 0)
		ms->customer = cfg->stages[cfg->nfunnel - 1].name;
	if (ms->sql != NULL && cfg->nfunnel >= 2 && cfg->nfunnel - 2 > sql)
		ms->opportunity = cfg->stages[cfg->nfunnel - 2].name;
	if (ms->customer == ms->sql)
		ms->customer = NULL;
	ms->recycled = metrics_exit(cfg, "recycled", 0);
	ms->disqualified = metrics_exit(cfg, "disqualified", 1);
	if (ms->disqualified == ms->recycled)
		ms->disqualified = NULL;
}

struct bizcal *
metrics_calendar(const struct config *cfg, char **cause)
{
	struct bizcal_spec spec;

	memset(&spec, 0, sizeof spec);
	spec.days = cfg->days;
	spec.day_start = cfg->day_start;
	spec.day_end = cfg->day_end;
	spec.holidays = cfg->holidays;
	spec.nholidays = cfg->nholidays;
	return bizcal_new(&spec, cause);
}

/* Months. */

time_t
metrics_midnight(int year, int mon, int day)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	return when_team_mktime(&tm);
}

void
metrics_month_bounds(int year, int mon, time_t *start, time_t *end)
{
	*start = metrics_midnight(year, mon, 1);
	*end = metrics_midnight(year, mon + 1, 1);
}

void
metrics_month_of(time_t t, int *year, int *mon)
{
	struct tm tm;

	when_team_tm(t, &tm);
	*year = tm.tm_year + 1900;
	*mon = tm.tm_mon + 1;
}

time_t
metrics_month_shift(time_t start, int n)
{
	time_t s, e;
	int y, mo, k;

	metrics_month_of(start, &y, &mo);
	k = y * 12 + (mo - 1) - n;
	metrics_month_bounds(k / 12, k % 12 + 1, &s, &e);
	return s;
}

char *
metrics_month_label(time_t start, char *buf, size_t len)
{
	int y, mo;

	metrics_month_of(start, &y, &mo);
	snprintf(buf, len, "%04d-%02d", y, mo);
	return buf;
}

int
metrics_month_parse(const char *s, time_t *start, char **cause)
{
	time_t end;
	int y, mo, used = 0;

	if (strlen(s) != 7 || sscanf(s, "%4d-%2d%n", &y, &mo, &used) != 2 ||
	    used != 7 || s[4] != '-' || mo < 1 || mo > 12 || y < 1970) {
		xasprintf(cause, "\"%s\" is not a month (use YYYY-MM, e.g. "
		    "2026-09)", s);
		return -1;
	}
	metrics_month_bounds(y, mo, start, &end);
	return 0;
}

/* Arithmetic. */

bool
metrics_pct(int64_t num, int64_t den, double *out)
{
	if (den <= 0)
		return false;
	*out = 100.0 * (double)num / (double)den;
	return true;
}

static int
metrics_dblcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of n > 0 values in ascending order. */
static double
metrics_median_sorted(const double *v, size_t n)
{
	return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

bool
metrics_median(double *v, size_t n, double *out)
{
	if (n == 0)
		return false;
	qsort(v, n, sizeof *v, metrics_dblcmp);
	*out = metrics_median_sorted(v, n);
	return true;
}

bool
metrics_value(const struct metrics_row *r, enum metrics_col c, double *out)
{
	static const size_t counts[] = {
		offsetof(struct metrics_row, new),
		offsetof(struct metrics_row, mql),
		offsetof(struct metrics_row, sql),
		offsetof(struct metrics_row, opportunities),
		offsetof(struct metrics_row, customers),
		offsetof(struct metrics_row, recycled),
		offsetof(struct metrics_row, disqualified),
	};
	double *copy;
	bool ok;

	if (c <= METRICS_DISQUALIFIED) {
		*out = (double)*(const int64_t *)((const char *)r + counts[c]);
		return true;
	}
	switch (c) {
	case METRICS_WORKED_PCT:
		return metrics_pct(r->worked, r->cohort, out);
	case METRICS_CLOSE_RATE:
		return metrics_pct(r->closed, r->cohort, out);
	case METRICS_MEDIAN_FIRST_TOUCH_BH:
		if (r->ntouch == 0)
			return false;
		if (r->touch_sorted) {
			*out = metrics_median_sorted(r->touch_bh, r->ntouch);
			return true;
		}
		/* Sorting a copy keeps this usable on const rows. */
		copy = xreallocarray(NULL, r->ntouch, sizeof *copy);
		memcpy(copy, r->touch_bh, r->ntouch * sizeof *copy);
		ok = metrics_median(copy, r->ntouch, out);
		free(copy);
		return ok;
	case METRICS_SLA_MET_PCT:
		return metrics_pct(r->clocks_met, r->clocks_done, out);
	case METRICS_HANDED_OFF:
		*out = (double)r->mql;
		return true;
	case METRICS_ACCEPTED:
		*out = (double)r->accepted;
		return true;
	case METRICS_REJECTED:
		*out = (double)r->rejected;
		return true;
	case METRICS_ACCEPTANCE_PCT:
		return metrics_pct(r->accepted, r->mql, out);
	case METRICS_WIN_RATE:
		return metrics_pct(r->won, r->opportunities, out);
	default:
		return false;
	}
}

char *
metrics_cell(const struct metrics_row *r, enum metrics_col c, char *buf,
    size_t len)
{
	double v;

	if (!metrics_value(r, c, &v))
		snprintf(buf, len, "%s", "");
	else if (metrics_col_is_rate(c))
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "%.0f", v);
	return buf;
}

/* Rows. */

void
metrics_row_clear(struct metrics_row *r)
{
	size_t i;

	free(r->source);
	free(r->touch_bh);
	for (i = 0; i < r->nreasons; i++)
		free(r->reasons[i].reason);
	free(r->reasons);
	memset(r, 0, sizeof *r);
}

bool
metrics_same(const char *a, const char *b)
{
	if (a == NULL || *a == '\0' || b == NULL || *b == '\0')
		return (a == NULL || *a == '\0') && (b == NULL || *b == '\0');
	return strcmp(a, b) == 0;
}

void
metrics_add_reason(struct metrics_row *r, const char *reason, int64_t n)
{
	size_t i;

	for (i = 0; i < r->nreasons; i++) {
		if (metrics_same(r->reasons[i].reason, reason) &&
		    (r->reasons[i].reason == NULL) == (reason == NULL)) {
			r->reasons[i].n += n;
			return;
		}
	}
	r->reasons = xreallocarray(r->reasons, r->nreasons + 1,
	    sizeof *r->reasons);
	r->reasons[r->nreasons].reason = reason != NULL ? xstrdup(reason) :
	    NULL;
	r->reasons[r->nreasons++].n = n;
}

void
metrics_add(struct metrics_row *into, const struct metrics_row *r)
{
	size_t i;

	into->new += r->new;
	into->mql += r->mql;
	into->sql += r->sql;
	into->opportunities += r->opportunities;
	into->customers += r->customers;
	into->recycled += r->recycled;
	into->disqualified += r->disqualified;
	into->cohort += r->cohort;
	into->worked += r->worked;
	into->closed += r->closed;
	into->accepted += r->accepted;
	into->rejected += r->rejected;
	into->won += r->won;
	into->clocks_done += r->clocks_done;
	into->clocks_met += r->clocks_met;
	if (r->ntouch > 0) {
		into->touch_bh = xreallocarray(into->touch_bh,
		    into->ntouch + r->ntouch, sizeof *into->touch_bh);
		memcpy(into->touch_bh + into->ntouch, r->touch_bh,
		    r->ntouch * sizeof *r->touch_bh);
		into->ntouch += r->ntouch;
		into->touch_sorted = false;
	}
	for (i = 0; i < r->nreasons; i++)
		metrics_add_reason(into, r->reasons[i].reason,
		    r->reasons[i].n);
}

void
metrics_sum(const struct metrics_row *rows, size_t n, bool all,
    const char *source, struct metrics_row *out)
{
	size_t i;

	memset(out, 0, sizeof *out);
	if (n > 0) {
		out->start = rows[0].start;
		out->end = rows[0].end;
	}
	if (!all && source != NULL && *source != '\0')
		out->source = xstrdup(source);
	for (i = 0; i < n; i++) {
		if (all || metrics_same(rows[i].source, source))
			metrics_add(out, &rows[i]);
	}
	metrics_sort_reasons(out);
	/* A screen asks a sum for its median at every repaint. */
	if (out->ntouch > 1)
		qsort(out->touch_bh, out->ntouch, sizeof *out->touch_bh,
		    metrics_dblcmp);
	out->touch_sorted = true;
}

static int
metrics_reasoncmp(const void *a, const void *b)
{
	const struct metrics_reason *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->reason != NULL ? x->reason : "",
	    y->reason != NULL ? y->reason : "");
}

void
metrics_sort_reasons(struct metrics_row *r)
{
	if (r->nreasons > 1)
		qsort(r->reasons, r->nreasons, sizeof *r->reasons,
		    metrics_reasoncmp);
}

char *
metrics_reasons_text(const struct metrics_row *r, size_t max, char *buf,
    size_t len)
{
	size_t i, used = 0;
	int k;

	buf[0] = '\0';
	for (i = 0; i < r->nreasons && i < max && used < len; i++) {
		k = snprintf(buf + used, len - used, "%s%s %lld",
		    i > 0 ? ", " : "", r->reasons[i].reason != NULL ?
		    r->reasons[i].reason : "(no reason)",
		    (long long)r->reasons[i].n);
		if (k < 0)
			break;
		used += (size_t)k;
	}
	return buf;
}

static int
metrics_sourcecmp(const void *a, const void *b)
{
	const struct metrics_row *x = a, *y = b;
	double px, py;
	bool hx, hy;

	hx = metrics_pct(x->accepted, x->mql, &px);
	hy = metrics_pct(y->accepted, y->mql, &py);
	if (hx != hy)
		return hx ? -1 : 1;
	if (hx && px != py)
		return px > py ? -1 : 1;
	if (x->mql != y->mql)
		return x->mql > y->mql ? -1 : 1;
	return strcmp(x->source != NULL ? x->source : "",
	    y->source != NULL ? y->source : "");
}

void
metrics_sort_sources(struct metrics_row *rows, size_t n)
{
	if (n > 1)
		qsort(rows, n, sizeof *rows, metrics_sourcecmp);
}
