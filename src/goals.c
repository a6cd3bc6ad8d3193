/*
 * The reverse funnel (definitions in goals.h): periods and ISO weeks of the
 * team's zone, business days from the calendar, the integer arithmetic of
 * needed and pace, and the gathering of counts through the store. Also the
 * marketing promise that [sla] mqls_per_rep = auto derives from the goal.
 * Core: must not speak SQL or curses.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smk/bizcal.h"
#include "smk/goals.h"
#include "smk/metrics.h"
#include "smk/slaview.h"
#include "smk/when.h"
#include "smk/xmalloc.h"

#define GOALS_DAY	86400

const char *
goals_period_name(enum period p)
{
	return p == PERIOD_WEEK ? "week" : "month";
}

int
goals_period_parse(const char *s, enum period *p, char **cause)
{
	if (strcmp(s, "week") == 0)
		*p = PERIOD_WEEK;
	else if (strcmp(s, "month") == 0)
		*p = PERIOD_MONTH;
	else {
		xasprintf(cause, "period \"%s\" is not week or month", s);
		return -1;
	}
	return 0;
}

void
goals_period_bounds(enum period p, time_t t, time_t *start, time_t *end)
{
	struct tm tm;
	int back;

	if (p == PERIOD_MONTH) {
		when_team_tm(t, &tm);
		metrics_month_bounds(tm.tm_year + 1900, tm.tm_mon + 1, start,
		    end);
		return;
	}
	when_team_tm(t, &tm);
	back = (tm.tm_wday + 6) % 7;	/* days since Monday */
	*start = metrics_midnight(tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday - back);
	*end = metrics_midnight(tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday - back + 7);
}

time_t
goals_period_shift(enum period p, time_t start, int n)
{
	struct tm tm;

	if (p == PERIOD_MONTH)
		return metrics_month_shift(start, n);
	when_team_tm(start, &tm);
	return metrics_midnight(tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday - 7 * n);
}

/* The ISO year and week of a local date. */
static void
goals_iso_week(time_t t, int *year, int *week)
{
	struct tm tm;
	time_t thu;

	/* The week belongs to the year of its Thursday. */
	when_team_tm(t, &tm);
	thu = metrics_midnight(tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday - (tm.tm_wday + 6) % 7 + 3);
	when_team_tm(thu, &tm);
	*year = tm.tm_year + 1900;
	*week = tm.tm_yday / 7 + 1;
}

char *
goals_period_label(enum period p, time_t start, char *buf, size_t len)
{
	int y, w;

	if (p == PERIOD_MONTH)
		return metrics_month_label(start, buf, len);
	goals_iso_week(start, &y, &w);
	snprintf(buf, len, "%04d-W%02d", y, w);
	return buf;
}

int
goals_week_parse(const char *s, time_t *start, char **cause)
{
	struct tm tm;
	time_t jan4;
	int y, w, used = 0, wy, ww;

	if (strlen(s) != 8 || sscanf(s, "%4d-W%2d%n", &y, &w, &used) != 2 ||
	    used != 8 || y < 1970 || w < 1 || w > 53)
		goto bad;
	/* Week 1 is the one holding 4 January. */
	jan4 = metrics_midnight(y, 1, 4);
	when_team_tm(jan4, &tm);
	*start = metrics_midnight(y, 1, 4 - (tm.tm_wday + 6) % 7 + 7 * (w - 1));
	goals_iso_week(*start, &wy, &ww);
	if (wy != y || ww != w)
		goto bad;
	return 0;
bad:
	xasprintf(cause, "\"%s\" is not an ISO week (use YYYY-Www, e.g. "
	    "2026-W45)", s);
	return -1;
}

void
goals_business_days(struct bizcal *cal, time_t start, time_t end,
    time_t now, int *past, int *total)
{
	struct tm tm;
	time_t day, next;
	long open;
	int d;

	*past = *total = 0;
	when_team_tm(start, &tm);
	for (d = 0, day = start; day < end; day = next) {
		next = metrics_midnight(tm.tm_year + 1900, tm.tm_mon + 1,
		    tm.tm_mday + ++d);
		if ((open = bizcal_between(cal, day, next)) <= 0)
			continue;
		(*total)++;
		if (now >= next || bizcal_between(cal, day, now) >= open)
			(*past)++;
	}
}

