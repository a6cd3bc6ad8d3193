/*
 * Tests for src/config.c: defaults, the PRODUCT.md playbook, every kind of
 * bad value (message names file, line, key and value; the default stays),
 * stage and score sections, the user's config.ini and hostile files.
 */
#include <sys/stat.h>

#include <stdbool.h>
#include <stdint.h>

#include "testutil.h"

#include "smk/config.h"

/* The warnings one load produced. */
struct warnings {
	char	**msg;
	size_t	  n;
};

static void
collect(const char *msg, void *arg)
{
	struct warnings *w = arg;

	w->msg = realloc(w->msg, (w->n + 1) * sizeof *w->msg);
	if (w->msg == NULL)
		abort();
	w->msg[w->n++] = strdup(msg);
}

static void
warnings_free(struct warnings *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->msg[i]);
	free(w->msg);
	w->msg = NULL;
	w->n = 0;
}

/* Is there a warning containing text? */
static bool
warned(const struct warnings *w, const char *text)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		if (strstr(w->msg[i], text) != NULL)
			return true;
	}
	return false;
}

static void
assert_warned(const struct warnings *w, const char *text)
{
	size_t i;

	if (warned(w, text))
		return;
	for (i = 0; i < w->n; i++)
		fprintf(stderr, "  got: %s\n", w->msg[i]);
	fail_msg("no warning containing: %s", text);
}

/* A fixture in tests/data, from the top of the tree or $SMK_SRCDIR. */
static char *
fixture(const char *name)
{
	const char *top = getenv("SMK_SRCDIR");
	size_t len;
	char *p;

	if (top == NULL)
		top = ".";
	len = strlen(top) + strlen(name) + sizeof "/tests/data/";
	if ((p = malloc(len)) == NULL)
		abort();
	snprintf(p, len, "%s/tests/data/%s", top, name);
	return p;
}

/* Load text as a playbook over the defaults. */
static int
load_text(struct config *cfg, const char *name, const char *text,
    struct warnings *w, char **cause)
{
	char *path = test_write_file(name, text);
	int rv;

	config_defaults(cfg);
	rv = config_load_playbook(cfg, path, collect, w, cause);
	free(path);
	return rv;
}

static void
test_defaults(void **state)
{
	struct config cfg;
	struct warnings w = { 0 };
	char *path = test_path("missing.ini"), *cause = NULL;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(config_load_playbook(&cfg, path, collect, &w,
	    &cause), 0);
	assert_int_equal(config_load_user(&cfg, path, collect, &w, &cause), 0);
	assert_null(cause);
	assert_int_equal(w.n, 0);
	assert_string_equal(cfg.timezone, "UTC");
	assert_int_equal(cfg.days, 0x3e);	/* mon..fri */
	assert_int_equal(cfg.day_start, 9 * 60);
	assert_int_equal(cfg.day_end, 17 * 60);
	assert_int_equal(cfg.nholidays, 0);
	assert_int_equal(cfg.first_touch, 4 * 3600);
	assert_int_equal(cfg.attempts, 5);
	assert_int_equal(cfg.attempts_window, 14 * 86400);
	assert_int_equal(cfg.due_soon_pct, 25);
	assert_int_equal(cfg.mqls_per_rep, 100);
	assert_false(cfg.mqls_auto);
	assert_int_equal(cfg.nstages, 8);
	assert_int_equal(cfg.nfunnel, 6);
	assert_string_equal(cfg.stages[0].name, "subscriber");
	assert_string_equal(cfg.stages[2].label, "MQL");
	assert_int_equal(cfg.stages[2].team, TEAM_SHARED);
	assert_int_equal(cfg.stages[1].team, TEAM_MARKETING);
	assert_int_equal(cfg.stages[5].team, TEAM_SALES);
	assert_string_equal(cfg.stages[6].name, "recycled");
	assert_true(cfg.stages[6].exit);
	assert_int_equal(cfg.stages[6].team, TEAM_MARKETING);
	assert_int_equal(cfg.stages[7].team, TEAM_SALES);
	assert_false(cfg.stages[5].exit);
	assert_int_equal(cfg.nrecycle, 4);
	assert_string_equal(cfg.recycle_reasons[0], "not ready to buy");
	assert_int_equal(cfg.ndisqualify, 5);
	assert_string_equal(cfg.disqualify_reasons[4], "lost to competitor");
	assert_int_equal(cfg.mql_threshold, 60);
	assert_int_equal(cfg.nrules, 0);
	assert_int_equal(cfg.period, PERIOD_MONTH);
	assert_int_equal(cfg.goal_customers, 20);
	assert_int_equal(cfg.goal_revenue, 0);
	assert_int_equal(cfg.lookback, 3);
	assert_string_equal(cfg.currency, "USD");
	assert_false(cfg.allow_user_override);
	assert_int_equal(cfg.busy_timeout_ms, 5000);
	assert_string_equal(cfg.theme, "default");
	assert_int_equal(cfg.refresh_ms, 1000);
	assert_int_equal(cfg.nkeys, 0);
	assert_int_equal(config_stage_index(&cfg, "sql"), 3);
	assert_int_equal(config_stage_index(&cfg, "SQL"), 3);
	assert_int_equal(config_stage_index(&cfg, "nope"), -1);
	config_free(&cfg);
	config_free(&cfg);	/* twice is harmless */
	free(path);
}

