/*
 * Tests for src/sla.c: the sales clock's two rules at chosen instants,
 * reassignment, stops, re-entry, backdated input, and the marketing clock.
 * The team works in New York, Mon-Fri 09:00-17:00; the rules are the
 * product's defaults (4 business hours, 5 attempts in 14 days, 25%).
 */
#include <stdbool.h>
#include <time.h>

#include "testutil.h"
#include "smk/bizcal.h"
#include "smk/config.h"
#include "smk/sla.h"
#include "smk/when.h"

#define HOUR	3600L
#define DAY	86400L
#define MAXCLK	16

struct got {
	struct sla_clock	 c[MAXCLK];
	char			 rep[MAXCLK][16];
	size_t			 n;
};

static struct bizcal	*cal;
static struct sla_rules	 rules = {
	.first_touch = 4 * HOUR, .attempts = 5, .attempts_window = 14 * DAY,
	.due_soon_pct = 25
};

static void
collect(const struct sla_clock *c, void *arg)
{
	struct got	*g = arg;

	assert_true(g->n < MAXCLK);
	g->c[g->n] = *c;
	snprintf(g->rep[g->n], sizeof g->rep[g->n], "%s", c->rep);
	g->c[g->n].rep = g->rep[g->n];
	g->n++;
}

static struct sla_event
stage(time_t t, enum sla_phase p)
{
	struct sla_event	e = { .at = t, .kind = SLA_EV_STAGE, .phase = p };

	return (e);
}

static struct sla_event
owner(time_t t, const char *who)
{
	struct sla_event	e = { .at = t, .kind = SLA_EV_OWNER,
				    .owner = who };

	return (e);
}

static void
eval(struct got *g, const struct sla_event *ev, size_t nev,
    const time_t *att, size_t natt, time_t now)
{
	memset(g, 0, sizeof *g);
	sla_eval(&rules, cal, 42, ev, nev, att, natt, now, collect, g);
}

/* Handed to ana in sql on Monday 2026-11-23 at 10:00: due at 14:00. */
#define H	test_at("2026-11-23 10:00")

static void
eval_ana(struct got *g, const time_t *att, size_t natt, time_t now)
{
	struct sla_event	ev[2];

	ev[0] = stage(H, SLA_PHASE_SALES);
	ev[1] = owner(H, "ana");
	eval(g, ev, 2, att, natt, now);
}

static const struct sla_clock *
rule(const struct got *g, size_t clock, enum sla_rule r)
{
	size_t	i, seen = 0;

	for (i = 0; i < g->n; i++) {
		if (g->c[i].rule != r)
			continue;
		if (seen++ == clock)
			return (&g->c[i]);
	}
	print_error("no clock %zu for %s\n", clock, sla_rule_name(r));
	fail();
	return (NULL);
}

#define FT(g, i) rule((g), (i), SLA_FIRST_TOUCH)
#define AT(g, i) rule((g), (i), SLA_ATTEMPTS)

static void
test_first_touch_met(void **state)
{
	struct got	 g;
	time_t		 att[] = { test_at("2026-11-23 11:00") };

	(void)state;
	eval_ana(&g, att, 1, test_at("2026-11-23 12:00"));
	assert_int_equal(g.n, 2);
	assert_int_equal(FT(&g, 0)->state, SLA_MET);
	assert_int_equal(FT(&g, 0)->lead_id, 42);
	assert_string_equal(FT(&g, 0)->rep, "ana");
	assert_int_equal(FT(&g, 0)->started_at, H);
	assert_int_equal(FT(&g, 0)->due_at, test_at("2026-11-23 14:00"));
	assert_true(FT(&g, 0)->satisfied);
	assert_int_equal(FT(&g, 0)->satisfied_at, att[0]);
	assert_int_equal(FT(&g, 0)->attempts, 1);
	assert_int_equal(FT(&g, 0)->stop, SLA_STOP_NONE);
	assert_int_equal(FT(&g, 0)->left, 0);
	assert_int_equal(AT(&g, 0)->state, SLA_RUNNING);
	assert_int_equal(AT(&g, 0)->due_at, H + 14 * DAY);
	assert_int_equal(AT(&g, 0)->left, 14 * DAY - 2 * HOUR);
	assert_false(AT(&g, 0)->satisfied);
	/* An attempt logged at now counts already. */
	eval_ana(&g, att, 1, test_at("2026-11-23 11:00"));
	assert_int_equal(FT(&g, 0)->state, SLA_MET);
	assert_int_equal(FT(&g, 0)->attempts, 1);
	/* An attempt exactly at the due instant is in time. */
	att[0] = test_at("2026-11-23 14:00");
	eval_ana(&g, att, 1, test_at("2026-11-24 12:00"));
	assert_int_equal(FT(&g, 0)->state, SLA_MET);
}

