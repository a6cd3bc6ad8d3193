/*
 * The team's SLA clocks at an instant (see slaview.h for which are listed):
 * turns the store's per-lead histories into sla_eval input, keeps the
 * clocks worth showing, sums them per rep, and counts marketing's MQLs.
 * Must not write SQL (store_sla.c does) or draw anything.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "smk/bizcal.h"
#include "smk/slaview.h"
#include "smk/xmalloc.h"

struct slaview {
	const struct config	*cfg;
	struct sla_rules	 rules;
	struct bizcal		*cal;
	struct sla_event	*ev;		/* one lead's, reused */
	size_t			 evcap;
	enum slaview_mode	 mode;
};

/* One walk: the filter, the month and where the clocks go. */
struct slaview_run {
	struct slaview		*sv;
	struct store		*store;
	const struct slaview_filter *filter;
	time_t			 now;
	time_t			 month_start;
	time_t			 month_end;
	slaview_cb		 cb;
	void			*arg;
	struct slaview_result	*sums;		/* may be NULL */

	struct slaview_clock	*lead;	/* the lead's listed clocks */
	size_t			 nlead;
	size_t			 leadcap;
	enum store_status	 st;
	char			**cause;
};

/*
 * Past one lead in this many, reading each candidate's history by its own
 * index seeks costs more than one merged walk over every lead.
 */
#define SLAVIEW_FULL_SHARE 8

static slaview_mqls_fn slaview_mqls_provider;

int
slaview_new(const struct config *cfg, struct slaview **out, char **cause)
{
	struct bizcal_spec spec;
	struct slaview *sv;

	sv = xcalloc(1, sizeof *sv);
	sv->cfg = cfg;
	sla_rules_from_config(&sv->rules, cfg);
	memset(&spec, 0, sizeof spec);
	spec.days = cfg->days;
	spec.day_start = cfg->day_start;
	spec.day_end = cfg->day_end;
	spec.holidays = cfg->holidays;
	spec.nholidays = cfg->nholidays;
	if ((sv->cal = bizcal_new(&spec, cause)) == NULL) {
		free(sv);
		*out = NULL;
		return -1;
	}
	*out = sv;
	return 0;
}

void
slaview_free(struct slaview *sv)
{
	if (sv == NULL)
		return;
	bizcal_free(sv->cal);
	free(sv->ev);
	free(sv);
}

/* Is this clock worth showing now? See slaview.h. */
static bool
slaview_listed(const struct sla_clock *c, time_t month_start)
{
	switch (c->state) {
	case SLA_RUNNING:
	case SLA_DUE_SOON:
		return true;
	case SLA_BREACHED:
		return c->due_at >= month_start ||
		    (c->stop == SLA_STOP_NONE && !c->satisfied);
	case SLA_MET:
		return c->satisfied && c->satisfied_at >= month_start;
	}
	return false;
}

static bool
slaview_passes(const struct slaview_filter *f, const struct sla_clock *c)
{
	if (f == NULL)
		return true;
	if (f->rep != NULL && (c->rep == NULL || strcmp(f->rep, c->rep) != 0))
		return false;
	return !f->breached || c->state == SLA_BREACHED;
}

static struct slaview_rep *
slaview_rep_get(struct slaview_result *r, const char *login)
{
	struct slaview_rep *p;
	size_t i;

	for (i = 0; i < r->nreps; i++)
		if (strcmp(r->reps[i].login, login) == 0)
			return &r->reps[i];
	r->reps = xreallocarray(r->reps, r->nreps + 1, sizeof *r->reps);
	p = &r->reps[r->nreps++];
	memset(p, 0, sizeof *p);
	p->login = xstrdup(login);
	return p;
}

/* Month sums: compliance and first touch of clocks started in M. */
static void
slaview_sum_month(struct slaview_run *run, struct slaview_rep *p,
    const struct sla_clock *c)
{
	if (c->started_at < run->month_start || c->started_at >= run->month_end)
		return;
	if (c->state == SLA_MET || c->state == SLA_BREACHED) {
		p->done++;
		if (c->state == SLA_MET)
			p->done_met++;
	}
	if (c->rule == SLA_FIRST_TOUCH && c->satisfied) {
		p->touch_bh = xreallocarray(p->touch_bh, p->ntouch + 1,
		    sizeof *p->touch_bh);
		p->touch_bh[p->ntouch++] = (double)bizcal_between(run->sv->cal,
		    c->started_at, c->satisfied_at) / 3600.0;
	}
}

