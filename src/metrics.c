/*
 * Lead-flow metrics (definitions in metrics.h): months of the team's zone,
 * the store's aggregate queries gathered into one row per source, the SLA
 * replay of the leads handed off in a month, and the arithmetic of rates and
 * medians. Core: must not speak SQL or curses, and must not reimplement SLA
 * clock rules (sla.c owns them).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smk/bizcal.h"
#include "smk/metrics.h"
#include "smk/when.h"
#include "smk/xmalloc.h"

static const char *metrics_col_names[METRICS__COUNT] = {
	"new", "mql", "sql", "opportunities", "customers", "recycled",
	"disqualified", "worked_pct", "close_rate", "median_first_touch_bh",
	"sla_met_pct", "handed_off", "accepted", "rejected", "acceptance_pct",
	"win_rate"
};

/* Accumulates one month's query results into rows by source. */
struct metrics_acc {
	struct metrics_ctx *m;
	time_t		 start;
	time_t		 end;
	struct metrics_row *rows;
	size_t		 n;
	size_t		 cap;
	size_t		 off[3];	/* where v[i] of a count row goes */
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

int
metrics_init(struct metrics_ctx *m, struct store *s,
    const struct config *cfg, time_t now, char **cause)
{
	memset(m, 0, sizeof *m);
	m->store = s;
	m->cfg = cfg;
	m->now = now;
	metrics_stages_from_config(&m->stages, cfg);
	sla_rules_from_config(&m->rules, cfg);
	/* Without business time there is no SLA clock: those columns empty. */
	if ((m->cal = metrics_calendar(cfg, cause)) == NULL) {
		free(*cause);
		*cause = NULL;
	}
	return 0;
}

void
metrics_free(struct metrics_ctx *m)
{
	if (m->cal != NULL)
		bizcal_free(m->cal);
	m->cal = NULL;
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

bool
metrics_median(double *v, size_t n, double *out)
{
	if (n == 0)
		return false;
	qsort(v, n, sizeof *v, metrics_dblcmp);
	if (n % 2 == 1)
		*out = v[n / 2];
	else
		*out = (v[n / 2 - 1] + v[n / 2]) / 2.0;
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
		/* Sorting a copy keeps this usable on const rows. */
		if (r->ntouch == 0)
			return false;
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

static bool
metrics_same(const char *a, const char *b)
{
	if (a == NULL || *a == '\0' || b == NULL || *b == '\0')
		return (a == NULL || *a == '\0') && (b == NULL || *b == '\0');
	return strcmp(a, b) == 0;
}

static void
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

/* Gathering one month. */

static struct metrics_row *
metrics_acc_row(struct metrics_acc *a, const char *source)
{
	struct metrics_row *r;
	size_t i;

	for (i = 0; i < a->n; i++) {
		if (metrics_same(a->rows[i].source, source))
			return &a->rows[i];
	}
	if (a->n == a->cap) {
		a->cap = a->cap == 0 ? 8 : a->cap * 2;
		a->rows = xreallocarray(a->rows, a->cap, sizeof *a->rows);
	}
	r = &a->rows[a->n++];
	memset(r, 0, sizeof *r);
	r->source = source != NULL && *source != '\0' ? xstrdup(source) :
	    NULL;
	r->start = a->start;
	r->end = a->end;
	return r;
}

/* A count row from the store: v[i] goes to the field at a->off[i]. */
static int
metrics_acc_counts(const char *source, const int64_t *v, size_t nv,
    void *arg)
{
	struct metrics_acc *a = arg;
	struct metrics_row *r = metrics_acc_row(a, source);
	size_t i;

	for (i = 0; i < nv && i < 3; i++) {
		if (a->off[i] != (size_t)-1)
			*(int64_t *)((char *)r + a->off[i]) += v[i];
	}
	return 0;
}

static int
metrics_acc_reason(const char *source, const char *reason, int64_t n,
    void *arg)
{
	struct metrics_row *r = metrics_acc_row(arg, source);

	r->rejected += n;
	metrics_add_reason(r, reason, n);
	return 0;
}

static void
metrics_acc_into(struct metrics_acc *a, size_t o0, size_t o1, size_t o2)
{
	a->off[0] = o0;
	a->off[1] = o1;
	a->off[2] = o2;
}

#define M_OFF(f)	offsetof(struct metrics_row, f)
#define M_NONE		((size_t)-1)

/* The count queries of [from, to). */
static enum store_status
metrics_counts(struct metrics_acc *a, time_t from, time_t to, char **cause)
{
	struct metrics_ctx *m = a->m;
	const struct metrics_stages *ms = &m->stages;
	const struct {
		const char	*stage;
		const char	*then;
		size_t		 off, then_off;
	} firsts[] = {
		{ ms->mql, ms->sql, M_OFF(mql), M_OFF(accepted) },
		{ ms->sql, NULL, M_OFF(sql), M_NONE },
		{ ms->opportunity, ms->customer, M_OFF(opportunities),
		  M_OFF(won) },
		{ ms->customer, NULL, M_OFF(customers), M_NONE },
	};
	enum store_status st = STORE_OK;
	size_t i;

	metrics_acc_into(a, M_OFF(new), M_NONE, M_NONE);
	for (i = 0; st == STORE_OK && i < m->cfg->nstages; i++)
		st = store_metrics_created(m->store, m->cfg->stages[i].name,
		    from, to, metrics_acc_counts, a, cause);
	for (i = 0; st == STORE_OK && i < sizeof firsts / sizeof *firsts;
	    i++) {
		if (firsts[i].stage == NULL)
			continue;
		metrics_acc_into(a, firsts[i].off, firsts[i].then_off, M_NONE);
		st = store_metrics_first(m->store, firsts[i].stage,
		    firsts[i].then, from, to, m->now, metrics_acc_counts, a,
		    cause);
	}
	metrics_acc_into(a, M_OFF(recycled), M_NONE, M_NONE);
	if (st == STORE_OK && ms->recycled != NULL)
		st = store_metrics_moves(m->store, ms->recycled, from, to,
		    metrics_acc_counts, a, cause);
	metrics_acc_into(a, M_OFF(disqualified), M_NONE, M_NONE);
	if (st == STORE_OK && ms->disqualified != NULL)
		st = store_metrics_moves(m->store, ms->disqualified, from, to,
		    metrics_acc_counts, a, cause);
	metrics_acc_into(a, M_OFF(cohort), M_OFF(worked), M_OFF(closed));
	if (st == STORE_OK && ms->sql != NULL)
		st = store_metrics_cohort(m->store, ms->sql, ms->customer,
		    from, to, m->now, metrics_acc_counts, a, cause);
	if (st == STORE_OK && ms->mql != NULL && ms->recycled != NULL)
		st = store_metrics_reasons(m->store, ms->mql, ms->recycled,
		    from, to, metrics_acc_reason, a, cause);
	return st;
}

/* The SLA replay of one lead handed off in the month. */
struct metrics_sla {
	struct metrics_acc *acc;
	struct metrics_row *row;
	time_t		 from;
	time_t		 to;
	enum store_status st;
	char		**cause;
};

static void
metrics_sla_clock(const struct sla_clock *c, void *arg)
{
	struct metrics_sla *ms = arg;
	struct metrics_row *r = ms->row;

	if (c->started_at < ms->from || c->started_at >= ms->to)
		return;
	if (c->state == SLA_MET || c->state == SLA_BREACHED) {
		r->clocks_done++;
		if (c->state == SLA_MET)
			r->clocks_met++;
	}
	if (c->rule == SLA_FIRST_TOUCH && c->satisfied) {
		r->touch_bh = xreallocarray(r->touch_bh, r->ntouch + 1,
		    sizeof *r->touch_bh);
		r->touch_bh[r->ntouch++] = (double)bizcal_between(
		    ms->acc->m->cal, c->started_at, c->satisfied_at) / 3600.0;
	}
}

static int
metrics_sla_lead(int64_t lead_id, const char *source, void *arg)
{
	struct metrics_sla *ms = arg;
	struct metrics_ctx *m = ms->acc->m;
	struct store_metrics_history h;
	struct sla_event *ev;
	size_t i;

	ms->st = store_metrics_history(m->store, lead_id, &h, ms->cause);
	if (ms->st != STORE_OK)
		return -1;
	ev = xcalloc(h.nev + 1, sizeof *ev);
	for (i = 0; i < h.nev; i++) {
		ev[i].at = h.ev[i].at;
		ev[i].kind = h.ev[i].owner ? SLA_EV_OWNER : SLA_EV_STAGE;
		ev[i].owner = h.ev[i].owner ? h.ev[i].value : NULL;
		ev[i].phase = h.ev[i].owner || h.ev[i].value == NULL ?
		    SLA_PHASE_MARKETING : sla_stage_phase(m->cfg,
		    h.ev[i].value);
	}
	ms->row = metrics_acc_row(ms->acc, source);
	sla_eval(&m->rules, m->cal, lead_id, ev, h.nev, h.att, h.natt,
	    m->now, metrics_sla_clock, ms);
	free(ev);
	store_metrics_history_clear(&h);
	return 0;
}

static enum store_status
metrics_sla(struct metrics_acc *a, time_t from, time_t to, char **cause)
{
	struct metrics_sla ms;
	enum store_status st;

	if (a->m->cal == NULL || a->m->stages.sql == NULL)
		return STORE_OK;
	memset(&ms, 0, sizeof ms);
	ms.acc = a;
	ms.from = from;
	ms.to = to;
	ms.st = STORE_OK;
	ms.cause = cause;
	st = store_metrics_handoffs(a->m->store, a->m->stages.sql, from, to,
	    metrics_sla_lead, &ms, cause);
	return st != STORE_OK ? st : ms.st;
}

static int
metrics_rowcmp(const void *a, const void *b)
{
	const struct metrics_row *x = a, *y = b;

	if (x->source == NULL || y->source == NULL)
		return (x->source != NULL) - (y->source != NULL);
	return strcmp(x->source, y->source);
}

int
metrics_month(struct metrics_ctx *m, time_t start, struct metrics_month *out,
    char **cause)
{
	struct metrics_acc a;
	enum store_status st = STORE_OK;
	time_t to;
	size_t i;
	int y, mo;

	memset(out, 0, sizeof *out);
	memset(&a, 0, sizeof a);
	a.m = m;
	metrics_month_of(start, &y, &mo);
	metrics_month_bounds(y, mo, &a.start, &a.end);
	/* As of the report time: nothing after now counts. */
	to = a.end <= m->now ? a.end : m->now + 1;
	if (a.start < to)
		st = metrics_counts(&a, a.start, to, cause);
	if (st == STORE_OK && a.start < to)
		st = metrics_sla(&a, a.start, to, cause);
	if (st != STORE_OK) {
		for (i = 0; i < a.n; i++)
			metrics_row_clear(&a.rows[i]);
		free(a.rows);
		return -1;
	}
	for (i = 0; i < a.n; i++)
		metrics_sort_reasons(&a.rows[i]);
	if (a.n > 1)
		qsort(a.rows, a.n, sizeof *a.rows, metrics_rowcmp);
	out->start = a.start;
	out->end = a.end;
	out->rows = a.rows;
	out->n = a.n;
	return 0;
}

void
metrics_month_clear(struct metrics_month *mm)
{
	size_t i;

	for (i = 0; i < mm->n; i++)
		metrics_row_clear(&mm->rows[i]);
	free(mm->rows);
	memset(mm, 0, sizeof *mm);
}
