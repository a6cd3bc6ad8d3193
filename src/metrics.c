/*
 * Lead-flow metrics (definitions in metrics.h): the store's aggregate
 * queries gathered into one row per source and month, and the SLA replay
 * of the leads handed off in a month. Months, cells and the arithmetic of
 * rates and medians are metrics_calc.c's. Core: must not speak SQL or
 * curses, and must not reimplement SLA clock rules (sla.c owns them).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "smk/bizcal.h"
#include "smk/metrics.h"
#include "smk/xmalloc.h"

#include "metrics_int.h"

/* Accumulates one month's query results into rows by source. */
struct metrics_acc {
	struct metrics_ctx *m;
	time_t		 start;
	time_t		 end;
	struct metrics_row *rows;
	size_t		 n;
	size_t		 cap;
};

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

/* Gathering months. */

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

static int
metrics_acc_reason(const char *source, const char *reason, int64_t n,
    void *arg)
{
	struct metrics_row *r = metrics_acc_row(arg, source);

	r->rejected += n;
	metrics_add_reason(r, reason, n);
	return 0;
}

#define M_OFF(f)	offsetof(struct metrics_row, f)
#define M_FIELD(r, o)	(*(int64_t *)((char *)(r) + (o)))

/* Per-lead flags of one gathering. */
#define METRICS_F_CUSTOMER	0x01	/* entered customer by now */
#define METRICS_F_SEEN		0x08	/* entered this pass's stage */
#define METRICS_F_THEN		0x10	/* t[] holds an entry into "then" */
#define METRICS_NO_LEAD		UINT32_MAX

/* A lead that may have had an SLA handoff in month k. */
struct metrics_cand {
	int64_t		 lead_id;
	int		 k;
};

/*
 * One walk per stage over all its entries up to the report time, bucketed
 * into the months in C: "first entry" is the first time a lead shows up in
 * time order, so no row asks for the lead's earlier history. By-lead
 * arrays (about 16 bytes a lead) hold the source, flags and the last entry
 * into the stage that may follow; the results are months x sources.
 */
struct metrics_scan {
	struct metrics_ctx *m;
	int		 n;		/* months */
	time_t		*bounds;	/* n + 1 month starts */
	time_t		 from;		/* bounds[0] */
	time_t		 to;		/* bounds[n], at most now + 1 */
	struct metrics_acc *acc;	/* n: each month's rows */
	int32_t		*cell;		/* n x nsrc: row index, -1: none */
	char		**src;		/* src[0] is NULL: no source */
	size_t		 nsrc;
	uint32_t	*lead_src;	/* by lead id */
	time_t		*t;		/* by lead id */
	uint8_t		*flags;		/* by lead id */
	uint16_t	*cohort_k;	/* by lead id: k + 1 of its cohort */
	size_t		 nleads;
	struct metrics_cand *cand;	/* SLA handoffs */
	size_t		 ncand;
	size_t		 candcap;
	struct metrics_cand *coh;	/* sql cohorts */
	size_t		 ncoh;
	size_t		 cohcap;
	/* The pass under way. */
	size_t		 off;		/* count first entries here */
	size_t		 then_off;	/* ... and those that went on here */
	bool		 then;		/* compare with t[] */
	bool		 record;	/* record into t[] */
	bool		 cohort;	/* also the sql cohorts and handoffs */
	bool		 customer;	/* set METRICS_F_CUSTOMER */
	enum store_status st;
	char		**cause;
};