static void
slaview_sum_listed(struct slaview_rep *p, enum sla_state s)
{
	switch (s) {
	case SLA_RUNNING:
		p->running++;
		break;
	case SLA_DUE_SOON:
		p->due_soon++;
		break;
	case SLA_BREACHED:
		p->breached++;
		break;
	case SLA_MET:
		p->met++;
		break;
	}
}

/* sla_eval's callback: sum, and keep the listed clocks of the lead. */
static void
slaview_clock_cb(const struct sla_clock *c, void *arg)
{
	struct slaview_run *run = arg;
	struct slaview_clock *k;
	struct slaview_rep *p = NULL;
	bool listed = slaview_listed(c, run->month_start);

	if (c->rep == NULL || (run->filter != NULL && run->filter->rep !=
	    NULL && strcmp(run->filter->rep, c->rep) != 0))
		return;
	/* Old clocks add nothing: the bounded walk never sees them. */
	if (!listed && (c->started_at < run->month_start ||
	    c->started_at >= run->month_end))
		return;
	if (run->sums != NULL) {
		p = slaview_rep_get(run->sums, c->rep);
		slaview_sum_month(run, p, c);
		if (listed)
			slaview_sum_listed(p, c->state);
	}
	if (!listed || !slaview_passes(run->filter, c))
		return;
	if (run->sums != NULL && c->state == SLA_BREACHED)
		run->sums->breached++;
	if (run->nlead == run->leadcap) {
		run->leadcap = run->leadcap == 0 ? 8 : run->leadcap * 2;
		run->lead = xreallocarray(run->lead, run->leadcap,
		    sizeof *run->lead);
	}
	k = &run->lead[run->nlead++];
	memset(k, 0, sizeof *k);
	k->lead_id = c->lead_id;
	k->rep = xstrdup(c->rep);
	k->rule = c->rule;
	k->state = c->state;
	k->started_at = c->started_at;
	k->due_at = c->due_at;
	k->attempts = c->attempts;
	k->satisfied = c->satisfied;
	k->satisfied_at = c->satisfied_at;
	k->stop = c->stop;
	k->left = c->left;
}

/* The lead's events as sla_eval wants them; false when no clock can be. */
static bool
slaview_events(struct slaview *sv, const struct store_sla_lead *l)
{
	struct sla_event *e;
	bool handed = false;
	size_t i;

	if (l->nev > sv->evcap) {
		sv->evcap = l->nev * 2;
		sv->ev = xreallocarray(sv->ev, sv->evcap, sizeof *sv->ev);
	}
	for (i = 0; i < l->nev; i++) {
		e = &sv->ev[i];
		e->at = l->ev[i].at;
		e->kind = l->ev[i].owner ? SLA_EV_OWNER : SLA_EV_STAGE;
		e->owner = l->ev[i].owner ? l->ev[i].value : NULL;
		e->phase = l->ev[i].owner || l->ev[i].value == NULL ?
		    SLA_PHASE_MARKETING : sla_stage_phase(sv->cfg,
		    l->ev[i].value);
		if (e->phase == SLA_PHASE_SHARED || e->phase == SLA_PHASE_SALES)
			handed = true;
	}
	return handed;
}

static void
slaview_lead_flush(struct slaview_run *run)
{
	size_t i;

	for (i = 0; i < run->nlead; i++) {
		if (run->cb != NULL)
			run->cb(&run->lead[i], run->arg);
		free(run->lead[i].email);
		free(run->lead[i].name);
		free(run->lead[i].rep);
	}
	run->nlead = 0;
}

/* store_sla_each's callback: one lead's history. */
static int
slaview_lead_cb(const struct store_sla_lead *l, void *arg)
{
	struct slaview_run *run = arg;
	struct slaview *sv = run->sv;
	char *email = NULL, *name = NULL;
	size_t i;

	if (!slaview_events(sv, l))
		return 0;
	sla_eval(&sv->rules, sv->cal, l->id, sv->ev, l->nev, l->att, l->natt,
	    run->now, slaview_clock_cb, run);
	if (run->nlead > 0 && run->cb != NULL) {
		run->st = store_sla_contact(run->store, l->id, &email, &name,
		    run->cause);
		if (run->st != STORE_OK && run->st != STORE_NOTFOUND) {
			slaview_lead_flush(run);
			return -1;
		}
		run->st = STORE_OK;
		for (i = 0; i < run->nlead; i++) {
			run->lead[i].email = xstrdup(email != NULL ?
			    email : "");
			run->lead[i].name = name != NULL ? xstrdup(name) :
			    NULL;
		}
		free(email);
		free(name);
	}
	slaview_lead_flush(run);
	return 0;
}

