/*
 * Tests of slaview.c and store_sla.c on real SQLite files: which clocks are
 * listed, the per-rep sums (worst first, compliance, median first touch),
 * the streaming merge of events and attempts, the badge of one lead, the
 * marketing MQL clock, and the bounded walk against the full one. The team's zone is New York, pinned.
 */
#include "testutil.h"

#include <time.h>

#include "smk/config.h"
#include "smk/slaview.h"
#include "smk/store.h"
#include "smk/when.h"
#include "smk/xmalloc.h"

static struct config cfg;
static int ncase;

static time_t
T(const char *iso)
{
	char *cause = NULL;
	time_t t = 0;

	if (when_parse(iso, &t, &cause) != 0)
		fail_msg("%s", cause);
	return t;
}

static struct store *
open_new(void)
{
	struct store_open_opts opts = { .create = true };
	struct store *s = NULL;
	char name[32], *path, *cause = NULL;
	struct store_rep reps[] = {
		{ (char *)"sam", (char *)"Sam", (char *)"sales",
		    (char *)"rep", true },
		{ (char *)"tess", (char *)"Tess", (char *)"sales",
		    (char *)"rep", true },
		{ (char *)"boss", (char *)"Boss", (char *)"sales",
		    (char *)"manager", true },
		{ (char *)"mia", (char *)"Mia", (char *)"marketing",
		    (char *)"rep", true },
	};
	size_t i;

	snprintf(name, sizeof name, "case%d.db", ncase++);
	path = test_path(name);
	assert_int_equal(store_open(path, &opts, &s, &cause), STORE_OK);
	free(path);
	for (i = 0; i < sizeof reps / sizeof reps[0]; i++)
		assert_int_equal(store_rep_add(s, &reps[i],
		    T("2026-10-01T00:00:00Z"), &cause), STORE_OK);
	return s;
}

static int64_t
add_lead(struct store *s, const char *email, const char *stage,
    const char *owner, const char *at)
{
	struct lead l;
	char *cause = NULL;

	memset(&l, 0, sizeof l);
	l.email = (char *)email;
	l.stage = (char *)stage;
	l.owner = (char *)owner;
	assert_int_equal(store_lead_insert(s, &l, "boss", T(at), &cause),
	    STORE_OK);
	return l.id;
}

/* One move or assign, checked against the lead's current version. */
static void
change(struct store *s, int64_t id, const char *field, const char *value,
    const char *at)
{
	struct store_change c;
	struct lead l;
	char *cause = NULL;

	assert_int_equal(store_lead_get(s, id, &l, &cause), STORE_OK);
	c.field = field;
	c.old_value = strcmp(field, "stage") == 0 ? l.stage : l.owner;
	c.new_value = value;
	assert_int_equal(store_lead_update(s, id, l.version,
	    strcmp(field, "stage") == 0 ? "move" : "assign", &c, 1, NULL,
	    "boss", T(at), NULL, NULL, &cause), STORE_OK);
	lead_clear(&l);
}

static void
attempt(struct store *s, int64_t id, const char *kind, const char *at)
{
	char *cause = NULL;

	assert_int_equal(store_activity_add(s, id, kind, NULL, "sam", T(at),
	    &cause), STORE_OK);
}

static struct slaview *
view(void)
{
	struct slaview *sv = NULL;
	char *cause = NULL;

	assert_int_equal(slaview_new(&cfg, &sv, &cause), 0);
	return sv;
}

static const struct slaview_clock *
find(const struct slaview_result *r, int64_t lead, enum sla_rule rule,
    const char *rep)
{
	size_t i;

	for (i = 0; i < r->nclocks; i++)
		if (r->clocks[i].lead_id == lead && r->clocks[i].rule == rule &&
		    strcmp(r->clocks[i].rep, rep) == 0)
			return &r->clocks[i];
	return NULL;
}

static const struct slaview_rep *
rep_of(const struct slaview_result *r, const char *login)
{
	size_t i;

	for (i = 0; i < r->nreps; i++)
		if (strcmp(r->reps[i].login, login) == 0)
			return &r->reps[i];
	return NULL;
}