/* Arithmetic. */

/* ceil(a * b / c) for a, b >= 0 and c > 0, saturating. */
static int64_t
goals_ceil_muldiv(int64_t a, int64_t b, int64_t c)
{
	long double v;

	if (b == 0 || a <= INT64_MAX / b)
		return (a * b + c - 1) / c;
	v = (long double)a * (long double)b / (long double)c;
	if (v >= (long double)INT64_MAX)
		return INT64_MAX;
	return (int64_t)v + ((long double)(int64_t)v < v);
}

bool
goals_needed_before(int64_t needed_next, int64_t entered, int64_t advanced,
    int64_t *out)
{
	if (entered <= 0 || advanced <= 0 || needed_next < 0)
		return false;
	*out = goals_ceil_muldiv(needed_next, entered, advanced);
	return true;
}

bool
goals_customers_for(int64_t revenue, int64_t valued, int64_t sum,
    int64_t *out)
{
	if (valued <= 0 || sum <= 0 || revenue < 0)
		return false;
	/* revenue / (sum / valued), rounded up. */
	*out = goals_ceil_muldiv(revenue, valued, sum);
	return true;
}

int64_t
goals_pace(int64_t needed, int past, int total)
{
	int64_t num, q;

	if (total <= 0)
		return past > 0 ? needed : 0;
	if (past >= total)
		return needed;
	if (past <= 0 || needed <= 0)
		return 0;
	if (needed > INT64_MAX / past)
		return (int64_t)((long double)needed * past / total + 0.5L);
	/* needed * past / total to the nearest, halves up. */
	num = needed * past;
	q = num / total;
	return q + (2 * (num % total) >= total);
}

/* Is row a further behind its pace than row b? Both are behind. */
static bool
goals_worse(const struct goals_row *a, const struct goals_row *b)
{
	double sa = (double)(a->pace - a->actual) / (double)a->pace;
	double sb = (double)(b->pace - b->actual) / (double)b->pace;

	return sa > sb;
}

void
goals_compute(struct goals_plan *p)
{
	struct goals_row *r;
	bool known = true;
	int64_t need = 0;
	size_t i;

	if (p->n == 0)
		return;
	if (p->goal_customers > 0)
		need = p->goal_customers;
	else
		known = goals_customers_for(p->goal_revenue, p->won_valued,
		    p->won_sum, &need);
	p->behind = p->n;
	for (i = p->n; i-- > 0;) {
		r = &p->rows[i];
		r->has_rate = i + 1 < p->n && r->entered > 0 &&
		    r->advanced > 0;
		if (i + 1 < p->n)
			known = known && goals_needed_before(need, r->entered,
			    r->advanced, &need);
		r->has_needed = known;
		r->needed = known ? need : 0;
		r->pace = known ? goals_pace(need, p->days_past,
		    p->days_total) : 0;
		if (!known || r->actual >= r->pace)
			continue;
		if (p->behind == p->n || goals_worse(r, &p->rows[p->behind]))
			p->behind = i;
	}
}

bool
goals_rate_pct(const struct goals_row *r, double *pct)
{
	if (!r->has_rate)
		return false;
	*pct = 100.0 * (double)r->advanced / (double)r->entered;
	return true;
}

const struct goals_row *
goals_row_of(const struct goals_plan *p, const char *stage)
{
	size_t i;

	for (i = 0; stage != NULL && i < p->n; i++) {
		if (strcmp(p->rows[i].stage, stage) == 0)
			return &p->rows[i];
	}
	return NULL;
}

void
goals_plan_clear(struct goals_plan *p)
{
	free(p->rows);
	memset(p, 0, sizeof *p);
}

/* Gathering. */

static int
goals_actual_cb(const char *source, const int64_t *v, size_t nv, void *arg)
{
	(void)source;
	if (nv > 0)
		*(int64_t *)arg += v[0];
	return 0;
}

/*
 * The counts are read a piece of time at a time: a week of a stage's
 * lookback cohort, then a week of its period so far. Both are counts of
 * first entries in a range, so the pieces add up to the whole; a piece is
 * about a tenth of a second at a million leads.
 */
#define GOALS_PIECE	(7 * GOALS_DAY)