void
slaview_set_mode(struct slaview *sv, enum slaview_mode mode)
{
	sv->mode = mode;
}

/* Longest look back for a first touch due at or after month_start. */
#define SLAVIEW_LOOKBACK_DAYS 400

/*
 * The earliest handoff whose clock can be listed or summed in the month
 * starting at month_start: its due instant must reach the month (see
 * slaview.h), and a due instant only grows with the start. A day's margin
 * on top; 0 (everything) when no bound is found.
 */
static time_t
slaview_since(struct slaview *sv, time_t month_start)
{
	const struct sla_rules *r = &sv->rules;
	time_t since = month_start, s;
	int days;

	if (r->attempts > 0 && r->attempts_window > 0 &&
	    month_start - r->attempts_window < since)
		since = month_start - r->attempts_window;
	if (r->first_touch > 0) {
		s = month_start;
		for (days = 0; bizcal_add(sv->cal, s, r->first_touch) >=
		    month_start; days++) {
			if (days == SLAVIEW_LOOKBACK_DAYS)
				return 0;
			s -= 86400;
		}
		if (s < since)
			since = s;
	}
	return since - 86400;
}

/* Entering this stage may start a clock: the sales stage. */
static bool
slaview_handoff_stage(const char *stage, void *arg)
{
	struct slaview *sv = arg;

	return sla_stage_phase(sv->cfg, stage) == SLA_PHASE_SALES;
}

/* A clock may still run in this stage: mql and sql. */
static bool
slaview_open_stage(const char *stage, void *arg)
{
	struct slaview *sv = arg;
	enum sla_phase p = sla_stage_phase(sv->cfg, stage);

	return p == SLA_PHASE_SHARED || p == SLA_PHASE_SALES;
}

/*
 * The leads whose clocks can matter (store_sla_candidates) into *ids, or
 * *ids NULL for every lead: when they are most of the file anyway (an --at
 * far back) or when asked to. Both give the same clocks.
 */
static enum store_status
slaview_candidates(struct slaview_run *run, int64_t **ids, size_t *n,
    char **cause)
{
	struct slaview *sv = run->sv;
	struct store_sla_scope sc;
	enum store_status st;
	int64_t maxid;

	*ids = NULL;
	*n = 0;
	memset(&sc, 0, sizeof sc);
	sc.since = sv->mode == SLAVIEW_FULL ? 0 :
	    slaview_since(sv, run->month_start);
	sc.now = run->now;
	sc.handoff = slaview_handoff_stage;
	sc.open = slaview_open_stage;
	sc.arg = sv;
	if (sc.since == 0)
		return STORE_OK;
	if ((st = store_lead_max_id(run->store, &maxid, cause)) != STORE_OK)
		return st;
	if (sv->mode == SLAVIEW_AUTO)
		sc.limit = (size_t)(maxid / SLAVIEW_FULL_SHARE) + 1;
	if ((st = store_sla_candidates(run->store, &sc, ids, n, cause)) !=
	    STORE_OK)
		return st;
	if (*ids == NULL)
		*n = 0;
	else if (*n == 0) {
		free(*ids);	/* nothing to replay: not every lead */
		*ids = xcalloc(1, sizeof **ids);
	}
	return STORE_OK;
}

static void
slaview_run_init(struct slaview_run *run, struct slaview *sv,
    struct store *s, const struct slaview_filter *f, time_t now)
{
	memset(run, 0, sizeof *run);
	run->sv = sv;
	run->store = s;
	run->filter = f;
	run->now = now;
	sla_month(now, &run->month_start, &run->month_end);
	run->st = STORE_OK;
}

enum store_status
slaview_walk(struct slaview *sv, struct store *s,
    const struct slaview_filter *f, time_t now, slaview_cb cb, void *arg,
    struct slaview_result *sums, char **cause)
{
	struct slaview_run run;
	enum store_status st;
	int64_t *ids;
	size_t n;

	slaview_run_init(&run, sv, s, f, now);
	run.cb = cb;
	run.arg = arg;
	run.sums = sums;
	run.cause = cause;
	if (sums != NULL) {
		sums->now = now;
		sums->month_start = run.month_start;
		sums->month_end = run.month_end;
	}
	if ((st = slaview_candidates(&run, &ids, &n, cause)) != STORE_OK)
		return st;
	if (ids == NULL)
		st = store_sla_each(s, now, slaview_lead_cb, &run, cause);
	else
		st = store_sla_leads(s, ids, n, now, slaview_lead_cb, &run,
		    cause);
	free(ids);
	free(run.lead);
	return run.st != STORE_OK ? run.st : st;
}

