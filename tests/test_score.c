/*
 * Lead scoring: each operator and field, the fit/engagement split, the
 * explanation lines, bad rules, and (over a real store) the score event,
 * the lead -> mql handoff, and a new lead inserted already scored.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"

#include "smk/config.h"
#include "smk/score.h"
#include "smk/store.h"
#include "smk/xmalloc.h"

#define T0 ((time_t)1795000000)	/* 2026-11-18T11:06:40Z */
#define DAY 86400

static char *in_values[] = { "webinar", "referral" };
static char *domain_values[] = { "gmail.com", "yahoo.com" };

static struct score_rule rules[] = {
	{ .name = "title_senior", .field = "title", .op = SCORE_REGEX,
	  .match = "vp|director|head", .points = 15, .part = SCORE_FIT },
	{ .name = "ceo", .field = "title", .op = SCORE_EQ, .match = "CEO",
	  .points = 20, .part = SCORE_FIT },
	{ .name = "good_source", .field = "source", .op = SCORE_IN,
	  .match = "webinar, referral",
	  .values = in_values, .nvalues = 2, .points = 10,
	  .part = SCORE_FIT },
	{ .name = "free_mail", .field = "email_domain", .op = SCORE_IN,
	  .match = "gmail.com, yahoo.com",
	  .values = domain_values, .nvalues = 2, .points = -10,
	  .part = SCORE_FIT },
	{ .name = "visits", .field = "visits", .op = SCORE_GE, .match = "3",
	  .number = 3, .points = 10, .part = SCORE_ENGAGEMENT },
	{ .name = "forms", .field = "forms", .op = SCORE_GT, .match = "0",
	  .number = 0, .points = 20, .part = SCORE_ENGAGEMENT },
	{ .name = "stale", .field = "days_since_activity", .op = SCORE_GT,
	  .match = "30", .number = 30, .points = -15,
	  .part = SCORE_ENGAGEMENT },
	{ .name = "us", .field = "country", .op = SCORE_EQ, .match = "US",
	  .points = 5, .part = SCORE_FIT },
};

static struct stage_def stages[] = {
	{ .name = "subscriber" }, { .name = "lead" }, { .name = "mql" },
	{ .name = "sql" }, { .name = "opportunity" }, { .name = "customer" },
	{ .name = "recycled", .exit = true },
	{ .name = "disqualified", .exit = true },
};

static void
test_config(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->rules = rules;
	cfg->nrules = sizeof rules / sizeof *rules;
	cfg->stages = stages;
	cfg->nstages = 8;
	cfg->nfunnel = 6;
	cfg->mql_threshold = 40;
}

static void
test_lead(struct lead *l)
{
	memset(l, 0, sizeof *l);
	l->email = "ann@acme.com";
	l->title = "VP Sales";
	l->source = "Webinar";
	l->country = "us";
	l->stage = "lead";
	l->created_at = T0 - 2 * DAY;
}

static void
score_fit_and_engagement(void **state)
{
	struct config		 cfg;
	struct lead		 l;
	struct score_set	*set;
	struct score_result	 r;
	char			*cause = NULL;

	(void)state;
	test_config(&cfg);
	assert_non_null(set = score_compile(&cfg, &cause));
	test_lead(&l);
	score_compute(set, &l, T0, &r);
	assert_int_equal(r.fit, 15 + 10 + 5);
	assert_int_equal(r.engagement, 0);
	assert_int_equal(r.score, 30);

	l.visits = 3;
	l.forms = 1;
	l.email = "ann@GMAIL.com";
	score_compute(set, &l, T0, &r);
	assert_int_equal(r.fit, 15 + 10 - 10 + 5);
	assert_int_equal(r.engagement, 30);
	assert_int_equal(r.score, 50);
	score_free(set);
}

static void
score_days_since(void **state)
{
	struct config		 cfg;
	struct lead		 l;
	struct score_set	*set;
	struct score_result	 r;

	(void)state;
	test_config(&cfg);
	assert_non_null(set = score_compile(&cfg, NULL));
	test_lead(&l);
	/* No activity: counted from creation. */
	l.created_at = T0 - 31 * DAY;
	assert_int_equal(score_days_since_activity(&l, T0), 31);
	score_compute(set, &l, T0, &r);
	assert_int_equal(r.engagement, -15);
	/* An activity 30 days ago is not "more than 30". */
	l.last_activity_at = T0 - 30 * DAY - 3600;
	assert_int_equal(score_days_since_activity(&l, T0), 30);
	score_compute(set, &l, T0, &r);
	assert_int_equal(r.engagement, 0);
	/* A future activity (clock skew) counts as today. */
	l.last_activity_at = T0 + DAY;
	assert_int_equal(score_days_since_activity(&l, T0), 0);
	score_free(set);
}