static void
test_full_example(void **state)
{
	struct config cfg;
	struct warnings w = { 0 };
	char *path = fixture("playbook-full.ini"), *cause = NULL;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(config_load_playbook(&cfg, path, collect, &w,
	    &cause), 0);
	assert_int_equal(w.n, 0);
	assert_string_equal(cfg.timezone, "America/New_York");
	assert_int_equal(cfg.days, 0x3e);
	assert_int_equal(cfg.nholidays, 2);
	assert_int_equal(cfg.holidays[0], 20261126);	/* sorted */
	assert_int_equal(cfg.holidays[1], 20261225);
	assert_int_equal(cfg.first_touch, 14400);
	assert_int_equal(cfg.attempts_window, 14 * 86400);
	assert_int_equal(cfg.due_soon_pct, 25);
	assert_int_equal(cfg.mqls_per_rep, 100);
	assert_string_equal(cfg.stages[2].label, "Marketing Qualified");
	assert_int_equal(cfg.stages[2].wip, 200);
	assert_int_equal(cfg.nrules, 1);
	assert_string_equal(cfg.rules[0].name, "title");
	assert_string_equal(cfg.rules[0].field, "title");
	assert_int_equal(cfg.rules[0].op, SCORE_REGEX);
	assert_string_equal(cfg.rules[0].match, "vp|director|head");
	assert_int_equal(cfg.rules[0].points, 15);
	assert_int_equal(cfg.rules[0].part, SCORE_FIT);
	assert_int_equal(cfg.goal_customers, 20);
	assert_false(cfg.allow_user_override);
	config_free(&cfg);
	free(path);
}

static void
test_demo_playbook(void **state)
{
	struct config cfg;
	struct warnings w = { 0 };
	char *path = fixture("demo.ini"), *cause = NULL;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(config_load_playbook(&cfg, path, collect, &w,
	    &cause), 0);
	assert_int_equal(w.n, 0);
	assert_true(cfg.allow_user_override);
	assert_int_equal(cfg.nrules, 10);
	config_free(&cfg);
	free(path);
}