/* Old news is left out; an old breach still owed is not. */
static void
test_listing(void **state)
{
	struct store *s = open_new();
	struct slaview *sv = view();
	struct slaview_result r;
	int64_t a, b, c, d;
	char *cause = NULL;

	(void)state;
	/* a: met in October: not listed in November. */
	a = add_lead(s, "a@x.example", "sql", "sam", "2026-10-05T14:00:00Z");
	for (int i = 0; i < 5; i++)
		attempt(s, a, "call", "2026-10-05T15:00:00Z");
	/* b: breached in October, never touched, still sam's: listed. */
	b = add_lead(s, "b@x.example", "sql", "sam", "2026-10-05T14:00:00Z");
	/* c: interrupted before its due time: never listed. */
	c = add_lead(s, "c@x.example", "mql", "tess", "2026-11-02T14:00:00Z");
	change(s, c, "stage", "recycled", "2026-11-02T15:00:00Z");
	/* d: breached in October, then moved on: old news. */
	d = add_lead(s, "d@x.example", "sql", "tess", "2026-10-05T14:00:00Z");
	change(s, d, "stage", "opportunity", "2026-10-25T14:00:00Z");

	assert_int_equal(slaview_collect(sv, s, NULL,
	    T("2026-11-10T15:00:00Z"), &r, &cause), STORE_OK);
	assert_null(find(&r, a, SLA_FIRST_TOUCH, "sam"));
	assert_null(find(&r, a, SLA_ATTEMPTS, "sam"));
	assert_non_null(find(&r, b, SLA_FIRST_TOUCH, "sam"));
	assert_int_equal(find(&r, b, SLA_ATTEMPTS, "sam")->state,
	    SLA_BREACHED);
	assert_string_equal(find(&r, b, SLA_FIRST_TOUCH, "sam")->email,
	    "b@x.example");
	assert_null(find(&r, c, SLA_FIRST_TOUCH, "tess"));
	assert_null(find(&r, d, SLA_FIRST_TOUCH, "tess"));
	assert_int_equal(r.nclocks, 2);
	assert_int_equal(r.breached, 2);
	assert_int_equal(slaview_breaches(sv, s, NULL,
	    T("2026-11-10T15:00:00Z"), &cause), 2);
	slaview_result_clear(&r);
	slaview_free(sv);
	store_close(s);
}

/* Worst rep first; compliance and median first touch of this month. */
static void
test_rep_sums(void **state)
{
	struct store *s = open_new();
	struct slaview *sv = view();
	struct slaview_result r;
	const struct slaview_rep *p;
	double pct, hours;
	int64_t a, b, c;
	char *cause = NULL;

	(void)state;
	/* sam: touched after 1 and 3 business hours: met; 2 clocks open. */
	a = add_lead(s, "a@x.example", "sql", "sam", "2026-11-02T14:00:00Z");
	attempt(s, a, "call", "2026-11-02T15:00:00Z");
	b = add_lead(s, "b@x.example", "sql", "sam", "2026-11-03T14:00:00Z");
	attempt(s, b, "email", "2026-11-03T17:00:00Z");
	/* tess: one first touch missed. */
	c = add_lead(s, "c@x.example", "sql", "tess", "2026-11-03T14:00:00Z");
	(void)c;

	assert_int_equal(slaview_collect(sv, s, NULL,
	    T("2026-11-04T14:00:00Z"), &r, &cause), STORE_OK);
	assert_int_equal(r.nreps, 2);
	assert_string_equal(r.reps[0].login, "tess");
	p = rep_of(&r, "tess");
	assert_int_equal(p->breached, 1);
	assert_int_equal(p->running, 1);
	assert_true(slaview_compliance(p, &pct));
	assert_true(pct == 0.0);
	assert_false(slaview_median_touch(p, &hours));
	p = rep_of(&r, "sam");
	assert_int_equal(p->met, 2);
	assert_int_equal(p->running, 2);
	assert_int_equal(p->breached, 0);
	assert_true(slaview_compliance(p, &pct));
	assert_true(pct == 100.0);
	assert_true(slaview_median_touch(p, &hours));
	assert_true(hours == 2.0);	/* mean of 1 and 3 */
	slaview_result_clear(&r);

	/* The filter: one rep, breached only. */
	struct slaview_filter f = { .rep = "sam", .breached = true };
	assert_int_equal(slaview_collect(sv, s, &f, T("2026-11-04T14:00:00Z"),
	    &r, &cause), STORE_OK);
	assert_int_equal(r.nclocks, 0);
	assert_int_equal(r.nreps, 1);
	slaview_result_clear(&r);
	slaview_free(sv);
	store_close(s);
}

/*
 * The merge: leads with attempts but no clock, leads without attempts and
 * backdated entries must each get exactly their own history.
 */