/* Piece k of [from, to); false when there is none. */
static bool
goals_piece(time_t from, time_t to, size_t k, time_t *a, time_t *b)
{
	if (from >= to || (time_t)k > (to - from - 1) / GOALS_PIECE)
		return false;
	*a = from + (time_t)k * GOALS_PIECE;
	*b = *a + GOALS_PIECE < to ? *a + GOALS_PIECE : to;
	return true;
}

/* One piece of stage i: cohort pieces first (phase 0), then actual (1). */
static enum store_status
goals_count_piece(struct store *s, const char *const *later,
    struct goals_plan *p, size_t i, int phase, time_t a, time_t b,
    char **cause)
{
	struct goals_row *r = &p->rows[i];
	enum store_status st;
	int64_t entered, advanced;

	if (phase == 1)
		return store_metrics_first(s, r->stage, NULL, a, b, p->now,
		    goals_actual_cb, &r->actual, cause);
	st = store_goals_cohort(s, r->stage, later + i + 1, p->n - i - 1, a, b,
	    p->now, &entered, &advanced, cause);
	r->entered += entered;
	r->advanced += advanced;
	return st;
}

/*
 * A goal per period from, as its share of a period to: a year holds 12
 * months and 52 weeks. Rounded up: the share still adds up to the goal.
 */
static int64_t
goals_rescale(int64_t goal, enum period from, enum period to)
{
	if (goal <= 0 || from == to)
		return goal;
	if (to == PERIOD_WEEK)
		return (goal * 12 + 51) / 52;
	return (goal * 52 + 11) / 12;
}

static void
goals_plan_setup(const struct config *cfg, const struct goals_opts *o,
    time_t now, struct goals_plan *p)
{
	size_t i;

	memset(p, 0, sizeof *p);
	p->now = now;
	p->period = o != NULL && o->period_set ? o->period : cfg->period;
	p->lookback = cfg->lookback > 0 ? cfg->lookback : 1;
	goals_period_bounds(p->period, now, &p->start, &p->end);
	p->lookback_start = goals_period_shift(p->period, p->start,
	    p->lookback);
	p->goal_customers = goals_rescale(cfg->goal_customers, cfg->period,
	    p->period);
	p->goal_revenue = goals_rescale(cfg->goal_revenue, cfg->period,
	    p->period);
	p->goal_scaled = p->period != cfg->period;
	if (o != NULL && (o->customers > 0 || o->revenue > 0)) {
		p->goal_customers = o->customers;
		p->goal_revenue = o->customers > 0 ? 0 : o->revenue;
		p->goal_scaled = false;
	}
	p->n = cfg->nfunnel;
	p->rows = xcalloc(p->n + 1, sizeof *p->rows);
	for (i = 0; i < p->n; i++)
		p->rows[i].stage = cfg->stages[i].name;
	p->behind = p->n;
}

struct goals_job {
	struct store		*store;
	const char		**later;	/* the funnel's stage names */
	struct goals_plan	 plan;
	size_t			 next;	/* stage to count; n: the amounts */
	int			 phase;	/* 0: its cohort, 1: its actual */
	size_t			 piece;
	enum store_status	 st;
};

struct goals_job *
goals_plan_start(struct store *s, const struct config *cfg,
    const struct goals_opts *o, time_t now, char **cause)
{
	struct goals_job *j = xcalloc(1, sizeof *j);
	struct bizcal *cal;
	size_t i;

	j->store = s;
	j->later = xcalloc(cfg->nfunnel + 1, sizeof *j->later);
	for (i = 0; i < cfg->nfunnel; i++)
		j->later[i] = cfg->stages[i].name;
	goals_plan_setup(cfg, o, now, &j->plan);
	if ((cal = metrics_calendar(cfg, cause)) == NULL) {
		goals_job_free(j);
		return NULL;
	}
	goals_business_days(cal, j->plan.start, j->plan.end, now,
	    &j->plan.days_past, &j->plan.days_total);
	bizcal_free(cal);
	return j;
}