static void	slaview_keep(const struct slaview_clock *, void *);
static int	slaview_cmp_rep(const void *, const void *);
static enum store_status slaview_add_team(struct slaview_result *,
		    struct store *, const struct slaview_filter *, char **);

/*
 * A walk in slices: a breach count (slaview_count_start) or the screen's
 * whole result (slaview_collect_start). The data must not change between
 * steps; the filter is copied.
 */
struct slaview_count {
	struct slaview_run	 run;
	struct slaview_filter	 filter;
	struct slaview_result	 sums;
	int64_t			*ids;		/* NULL: every lead at once */
	size_t			 n;
	size_t			 done;
};

/* Leads replayed between two looks at the clock. */
#define SLAVIEW_COUNT_CHUNK 256

static struct slaview_count *
slaview_job_start(struct slaview *sv, struct store *s,
    const struct slaview_filter *f, time_t now, bool collect, char **cause)
{
	struct slaview_count *c;

	c = xcalloc(1, sizeof *c);
	if (f != NULL)
		c->filter = *f;
	if (c->filter.rep != NULL)
		c->filter.rep = xstrdup(c->filter.rep);
	if (!collect)
		c->filter.breached = true;
	slaview_run_init(&c->run, sv, s, &c->filter, now);
	c->run.sums = &c->sums;
	if (collect) {
		c->run.cb = slaview_keep;
		c->run.arg = &c->sums;
		c->sums.now = now;
		c->sums.month_start = c->run.month_start;
		c->sums.month_end = c->run.month_end;
	}
	if (slaview_candidates(&c->run, &c->ids, &c->n, cause) != STORE_OK) {
		slaview_count_free(c);
		return NULL;
	}
	return c;
}

struct slaview_count *
slaview_count_start(struct slaview *sv, struct store *s,
    const struct slaview_filter *f, time_t now, char **cause)
{
	return slaview_job_start(sv, s, f, now, false, cause);
}

struct slaview_count *
slaview_collect_start(struct slaview *sv, struct store *s,
    const struct slaview_filter *f, time_t now, char **cause)
{
	return slaview_job_start(sv, s, f, now, true, cause);
}

static long
slaview_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Replay for about budget_ms: 1 when every lead is done, 0, or -1. */
static int
slaview_job_step(struct slaview_count *c, long budget_ms, char **cause)
{
	long until = slaview_ms() + budget_ms;
	enum store_status st = STORE_OK;
	size_t k;

	c->run.cause = cause;
	if (c->ids == NULL) {
		st = store_sla_each(c->run.store, c->run.now, slaview_lead_cb,
		    &c->run, cause);
		c->done = c->n;
	}
	/* At least one chunk per step, so a step always gets somewhere. */
	while (st == STORE_OK && c->done < c->n) {
		k = c->n - c->done;
		if (k > SLAVIEW_COUNT_CHUNK)
			k = SLAVIEW_COUNT_CHUNK;
		st = store_sla_leads(c->run.store, c->ids + c->done, k,
		    c->run.now, slaview_lead_cb, &c->run, cause);
		c->done += k;
		if (slaview_ms() >= until)
			break;
	}
	if (c->run.st != STORE_OK || st != STORE_OK)
		return -1;
	return c->done < c->n ? 0 : 1;
}

int
slaview_count_step(struct slaview_count *c, long budget_ms, int64_t *n,
    char **cause)
{
	int r = slaview_job_step(c, budget_ms, cause);

	*n = r == 1 ? c->sums.breached : -1;
	return r;
}

int
slaview_collect_step(struct slaview_count *c, long budget_ms,
    struct slaview_result *out, char **cause)
{
	int r = slaview_job_step(c, budget_ms, cause);

	if (r != 1)
		return r;
	if (slaview_add_team(&c->sums, c->run.store, &c->filter, cause) !=
	    STORE_OK)
		return -1;
	if (c->sums.nreps > 1)
		qsort(c->sums.reps, c->sums.nreps, sizeof *c->sums.reps,
		    slaview_cmp_rep);
	*out = c->sums;
	memset(&c->sums, 0, sizeof c->sums);
	return 1;
}