static void
test_merge(void **state)
{
	struct store *s = open_new();
	struct slaview *sv = view();
	struct slaview_result r;
	int64_t a, b, c, d;
	char *cause = NULL;

	(void)state;
	a = add_lead(s, "a@x.example", "lead", NULL, "2026-11-02T14:00:00Z");
	attempt(s, a, "call", "2026-11-02T14:30:00Z");
	b = add_lead(s, "b@x.example", "sql", "sam", "2026-11-02T14:00:00Z");
	c = add_lead(s, "c@x.example", "lead", NULL, "2026-11-02T14:00:00Z");
	attempt(s, c, "call", "2026-11-02T14:30:00Z");
	d = add_lead(s, "d@x.example", "mql", NULL, "2026-11-02T14:00:00Z");
	change(s, d, "owner", "tess", "2026-11-02T16:00:00Z");
	/* Written later, effective earlier: still inside tess's window. */
	attempt(s, d, "social", "2026-11-02T16:30:00Z");
	attempt(s, b, "call", "2026-11-03T15:00:00Z");

	assert_int_equal(slaview_collect(sv, s, NULL,
	    T("2026-11-02T17:30:00Z"), &r, &cause), STORE_OK);
	assert_int_equal(r.nclocks, 4);
	assert_int_equal(find(&r, b, SLA_FIRST_TOUCH, "sam")->state,
	    SLA_DUE_SOON);
	assert_int_equal(find(&r, b, SLA_FIRST_TOUCH, "sam")->attempts, 0);
	assert_int_equal(find(&r, d, SLA_FIRST_TOUCH, "tess")->state,
	    SLA_MET);
	assert_int_equal(find(&r, d, SLA_ATTEMPTS, "tess")->attempts, 1);
	assert_true(find(&r, d, SLA_FIRST_TOUCH, "tess")->started_at ==
	    T("2026-11-02T16:00:00Z"));
	assert_true(r.clocks[0].lead_id == b);	/* in lead id order */
	slaview_result_clear(&r);
	slaview_free(sv);
	store_close(s);
}

static void
test_badge(void **state)
{
	struct store *s = open_new();
	struct slaview *sv = view();
	struct slaview_badge b;
	int64_t a, c;

	(void)state;
	a = add_lead(s, "a@x.example", "sql", "sam", "2026-11-02T14:00:00Z");
	c = add_lead(s, "c@x.example", "lead", NULL, "2026-11-02T14:00:00Z");
	assert_true(slaview_badge(sv, s, a, T("2026-11-02T15:00:00Z"), &b));
	assert_int_equal(b.state, SLA_RUNNING);
	assert_int_equal(b.left, 3 * 3600);
	assert_true(slaview_badge(sv, s, a, T("2026-11-02T17:30:00Z"), &b));
	assert_int_equal(b.state, SLA_DUE_SOON);
	assert_true(slaview_badge(sv, s, a, T("2026-11-02T18:30:00Z"), &b));
	assert_int_equal(b.state, SLA_BREACHED);
	assert_int_equal(b.rule, SLA_FIRST_TOUCH);
	assert_false(slaview_badge(sv, s, c, T("2026-11-02T18:30:00Z"), &b));
	change(s, a, "stage", "opportunity", "2026-11-02T19:00:00Z");
	assert_false(slaview_badge(sv, s, a, T("2026-11-02T19:30:00Z"), &b));
	slaview_free(sv);
	store_close(s);
}

static int
provider(struct store *s, const struct config *c, time_t now, int *per_rep,
    char **cause)
{
	(void)s;
	(void)c;
	(void)now;
	(void)cause;
	*per_rep = 7;
	return 0;
}