static int
metrics_scan_month(const struct metrics_scan *sc, time_t at)
{
	int lo = 0, hi = sc->n - 1, mid;

	if (at < sc->from || at >= sc->to)
		return -1;
	while (lo < hi) {
		mid = (lo + hi + 1) / 2;
		if (sc->bounds[mid] <= at)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

static bool
metrics_scan_known(const struct metrics_scan *sc, int64_t id)
{
	return id >= 0 && (uint64_t)id < sc->nleads &&
	    sc->lead_src[id] != METRICS_NO_LEAD;
}

/* The row of month k for the lead's source. */
static struct metrics_row *
metrics_scan_row(struct metrics_scan *sc, int k, int64_t id)
{
	struct metrics_acc *a = &sc->acc[k];
	uint32_t s = sc->lead_src[id];
	int32_t *c = &sc->cell[(size_t)k * sc->nsrc + s];

	if (*c < 0) {
		metrics_acc_row(a, sc->src[s]);
		*c = (int32_t)(a->n - 1);
	}
	return &a->rows[*c];
}

static int
metrics_scan_source(int64_t id, const char *source, void *arg)
{
	struct metrics_scan *sc = arg;

	if (source != NULL && *source == '\0')
		source = NULL;
	if (source != NULL && strcmp(sc->src[sc->nsrc - 1] != NULL ?
	    sc->src[sc->nsrc - 1] : "", source) != 0) {
		sc->src = xreallocarray(sc->src, sc->nsrc + 1,
		    sizeof *sc->src);
		sc->src[sc->nsrc++] = xstrdup(source);
	}
	if (id >= 0 && (uint64_t)id < sc->nleads)
		sc->lead_src[id] = source == NULL ? 0 :
		    (uint32_t)(sc->nsrc - 1);
	return 0;
}

static int
metrics_scan_created(int64_t id, time_t at, const char *stage, void *arg)
{
	struct metrics_scan *sc = arg;
	const struct metrics_stages *ms = &sc->m->stages;
	struct metrics_row *r;
	int k;

	if (!metrics_scan_known(sc, id) || stage == NULL ||
	    config_stage_index(sc->m->cfg, stage) < 0 ||
	    (k = metrics_scan_month(sc, at)) < 0)
		return 0;
	r = metrics_scan_row(sc, k, id);
	r->new++;
	/* The exit passes count every entry; a creation is not a move. */
	if (ms->recycled != NULL && strcmp(stage, ms->recycled) == 0)
		r->recycled--;
	if (ms->disqualified != NULL && strcmp(stage, ms->disqualified) == 0)
		r->disqualified--;
	return 0;
}

static void
metrics_cand_push(struct metrics_cand **v, size_t *n, size_t *cap,
    int64_t id, int k)
{
	if (*n == *cap) {
		*cap = *cap == 0 ? 1024 : *cap * 2;
		*v = xreallocarray(*v, *cap, sizeof **v);
	}
	(*v)[*n].lead_id = id;
	(*v)[(*n)++].k = k;
}

/*
 * A lead entering sql in month k: once in that month's cohort. Whether it
 * was worked is asked later, in lead order (metrics_scan_worked).
 */
static int
metrics_scan_cohort(struct metrics_scan *sc, int64_t id, int k)
{
	struct metrics_row *r;

	if (sc->cohort_k[id] == k + 1)
		return 0;
	sc->cohort_k[id] = (uint16_t)(k + 1);
	if (sc->m->cal != NULL)
		metrics_cand_push(&sc->cand, &sc->ncand, &sc->candcap, id, k);
	metrics_cand_push(&sc->coh, &sc->ncoh, &sc->cohcap, id, k);
	r = metrics_scan_row(sc, k, id);
	r->cohort++;
	if (sc->flags[id] & METRICS_F_CUSTOMER)
		r->closed++;
	return 0;
}

/* One entry of this pass's stage, in time order. */
static int
metrics_scan_entry(int64_t id, time_t at, void *arg)
{
	struct metrics_scan *sc = arg;
	struct metrics_row *r;
	uint8_t *f;
	int k;

	if (!metrics_scan_known(sc, id))
		return 0;
	f = &sc->flags[id];
	if (sc->record) {
		sc->t[id] = at;
		*f |= METRICS_F_THEN | (sc->customer ? METRICS_F_CUSTOMER : 0);
	}
	if (at >= sc->to)
		return 0;
	k = metrics_scan_month(sc, at);
	if (!(*f & METRICS_F_SEEN)) {
		*f |= METRICS_F_SEEN;
		if (k >= 0) {
			r = metrics_scan_row(sc, k, id);
			M_FIELD(r, sc->off)++;
			if (sc->then && (*f & METRICS_F_THEN) &&
			    sc->t[id] >= at)
				M_FIELD(r, sc->then_off)++;
		}
	}
	if (sc->cohort && k >= 0)
		return metrics_scan_cohort(sc, id, k);
	return 0;
}

/* Every entry in the months counts (exits; creations taken off). */
static int
metrics_scan_each(int64_t id, time_t at, void *arg)
{
	struct metrics_scan *sc = arg;
	int k;

	if (metrics_scan_known(sc, id) && (k = metrics_scan_month(sc,
	    at)) >= 0)
		M_FIELD(metrics_scan_row(sc, k, id), sc->off)++;
	return 0;
}

static int
metrics_scan_assign(int64_t id, time_t at, void *arg)
{
	struct metrics_scan *sc = arg;
	int k;

	if (metrics_scan_known(sc, id) && (k = metrics_scan_month(sc,
	    at)) >= 0)
		metrics_cand_push(&sc->cand, &sc->ncand, &sc->candcap, id, k);
	return 0;
}

static void
metrics_scan_reset(struct metrics_scan *sc, uint8_t bits)
{
	size_t i;

	for (i = 0; i < sc->nleads; i++)
		sc->flags[i] &= (uint8_t)~bits;
}

/*
 * One stage's pass: entries from the beginning up to now when recording t[]
 * for a later pass, else up to the months' end.
 */
static enum store_status
metrics_scan_pass(struct metrics_scan *sc, const char *stage, size_t off,
    size_t then_off, bool then, bool record)
{
	enum store_status st;

	if (stage == NULL)
		return STORE_OK;
	metrics_scan_reset(sc, METRICS_F_SEEN | (record ? METRICS_F_THEN : 0));
	sc->off = off;
	sc->then_off = then_off;
	sc->then = then;
	sc->record = record;
	st = store_metrics_entries(sc->m->store, stage, 0, record ?
	    sc->m->now + 1 : sc->to, metrics_scan_entry, sc, sc->cause);
	return st != STORE_OK ? st : sc->st;
}

static enum store_status
metrics_scan_firsts(struct metrics_scan *sc)
{
	const struct metrics_stages *ms = &sc->m->stages;
	enum store_status st;

	/* customer before opportunity and sql; sql before mql: t[]. */
	sc->customer = true;
	st = metrics_scan_pass(sc, ms->customer, M_OFF(customers), 0, false,
	    ms->customer != NULL);
	sc->customer = false;
	if (st == STORE_OK)
		st = metrics_scan_pass(sc, ms->opportunity,
		    M_OFF(opportunities), M_OFF(won), ms->customer != NULL,
		    false);
	sc->cohort = true;
	if (st == STORE_OK)
		st = metrics_scan_pass(sc, ms->sql, M_OFF(sql), 0, false,
		    true);
	sc->cohort = false;
	if (st == STORE_OK)
		st = metrics_scan_pass(sc, ms->mql, M_OFF(mql),
		    M_OFF(accepted), ms->sql != NULL, false);
	return st;
}

static int
metrics_candcmp(const void *a, const void *b)
{
	const struct metrics_cand *x = a, *y = b;

	if (x->lead_id != y->lead_id)
		return x->lead_id < y->lead_id ? -1 : 1;
	return (x->k > y->k) - (x->k < y->k);
}

/*
 * The cohorts' attempts, asked once a lead and in lead order, so that the
 * lookups walk activities_lead forward instead of jumping about it.
 */
static enum store_status
metrics_scan_worked(struct metrics_scan *sc)
{
	enum store_status st = STORE_OK;
	bool yes = false;
	size_t i;

	if (sc->ncoh > 1)
		qsort(sc->coh, sc->ncoh, sizeof *sc->coh, metrics_candcmp);
	for (i = 0; st == STORE_OK && i < sc->ncoh; i++) {
		if (i == 0 || sc->coh[i].lead_id != sc->coh[i - 1].lead_id)
			st = store_metrics_attempted(sc->m->store,
			    sc->coh[i].lead_id, sc->m->now, &yes, sc->cause);
		if (st == STORE_OK && yes)
			metrics_scan_row(sc, sc->coh[i].k,
			    sc->coh[i].lead_id)->worked++;
	}
	return st;
}

static enum store_status
metrics_scan_counts(struct metrics_scan *sc)
{
	const struct metrics_stages *ms = &sc->m->stages;
	enum store_status st;

	st = store_metrics_creations(sc->m->store, sc->from, sc->to,
	    metrics_scan_created, sc, sc->cause);
	if (st == STORE_OK)
		st = metrics_scan_firsts(sc);
	if (st == STORE_OK)
		st = metrics_scan_worked(sc);
	sc->off = M_OFF(recycled);
	if (st == STORE_OK && ms->recycled != NULL)
		st = store_metrics_entries(sc->m->store, ms->recycled,
		    sc->from, sc->to, metrics_scan_each, sc, sc->cause);
	sc->off = M_OFF(disqualified);
	if (st == STORE_OK && ms->disqualified != NULL)
		st = store_metrics_entries(sc->m->store, ms->disqualified,
		    sc->from, sc->to, metrics_scan_each, sc, sc->cause);
	return st;
}

/* The SLA replay of one candidate lead, for the months it was one in. */
struct metrics_sla {
	struct metrics_scan *sc;
	int64_t		 lead_id;
	const struct metrics_cand *ks;	/* its months, sorted */
	size_t		 nk;
};

static void
metrics_sla_clock(const struct sla_clock *c, void *arg)
{
	struct metrics_sla *ms = arg;
	struct metrics_row *r;
	size_t i;
	int k;

	if ((k = metrics_scan_month(ms->sc, c->started_at)) < 0)
		return;
	for (i = 0; i < ms->nk && ms->ks[i].k != k; i++)
		;
	if (i == ms->nk)
		return;
	r = metrics_scan_row(ms->sc, k, ms->lead_id);
	if (c->state == SLA_MET || c->state == SLA_BREACHED) {
		r->clocks_done++;
		if (c->state == SLA_MET)
			r->clocks_met++;
	}
	if (c->rule == SLA_FIRST_TOUCH && c->satisfied) {
		r->touch_bh = xreallocarray(r->touch_bh, r->ntouch + 1,
		    sizeof *r->touch_bh);
		r->touch_bh[r->ntouch++] = (double)bizcal_between(
		    ms->sc->m->cal, c->started_at, c->satisfied_at) / 3600.0;
	}
}

static enum store_status
metrics_sla_lead(struct metrics_sla *ms)
{
	struct metrics_ctx *m = ms->sc->m;
	struct store_metrics_history h;
	enum store_status st;
	struct sla_event *ev;
	size_t i;

	for (i = 0; i < ms->nk; i++)
		metrics_scan_row(ms->sc, ms->ks[i].k, ms->lead_id);
	st = store_metrics_history(m->store, ms->lead_id, &h, ms->sc->cause);
	if (st != STORE_OK)
		return st;
	ev = xcalloc(h.nev + 1, sizeof *ev);
	for (i = 0; i < h.nev; i++) {
		ev[i].at = h.ev[i].at;
		ev[i].kind = h.ev[i].owner ? SLA_EV_OWNER : SLA_EV_STAGE;
		ev[i].owner = h.ev[i].owner ? h.ev[i].value : NULL;
		ev[i].phase = h.ev[i].owner || h.ev[i].value == NULL ?
		    SLA_PHASE_MARKETING : sla_stage_phase(m->cfg,
		    h.ev[i].value);
	}
	sla_eval(&m->rules, m->cal, ms->lead_id, ev, h.nev, h.att, h.natt,
	    m->now, metrics_sla_clock, ms);
	free(ev);
	store_metrics_history_clear(&h);
	return STORE_OK;
}

/*
 * Leads handed off in a month (an entry into sql, found by the sql pass, or
 * an assignment to a rep): each replayed once, its clocks counted in the
 * months it was handed off in, as when each month was asked alone.
 */
static enum store_status
metrics_scan_sla(struct metrics_scan *sc)
{
	struct metrics_sla ms;
	enum store_status st;
	size_t i, j, w = 0;

	if (sc->m->cal == NULL || sc->m->stages.sql == NULL)
		return STORE_OK;
	st = store_metrics_assigns(sc->m->store, sc->from, sc->to,
	    metrics_scan_assign, sc, sc->cause);
	if (st != STORE_OK)
		return st;
	if (sc->ncand > 1)
		qsort(sc->cand, sc->ncand, sizeof *sc->cand, metrics_candcmp);
	for (i = 0; i < sc->ncand; i++) {
		if (w == 0 || metrics_candcmp(&sc->cand[w - 1],
		    &sc->cand[i]) != 0)
			sc->cand[w++] = sc->cand[i];
	}
	memset(&ms, 0, sizeof ms);
	ms.sc = sc;
	for (i = 0; st == STORE_OK && i < w; i = j) {
		for (j = i; j < w && sc->cand[j].lead_id ==
		    sc->cand[i].lead_id; j++)
			;
		ms.lead_id = sc->cand[i].lead_id;
		ms.ks = &sc->cand[i];
		ms.nk = j - i;
		st = metrics_sla_lead(&ms);
	}
	return st;
}

static void
metrics_scan_free(struct metrics_scan *sc)
{
	size_t i;

	for (i = 0; i < sc->nsrc; i++)
		free(sc->src[i]);
	free(sc->src);
	free(sc->bounds);
	free(sc->cell);
	free(sc->lead_src);
	free(sc->t);
	free(sc->flags);
	free(sc->cohort_k);
	free(sc->cand);
	free(sc->coh);
}

/* Month bounds, the by-lead arrays and every lead's source. */
static enum store_status
metrics_scan_init(struct metrics_scan *sc, struct metrics_ctx *m,
    time_t first, int n, struct metrics_acc *acc, char **cause)
{
	enum store_status st;
	int64_t max;
	time_t end;
	int k, y, mo;

	memset(sc, 0, sizeof *sc);
	sc->m = m;
	sc->n = n;
	sc->acc = acc;
	sc->cause = cause;
	sc->st = STORE_OK;
	sc->bounds = xcalloc((size_t)n + 1, sizeof *sc->bounds);
	metrics_month_of(first, &y, &mo);
	for (k = 0; k < n; k++) {
		metrics_month_bounds(y, mo + k, &sc->bounds[k], &end);
		sc->bounds[k + 1] = end;
		memset(&acc[k], 0, sizeof acc[k]);
		acc[k].m = m;
		acc[k].start = sc->bounds[k];
		acc[k].end = end;
	}
	sc->from = sc->bounds[0];
	/* As of the report time: nothing after now counts. */
	sc->to = sc->bounds[n] <= m->now ? sc->bounds[n] : m->now + 1;
	if ((st = store_metrics_max_lead(m->store, &max, cause)) != STORE_OK)
		return st;
	sc->nleads = (size_t)(max > 0 ? max : 0) + 1;
	sc->lead_src = xreallocarray(NULL, sc->nleads, sizeof *sc->lead_src);
	memset(sc->lead_src, 0xff, sc->nleads * sizeof *sc->lead_src);
	sc->t = xcalloc(sc->nleads, sizeof *sc->t);
	sc->flags = xcalloc(sc->nleads, 1);
	sc->cohort_k = xcalloc(sc->nleads, sizeof *sc->cohort_k);
	sc->src = xcalloc(1, sizeof *sc->src);
	sc->nsrc = 1;
	st = store_metrics_sources(m->store, metrics_scan_source, sc, cause);
	if (st == STORE_OK)
		sc->cell = xreallocarray(NULL, (size_t)n * sc->nsrc,
		    sizeof *sc->cell);
	if (sc->cell != NULL)
		memset(sc->cell, 0xff, (size_t)n * sc->nsrc *
		    sizeof *sc->cell);
	return st;
}

static int
metrics_rowcmp(const void *a, const void *b)
{
	const struct metrics_row *x = a, *y = b;

	if (x->source == NULL || y->source == NULL)
		return (x->source != NULL) - (y->source != NULL);
	return strcmp(x->source, y->source);
}

/* Sort each month's rows by source and hand them to out. */
static void
metrics_scan_out(struct metrics_acc *acc, int n, struct metrics_month *out)
{
	size_t i;
	int k;

	for (k = 0; k < n; k++) {
		for (i = 0; i < acc[k].n; i++)
			metrics_sort_reasons(&acc[k].rows[i]);
		if (acc[k].n > 1)
			qsort(acc[k].rows, acc[k].n, sizeof *acc[k].rows,
			    metrics_rowcmp);
		memset(&out[k], 0, sizeof out[k]);
		out[k].start = acc[k].start;
		out[k].end = acc[k].end;
		out[k].rows = acc[k].rows;
		out[k].n = acc[k].n;
	}
}

/* The rejections of one month (mql to recycled moves), by reason. */
static enum store_status
metrics_acc_reasons(struct metrics_ctx *m, struct metrics_acc *a,
    char **cause)
{
	const struct metrics_stages *ms = &m->stages;
	time_t to = a->end <= m->now ? a->end : m->now + 1;

	if (ms->mql == NULL || ms->recycled == NULL || a->start >= to)
		return STORE_OK;
	return store_metrics_reasons(m->store, ms->mql, ms->recycled,
	    a->start, to, metrics_acc_reason, a, cause);
}

int
metrics_months(struct metrics_ctx *m, time_t first, int n, int flags,
    struct metrics_month *out, char **cause)
{
	struct metrics_scan sc;
	struct metrics_acc *acc;
	enum store_status st;
	bool held;
	size_t i;
	int k;

	if (n <= 0)
		return 0;
	acc = xcalloc((size_t)n, sizeof *acc);
	if ((st = store_metrics_hold(m->store, &held, cause)) != STORE_OK) {
		free(acc);
		return -1;
	}
	st = metrics_scan_init(&sc, m, first, n, acc, cause);
	if (st == STORE_OK && sc.from < sc.to) {
		st = metrics_scan_counts(&sc);
		if (st == STORE_OK)
			st = metrics_scan_sla(&sc);
	}
	for (k = 0; st == STORE_OK && (flags & METRICS_REASONS) && k < n; k++)
		st = metrics_acc_reasons(m, &acc[k], cause);
	store_metrics_release(m->store, held);
	metrics_scan_free(&sc);
	if (st != STORE_OK) {
		for (k = 0; k < n; k++) {
			for (i = 0; i < acc[k].n; i++)
				metrics_row_clear(&acc[k].rows[i]);
			free(acc[k].rows);
		}
		free(acc);
		return -1;
	}
	metrics_scan_out(acc, n, out);
	for (k = 0; k < n; k++)
		out[k].reasons = (flags & METRICS_REASONS) != 0;
	free(acc);
	return 0;
}

int
metrics_month(struct metrics_ctx *m, time_t start, struct metrics_month *out,
    char **cause)
{
	return metrics_months(m, start, 1, METRICS_REASONS, out, cause);
}

int
metrics_month_reasons(struct metrics_ctx *m, struct metrics_month *mm,
    char **cause)
{
	struct metrics_acc a;
	size_t i;

	if (mm->reasons)
		return 0;
	memset(&a, 0, sizeof a);
	a.m = m;
	a.start = mm->start;
	a.end = mm->end;
	a.rows = mm->rows;
	a.n = a.cap = mm->n;
	if (metrics_acc_reasons(m, &a, cause) != STORE_OK) {
		mm->rows = a.rows;
		mm->n = a.n;
		return -1;
	}
	for (i = 0; i < a.n; i++)
		metrics_sort_reasons(&a.rows[i]);
	if (a.n > mm->n && a.n > 1)
		qsort(a.rows, a.n, sizeof *a.rows, metrics_rowcmp);
	mm->rows = a.rows;
	mm->n = a.n;
	mm->reasons = true;
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