static void
test_first_touch_running(void **state)
{
	struct got	g;

	(void)state;
	eval_ana(&g, NULL, 0, test_at("2026-11-23 10:00"));
	assert_int_equal(FT(&g, 0)->state, SLA_RUNNING);
	assert_int_equal(FT(&g, 0)->left, 4 * HOUR);
	eval_ana(&g, NULL, 0, test_at("2026-11-23 13:00"));
	assert_int_equal(FT(&g, 0)->state, SLA_RUNNING);	/* 25% left */
	assert_int_equal(FT(&g, 0)->left, HOUR);
	eval_ana(&g, NULL, 0, test_at("2026-11-23 13:00:01"));
	assert_int_equal(FT(&g, 0)->state, SLA_DUE_SOON);
	eval_ana(&g, NULL, 0, test_at("2026-11-23 13:30"));
	assert_int_equal(FT(&g, 0)->state, SLA_DUE_SOON);
	assert_int_equal(FT(&g, 0)->left, 30 * 60);
	eval_ana(&g, NULL, 0, test_at("2026-11-23 14:00"));
	assert_int_equal(FT(&g, 0)->state, SLA_DUE_SOON);
	assert_int_equal(FT(&g, 0)->left, 0);
	eval_ana(&g, NULL, 0, test_at("2026-11-23 14:00:01"));
	assert_int_equal(FT(&g, 0)->state, SLA_BREACHED);
	assert_false(FT(&g, 0)->satisfied);
	assert_int_equal(FT(&g, 0)->left, 0);
}

/* due_soon is measured in business time: nights do not count. */
static void
test_first_touch_business_window(void **state)
{
	struct sla_event	ev[2];
	struct got		g;

	(void)state;
	ev[0] = owner(test_at("2026-11-20 09:00"), "ana");
	ev[1] = stage(test_at("2026-11-20 16:00"), SLA_PHASE_SALES);
	eval(&g, ev, 2, NULL, 0, test_at("2026-11-22 23:00"));
	assert_int_equal(FT(&g, 0)->started_at, test_at("2026-11-20 16:00"));
	assert_int_equal(FT(&g, 0)->due_at, test_at("2026-11-23 12:00"));
	assert_int_equal(FT(&g, 0)->state, SLA_RUNNING);
	assert_int_equal(FT(&g, 0)->left, 3 * HOUR);
	eval(&g, ev, 2, NULL, 0, test_at("2026-11-23 11:30"));
	assert_int_equal(FT(&g, 0)->state, SLA_DUE_SOON);
	eval(&g, ev, 2, NULL, 0, test_at("2026-11-23 12:01"));
	assert_int_equal(FT(&g, 0)->state, SLA_BREACHED);
}