static void
test_mql(void **state)
{
	struct store *s = open_new();
	struct slaview_mql m;
	int64_t a, b;
	char *cause = NULL;

	(void)state;
	/* One MQL in October, re-entering in November: not delivered now. */
	a = add_lead(s, "a@x.example", "mql", NULL, "2026-10-20T14:00:00Z");
	change(s, a, "stage", "lead", "2026-10-21T14:00:00Z");
	change(s, a, "stage", "mql", "2026-11-03T14:00:00Z");
	b = add_lead(s, "b@x.example", "lead", NULL, "2026-11-02T14:00:00Z");
	change(s, b, "stage", "mql", "2026-11-04T14:00:00Z");
	add_lead(s, "c@x.example", "mql", NULL, "2026-11-20T14:00:00Z");

	/* Mid-month (the 16th, 00:00 New York): half of 100 x 2 reps. */
	assert_int_equal(slaview_mql(s, &cfg, T("2026-11-16T05:00:00Z"), &m,
	    &cause), STORE_OK);
	assert_int_equal(m.delivered, 1);
	assert_int_equal(m.reps, 2);
	assert_int_equal(m.per_rep, 100);
	assert_int_equal(m.target.target, 200);
	assert_int_equal(m.target.pace, 100);

	cfg.mqls_auto = true;
	assert_int_equal(slaview_mql(s, &cfg, T("2026-11-30T12:00:00Z"), &m,
	    &cause), STORE_OK);
	assert_int_equal(m.per_rep, SLAVIEW_MQLS_DEFAULT);
	assert_int_equal(m.delivered, 2);
	slaview_set_mqls_provider(provider);
	assert_int_equal(slaview_mql(s, &cfg, T("2026-11-30T12:00:00Z"), &m,
	    &cause), STORE_OK);
	assert_int_equal(m.target.target, 14);
	assert_true(m.per_rep_auto);
	slaview_set_mqls_provider(NULL);
	cfg.mqls_auto = false;
	store_close(s);
}

/* A small generator, so the history is the same on every run. */
static unsigned long gen_seed = 12345;

static unsigned long
gen(unsigned long n)
{
	return test_rand(&gen_seed, n);
}