static void
test_bad_values(void **state)
{
	struct config cfg;
	struct warnings w = { 0 };
	char *path = fixture("playbook-bad.ini"), *cause = NULL;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(config_load_playbook(&cfg, path, collect, &w,
	    &cause), 0);
	assert_warned(&w, "playbook-bad.ini:2: [sla] first_touch = "
	    "\"4 hours\": not a duration (like 4h, 90m, 2d); using 4h");
	assert_warned(&w, "playbook-bad.ini:3: [sla] attempts = \"many\": "
	    "not a whole number; using 5");
	assert_warned(&w, "playbook-bad.ini:4: [sla] due_soon = \"150%\": "
	    "out of range (1% to 99%); using 25%");
	assert_warned(&w, ":5: [sla] mqls_per_rep = \"lots\": not a number "
	    "or auto; using 100");
	assert_warned(&w, ":8: [business_hours] timezone = "
	    "\"Mars/Olympus_Mons\": not a time zone this machine knows");
	assert_warned(&w, ":9: [business_hours] days = \"mon,funday\": not a "
	    "list of days");
	assert_warned(&w, ":10: [business_hours] start = \"25:00\": not a "
	    "time of day (like 09:00); using 09:00");
	assert_warned(&w, ":11: [business_hours] holidays = \"2026-02-30\": "
	    "not a list of dates");
	assert_warned(&w, ":14: [goals] period = \"fortnight\": not one of "
	    "week or month; using month");
	assert_warned(&w, ":15: [goals] currency = \"dollars\": not a "
	    "currency code");
	assert_warned(&w, ":18: [security] allow_user_override = \"maybe\": "
	    "not yes or no; using no");
	assert_warned(&w, ":21: [sla] attempts_windw: unknown key, did you "
	    "mean attempts_window? ignored");
	assert_warned(&w, ":23: [ui]: belongs in your own config.ini");
	assert_warned(&w, ":26: [marketing]: unknown section; ignored");
	assert_warned(&w, ":30: [stage.mql] team = \"everyone\": not one of "
	    "marketing, shared or sales; keeping shared");
	assert_warned(&w, ":32: [stage.nope]: no stage nope");
	/* Line order. */
	assert_non_null(strstr(w.msg[0], ":2:"));
	/* The defaults stay. */
	assert_int_equal(cfg.first_touch, 4 * 3600);
	assert_int_equal(cfg.attempts, 5);
	assert_int_equal(cfg.due_soon_pct, 25);
	assert_int_equal(cfg.mqls_per_rep, 100);
	assert_string_equal(cfg.timezone, "UTC");
	assert_int_equal(cfg.days, 0x3e);
	assert_int_equal(cfg.day_start, 540);
	assert_int_equal(cfg.nholidays, 0);
	assert_int_equal(cfg.period, PERIOD_MONTH);
	assert_string_equal(cfg.currency, "USD");
	assert_false(cfg.allow_user_override);
	assert_int_equal(cfg.stages[2].team, TEAM_SHARED);
	assert_string_equal(cfg.theme, "default");
	config_free(&cfg);
	warnings_free(&w);
	free(path);
}

static void
test_values(void **state)
{
	struct config cfg;
	struct warnings w = { 0 };
	char *cause = NULL;

	(void)state;
	assert_int_equal(load_text(&cfg, "values.ini",
	    "[sla]\nfirst_touch = 1h30m\nattempts_window = 2w\n"
	    "due_soon = 10\nmqls_per_rep = auto\n"
	    "[business_hours]\ndays = Sunday, wed-fri\nstart = 7:30\n"
	    "end = 24:00\nholidays = 2028-02-29,2026-01-01, 2026-01-01,\n"
	    "[store]\nbusy_timeout = 250ms\n"
	    "[security]\nallow_user_override = ON\n"
	    "[goals]\nperiod = Week\nrevenue = 250000\ncurrency = eur\n",
	    &w, &cause), 0);
	assert_int_equal(w.n, 0);
	assert_int_equal(cfg.first_touch, 5400);
	assert_int_equal(cfg.attempts_window, 14 * 86400);
	assert_int_equal(cfg.due_soon_pct, 10);
	assert_true(cfg.mqls_auto);
	assert_int_equal(cfg.mqls_per_rep, 0);
	assert_int_equal(cfg.days, 0x1 | 0x8 | 0x10 | 0x20);
	assert_int_equal(cfg.day_start, 450);
	assert_int_equal(cfg.day_end, 1440);
	assert_int_equal(cfg.nholidays, 2);
	assert_int_equal(cfg.holidays[0], 20260101);
	assert_int_equal(cfg.holidays[1], 20280229);
	assert_int_equal(cfg.busy_timeout_ms, 250);
	assert_true(cfg.allow_user_override);
	assert_int_equal(cfg.period, PERIOD_WEEK);
	assert_int_equal(cfg.goal_revenue, 250000);
	assert_int_equal(cfg.goal_customers, 0);
	assert_string_equal(cfg.currency, "EUR");
	config_free(&cfg);
}