static void
test_late_attempt_stays_breached(void **state)
{
	struct got	 g;
	time_t		 att[] = { test_at("2026-11-23 15:00") };

	(void)state;
	eval_ana(&g, att, 1, test_at("2026-11-23 16:00"));
	assert_int_equal(FT(&g, 0)->state, SLA_BREACHED);
	assert_true(FT(&g, 0)->satisfied);
	assert_int_equal(FT(&g, 0)->satisfied_at, att[0]);
	assert_int_equal(FT(&g, 0)->attempts, 1);
	/* Still breached weeks later. */
	eval_ana(&g, att, 1, H + 30 * DAY);
	assert_int_equal(FT(&g, 0)->state, SLA_BREACHED);
}

static void
test_attempts_rule(void **state)
{
	struct got	g;
	time_t		att[] = { H + HOUR, H + DAY, H + 3 * DAY, H + 7 * DAY,
			    H + 14 * DAY, H + 15 * DAY };

	(void)state;
	/* Five in the window, the fifth exactly at the due instant. */
	eval_ana(&g, att, 6, H + 20 * DAY);
	assert_int_equal(AT(&g, 0)->state, SLA_MET);
	assert_int_equal(AT(&g, 0)->satisfied_at, H + 14 * DAY);
	assert_int_equal(AT(&g, 0)->attempts, 6);
	/* Met is met as soon as the fifth attempt is in, before the due. */
	att[4] = H + 10 * DAY;
	eval_ana(&g, att, 5, H + 11 * DAY);
	assert_int_equal(AT(&g, 0)->state, SLA_MET);
	/* Four in the window and a late fifth: breached for good. */
	att[4] = H + 14 * DAY + 1;
	eval_ana(&g, att, 6, H + 20 * DAY);
	assert_int_equal(AT(&g, 0)->state, SLA_BREACHED);
	assert_true(AT(&g, 0)->satisfied);
	assert_int_equal(AT(&g, 0)->satisfied_at, H + 14 * DAY + 1);
	/* Four and nothing more. */
	eval_ana(&g, att, 4, H + 20 * DAY);
	assert_int_equal(AT(&g, 0)->state, SLA_BREACHED);
	assert_false(AT(&g, 0)->satisfied);
	assert_int_equal(AT(&g, 0)->attempts, 4);
	/* Running, then due soon with 3 of 14 days left, in calendar time. */
	eval_ana(&g, att, 2, H + 10 * DAY);
	assert_int_equal(AT(&g, 0)->state, SLA_RUNNING);
	eval_ana(&g, att, 2, H + 11 * DAY);
	assert_int_equal(AT(&g, 0)->state, SLA_DUE_SOON);
	assert_int_equal(AT(&g, 0)->left, 3 * DAY);
	assert_int_equal(AT(&g, 0)->attempts, 2);
}

