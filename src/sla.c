/*
 * SLA clocks. Replays one lead's stage and owner events to find its clocks
 * (handoff to stop), then settles each rule against the lead's attempts at
 * an instant. The rules are documented in sla.h. Pure: no SQL, no curses, no
 * global state; business time comes from bizcal.
 */
#include <stdlib.h>
#include <string.h>

#include "smk/bizcal.h"
#include "smk/config.h"
#include "smk/sla.h"
#include "smk/when.h"
#include "smk/xmalloc.h"

/* One lead's replay. */
struct sla_run {
	const struct sla_rules	*rules;
	struct bizcal		*cal;
	int64_t			 lead_id;
	const time_t		*att;		/* sorted */
	size_t			 natt;
	time_t			 now;
	sla_emit_cb		 emit;
	void			*arg;

	bool			 open;		/* a clock is running */
	time_t			 start;
	const char		*rep;
};

/* An event and its input position, for a stable sort by instant. */
struct sla_sorted {
	const struct sla_event	*ev;
	size_t			 idx;
};

static const char *sla_state_names[] = {
	"running", "due_soon", "breached", "met"
};

const char *
sla_state_name(enum sla_state s)
{
	return (sla_state_names[s]);
}

int
sla_state_parse(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof sla_state_names / sizeof *sla_state_names; i++)
		if (strcmp(name, sla_state_names[i]) == 0)
			return ((int)i);
	return (-1);
}

const char *
sla_rule_name(enum sla_rule r)
{
	return (r == SLA_FIRST_TOUCH ? "first_touch" : "attempts");
}

const char *
sla_stop_name(enum sla_stop s)
{
	static const char *names[] = {
		"", "reassigned", "returned", "exited", "advanced"
	};

	return (names[s]);
}

void
sla_rules_from_config(struct sla_rules *rules, const struct config *cfg)
{
	rules->first_touch = cfg->first_touch;
	rules->attempts = cfg->attempts;
	rules->attempts_window = cfg->attempts_window;
	rules->due_soon_pct = cfg->due_soon_pct;
}

static enum sla_phase
sla_default_phase(const char *stage)
{
	if (strcmp(stage, "mql") == 0)
		return (SLA_PHASE_SHARED);
	if (strcmp(stage, "sql") == 0)
		return (SLA_PHASE_SALES);
	if (strcmp(stage, "opportunity") == 0 ||
	    strcmp(stage, "customer") == 0)
		return (SLA_PHASE_WON);
	if (strcmp(stage, "recycled") == 0 ||
	    strcmp(stage, "disqualified") == 0)
		return (SLA_PHASE_EXIT);
	return (SLA_PHASE_MARKETING);
}

enum sla_phase
sla_stage_phase(const struct config *cfg, const char *stage)
{
	const struct stage_def	*sd;
	size_t			 i;
	bool			 seen_sales = false;

	for (i = 0; cfg != NULL && i < cfg->nstages; i++) {
		sd = &cfg->stages[i];
		if (strcmp(sd->name, stage) != 0) {
			if (!sd->exit && sd->team == TEAM_SALES)
				seen_sales = true;
			continue;
		}
		if (sd->exit)
			return (SLA_PHASE_EXIT);
		switch (sd->team) {
		case TEAM_MARKETING:
			return (SLA_PHASE_MARKETING);
		case TEAM_SHARED:
			return (SLA_PHASE_SHARED);
		case TEAM_SALES:
			return (seen_sales ? SLA_PHASE_WON : SLA_PHASE_SALES);
		}
	}
	return (sla_default_phase(stage));
}

/* The first attempt at or after t (strictly after when after is set). */
static size_t
sla_bound(const time_t *att, size_t n, time_t t, bool after)
{
	size_t	lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (att[mid] < t || (after && att[mid] == t))
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo);
}

/*
 * Decide a rule's state once due_at and satisfied_at are known. window is
 * the rule's length, in business seconds when business is set.
 */
