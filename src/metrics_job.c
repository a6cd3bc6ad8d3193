/*
 * Gathering the lead-flow months (metrics.h) as a job of slices, so that
 * the Flow screen can read keys in between; metrics_months runs one to its
 * end. It owns the by-lead walk of each stage's entries bucketed into
 * months x sources, the histories of the sql cohorts and SLA handoffs, and
 * the phases, time pieces and deadlines of the steps. The rows it fills
 * are metrics.c's (struct metrics_acc). Core: must not speak SQL or curses,
 * and must not reimplement SLA clock rules (sla.c owns them).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "smk/bizcal.h"
#include "smk/metrics.h"
#include "smk/xmalloc.h"

#include "metrics_int.h"

#define M_OFF(f)	offsetof(struct metrics_row, f)
#define M_FIELD(r, o)	(*(int64_t *)((char *)(r) + (o)))

/* Per-lead flags of one gathering. */
#define METRICS_F_CUSTOMER	0x01	/* entered customer by now */
#define METRICS_F_SEEN		0x08	/* entered this pass's stage */
#define METRICS_F_THEN		0x10	/* t[] holds an entry into "then" */
#define METRICS_NO_LEAD		UINT32_MAX

/* A lead whose history is read, for month k: why. */
#define METRICS_W_COHORT	0	/* entered sql in k: was it worked? */
#define METRICS_W_SLA		1	/* may have been handed off in k */
struct metrics_cand {
	int64_t		 lead_id;
	int		 k;
	int		 what;
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
	struct metrics_cand *cand;	/* histories to read */
	size_t		 ncand;
	size_t		 candcap;
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
metrics_cand_push(struct metrics_scan *sc, int64_t id, int k, int what)
{
	struct metrics_cand *c;

	if (sc->ncand == sc->candcap) {
		sc->candcap = sc->candcap == 0 ? 1024 : sc->candcap * 2;
		sc->cand = xreallocarray(sc->cand, sc->candcap,
		    sizeof *sc->cand);
	}
	c = &sc->cand[sc->ncand++];
	c->lead_id = id;
	c->k = k;
	c->what = what;
}

/*
 * A lead entering sql in month k: once in that month's cohort. Whether it
 * was worked is read later with its history, in lead order.
 */
static int
metrics_scan_cohort(struct metrics_scan *sc, int64_t id, int k)
{
	struct metrics_row *r;

	if (sc->cohort_k[id] == k + 1)
		return 0;
	sc->cohort_k[id] = (uint16_t)(k + 1);
	if (sc->m->cal != NULL)
		metrics_cand_push(sc, id, k, METRICS_W_SLA);
	metrics_cand_push(sc, id, k, METRICS_W_COHORT);
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
		metrics_cand_push(sc, id, k, METRICS_W_SLA);
	return 0;
}

static void
metrics_scan_reset(struct metrics_scan *sc, uint8_t bits)
{
	size_t i;

	for (i = 0; i < sc->nleads; i++)
		sc->flags[i] &= (uint8_t)~bits;
}

static int
metrics_candcmp(const void *a, const void *b)
{
	const struct metrics_cand *x = a, *y = b;

	if (x->lead_id != y->lead_id)
		return x->lead_id < y->lead_id ? -1 : 1;
	if (x->k != y->k)
		return (x->k > y->k) - (x->k < y->k);
	return (x->what > y->what) - (x->what < y->what);
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
}

/* Month bounds and the by-lead arrays; every lead's source comes later. */
static enum store_status
metrics_scan_init(struct metrics_scan *sc, struct metrics_ctx *m,
    time_t first, int n, struct metrics_acc *acc, char **cause)
{
	enum store_status st;
	int64_t max;
	time_t end;
	int k, y, mo;

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
	if ((st = store_lead_max_id(m->store, &max, cause)) != STORE_OK)
		return st;
	sc->nleads = (size_t)(max > 0 ? max : 0) + 1;
	sc->lead_src = xreallocarray(NULL, sc->nleads, sizeof *sc->lead_src);
	memset(sc->lead_src, 0xff, sc->nleads * sizeof *sc->lead_src);
	sc->t = xcalloc(sc->nleads, sizeof *sc->t);
	sc->flags = xcalloc(sc->nleads, 1);
	sc->cohort_k = xcalloc(sc->nleads, sizeof *sc->cohort_k);
	sc->src = xcalloc(1, sizeof *sc->src);
	sc->nsrc = 1;
	return STORE_OK;
}

/* Every source is known: the months x sources cells. */
static void
metrics_scan_cells(struct metrics_scan *sc)
{
	size_t n = (size_t)sc->n * sc->nsrc;

	sc->cell = xreallocarray(NULL, n, sizeof *sc->cell);
	memset(sc->cell, 0xff, n * sizeof *sc->cell);
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

/*
 * A gathering as a job of small pieces (metrics_job_step), so that the
 * Flow screen can read keys in between; metrics_months runs one to the
 * end. The phases, in order: every lead's source (pages of the
 * leads_source index); creations, then one pass per stage (customer,
 * opportunity, sql, mql: see metrics_scan_entry) and the two exits, each
 * walked in time pieces that keep their order; the assignments; then the
 * histories of the leads of the sql cohorts and SLA handoffs, a chunk of
 * leads at a time; then the rejection reasons.
 */
enum metrics_phase {
	METRICS_P_INIT,
	METRICS_P_SOURCES,
	METRICS_P_CREATIONS,
	METRICS_P_FIRSTS,
	METRICS_P_EXITS,
	METRICS_P_ASSIGNS,
	METRICS_P_LEADS,
	METRICS_P_HISTORIES,
	METRICS_P_REASONS,
	METRICS_P_DONE
};

#define METRICS_PAGE		8192	/* leads' sources per page */
#define METRICS_CHUNK		256	/* histories per call */
#define METRICS_SPAN_MIN	60	/* seconds: the shortest time piece */
#define METRICS_SPAN_MAX	(366 * 86400)
#define METRICS_NPASS		4

struct metrics_job {
	struct metrics_ctx *m;
	struct metrics_scan sc;
	struct metrics_acc *acc;
	int		 n;
	int		 flags;
	enum metrics_phase phase;
	int		 pass;		/* FIRSTS, EXITS: which stage */
	bool		 walking;	/* a time walk is set up */
	time_t		 pos;		/* ... its next piece starts here */
	time_t		 end;		/* ... and it ends here */
	time_t		 span;		/* ... in pieces this long */
	struct store_metrics_page page;
	int64_t		*ids;		/* HISTORIES: distinct leads */
	size_t		 nids;
	size_t		 done;
	size_t		 at;		/* sc.cand index of the lead under way */
	struct sla_event *ev;		/* a history for sla_eval */
	size_t		 evcap;
	bool		 taken;
	long		 until;		/* this step's deadline; -1: none */
};

static long
metrics_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool
metrics_job_late(const struct metrics_job *j)
{
	return j->until >= 0 && metrics_ms() >= j->until;
}

/* One pass of the first-entry phase: its stage and what it counts. */
static const char *
metrics_job_pass(struct metrics_job *j)
{
	const struct metrics_stages *ms = &j->m->stages;
	struct metrics_scan *sc = &j->sc;

	sc->then = false;
	sc->then_off = 0;
	sc->customer = sc->cohort = false;
	/* customer before opportunity and sql; sql before mql: t[]. */
	switch (j->pass) {
	case 0:
		sc->off = M_OFF(customers);
		sc->record = sc->customer = true;
		return ms->customer;
	case 1:
		sc->off = M_OFF(opportunities);
		sc->then_off = M_OFF(won);
		sc->then = ms->customer != NULL;
		sc->record = false;
		return ms->opportunity;
	case 2:
		sc->off = M_OFF(sql);
		sc->record = sc->cohort = true;
		return ms->sql;
	default:
		sc->off = M_OFF(mql);
		sc->then_off = M_OFF(accepted);
		sc->then = ms->sql != NULL;
		sc->record = false;
		return ms->mql;
	}
}

/* The stage of the current pass, or NULL: nothing to walk. */
static const char *
metrics_job_stage(struct metrics_job *j)
{
	const struct metrics_stages *ms = &j->m->stages;

	switch (j->phase) {
	case METRICS_P_FIRSTS:
		return metrics_job_pass(j);
	case METRICS_P_EXITS:
		j->sc.off = j->pass == 0 ? M_OFF(recycled) :
		    M_OFF(disqualified);
		return j->pass == 0 ? ms->recycled : ms->disqualified;
	default:
		return NULL;
	}
}

/*
 * Set up the time walk of the phase and pass: [from, to) of the months,
 * or, for the first-entry passes, every entry of the stage up to the
 * months' end (up to now when it records t[] for a later pass).
 */
static enum store_status
metrics_job_walk_init(struct metrics_job *j, bool *empty)
{
	struct metrics_scan *sc = &j->sc;
	enum store_status st;
	const char *stage = metrics_job_stage(j);
	bool found;

	*empty = false;
	j->pos = sc->from;
	j->end = sc->to;
	j->span = 86400;
	if (j->phase == METRICS_P_EXITS && stage == NULL)
		*empty = true;
	if (j->phase != METRICS_P_FIRSTS)
		return STORE_OK;
	if (stage == NULL) {
		*empty = true;
		return STORE_OK;
	}
	metrics_scan_reset(sc, METRICS_F_SEEN | (sc->record ?
	    METRICS_F_THEN : 0));
	j->end = sc->record ? j->m->now + 1 : sc->to;
	if ((st = store_metrics_first_at(j->m->store, stage, &j->pos, &found,
	    sc->cause)) != STORE_OK)
		return st;
	*empty = !found;
	return STORE_OK;
}

/* One time piece [a, b) of the walk under way. */
static enum store_status
metrics_job_piece(struct metrics_job *j, time_t a, time_t b)
{
	struct metrics_scan *sc = &j->sc;
	struct store *s = j->m->store;

	switch (j->phase) {
	case METRICS_P_CREATIONS:
		return store_metrics_creations(s, a, b, metrics_scan_created,
		    sc, sc->cause);
	case METRICS_P_FIRSTS:
		return store_metrics_entries(s, metrics_job_stage(j), a, b,
		    metrics_scan_entry, sc, sc->cause);
	case METRICS_P_EXITS:
		return store_metrics_entries(s, metrics_job_stage(j), a, b,
		    metrics_scan_each, sc, sc->cause);
	default:
		return store_metrics_assigns(s, a, b, metrics_scan_assign, sc,
		    sc->cause);
	}
}

static long
metrics_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/*
 * Walk pieces until the walk ends (*finished) or the step's time is up.
 * Pieces adapt to take about a quarter of a step (a budget of 0 keeps them
 * a day long); without a deadline the walk is one piece, as fast as one
 * query can be.
 */
static enum store_status
metrics_job_walk(struct metrics_job *j, long budget, bool *finished)
{
	enum store_status st = STORE_OK;
	long t0, dt, target = budget * 1000 / 4;
	time_t b;

	*finished = false;
	while (st == STORE_OK && j->pos < j->end) {
		b = j->until < 0 || j->end - j->pos <= j->span ? j->end :
		    j->pos + j->span;
		t0 = metrics_us();
		st = metrics_job_piece(j, j->pos, b);
		j->pos = b;
		dt = metrics_us() - t0;
		if (target > 0 && dt * 4 < target && j->span < METRICS_SPAN_MAX)
			j->span *= 2;
		else if (target > 0 && dt > target &&
		    j->span > METRICS_SPAN_MIN)
			j->span /= 2;
		if (metrics_job_late(j))
			break;
	}
	if (st == STORE_OK && j->pos >= j->end)
		*finished = true;
	return st;
}

/* The next phase (and pass) after the one under way. */
static void
metrics_job_next(struct metrics_job *j)
{
	const struct metrics_ctx *m = j->m;

	j->walking = false;
	if (j->phase == METRICS_P_FIRSTS && ++j->pass < METRICS_NPASS)
		return;
	if (j->phase == METRICS_P_EXITS && ++j->pass < 2)
		return;
	j->pass = 0;
	j->phase++;
	if (j->phase == METRICS_P_ASSIGNS && (m->cal == NULL ||
	    m->stages.sql == NULL))
		j->phase++;
}

static enum store_status
metrics_job_source_page(struct metrics_job *j)
{
	enum store_status st;

	st = store_metrics_sources_page(j->m->store, &j->page, METRICS_PAGE,
	    metrics_scan_source, &j->sc, j->sc.cause);
	if (st == STORE_OK && j->page.done) {
		metrics_scan_cells(&j->sc);
		metrics_job_next(j);
	}
	return st;
}

/*
 * The leads whose histories are read: the sql cohorts (worked) and, with
 * business time, the SLA handoffs; sorted by lead, once per month and
 * kind. A handoff's row exists even when no clock of it ends up counted.
 */
static void
metrics_job_leads(struct metrics_job *j)
{
	struct metrics_scan *sc = &j->sc;
	size_t i, w = 0;

	if (sc->ncand > 1)
		qsort(sc->cand, sc->ncand, sizeof *sc->cand, metrics_candcmp);
	for (i = 0; i < sc->ncand; i++) {
		if (w == 0 || metrics_candcmp(&sc->cand[w - 1],
		    &sc->cand[i]) != 0)
			sc->cand[w++] = sc->cand[i];
	}
	sc->ncand = w;
	j->ids = xreallocarray(NULL, w + 1, sizeof *j->ids);
	for (i = 0; i < w; i++) {
		if (sc->cand[i].what == METRICS_W_SLA)
			metrics_scan_row(sc, sc->cand[i].k, sc->cand[i].lead_id);
		if (j->nids == 0 || j->ids[j->nids - 1] != sc->cand[i].lead_id)
			j->ids[j->nids++] = sc->cand[i].lead_id;
	}
	metrics_job_next(j);
}

/* Is the clock's month one the lead was handed off in? */
static void
metrics_sla_clock(const struct sla_clock *c, void *arg)
{
	struct metrics_job *j = arg;
	struct metrics_scan *sc = &j->sc;
	const struct metrics_cand *e;
	struct metrics_row *r;
	int k;

	if ((k = metrics_scan_month(sc, c->started_at)) < 0)
		return;
	for (e = &sc->cand[j->at]; e < sc->cand + sc->ncand &&
	    e->lead_id == c->lead_id; e++) {
		if (e->k == k && e->what == METRICS_W_SLA)
			break;
	}
	if (e == sc->cand + sc->ncand || e->lead_id != c->lead_id)
		return;
	r = metrics_scan_row(sc, k, c->lead_id);
	if (c->state == SLA_MET || c->state == SLA_BREACHED) {
		r->clocks_done++;
		if (c->state == SLA_MET)
			r->clocks_met++;
	}
	if (c->rule == SLA_FIRST_TOUCH && c->satisfied) {
		r->touch_bh = xreallocarray(r->touch_bh, r->ntouch + 1,
		    sizeof *r->touch_bh);
		r->touch_bh[r->ntouch++] = (double)bizcal_between(
		    j->m->cal, c->started_at, c->satisfied_at) / 3600.0;
	}
}

/* Replay one lead's SLA clocks (sla.c's rules) for metrics_sla_clock. */
static void
metrics_sla_replay(struct metrics_job *j, const struct store_sla_lead *l)
{
	const struct metrics_ctx *m = j->m;
	struct sla_event *ev;
	size_t i;

	if (l->nev > j->evcap) {
		j->evcap = l->nev * 2;
		j->ev = xreallocarray(j->ev, j->evcap, sizeof *j->ev);
	}
	for (i = 0; i < l->nev; i++) {
		ev = &j->ev[i];
		ev->at = l->ev[i].at;
		ev->kind = l->ev[i].owner ? SLA_EV_OWNER : SLA_EV_STAGE;
		ev->owner = l->ev[i].owner ? l->ev[i].value : NULL;
		ev->phase = l->ev[i].owner || l->ev[i].value == NULL ?
		    SLA_PHASE_MARKETING : sla_stage_phase(m->cfg,
		    l->ev[i].value);
	}
	sla_eval(&m->rules, m->cal, l->id, j->ev, l->nev, l->att, l->natt,
	    m->now, metrics_sla_clock, j);
}

/*
 * One lead's history (in id order): worked for its cohort months when it
 * has an attempt by now, and its SLA clocks for its handoff months.
 */
static int
metrics_job_history(const struct store_sla_lead *l, void *arg)
{
	struct metrics_job *j = arg;
	struct metrics_scan *sc = &j->sc;
	bool sla = false;
	size_t i;

	while (j->at < sc->ncand && sc->cand[j->at].lead_id < l->id)
		j->at++;
	for (i = j->at; i < sc->ncand && sc->cand[i].lead_id == l->id; i++) {
		if (sc->cand[i].what == METRICS_W_SLA)
			sla = true;
		else if (l->natt > 0)
			metrics_scan_row(sc, sc->cand[i].k, l->id)->worked++;
	}
	if (sla)
		metrics_sla_replay(j, l);
	return 0;
}

static enum store_status
metrics_job_histories(struct metrics_job *j)
{
	enum store_status st = STORE_OK;
	size_t k;

	while (st == STORE_OK && j->done < j->nids) {
		k = j->nids - j->done;
		if (k > METRICS_CHUNK)
			k = METRICS_CHUNK;
		st = store_sla_leads(j->m->store, j->ids + j->done, k,
		    j->m->now, metrics_job_history, j, j->sc.cause);
		j->done += k;
		if (metrics_job_late(j))
			return st;
	}
	if (st == STORE_OK)
		metrics_job_next(j);
	return st;
}

/* One unit of work of the phase under way. */
static enum store_status
metrics_job_work(struct metrics_job *j, long budget)
{
	enum store_status st = STORE_OK;
	bool empty, finished;

	switch (j->phase) {
	case METRICS_P_INIT:
		st = metrics_scan_init(&j->sc, j->m, j->sc.from, j->n, j->acc,
		    j->sc.cause);
		j->phase = METRICS_P_SOURCES;
		break;
	case METRICS_P_SOURCES:
		st = metrics_job_source_page(j);
		if (st == STORE_OK && j->phase == METRICS_P_CREATIONS &&
		    j->sc.from >= j->sc.to)
			j->phase = METRICS_P_REASONS;	/* all in the future */
		break;
	case METRICS_P_LEADS:
		metrics_job_leads(j);
		break;
	case METRICS_P_HISTORIES:
		st = metrics_job_histories(j);
		break;
	case METRICS_P_REASONS:
		if (!(j->flags & METRICS_REASONS) || j->pass >= j->n) {
			j->phase = METRICS_P_DONE;
			break;
		}
		st = metrics_acc_reasons(j->m, &j->acc[j->pass++],
		    j->sc.cause);
		break;
	case METRICS_P_DONE:
		break;
	default:
		if (!j->walking) {
			if ((st = metrics_job_walk_init(j, &empty)) != STORE_OK)
				break;
			j->walking = true;
			if (empty) {
				metrics_job_next(j);
				break;
			}
		}
		st = metrics_job_walk(j, budget, &finished);
		if (st == STORE_OK && finished)
			metrics_job_next(j);
		break;
	}
	return st != STORE_OK ? st : j->sc.st;
}

struct metrics_job *
metrics_job_start(struct metrics_ctx *m, time_t first, int n, int flags)
{
	struct metrics_job *j;

	j = xcalloc(1, sizeof *j);
	j->m = m;
	j->n = n > 0 ? n : 0;
	j->flags = flags;
	j->acc = xcalloc((size_t)j->n + 1, sizeof *j->acc);
	j->sc.from = first;
	j->phase = j->n > 0 ? METRICS_P_INIT : METRICS_P_DONE;
	return j;
}

int
metrics_job_step(struct metrics_job *j, long budget_ms, char **cause)
{
	enum store_status st = STORE_OK;
	bool held;

	if (j->phase == METRICS_P_DONE)
		return 1;
	j->until = budget_ms < 0 ? -1 : metrics_ms() + budget_ms;
	j->sc.cause = cause;
	if (store_metrics_hold(j->m->store, &held, cause) != STORE_OK)
		return -1;
	/* At least one unit of work, so that every step gets somewhere. */
	do {
		st = metrics_job_work(j, budget_ms);
	} while (st == STORE_OK && j->phase != METRICS_P_DONE &&
	    !metrics_job_late(j));
	store_metrics_release(j->m->store, held);
	if (st != STORE_OK)
		return -1;
	return j->phase == METRICS_P_DONE ? 1 : 0;
}

void
metrics_job_take(struct metrics_job *j, struct metrics_month *out)
{
	int k;

	metrics_scan_out(j->acc, j->n, out);
	for (k = 0; k < j->n; k++)
		out[k].reasons = (j->flags & METRICS_REASONS) != 0;
	j->taken = true;
}

void
metrics_job_free(struct metrics_job *j)
{
	size_t i;
	int k;

	if (j == NULL)
		return;
	for (k = 0; !j->taken && k < j->n; k++) {
		for (i = 0; i < j->acc[k].n; i++)
			metrics_row_clear(&j->acc[k].rows[i]);
		free(j->acc[k].rows);
	}
	free(j->acc);
	metrics_scan_free(&j->sc);
	store_metrics_page_clear(&j->page);
	free(j->ids);
	free(j->ev);
	free(j);
}