static void
test_reassignment(void **state)
{
	struct sla_event	 ev[3];
	struct got		 g;
	time_t			 att[] = { test_at("2026-11-23 11:00"),
				     test_at("2026-11-23 12:00") };

	(void)state;
	ev[0] = stage(H, SLA_PHASE_SALES);
	ev[1] = owner(H, "ana");
	ev[2] = owner(test_at("2026-11-23 11:00"), "bo");
	eval(&g, ev, 3, att, 2, test_at("2026-11-23 13:00"));
	assert_int_equal(g.n, 4);
	/* Ana lost the lead before her due: stopped, not breached. */
	assert_string_equal(FT(&g, 0)->rep, "ana");
	assert_int_equal(FT(&g, 0)->state, SLA_MET);
	assert_false(FT(&g, 0)->satisfied);
	assert_int_equal(FT(&g, 0)->stop, SLA_STOP_REASSIGNED);
	assert_int_equal(FT(&g, 0)->stopped_at, test_at("2026-11-23 11:00"));
	assert_int_equal(FT(&g, 0)->attempts, 0);
	assert_int_equal(AT(&g, 0)->state, SLA_MET);
	assert_int_equal(AT(&g, 0)->stop, SLA_STOP_REASSIGNED);
	/* Bo's clock starts at the reassignment; 11:00 is his attempt. */
	assert_string_equal(FT(&g, 1)->rep, "bo");
	assert_int_equal(FT(&g, 1)->started_at, test_at("2026-11-23 11:00"));
	assert_int_equal(FT(&g, 1)->due_at, test_at("2026-11-23 15:00"));
	assert_int_equal(FT(&g, 1)->state, SLA_MET);
	assert_int_equal(FT(&g, 1)->satisfied_at, att[0]);
	assert_int_equal(FT(&g, 1)->attempts, 2);
	assert_int_equal(AT(&g, 1)->state, SLA_RUNNING);

	/* Reassigned after the due passed: ana's breach stays hers. */
	ev[2] = owner(test_at("2026-11-23 15:00"), "bo");
	eval(&g, ev, 3, NULL, 0, test_at("2026-11-23 16:00"));
	assert_int_equal(FT(&g, 0)->state, SLA_BREACHED);
	assert_int_equal(FT(&g, 0)->stop, SLA_STOP_REASSIGNED);
	assert_int_equal(FT(&g, 1)->state, SLA_RUNNING);

	/* Assigning to the same owner again is no handoff. */
	ev[2] = owner(test_at("2026-11-23 11:00"), "ana");
	eval(&g, ev, 3, NULL, 0, test_at("2026-11-23 12:00"));
	assert_int_equal(g.n, 2);

	/* Unassigning stops the clock and starts none. */
	ev[2] = owner(test_at("2026-11-23 11:00"), NULL);
	eval(&g, ev, 3, NULL, 0, test_at("2026-11-23 20:00"));
	assert_int_equal(g.n, 2);
	assert_int_equal(FT(&g, 0)->state, SLA_MET);
	assert_int_equal(FT(&g, 0)->stop, SLA_STOP_REASSIGNED);
}

/* Two assignments at one instant: only the second owner has a clock. */
static void
test_same_instant(void **state)
{
	struct sla_event	ev[3];
	struct got		g;

	(void)state;
	ev[0] = stage(H, SLA_PHASE_SALES);
	ev[1] = owner(H, "ana");
	ev[2] = owner(H, "bo");
	eval(&g, ev, 3, NULL, 0, test_at("2026-11-23 11:00"));
	assert_int_equal(g.n, 2);
	assert_string_equal(FT(&g, 0)->rep, "bo");
}

static void
test_recycle_and_reentry(void **state)
{
	struct sla_event	 ev[4];
	struct got		 g;
	time_t			 att[] = { test_at("2026-11-23 11:00"),
				     test_at("2026-11-24 11:00") };

	(void)state;
	ev[0] = stage(H, SLA_PHASE_SALES);
	ev[1] = owner(H, "ana");
	ev[2] = stage(test_at("2026-11-25 10:00"), SLA_PHASE_EXIT);
	ev[3] = stage(test_at("2026-12-03 10:00"), SLA_PHASE_SALES);
	eval(&g, ev, 3, att, 2, test_at("2026-12-10 10:00"));
	assert_int_equal(g.n, 2);
	assert_int_equal(FT(&g, 0)->state, SLA_MET);
	assert_true(FT(&g, 0)->satisfied);
	assert_int_equal(FT(&g, 0)->stop, SLA_STOP_EXITED);
	assert_int_equal(FT(&g, 0)->stopped_at, test_at("2026-11-25 10:00"));
	/* Two of five attempts when recycled, before the due: not a breach. */
	assert_int_equal(AT(&g, 0)->state, SLA_MET);
	assert_false(AT(&g, 0)->satisfied);
	assert_int_equal(AT(&g, 0)->attempts, 2);

	/* Back in sql: a new clock; the old attempts are not its own. */
	eval(&g, ev, 4, att, 2, test_at("2026-12-03 13:30"));
	assert_int_equal(g.n, 4);
	assert_int_equal(FT(&g, 1)->started_at, test_at("2026-12-03 10:00"));
	assert_string_equal(FT(&g, 1)->rep, "ana");
	assert_int_equal(FT(&g, 1)->state, SLA_DUE_SOON);
	assert_int_equal(FT(&g, 1)->attempts, 0);
	assert_int_equal(AT(&g, 1)->state, SLA_RUNNING);

	/* Back to a marketing stage stops it too. */
	ev[2] = stage(test_at("2026-11-23 11:00"), SLA_PHASE_MARKETING);
	eval(&g, ev, 3, NULL, 0, test_at("2026-11-30 10:00"));
	assert_int_equal(FT(&g, 0)->stop, SLA_STOP_RETURNED);
	assert_int_equal(FT(&g, 0)->state, SLA_MET);
	/* ... but after the due passed, the breach stays. */
	ev[2] = stage(test_at("2026-11-24 11:00"), SLA_PHASE_EXIT);
	eval(&g, ev, 3, NULL, 0, test_at("2026-11-30 10:00"));
	assert_int_equal(FT(&g, 0)->state, SLA_BREACHED);
	assert_int_equal(AT(&g, 0)->state, SLA_MET);
}