static void
score_eq_is_whole_value(void **state)
{
	struct config		 cfg;
	struct lead		 l;
	struct score_set	*set;
	struct score_result	 r;

	(void)state;
	test_config(&cfg);
	assert_non_null(set = score_compile(&cfg, NULL));
	test_lead(&l);
	l.title = " ceo ";
	l.source = NULL;
	l.country = "USA";
	score_compute(set, &l, T0, &r);
	assert_int_equal(r.fit, 20);
	l.title = "ceo assistant";
	score_compute(set, &l, T0, &r);
	assert_int_equal(r.fit, 0);
	/* NULL and empty values match no pattern. */
	l.title = NULL;
	score_compute(set, &l, T0, &r);
	assert_int_equal(r.score, 0);
	score_free(set);
}

static void
score_explain_lines(void **state)
{
	struct config		 cfg;
	struct lead		 l;
	struct score_set	*set;
	char			*s;

	(void)state;
	test_config(&cfg);
	assert_non_null(set = score_compile(&cfg, NULL));
	test_lead(&l);
	l.visits = 5;
	l.created_at = T0 - 40 * DAY;
	s = score_explain(set, &l, T0);
	assert_string_equal(s,
	    "+15 fit  title matches vp|director|head (VP Sales)\n"
	    "+10 fit  source in webinar, referral (Webinar)\n"
	    "+10 engagement  visits >= 3 (5)\n"
	    "-15 engagement  days_since_activity > 30 (40)\n"
	    "+5 fit  country is US (us)");
	free(s);

	memset(&l, 0, sizeof l);
	s = score_explain(set, &l, T0);
	assert_string_equal(s, "");
	free(s);
	score_free(set);
}

static void
score_bad_rules(void **state)
{
	struct config		 cfg;
	struct score_rule	 bad[1];
	char			*cause = NULL;

	(void)state;
	test_config(&cfg);
	memset(bad, 0, sizeof bad);
	cfg.rules = bad;
	cfg.nrules = 1;

	bad[0].name = "x";
	bad[0].field = "shoe_size";
	bad[0].match = "42";
	assert_null(score_compile(&cfg, &cause));
	assert_string_equal(cause, "[score.x]: unknown field \"shoe_size\"");
	free(cause);

	bad[0].field = "title";
	bad[0].op = SCORE_REGEX;
	bad[0].match = "(vp";
	assert_null(score_compile(&cfg, &cause));
	assert_non_null(strstr(cause, "[score.x]: bad pattern \"(vp\": "));
	free(cause);

	bad[0].field = "visits";
	bad[0].op = SCORE_GE;
	bad[0].match = "many";
	assert_null(score_compile(&cfg, &cause));
	assert_string_equal(cause, "[score.x]: \"many\" is not a number");
	free(cause);
}

static void
score_cache_follows_config(void **state)
{
	struct config		 cfg;
	struct lead		 l;
	char			*s, *cause = NULL;

	(void)state;
	test_config(&cfg);
	test_lead(&l);
	cfg.nrules = 1;
	s = score_explain_cfg(&cfg, &l, T0, &cause);
	assert_string_equal(s,
	    "+15 fit  title matches vp|director|head (VP Sales)");
	free(s);
	/* A changed rule set is recompiled, not served from the cache. */
	cfg.nrules = 2;
	l.title = "CEO";
	s = score_explain_cfg(&cfg, &l, T0, &cause);
	assert_string_equal(s, "+20 fit  title is CEO (CEO)");
	free(s);
	score_cache_clear();
}

/* score_apply over a real file: the score event and the handoff to mql. */
static void
score_apply_moves_to_mql(void **state)
{
	struct store_open_opts	 oo = { .create = true };
	struct store		*s;
	struct config		 cfg;
	struct lead		 l, got;
	char			*db = test_path("apply.db"), *cause = NULL;

	(void)state;
	test_config(&cfg);
	assert_int_equal(store_open(db, &oo, &s, NULL), STORE_OK);
	memset(&l, 0, sizeof l);
	l.email = "ann@acme.com";
	l.title = "VP Sales";
	l.stage = xstrdup("lead");
	assert_int_equal(store_lead_insert(s, &l, "mia", T0 - 86400, NULL),
	    STORE_OK);
	/* 15 for the title: below 40, it stays a lead. */
	assert_int_equal(score_apply(s, &cfg, &l, T0, &cause), 0);
	assert_int_equal(l.score, 15);
	assert_string_equal(l.stage, "lead");
	l.visits = 3;
	l.forms = 1;
	assert_int_equal(score_apply(s, &cfg, &l, T0, &cause), 0);
	assert_int_equal(l.score, 45);
	assert_string_equal(l.stage, "mql");
	assert_int_equal(store_lead_get(s, l.id, &got, NULL), STORE_OK);
	assert_string_equal(got.stage, "mql");
	assert_int_equal(got.score, 45);
	assert_int_equal(got.fit, 15);
	assert_int_equal(got.engagement, 30);
	assert_int_equal(got.version, l.version);
	lead_clear(&got);
	/* Unchanged: nothing is written, not even a score event. */
	assert_int_equal(score_apply(s, &cfg, &l, T0, &cause), 0);
	/* Already above the threshold: a lead moved back stays back. */
	free(l.stage);
	l.stage = xstrdup("lead");
	l.country = "US";
	assert_int_equal(score_apply(s, &cfg, &l, T0, &cause), 0);
	assert_int_equal(l.score, 50);
	assert_string_equal(l.stage, "lead");
	l.email = NULL;
	l.title = NULL;
	l.country = NULL;
	lead_clear(&l);
	store_close(s);
	score_cache_clear();
	free(db);
}