static void
test_goals_both(void **state)
{
	struct config cfg;
	struct warnings w = { 0 };
	char *cause = NULL;

	(void)state;
	assert_int_equal(load_text(&cfg, "both.ini",
	    "[goals]\ncustomers = 12\nrevenue = 99000\n", &w, &cause), 0);
	assert_warned(&w, "both.ini:3: [goals] both customers and revenue "
	    "are set; using customers = 12");
	assert_int_equal(cfg.goal_customers, 12);
	assert_int_equal(cfg.goal_revenue, 0);
	config_free(&cfg);
	warnings_free(&w);
}

static void
test_cross_checks(void **state)
{
	struct config cfg;
	struct warnings w = { 0 };
	char *cause = NULL;

	(void)state;
	assert_int_equal(load_text(&cfg, "hours.ini",
	    "[business_hours]\nstart = 18:00\nend = 08:00\n"
	    "[sla]\nfirst_touch = 10s\nattempts_window = 90 days\n"
	    "busy_timeout = 1s\n[store]\nbusy_timeout = 1.5s\n",
	    &w, &cause), 0);
	assert_warned(&w, "hours.ini:3: [business_hours] end 08:00 is not "
	    "after start 18:00; using 09:00 to 17:00");
	assert_warned(&w, "hours.ini:5: [sla] first_touch = \"10s\": out of "
	    "range (1m to 30d); using 4h");
	assert_warned(&w, "[sla] attempts_window = \"90 days\": not a "
	    "duration");
	assert_warned(&w, "[sla] busy_timeout: unknown key");
	assert_warned(&w, "[store] busy_timeout = \"1.5s\"");
	assert_int_equal(cfg.day_start, 540);
	assert_int_equal(cfg.day_end, 1020);
	assert_int_equal(cfg.first_touch, 14400);
	config_free(&cfg);
	warnings_free(&w);
}

static void
test_stages(void **state)
{
	struct config cfg;
	struct warnings w = { 0 };
	char *cause = NULL;

	(void)state;
	assert_int_equal(load_text(&cfg, "stages.ini",
	    "[stages]\norder = Lead, MQL, demo, SQL, won\n"
	    "exits = lost, lead\n"
	    "[stage.won]\nlabel = Closed Won\nteam = sales\nwip = 5\n"
	    "[stage.demo]\nwip = -3\n", &w, &cause), 0);
	assert_int_equal(cfg.nfunnel, 5);
	assert_int_equal(cfg.nstages, 6);
	assert_string_equal(cfg.stages[0].name, "lead");
	assert_string_equal(cfg.stages[2].name, "demo");
	assert_string_equal(cfg.stages[2].label, "Demo");
	assert_int_equal(cfg.stages[2].team, TEAM_SALES);	/* after mql */
	assert_int_equal(cfg.stages[2].wip, 0);
	assert_string_equal(cfg.stages[4].label, "Closed Won");
	assert_int_equal(cfg.stages[4].wip, 5);
	assert_string_equal(cfg.stages[5].name, "lost");
	assert_true(cfg.stages[5].exit);
	assert_int_equal(cfg.stages[5].team, TEAM_SALES);
	assert_warned(&w, "stages.ini:3: [stages] exits: 1 stage also in the "
	    "other list; kept in the funnel");
	assert_warned(&w, "stages.ini:9: [stage.demo] wip = \"-3\": out of "
	    "range (0 to 1000000); using 0");
	config_free(&cfg);
	warnings_free(&w);

	assert_int_equal(load_text(&cfg, "stages2.ini",
	    "[stages]\norder = only\nexits = a b\n", &w, &cause), 0);
	assert_warned(&w, "[stages] order = \"only\": needs at least two "
	    "stages; using subscriber, lead");
	assert_warned(&w, "[stages] exits = \"a b\": not a list of stage "
	    "names");
	assert_int_equal(cfg.nstages, 8);
	config_free(&cfg);
	warnings_free(&w);
}