/* Assigned in mql, accepted into sql, worked into an opportunity. */
static void
test_mql_to_opportunity(void **state)
{
	struct sla_event	 ev[4];
	struct got		 g;

	(void)state;
	ev[0] = stage(H - DAY, SLA_PHASE_SHARED);
	ev[1] = owner(H, "ana");
	ev[2] = stage(test_at("2026-11-23 12:00"), SLA_PHASE_SALES);
	ev[3] = stage(test_at("2026-11-23 13:00"), SLA_PHASE_WON);
	eval(&g, ev, 3, NULL, 0, test_at("2026-11-23 13:30"));
	assert_int_equal(g.n, 2);	/* one handoff, one clock */
	assert_int_equal(FT(&g, 0)->started_at, H);
	assert_int_equal(FT(&g, 0)->state, SLA_DUE_SOON);
	eval(&g, ev, 4, NULL, 0, H + 30 * DAY);
	assert_int_equal(g.n, 2);
	assert_int_equal(FT(&g, 0)->state, SLA_MET);
	assert_int_equal(FT(&g, 0)->stop, SLA_STOP_ADVANCED);
	assert_int_equal(AT(&g, 0)->state, SLA_MET);
	assert_int_equal(AT(&g, 0)->stopped_at, test_at("2026-11-23 13:00"));

	/* Entering mql with an owner is not an assignment: no clock. */
	ev[0] = owner(H - DAY, "ana");
	ev[1] = stage(H, SLA_PHASE_SHARED);
	eval(&g, ev, 2, NULL, 0, H + DAY);
	assert_int_equal(g.n, 0);
}

/* In sql without an owner the clock waits for the assignment. */
static void
test_unassigned_sql(void **state)
{
	struct sla_event	ev[2];
	struct got		g;

	(void)state;
	ev[0] = stage(H, SLA_PHASE_SALES);
	ev[1] = owner(test_at("2026-11-23 16:00"), "ana");
	eval(&g, ev, 1, NULL, 0, H + DAY);
	assert_int_equal(g.n, 0);
	eval(&g, ev, 2, NULL, 0, test_at("2026-11-24 10:00"));
	assert_int_equal(FT(&g, 0)->started_at, test_at("2026-11-23 16:00"));
	assert_int_equal(FT(&g, 0)->due_at, test_at("2026-11-24 12:00"));
	assert_int_equal(FT(&g, 0)->state, SLA_RUNNING);
}