static void
iso(time_t t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* One lead's random life from t: moves, assignments and attempts. */
static void
gen_lead(struct store *s, int i, time_t t)
{
	static const char *stages[] = { "subscriber", "lead", "mql", "sql",
	    "opportunity", "customer", "recycled", "disqualified" };
	static const char *owners[] = { "sam", "tess", NULL };
	char email[64], at[32];
	int64_t id;
	int k, n;

	snprintf(email, sizeof email, "g%d@x.example", i);
	iso(t, at, sizeof at);
	id = add_lead(s, email, stages[gen(4)], owners[gen(3)], at);
	n = (int)gen(6);
	for (k = 0; k < n; k++) {
		t += (time_t)(1800 + gen(12 * 86400));
		iso(t, at, sizeof at);
		switch (gen(3)) {
		case 0:
			change(s, id, "stage", stages[gen(8)], at);
			break;
		case 1:
			change(s, id, "owner", owners[gen(3)], at);
			break;
		default:
			attempt(s, id, gen(2) ? "call" : "email", at);
			if (gen(2))
				attempt(s, id, "meeting", at);
			break;
		}
	}
}

static void
same_clock(const struct slaview_clock *x, const struct slaview_clock *y)
{
	assert_int_equal(x->lead_id, y->lead_id);
	assert_string_equal(x->email, y->email);
	assert_string_equal(x->rep, y->rep);
	assert_int_equal(x->rule, y->rule);
	assert_int_equal(x->state, y->state);
	assert_int_equal(x->started_at, y->started_at);
	assert_int_equal(x->due_at, y->due_at);
	assert_int_equal(x->attempts, y->attempts);
	assert_int_equal(x->satisfied, y->satisfied);
	assert_int_equal(x->satisfied_at, y->satisfied_at);
	assert_int_equal(x->stop, y->stop);
	assert_int_equal(x->left, y->left);
}

static void
same_rep(const struct slaview_rep *x, const struct slaview_rep *y)
{
	size_t i;

	assert_string_equal(x->login, y->login);
	assert_int_equal(x->running, y->running);
	assert_int_equal(x->due_soon, y->due_soon);
	assert_int_equal(x->breached, y->breached);
	assert_int_equal(x->met, y->met);
	assert_int_equal(x->done, y->done);
	assert_int_equal(x->done_met, y->done_met);
	assert_int_equal(x->ntouch, y->ntouch);
	for (i = 0; i < x->ntouch; i++)
		assert_true(x->touch_bh[i] == y->touch_bh[i]);
}

/* The breach count one chunk at a time (budget 0) ends with the total. */
static int64_t
count_slices(struct slaview *sv, struct store *s, time_t now)
{
	struct slaview_count *c;
	char *cause = NULL;
	int64_t n = -1;
	int rc, steps = 0;

	c = slaview_count_start(sv, s, NULL, now, &cause);
	assert_non_null(c);
	while ((rc = slaview_count_step(c, 0, &n, &cause)) == 0)
		steps++;
	assert_int_equal(rc, 1);
	assert_true(steps < 1000);
	slaview_count_free(c);
	return n;
}

/* The SLA screen's result, a slice at a time (none longer than 0 ms). */
static void
collect_slices(struct slaview *sv, struct store *s, time_t now,
    struct slaview_result *out)
{
	struct slaview_count *c;
	char *cause = NULL;
	int rc, steps = 0;

	c = slaview_collect_start(sv, s, NULL, now, &cause);
	assert_non_null(c);
	while ((rc = slaview_collect_step(c, 0, out, &cause)) == 0)
		steps++;
	assert_int_equal(rc, 1);
	assert_true(steps < 1000);
	slaview_count_free(c);
}

/*
 * Replaying only the recent and open leads gives what replaying every
 * lead gives, at instants before, inside and after the history (an --at
 * in the past must ignore what came later, and take its month from now).
 */
static void
test_bounded(void **state)
{
	static const char *instants[] = { "2026-06-20T12:00:00Z",
	    "2026-08-01T04:00:00Z", "2026-09-15T13:30:00Z",
	    "2026-10-31T23:00:00Z", "2026-11-20T15:00:00Z",
	    "2027-01-10T09:00:00Z" };
	struct store *s = open_new();
	struct slaview *sv = view();
	struct slaview_result full, bounded;
	int64_t listed = 0, breached = 0;
	char *cause = NULL;
	size_t i, j;
	time_t t0 = T("2026-06-01T13:00:00Z");

	(void)state;
	for (i = 0; i < 400; i++)
		gen_lead(s, (int)i, t0 + (time_t)gen(170 * 86400));
	for (i = 0; i < sizeof instants / sizeof *instants; i++) {
		slaview_set_mode(sv, SLAVIEW_FULL);
		assert_int_equal(slaview_collect(sv, s, NULL, T(instants[i]),
		    &full, &cause), STORE_OK);
		slaview_set_mode(sv, SLAVIEW_BOUNDED);
		assert_int_equal(slaview_collect(sv, s, NULL, T(instants[i]),
		    &bounded, &cause), STORE_OK);
		assert_int_equal(full.nclocks, bounded.nclocks);
		assert_int_equal(full.breached, bounded.breached);
		for (j = 0; j < full.nclocks; j++)
			same_clock(&full.clocks[j], &bounded.clocks[j]);
		assert_int_equal(full.nreps, bounded.nreps);
		for (j = 0; j < full.nreps; j++)
			same_rep(&full.reps[j], &bounded.reps[j]);
		assert_int_equal(slaview_breaches(sv, s, NULL, T(instants[i]),
		    &cause), full.breached);
		assert_int_equal(count_slices(sv, s, T(instants[i])),
		    full.breached);
		/* And in slices, clock for clock and rep for rep. */
		slaview_result_clear(&bounded);
		collect_slices(sv, s, T(instants[i]), &bounded);
		assert_int_equal(full.nclocks, bounded.nclocks);
		assert_int_equal(full.breached, bounded.breached);
		assert_int_equal(bounded.now, T(instants[i]));
		for (j = 0; j < full.nclocks; j++)
			same_clock(&full.clocks[j], &bounded.clocks[j]);
		assert_int_equal(full.nreps, bounded.nreps);
		for (j = 0; j < full.nreps; j++)
			same_rep(&full.reps[j], &bounded.reps[j]);
		listed += (int64_t)full.nclocks;
		breached += full.breached;
		slaview_result_clear(&full);
		slaview_result_clear(&bounded);
	}
	/* The history must exercise both kinds of listed clocks. */
	assert_true(listed > 100);
	assert_true(breached > 20);
	slaview_free(sv);
	store_close(s);
}

static int
setup(void **state)
{
	char *cause = NULL;

	(void)state;
	config_defaults(&cfg);
	free(cfg.holidays);
	cfg.holidays = xcalloc(2, sizeof *cfg.holidays);
	cfg.holidays[0] = 20261126;
	cfg.holidays[1] = 20261225;
	cfg.nholidays = 2;
	if (when_set_zone("America/New_York", &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	config_free(&cfg);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listing),
		cmocka_unit_test(test_rep_sums),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_badge),
		cmocka_unit_test(test_mql),
		cmocka_unit_test(test_bounded),
	};
	int rc;

	rc = cmocka_run_group_tests(tests, setup, teardown);
	test_cleanup();
	return rc;
}