void
slaview_count_free(struct slaview_count *c)
{
	if (c == NULL)
		return;
	free((char *)c->filter.rep);
	free(c->ids);
	free(c->run.lead);
	slaview_result_clear(&c->sums);
	free(c);
}

/* Keep a listed clock in the result (slaview_collect). */
static void
slaview_keep(const struct slaview_clock *c, void *arg)
{
	struct slaview_result *r = arg;
	struct slaview_clock *k;

	if (r->nclocks % 64 == 0)
		r->clocks = xreallocarray(r->clocks, r->nclocks + 64,
		    sizeof *r->clocks);
	k = &r->clocks[r->nclocks++];
	*k = *c;
	k->email = xstrdup(c->email);
	k->name = c->name != NULL ? xstrdup(c->name) : NULL;
	k->rep = xstrdup(c->rep);
}

enum sla_state
slaview_tick(struct slaview *sv, const struct slaview_clock *c, time_t now,
    long *left)
{
	long window;

	*left = 0;
	if (c->state != SLA_RUNNING && c->state != SLA_DUE_SOON)
		return c->state;
	if (now > c->due_at)
		return SLA_BREACHED;
	if (c->rule == SLA_FIRST_TOUCH) {
		window = sv->rules.first_touch;
		*left = bizcal_between(sv->cal, now, c->due_at);
	} else {
		window = sv->rules.attempts_window;
		*left = (long)(c->due_at - now);
	}
	return (long long)*left * 100 <
	    (long long)window * sv->rules.due_soon_pct ?
	    SLA_DUE_SOON : SLA_RUNNING;
}

bool
slaview_compliance(const struct slaview_rep *p, double *pct)
{
	if (p->done == 0)
		return false;
	*pct = 100.0 * p->done_met / p->done;
	return true;
}

static int
slaview_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

bool
slaview_median_touch(const struct slaview_rep *p, double *hours)
{
	double *v;
	size_t n = p->ntouch;

	if (n == 0)
		return false;
	v = xreallocarray(NULL, n, sizeof *v);
	memcpy(v, p->touch_bh, n * sizeof *v);
	qsort(v, n, sizeof *v, slaview_cmp_double);
	*hours = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	free(v);
	return true;
}

/* Worst first: breached, due soon, lowest compliance, then by login. */
static int
slaview_cmp_rep(const void *a, const void *b)
{
	const struct slaview_rep *x = a, *y = b;
	double cx = 101, cy = 101;

	if (x->breached != y->breached)
		return x->breached > y->breached ? -1 : 1;
	if (x->due_soon != y->due_soon)
		return x->due_soon > y->due_soon ? -1 : 1;
	slaview_compliance(x, &cx);
	slaview_compliance(y, &cy);
	if (cx != cy)
		return cx < cy ? -1 : 1;
	return strcmp(x->login, y->login);
}

/* Every active sales rep gets a row, with or without clocks. */
static enum store_status
slaview_add_team(struct slaview_result *r, struct store *s,
    const struct slaview_filter *f, char **cause)
{
	struct store_rep *reps = NULL;
	enum store_status st;
	size_t n = 0, i;

	if ((st = store_rep_list(s, &reps, &n, cause)) != STORE_OK)
		return st;
	for (i = 0; i < n; i++) {
		if (!reps[i].active || strcmp(reps[i].team, "sales") != 0 ||
		    strcmp(reps[i].role, "rep") != 0)
			continue;
		if (f == NULL || f->rep == NULL ||
		    strcmp(f->rep, reps[i].login) == 0)
			slaview_rep_get(r, reps[i].login);
	}
	store_reps_free(reps, n);
	return STORE_OK;
}

enum store_status
slaview_collect(struct slaview *sv, struct store *s,
    const struct slaview_filter *f, time_t now, struct slaview_result *r,
    char **cause)
{
	enum store_status st;

	memset(r, 0, sizeof *r);
	st = slaview_walk(sv, s, f, now, slaview_keep, r, r, cause);
	if (st == STORE_OK)
		st = slaview_add_team(r, s, f, cause);
	if (st != STORE_OK) {
		slaview_result_clear(r);
		return st;
	}
	if (r->nreps > 1)
		qsort(r->reps, r->nreps, sizeof *r->reps, slaview_cmp_rep);
	return STORE_OK;
}