static void
test_score_rules(void **state)
{
	struct config cfg;
	struct warnings w = { 0 };
	char *cause = NULL;
	const struct score_rule *r;

	(void)state;
	assert_int_equal(load_text(&cfg, "score.ini",
	    "[score.ge]\nfield = visits\nmatch = >= 3\npoints = 10\n"
	    "[score.gt]\nfield = pages\nmatch = >10\npoints = 5\n"
	    "[score.le]\nfield = forms\nmatch = <= 0\npoints = -5\n"
	    "[score.lt]\nfield = days_since_activity\nmatch = < 7\n"
	    "points = 4\npart = fit\n"
	    "[score.eq]\nfield = country\nmatch = = US\npoints = 3\n"
	    "[score.in]\nfield = email_domain\nmatch = gmail.com , "
	    "Yahoo.com\npoints = -10\n"
	    "[score.re]\nfield = title\nmatch = /^(vp|chief)/\npoints = 15\n"
	    "[score.exact]\nfield = source\nmatch = Referral\npoints = 9\n"
	    "[score.badre]\nfield = title\nmatch = /vp(/\npoints = 1\n"
	    "[score.badfield]\nfield = shoe_size\nmatch = 44\npoints = 1\n"
	    "[score.textcmp]\nfield = title\nmatch = > 3\npoints = 1\n"
	    "[score.nopoints]\nfield = title\nmatch = ceo\n"
	    "[score.bigre]\nfield = title\nmatch = /(a{50}){50}{50}/\n"
	    "points = 1\n", &w, &cause), 0);
	assert_int_equal(cfg.nrules, 8);
	r = &cfg.rules[0];
	assert_int_equal(r->op, SCORE_GE);
	assert_int_equal(r->number, 3);
	assert_int_equal(r->part, SCORE_ENGAGEMENT);
	assert_int_equal(cfg.rules[1].op, SCORE_GT);
	assert_int_equal(cfg.rules[1].number, 10);
	assert_int_equal(cfg.rules[2].op, SCORE_LE);
	assert_int_equal(cfg.rules[2].points, -5);
	assert_int_equal(cfg.rules[3].op, SCORE_LT);
	assert_int_equal(cfg.rules[3].part, SCORE_FIT);
	assert_int_equal(cfg.rules[4].op, SCORE_EQ);
	assert_string_equal(cfg.rules[4].match, "US");
	assert_int_equal(cfg.rules[4].part, SCORE_FIT);
	r = &cfg.rules[5];
	assert_int_equal(r->op, SCORE_IN);
	assert_int_equal(r->nvalues, 2);
	assert_string_equal(r->values[0], "gmail.com");
	assert_string_equal(r->values[1], "Yahoo.com");
	assert_int_equal(cfg.rules[6].op, SCORE_REGEX);
	assert_string_equal(cfg.rules[6].match, "^(vp|chief)");
	assert_int_equal(cfg.rules[7].op, SCORE_EQ);
	assert_string_equal(cfg.rules[7].name, "exact");
	assert_warned(&w, "score.ini:36: [score.badre] match = \"/vp(/\": not "
	    "a regular expression");
	assert_warned(&w, "[score.badfield] field = \"shoe_size\": not one of "
	    "title, company");
	assert_warned(&w, "[score.textcmp] match = \"> 3\": title is text");
	assert_warned(&w, "[score.nopoints]: no points; rule skipped");
	assert_warned(&w, "[score.bigre] match");
	config_free(&cfg);
	warnings_free(&w);
}