static void
test_backdated(void **state)
{
	struct sla_event	ev[3];
	struct got		g;
	time_t			att[] = { test_at("2026-11-23 13:00"),
				    test_at("2026-11-23 10:30"), H + 2 * DAY,
				    H - DAY };

	(void)state;
	/* Attempts logged out of order: the earliest one counts first. */
	eval_ana(&g, att, 4, H + 3 * DAY);
	assert_int_equal(FT(&g, 0)->satisfied_at, test_at("2026-11-23 10:30"));
	assert_int_equal(FT(&g, 0)->state, SLA_MET);
	assert_int_equal(FT(&g, 0)->attempts, 3);	/* not the one before */
	/* Untouched. */
	assert_int_equal(att[0], test_at("2026-11-23 13:00"));

	/*
	 * Entered in this order: created, moved to sql on Tuesday, then an
	 * assignment backdated to Monday. In time order the lead was ana's
	 * before it reached sql, so the clock starts on Tuesday.
	 */
	ev[0] = stage(H - DAY, SLA_PHASE_MARKETING);
	ev[1] = stage(H + DAY, SLA_PHASE_SALES);
	ev[2] = owner(H, "ana");
	eval(&g, ev, 3, NULL, 0, H + 2 * DAY);
	assert_int_equal(g.n, 2);
	assert_int_equal(FT(&g, 0)->started_at, H + DAY);
	assert_string_equal(FT(&g, 0)->rep, "ana");

	/* Events and attempts after now are not seen. */
	eval_ana(&g, att, 4, H - HOUR);
	assert_int_equal(g.n, 0);
	eval_ana(&g, att, 4, test_at("2026-11-23 10:45"));
	assert_int_equal(FT(&g, 0)->attempts, 1);
}

static void
test_rules_off(void **state)
{
	struct sla_rules	 saved = rules;
	struct got		 g;

	(void)state;
	rules.first_touch = 0;
	eval_ana(&g, NULL, 0, H + HOUR);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.c[0].rule, SLA_ATTEMPTS);
	rules = saved;
	rules.attempts = 0;
	eval_ana(&g, NULL, 0, H + HOUR);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.c[0].rule, SLA_FIRST_TOUCH);
	rules = saved;
}

static void
test_stage_phase(void **state)
{
	struct stage_def	st[] = {
		{ .name = "new", .team = TEAM_MARKETING },
		{ .name = "hot", .team = TEAM_SHARED },
		{ .name = "accepted", .team = TEAM_SALES },
		{ .name = "deal", .team = TEAM_SALES },
		{ .name = "won", .team = TEAM_SALES },
		{ .name = "lost", .team = TEAM_SALES, .exit = true },
	};
	struct config		cfg;

	(void)state;
	assert_int_equal(sla_stage_phase(NULL, "mql"), SLA_PHASE_SHARED);
	assert_int_equal(sla_stage_phase(NULL, "sql"), SLA_PHASE_SALES);
	assert_int_equal(sla_stage_phase(NULL, "customer"), SLA_PHASE_WON);
	assert_int_equal(sla_stage_phase(NULL, "recycled"), SLA_PHASE_EXIT);
	assert_int_equal(sla_stage_phase(NULL, "lead"), SLA_PHASE_MARKETING);
	memset(&cfg, 0, sizeof cfg);
	cfg.stages = st;
	cfg.nstages = 6;
	cfg.nfunnel = 5;
	assert_int_equal(sla_stage_phase(&cfg, "new"), SLA_PHASE_MARKETING);
	assert_int_equal(sla_stage_phase(&cfg, "hot"), SLA_PHASE_SHARED);
	assert_int_equal(sla_stage_phase(&cfg, "accepted"), SLA_PHASE_SALES);
	assert_int_equal(sla_stage_phase(&cfg, "deal"), SLA_PHASE_WON);
	assert_int_equal(sla_stage_phase(&cfg, "won"), SLA_PHASE_WON);
	assert_int_equal(sla_stage_phase(&cfg, "lost"), SLA_PHASE_EXIT);
	/* Old events may name stages the playbook has dropped. */
	assert_int_equal(sla_stage_phase(&cfg, "sql"), SLA_PHASE_SALES);
}