void
slaview_result_clear(struct slaview_result *r)
{
	size_t i;

	for (i = 0; i < r->nclocks; i++) {
		free(r->clocks[i].email);
		free(r->clocks[i].name);
		free(r->clocks[i].rep);
	}
	free(r->clocks);
	for (i = 0; i < r->nreps; i++) {
		free(r->reps[i].login);
		free(r->reps[i].touch_bh);
	}
	free(r->reps);
	memset(r, 0, sizeof *r);
}

int64_t
slaview_breaches(struct slaview *sv, struct store *s,
    const struct slaview_filter *f, time_t now, char **cause)
{
	struct slaview_filter bf;
	struct slaview_result r;
	enum store_status st;
	int64_t n;

	memset(&bf, 0, sizeof bf);
	if (f != NULL)
		bf = *f;
	bf.breached = true;
	memset(&r, 0, sizeof r);
	st = slaview_walk(sv, s, &bf, now, NULL, NULL, &r, cause);
	n = r.breached;
	slaview_result_clear(&r);
	return st == STORE_OK ? n : -1;
}

/* The badge: the open clock's worst rule. */
struct slaview_badge_run {
	struct slaview_badge	*out;
	bool			 found;
};

static int
slaview_state_rank(enum sla_state s)
{
	static const int rank[] = { 1, 2, 3, 0 };	/* by enum sla_state */

	return rank[s];
}

static void
slaview_badge_clock(const struct sla_clock *c, void *arg)
{
	struct slaview_badge_run *b = arg;

	if (c->stop != SLA_STOP_NONE)
		return;
	if (b->found && slaview_state_rank(c->state) <=
	    slaview_state_rank(b->out->state))
		return;
	b->found = true;
	b->out->state = c->state;
	b->out->left = c->left;
	b->out->rule = c->rule;
}

struct slaview_one {
	struct slaview		*sv;
	time_t			 now;
	struct slaview_badge_run b;
};

static int
slaview_badge_lead(const struct store_sla_lead *l, void *arg)
{
	struct slaview_one *o = arg;

	if (slaview_events(o->sv, l))
		sla_eval(&o->sv->rules, o->sv->cal, l->id, o->sv->ev, l->nev,
		    l->att, l->natt, o->now, slaview_badge_clock, &o->b);
	return 0;
}

bool
slaview_badge(struct slaview *sv, struct store *s, int64_t lead_id,
    time_t now, struct slaview_badge *out)
{
	struct slaview_one o;

	memset(&o, 0, sizeof o);
	memset(out, 0, sizeof *out);
	o.sv = sv;
	o.now = now;
	o.b.out = out;
	if (store_sla_leads(s, &lead_id, 1, now, slaview_badge_lead, &o,
	    NULL) != STORE_OK)
		return false;
	return o.b.found;
}

void
slaview_set_mqls_provider(slaview_mqls_fn fn)
{
	slaview_mqls_provider = fn;
}

int
slaview_mqls_per_rep(struct store *s, const struct config *cfg, time_t now,
    int *per_rep, char **cause)
{
	if (!cfg->mqls_auto) {
		*per_rep = cfg->mqls_per_rep;
		return 0;
	}
	if (slaview_mqls_provider != NULL)
		return slaview_mqls_provider(s, cfg, now, per_rep, cause);
	*per_rep = SLAVIEW_MQLS_DEFAULT;
	return 0;
}

/* The first shared stage of the funnel: where marketing hands off. */
static const char *
slaview_mql_stage(const struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nfunnel; i++)
		if (sla_stage_phase(cfg, cfg->stages[i].name) ==
		    SLA_PHASE_SHARED)
			return cfg->stages[i].name;
	return NULL;
}

enum store_status
slaview_mql(struct store *s, const struct config *cfg, time_t now,
    struct slaview_mql *out, char **cause)
{
	enum store_status st = STORE_OK;
	const char *stage = slaview_mql_stage(cfg);
	time_t start, end;

	memset(out, 0, sizeof *out);
	sla_month(now, &start, &end);
	out->per_rep_auto = cfg->mqls_auto;
	if (slaview_mqls_per_rep(s, cfg, now, &out->per_rep, cause) != 0)
		return STORE_INVALID;
	if (stage != NULL)
		st = store_sla_first_entries(s, stage, start,
		    now < end ? now + 1 : end, &out->delivered, cause);
	if (st == STORE_OK)
		st = store_sla_rep_count(s, "sales", "rep", &out->reps, cause);
	if (st != STORE_OK)
		return st;
	sla_mql_target(out->per_rep, (int)out->reps, start, end, now,
	    &out->target);
	return STORE_OK;
}