/* A timeline as "kind:field:to:user" lines. */
static int
timeline_line(const struct store_entry *e, void *arg)
{
	char	**out = arg, *next;

	xasprintf(&next, "%s%s:%s:%s:%s\n", *out, e->kind,
	    e->field != NULL ? e->field : "", e->to != NULL ? e->to : "",
	    e->user);
	free(*out);
	*out = next;
	return (0);
}

static char *
timeline(struct store *s, int64_t id)
{
	char	*out = xstrdup("");

	assert_int_equal(store_timeline(s, id, timeline_line, &out, NULL),
	    STORE_OK);
	return (out);
}

/*
 * A new lead is scored before it is inserted: no score event follows its
 * created event; one over the threshold is still handed to mql by system.
 */
static void
score_new_lead(void **state)
{
	struct store_open_opts	 oo = { .create = true };
	struct store		*s;
	struct config		 cfg;
	struct score_set	*set;
	struct lead		 l, got;
	char			*db = test_path("initial.db"), *t;
	char			*cause = NULL;

	(void)state;
	test_config(&cfg);
	assert_non_null(set = score_compile(&cfg, NULL));
	assert_int_equal(store_open(db, &oo, &s, NULL), STORE_OK);
	test_lead(&l);
	l.stage = xstrdup("lead");
	l.created_at = T0;
	/* 15 + 10 + 5 fit: under 40, a lead it stays. */
	assert_false(score_initial(&cfg, set, &l, T0));
	assert_int_equal(l.score, 30);
	assert_int_equal(l.fit, 30);
	assert_int_equal(store_lead_insert(s, &l, "mia", T0, NULL), STORE_OK);
	assert_int_equal(store_lead_get(s, l.id, &got, NULL), STORE_OK);
	assert_int_equal(got.score, 30);
	assert_int_equal(got.fit, 30);
	assert_int_equal(got.engagement, 0);
	lead_clear(&got);
	t = timeline(s, l.id);
	assert_string_equal(t, "created:stage:lead:mia\n");
	free(t);
	free(l.stage);

	/* 30 fit + 20 engagement: handed to mql after the insert. */
	test_lead(&l);
	l.email = "bo@acme.com";
	l.stage = xstrdup("lead");
	l.forms = 1;
	l.created_at = T0;
	assert_true(score_initial(&cfg, set, &l, T0));
	assert_string_equal(l.stage, "lead");
	assert_int_equal(store_lead_insert(s, &l, "mia", T0, NULL), STORE_OK);
	assert_int_equal(score_handoff(s, &cfg, set, &l, T0, &cause), 0);
	assert_string_equal(l.stage, "mql");
	assert_int_equal(l.version, 2);
	t = timeline(s, l.id);
	assert_string_equal(t, "created:stage:lead:mia\n"
	    "move:stage:mql:system\n");
	free(t);
	free(l.stage);

	/* Over the threshold but past mql already: no handoff. */
	test_lead(&l);
	l.stage = "sql";
	l.forms = 1;
	assert_false(score_initial(&cfg, set, &l, T0));
	assert_int_equal(l.score, 50);
	store_close(s);
	score_free(set);
	free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(score_fit_and_engagement),
		cmocka_unit_test(score_days_since),
		cmocka_unit_test(score_eq_is_whole_value),
		cmocka_unit_test(score_explain_lines),
		cmocka_unit_test(score_bad_rules),
		cmocka_unit_test(score_cache_follows_config),
		cmocka_unit_test(score_apply_moves_to_mql),
		cmocka_unit_test(score_new_lead),
	};
	int	rc;

	setenv("TZ", "UTC", 1);
	tzset();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	test_cleanup();
	return (rc);
}