static void
test_user_config(void **state)
{
	struct config cfg;
	struct warnings w = { 0 };
	char *path, *cause = NULL;

	(void)state;
	path = test_write_file("config.ini",
	    "[ui]\ntheme = Solarized-Dark\nrefresh = 500ms\n"
	    "[keys]\nmove-down = j, <Down>\nquit = q\nbad = a b\n"
	    "[sla]\nattempts = 3\n");
	config_defaults(&cfg);
	assert_int_equal(config_load_user(&cfg, path, collect, &w, &cause), 0);
	assert_string_equal(cfg.theme, "solarized-dark");
	assert_int_equal(cfg.refresh_ms, 500);
	assert_int_equal(cfg.nkeys, 3);
	assert_string_equal(cfg.keys[0].action, "move-down");
	assert_string_equal(cfg.keys[0].key, "j");
	assert_string_equal(cfg.keys[1].key, "<Down>");
	assert_string_equal(cfg.keys[2].action, "quit");
	assert_int_equal(cfg.attempts, 5);	/* not from config.ini */
	assert_warned(&w, "config.ini:7: [keys] bad: \"a b\" is not a key "
	    "name; skipped");
	assert_warned(&w, "config.ini:8: [sla]: belongs in the team's "
	    "playbook");
	config_free(&cfg);
	warnings_free(&w);
	free(path);

	path = test_write_file("config2.ini",
	    "[ui]\ntheme = ../../etc\nrefresh = 0\n");
	config_defaults(&cfg);
	assert_int_equal(config_load_user(&cfg, path, collect, &w, &cause), 0);
	assert_warned(&w, "[ui] theme = \"../../etc\": not a name");
	assert_warned(&w, "[ui] refresh = \"0\": out of range (100ms to 1m); "
	    "using 1s");
	assert_string_equal(cfg.theme, "default");
	assert_int_equal(cfg.refresh_ms, 1000);
	config_free(&cfg);
	warnings_free(&w);
	free(path);
}

static void
test_unreadable(void **state)
{
	struct config cfg;
	struct warnings w = { 0 };
	char *path, *cause = NULL;

	(void)state;
	path = test_path("adir.ini");
	assert_int_equal(mkdir(path, 0700), 0);
	config_defaults(&cfg);
	assert_int_equal(config_load_playbook(&cfg, path, collect, &w,
	    &cause), -1);
	assert_non_null(strstr(cause, "adir.ini: not a regular file"));
	free(cause);
	cause = NULL;
	free(path);
	config_free(&cfg);

	/* A syntax error: -1, every problem warned, cfg untouched. */
	assert_int_equal(load_text(&cfg, "syntax.ini",
	    "[sla]\nattempts = 3\nthis is not ini\n", &w, &cause), -1);
	assert_non_null(strstr(cause, "syntax.ini: 1 problem"));
	assert_warned(&w, "syntax.ini:3: \"this is not ini\" is neither "
	    "[section] nor key = value");
	assert_int_equal(cfg.attempts, 5);
	free(cause);
	config_free(&cfg);
	warnings_free(&w);
}