static void
test_names(void **state)
{
	struct config		cfg;
	struct sla_rules	r;

	(void)state;
	assert_string_equal(sla_state_name(SLA_DUE_SOON), "due_soon");
	assert_string_equal(sla_state_name(SLA_BREACHED), "breached");
	assert_string_equal(sla_rule_name(SLA_FIRST_TOUCH), "first_touch");
	assert_string_equal(sla_rule_name(SLA_ATTEMPTS), "attempts");
	assert_string_equal(sla_stop_name(SLA_STOP_EXITED), "exited");
	assert_int_equal(sla_state_parse("met"), SLA_MET);
	assert_int_equal(sla_state_parse("running"), SLA_RUNNING);
	assert_int_equal(sla_state_parse("late"), -1);
	memset(&cfg, 0, sizeof cfg);
	cfg.first_touch = 7200;
	cfg.attempts = 3;
	cfg.attempts_window = 7 * DAY;
	cfg.due_soon_pct = 10;
	sla_rules_from_config(&r, &cfg);
	assert_int_equal(r.first_touch, 7200);
	assert_int_equal(r.attempts, 3);
	assert_int_equal(r.attempts_window, 7 * DAY);
	assert_int_equal(r.due_soon_pct, 10);
}

static void
test_mql_target(void **state)
{
	struct sla_mql	m;
	time_t		s, e;

	(void)state;
	sla_month(test_at("2026-11-16 12:00"), &s, &e);
	assert_int_equal(s, test_at("2026-11-01"));
	assert_int_equal(e, test_at("2026-12-01"));
	sla_mql_target(100, 3, s, e, test_at("2026-11-16"), &m);
	assert_int_equal(m.target, 300);
	assert_int_equal(m.pace, 150);
	sla_mql_target(100, 3, s, e, s, &m);
	assert_int_equal(m.pace, 0);
	sla_mql_target(100, 3, s, e, s - DAY, &m);
	assert_int_equal(m.pace, 0);
	sla_mql_target(100, 3, s, e, e + DAY, &m);
	assert_int_equal(m.pace, 300);
	sla_mql_target(100, 0, s, e, test_at("2026-11-16"), &m);
	assert_int_equal(m.target, 0);
	assert_int_equal(m.pace, 0);
	/* December runs into the next year; March loses an hour to DST. */
	sla_month(test_at("2026-12-31 23:59"), &s, &e);
	assert_int_equal(e, test_at("2027-01-01"));
	sla_month(test_at("2026-03-08 12:00"), &s, &e);
	assert_int_equal(e - s, 31 * DAY - HOUR);
	sla_mql_target(100, 1, s, e, test_at("2026-03-16 12:00"), &m);
	assert_int_equal(m.pace, 50);	/* 15.46 of 30.96 days: 49.9 */
}

static int
setup(void **state)
{
	static const int	 hol[] = { 20261126, 20261225 };
	struct bizcal_spec	 spec = {
		.days = 0x3e, .day_start = 9 * 60, .day_end = 17 * 60,
		.holidays = hol, .nholidays = 2
	};
	char			*cause = NULL;

	(void)state;
	if (when_set_zone("America/New_York", &cause) != 0 ||
	    (cal = bizcal_new(&spec, &cause)) == NULL) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return (-1);
	}
	return (0);
}

static int
teardown(void **state)
{
	(void)state;
	bizcal_free(cal);
	return (0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_touch_met),
		cmocka_unit_test(test_first_touch_running),
		cmocka_unit_test(test_first_touch_business_window),
		cmocka_unit_test(test_late_attempt_stays_breached),
		cmocka_unit_test(test_attempts_rule),
		cmocka_unit_test(test_reassignment),
		cmocka_unit_test(test_same_instant),
		cmocka_unit_test(test_recycle_and_reentry),
		cmocka_unit_test(test_mql_to_opportunity),
		cmocka_unit_test(test_unassigned_sql),
		cmocka_unit_test(test_backdated),
		cmocka_unit_test(test_rules_off),
		cmocka_unit_test(test_stage_phase),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_mql_target),
	};
	int	rc;

	unsetenv("TZDIR");
	rc = cmocka_run_group_tests(tests, setup, teardown);
	test_cleanup();
	return (rc);
}