static void
sla_settle(struct sla_clock *c, const struct sla_run *run, long window,
    bool business)
{
	time_t	end = c->stop != SLA_STOP_NONE ? c->stopped_at : run->now;

	c->left = 0;
	if (c->satisfied)
		c->state = c->satisfied_at <= c->due_at ? SLA_MET : SLA_BREACHED;
	else if (end > c->due_at)
		c->state = SLA_BREACHED;
	else if (c->stop != SLA_STOP_NONE)
		c->state = SLA_MET;	/* stopped in time: see sla.h */
	else {
		c->left = business ?
		    bizcal_between(run->cal, run->now, c->due_at) :
		    (long)(c->due_at - run->now);
		c->state = (long long)c->left * 100 <
		    (long long)window * run->rules->due_soon_pct ?
		    SLA_DUE_SOON : SLA_RUNNING;
	}
}

/* Emit both rules of the open clock, stopped at end for reason stop. */
static void
sla_close(struct sla_run *run, time_t end, enum sla_stop stop)
{
	const struct sla_rules	*r = run->rules;
	struct sla_clock	 c;
	size_t			 lo, hi;

	run->open = false;
	if (stop != SLA_STOP_NONE && end == run->start)
		return;
	memset(&c, 0, sizeof c);
	c.lead_id = run->lead_id;
	c.rep = run->rep;
	c.started_at = run->start;
	c.stop = stop;
	c.stopped_at = stop != SLA_STOP_NONE ? end : 0;
	lo = sla_bound(run->att, run->natt, run->start, false);
	hi = sla_bound(run->att, run->natt, end, stop == SLA_STOP_NONE);
	c.attempts = (int)(hi - lo);

	if (r->first_touch > 0) {
		c.rule = SLA_FIRST_TOUCH;
		c.due_at = bizcal_add(run->cal, run->start, r->first_touch);
		c.satisfied = hi > lo;
		c.satisfied_at = c.satisfied ? run->att[lo] : 0;
		sla_settle(&c, run, r->first_touch, true);
		run->emit(&c, run->arg);
	}
	if (r->attempts > 0 && r->attempts_window > 0) {
		c.rule = SLA_ATTEMPTS;
		c.due_at = run->start + r->attempts_window;
		c.satisfied = hi - lo >= (size_t)r->attempts;
		c.satisfied_at = c.satisfied ?
		    run->att[lo + (size_t)r->attempts - 1] : 0;
		sla_settle(&c, run, r->attempts_window, false);
		run->emit(&c, run->arg);
	}
}

static void
sla_open(struct sla_run *run, time_t at, const char *rep)
{
	run->open = true;
	run->start = at;
	run->rep = rep;
}