int
goals_plan_step(struct goals_job *j, char **cause)
{
	struct goals_plan *p = &j->plan;
	time_t a, b, from, to;

	while (j->next < p->n) {
		/* Nothing after now counts, as in the flow metrics. */
		from = j->phase == 0 ? p->lookback_start : p->start;
		to = j->phase == 0 ? p->start : p->end <= p->now ? p->end :
		    p->now + 1;
		if (goals_piece(from, to, j->piece++, &a, &b)) {
			j->st = goals_count_piece(j->store, j->later, p,
			    j->next, j->phase, a, b, cause);
			return j->st == STORE_OK ? 0 : -1;
		}
		j->piece = 0;
		if (++j->phase == 2) {
			j->phase = 0;
			j->next++;
		}
	}
	if (p->n > 0)
		j->st = store_goals_amounts(j->store, p->rows[p->n - 1].stage,
		    p->lookback_start, p->start, &p->won, &p->won_valued,
		    &p->won_sum, cause);
	if (j->st != STORE_OK)
		return -1;
	goals_compute(p);
	return 1;
}

enum store_status
goals_job_status(const struct goals_job *j)
{
	return j->st;
}

void
goals_plan_take(struct goals_job *j, struct goals_plan *out)
{
	*out = j->plan;
	memset(&j->plan, 0, sizeof j->plan);
}

void
goals_job_free(struct goals_job *j)
{
	if (j == NULL)
		return;
	goals_plan_clear(&j->plan);
	free(j->later);
	free(j);
}

int
goals_plan_build(struct store *s, const struct config *cfg,
    const struct goals_opts *o, time_t now, struct goals_plan *p,
    enum store_status *stp, char **cause)
{
	struct goals_job *j;
	int r;

	memset(p, 0, sizeof *p);
	if (stp != NULL)
		*stp = STORE_OK;
	if ((j = goals_plan_start(s, cfg, o, now, cause)) == NULL)
		return -1;
	while ((r = goals_plan_step(j, cause)) == 0)
		;
	if (stp != NULL)
		*stp = j->st;
	if (r == 1)
		goals_plan_take(j, p);
	goals_job_free(j);
	return r == 1 ? 0 : -1;
}

/* The marketing promise. */

const char *
goals_mql_stage(const struct config *cfg)
{
	struct metrics_stages ms;

	metrics_stages_from_config(&ms, cfg);
	return ms.mql;
}

int
goals_mqls_of_plan(struct store *s, const struct config *cfg,
    const struct goals_plan *p, bool *has, int64_t *per_rep,
    int64_t *month_needed, char **cause)
{
	const struct goals_row *r;
	time_t ms, me;
	int64_t need, reps;

	*has = false;
	*per_rep = *month_needed = 0;
	r = goals_row_of(p, goals_mql_stage(cfg));
	if (r != NULL && r->has_needed) {
		*has = true;
		need = r->needed;
		if (p->period == PERIOD_WEEK) {
			goals_period_bounds(PERIOD_MONTH, p->now, &ms, &me);
			need = goals_ceil_muldiv(need, (me - ms + GOALS_DAY /
			    2) / GOALS_DAY, 7);
		}
		*month_needed = need;
	}
	if (!*has)
		return 0;
	if (store_sla_rep_count(s, "sales", "rep", &reps, cause) != STORE_OK)
		return -1;
	*per_rep = reps > 0 ? goals_ceil_muldiv(*month_needed, 1, reps) :
	    *month_needed;
	return 0;
}

int
goals_mqls_per_rep(struct store *s, const struct config *cfg, time_t now,
    bool *has, int64_t *per_rep, int64_t *month_needed, char **cause)
{
	struct goals_plan p;
	int rv;

	*has = false;
	*per_rep = *month_needed = 0;
	if (goals_plan_build(s, cfg, NULL, now, &p, NULL, cause) != 0)
		return -1;
	rv = goals_mqls_of_plan(s, cfg, &p, has, per_rep, month_needed,
	    cause);
	goals_plan_clear(&p);
	return rv;
}

int
goals_mqls_provider(struct store *s, const struct config *cfg, time_t now,
    int *per_rep, char **cause)
{
	int64_t n, month;
	bool has;

	if (goals_mqls_per_rep(s, cfg, now, &has, &n, &month, cause) != 0)
		return -1;
	if (!has)
		n = SLAVIEW_MQLS_DEFAULT;
	*per_rep = n > INT32_MAX ? INT32_MAX : (int)n;
	return 0;
}