static void
test_hostile(void **state)
{
	struct config cfg;
	struct warnings w = { 0 };
	char *text, *cause = NULL;
	size_t i, len = 0, cap = 400000;
	int rv;

	(void)state;
	/* 10,000 sections: a capped stream of clear messages. */
	text = malloc(cap);
	for (i = 0; i < 10000; i++)
		len += snprintf(text + len, cap - len, "[s%zu]\nk = v\n", i);
	assert_int_equal(load_text(&cfg, "many.ini", text, &w, &cause), 0);
	assert_int_equal(w.n, 51);
	assert_warned(&w, "many.ini:1: [s0]: unknown section");
	assert_warned(&w, "many.ini: 9950 more problems not shown");
	config_free(&cfg);
	warnings_free(&w);

	/* 600 rules: the excess is refused. */
	for (i = 0, len = 0; i < 600; i++)
		len += snprintf(text + len, cap - len, "[score.r%zu]\nfield = "
		    "title\nmatch = x\npoints = 1\n", i);
	assert_int_equal(load_text(&cfg, "rules.ini", text, &w, &cause), 0);
	assert_int_equal(cfg.nrules, 500);
	config_free(&cfg);
	warnings_free(&w);

	/* A huge value: iniparser refuses the line. */
	memcpy(text, "[sla]\nattempts = ", 17);
	memset(text + 17, '9', 5000);
	strcpy(text + 5017, "\n");
	rv = load_text(&cfg, "huge.ini", text, &w, &cause);
	assert_int_equal(rv, -1);
	assert_warned(&w, "huge.ini:2: line longer than 1023 bytes");
	free(cause);
	cause = NULL;
	config_free(&cfg);
	warnings_free(&w);

	/* A long value that fits: out of range, not overflow. */
	assert_int_equal(load_text(&cfg, "big.ini", "[sla]\nattempts = "
	    "99999999999999999999999\ndue_soon = -9223372036854775808%\n"
	    "first_touch = 99999999999999h\n[goals]\nrevenue = "
	    "9223372036854775807\n", &w, &cause), 0);
	assert_warned(&w, "[sla] attempts = \"99999999999999999999999\": not a "
	    "whole number");
	assert_warned(&w, "[sla] first_touch = \"99999999999999h\": too long "
	    "a duration");
	assert_warned(&w, "[goals] revenue = \"9223372036854775807\": out of "
	    "range");
	assert_int_equal(cfg.attempts, 5);
	config_free(&cfg);
	warnings_free(&w);

	/* Binary junk and escapes are quoted, never passed through. */
	assert_int_equal(load_text(&cfg, "junk.ini", "[stage.mql]\nlabel = "
	    "\x1b[2Jevil\x7f\n[goals]\ncurrency = \xff\xfe\x01\n", &w,
	    &cause), 0);
	assert_warned(&w, "label = \"\\x1b[2Jevil\\x7f\": contains control "
	    "characters; keeping MQL");
	assert_warned(&w, "currency = \"\\xff\\xfe\\x01\"");
	for (i = 0; i < w.n; i++)
		assert_null(strchr(w.msg[i], '\x1b'));
	config_free(&cfg);
	warnings_free(&w);

	/* Duplicate keys: the last counts, and we say so. */
	assert_int_equal(load_text(&cfg, "dup.ini", "[sla]\nattempts = 3\n"
	    "[goals]\n[sla]\nattempts = 4\n", &w, &cause), 0);
	assert_int_equal(cfg.attempts, 4);
	assert_warned(&w, "dup.ini:5: [sla] attempts is set again (also on "
	    "line 2); the last one counts");
	config_free(&cfg);
	warnings_free(&w);
	free(text);
}

static void
test_paths(void **state)
{
	char *p;

	(void)state;
	p = config_playbook_path("/srv/team/leads.db");
	assert_string_equal(p, "/srv/team/smk.ini");
	free(p);
	p = config_playbook_path("leads.db");
	assert_string_equal(p, "smk.ini");
	free(p);
	setenv("XDG_CONFIG_HOME", "/x/cfg", 1);
	p = config_user_path();
	assert_string_equal(p, "/x/cfg/smk/config.ini");
	free(p);
	setenv("XDG_CONFIG_HOME", "relative", 1);
	setenv("HOME", "/home/ann", 1);
	p = config_user_path();
	assert_string_equal(p, "/home/ann/.config/smk/config.ini");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
}

static void
describe_line(const char *line, void *arg)
{
	struct warnings *w = arg;

	collect(line, w);
}

static void
test_describe(void **state)
{
	struct warnings w = { 0 };

	(void)state;
	config_describe(describe_line, &w);
	assert_true(w.n > 30);
	assert_warned(&w, "[sla] first_touch = 4h ; business hours");
	assert_warned(&w, "[stage.NAME] wip = 0 ;");
	assert_warned(&w, "[keys] ACTION = KEY, KEY ;");
	assert_warned(&w, "[store] busy_timeout = 5s ;");
	warnings_free(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full_example),
		cmocka_unit_test(test_demo_playbook),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_goals_both),
		cmocka_unit_test(test_cross_checks),
		cmocka_unit_test(test_stages),
		cmocka_unit_test(test_score_rules),
		cmocka_unit_test(test_user_config),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_describe),
	};
	int rv;

	setenv("TZ", "UTC", 1);
	rv = cmocka_run_group_tests(tests, NULL, NULL);
	test_cleanup();
	return rv;
}