static bool
sla_same_owner(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

/* Replay one event; phase and owner are the lead's state before it. */
static void
sla_step(struct sla_run *run, const struct sla_event *ev,
    enum sla_phase *phase, const char **owner)
{
	enum sla_phase	 old = *phase;

	if (ev->kind == SLA_EV_OWNER) {
		if (sla_same_owner(*owner, ev->owner))
			return;
		*owner = ev->owner;
		if (old != SLA_PHASE_SHARED && old != SLA_PHASE_SALES)
			return;
		if (run->open)
			sla_close(run, ev->at, SLA_STOP_REASSIGNED);
		if (*owner != NULL)
			sla_open(run, ev->at, *owner);
		return;
	}
	*phase = ev->phase;
	switch (ev->phase) {
	case SLA_PHASE_SALES:
		if (!run->open && *owner != NULL)
			sla_open(run, ev->at, *owner);
		break;
	case SLA_PHASE_SHARED:
		break;		/* a clock from sql or mql keeps running */
	case SLA_PHASE_WON:
		if (run->open)
			sla_close(run, ev->at, SLA_STOP_ADVANCED);
		break;
	case SLA_PHASE_MARKETING:
		if (run->open)
			sla_close(run, ev->at, SLA_STOP_RETURNED);
		break;
	case SLA_PHASE_EXIT:
		if (run->open)
			sla_close(run, ev->at, SLA_STOP_EXITED);
		break;
	}
}

static int
sla_cmp_event(const void *a, const void *b)
{
	const struct sla_sorted	*x = a, *y = b;

	if (x->ev->at != y->ev->at)
		return (x->ev->at < y->ev->at ? -1 : 1);
	return ((x->idx > y->idx) - (x->idx < y->idx));
}

static int
sla_cmp_time(const void *a, const void *b)
{
	time_t	x = *(const time_t *)a, y = *(const time_t *)b;

	return ((x > y) - (x < y));
}

static bool
sla_events_sorted(const struct sla_event *ev, size_t n)
{
	size_t	i;

	for (i = 1; i < n; i++)
		if (ev[i].at < ev[i - 1].at)
			return (false);
	return (true);
}

static bool
sla_times_sorted(const time_t *t, size_t n)
{
	size_t	i;

	for (i = 1; i < n; i++)
		if (t[i] < t[i - 1])
			return (false);
	return (true);
}

/* Replay events (in instant order) up to now, then close what is open. */
static void
sla_replay(struct sla_run *run, const struct sla_event *ev,
    const struct sla_sorted *order, size_t nev)
{
	const struct sla_event	*e;
	enum sla_phase		 phase = SLA_PHASE_MARKETING;
	const char		*owner = NULL;
	size_t			 i;

	for (i = 0; i < nev; i++) {
		e = order != NULL ? order[i].ev : &ev[i];
		if (e->at > run->now)
			break;
		sla_step(run, e, &phase, &owner);
	}
	if (run->open)
		sla_close(run, run->now, SLA_STOP_NONE);
}

void
sla_eval(const struct sla_rules *rules, struct bizcal *cal, int64_t lead_id,
    const struct sla_event *ev, size_t nev, const time_t *attempts,
    size_t natt, time_t now, sla_emit_cb emit, void *arg)
{
	struct sla_run		 run;
	struct sla_sorted	*order = NULL;
	time_t			*att = NULL;
	size_t			 i;

	memset(&run, 0, sizeof run);
	run.rules = rules;
	run.cal = cal;
	run.lead_id = lead_id;
	run.now = now;
	run.emit = emit;
	run.arg = arg;
	run.att = attempts;
	run.natt = natt;
	if (!sla_times_sorted(attempts, natt)) {
		att = xreallocarray(NULL, natt, sizeof *att);
		memcpy(att, attempts, natt * sizeof *att);
		qsort(att, natt, sizeof *att, sla_cmp_time);
		run.att = att;
	}
	if (!sla_events_sorted(ev, nev)) {
		order = xreallocarray(NULL, nev, sizeof *order);
		for (i = 0; i < nev; i++) {
			order[i].ev = &ev[i];
			order[i].idx = i;
		}
		qsort(order, nev, sizeof *order, sla_cmp_event);
	}
	sla_replay(&run, ev, order, nev);
	free(order);
	free(att);
}

void
sla_mql_target(int mqls_per_rep, int active_sales_reps, time_t month_start,
    time_t month_end, time_t now, struct sla_mql *out)
{
	long long	target;
	double		span, done;

	target = (long long)mqls_per_rep * active_sales_reps;
	if (target < 0)
		target = 0;
	out->target = (long)target;
	span = difftime(month_end, month_start);
	done = difftime(now, month_start);
	if (span <= 0 || done >= span)
		out->pace = (long)target;
	else if (done <= 0)
		out->pace = 0;
	else
		out->pace = (long)((double)target * done / span + 0.5);
}

void
sla_month(time_t t, time_t *start, time_t *end)
{
	struct tm	tm;

	when_team_tm(t, &tm);
	tm.tm_mday = 1;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	*start = when_team_mktime(&tm);
	when_team_tm(t, &tm);
	tm.tm_mday = 1;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mon++;
	*end = when_team_mktime(&tm);
}
