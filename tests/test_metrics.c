/*
 * Tests for the pure parts of the metrics module (src/metrics_calc.c):
 * team-zone months (a boundary that is another day in UTC, DST, the
 * year's turn), the arithmetic of
 * rates and medians (a zero denominator has no value), cells, summing rows
 * by source, sorting sources and reasons, and the stages a playbook names.
 * The queries are covered end to end by tests/it_flow.sh.
 */
#include <stdbool.h>
#include <time.h>

#include "testutil.h"
#include "smk/config.h"
#include "smk/metrics.h"
#include "smk/when.h"
#include "smk/xmalloc.h"

static int
setup_ny(void **state)
{
	char *cause = NULL;

	(void)state;
	if (when_set_zone("America/New_York", &cause) != 0) {
		print_error("%s\n", cause);
		free(cause);
		return -1;
	}
	return 0;
}

/* September in New York starts at 04:00Z (EDT), December at 05:00Z. */
static void
test_month_bounds(void **state)
{
	time_t s, e;

	(void)state;
	metrics_month_bounds(2026, 9, &s, &e);
	assert_int_equal(s, test_at("2026-09-01T04:00:00Z"));
	assert_int_equal(e, test_at("2026-10-01T04:00:00Z"));
	metrics_month_bounds(2026, 11, &s, &e);
	assert_int_equal(s, test_at("2026-11-01T04:00:00Z"));
	assert_int_equal(e, test_at("2026-12-01T05:00:00Z"));
	metrics_month_bounds(2026, 12, &s, &e);
	assert_int_equal(e, test_at("2027-01-01T05:00:00Z"));
}

/* 2026-10-01T02:00Z is 22:00 on 30 September in New York. */
static void
test_month_of_boundary(void **state)
{
	char buf[16];
	int y, m;

	(void)state;
	metrics_month_of(test_at("2026-10-01T02:00:00Z"), &y, &m);
	assert_int_equal(y, 2026);
	assert_int_equal(m, 9);
	metrics_month_of(test_at("2026-10-01T04:00:00Z"), &y, &m);
	assert_int_equal(m, 10);
	assert_string_equal(metrics_month_label(test_at("2027-01-01T04:59:59Z"),
	    buf, sizeof buf), "2026-12");
}

static void
test_month_shift(void **state)
{
	time_t s, e;
	char buf[16];

	(void)state;
	metrics_month_bounds(2026, 2, &s, &e);
	assert_string_equal(metrics_month_label(metrics_month_shift(s, 2),
	    buf, sizeof buf), "2025-12");
	assert_string_equal(metrics_month_label(metrics_month_shift(s, 14),
	    buf, sizeof buf), "2024-12");
	assert_string_equal(metrics_month_label(metrics_month_shift(s, -11),
	    buf, sizeof buf), "2027-01");
	assert_int_equal(metrics_month_shift(s, 0), s);
}

static void
test_month_parse(void **state)
{
	char *cause = NULL;
	time_t s;

	(void)state;
	assert_int_equal(metrics_month_parse("2026-09", &s, &cause), 0);
	assert_int_equal(s, test_at("2026-09-01T04:00:00Z"));
	assert_int_equal(metrics_month_parse("2026-13", &s, &cause), -1);
	assert_non_null(strstr(cause, "YYYY-MM"));
	free(cause);
	cause = NULL;
	assert_int_equal(metrics_month_parse("2026-9", &s, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(metrics_month_parse("2026-09x", &s, &cause), -1);
	free(cause);
}

static void
test_pct_zero_denominator(void **state)
{
	double v = -1;

	(void)state;
	assert_false(metrics_pct(0, 0, &v));
	assert_true(v == -1);		/* untouched */
	assert_true(metrics_pct(1, 3, &v));
	assert_true(v > 33.33 && v < 33.34);
	assert_true(metrics_pct(0, 5, &v));
	assert_true(v == 0.0);
}

static void
test_median(void **state)
{
	double odd[] = { 7, 2, 5 }, even[] = { 7, 5 }, v;

	(void)state;
	assert_true(metrics_median(odd, 3, &v));
	assert_true(v == 5.0);
	assert_true(metrics_median(even, 2, &v));
	assert_true(v == 6.0);		/* (5 + 7) / 2 */
	assert_false(metrics_median(NULL, 0, &v));
}

/* A row with cohort 4: worked 3, closed 1; no clocks; two touches. */
static void
fill_row(struct metrics_row *r, const char *source)
{
	memset(r, 0, sizeof *r);
	r->source = source != NULL ? xstrdup(source) : NULL;
	r->new = 10;
	r->mql = 4;
	r->accepted = 3;
	r->sql = 3;
	r->cohort = 4;
	r->worked = 3;
	r->closed = 1;
	r->touch_bh = xcalloc(2, sizeof *r->touch_bh);
	r->touch_bh[0] = 7;
	r->touch_bh[1] = 2;
	r->ntouch = 2;
}

static void
test_cells(void **state)
{
	struct metrics_row r;
	char buf[32];
	double v;

	(void)state;
	fill_row(&r, "ads");
	assert_string_equal(metrics_cell(&r, METRICS_NEW, buf, sizeof buf),
	    "10");
	assert_string_equal(metrics_cell(&r, METRICS_WORKED_PCT, buf,
	    sizeof buf), "75.0");
	assert_string_equal(metrics_cell(&r, METRICS_CLOSE_RATE, buf,
	    sizeof buf), "25.0");
	assert_string_equal(metrics_cell(&r, METRICS_MEDIAN_FIRST_TOUCH_BH,
	    buf, sizeof buf), "4.5");
	/* The median does not reorder the row's own touches. */
	assert_true(r.touch_bh[0] == 7);
	/* No clock decided, no opportunity: no value, an empty cell. */
	assert_false(metrics_value(&r, METRICS_SLA_MET_PCT, &v));
	assert_string_equal(metrics_cell(&r, METRICS_SLA_MET_PCT, buf,
	    sizeof buf), "");
	assert_string_equal(metrics_cell(&r, METRICS_WIN_RATE, buf,
	    sizeof buf), "");
	assert_string_equal(metrics_cell(&r, METRICS_ACCEPTANCE_PCT, buf,
	    sizeof buf), "75.0");
	assert_string_equal(metrics_col_name(METRICS_MEDIAN_FIRST_TOUCH_BH),
	    "median_first_touch_bh");
	assert_true(metrics_col_is_rate(METRICS_CLOSE_RATE));
	assert_false(metrics_col_is_rate(METRICS_CUSTOMERS));
	metrics_row_clear(&r);
}

static void
test_sum_by_source(void **state)
{
	struct metrics_row rows[3], out;
	char buf[32];

	(void)state;
	fill_row(&rows[0], NULL);
	fill_row(&rows[1], "ads");
	fill_row(&rows[2], "webinar");
	rows[2].new = 1;
	metrics_sum(rows, 3, true, NULL, &out);
	assert_int_equal(out.new, 21);
	assert_int_equal(out.cohort, 12);
	assert_int_equal(out.ntouch, 6);
	assert_string_equal(metrics_cell(&out, METRICS_MEDIAN_FIRST_TOUCH_BH,
	    buf, sizeof buf), "4.5");
	metrics_row_clear(&out);
	metrics_sum(rows, 3, false, "webinar", &out);
	assert_int_equal(out.new, 1);
	assert_string_equal(out.source, "webinar");
	metrics_row_clear(&out);
	/* "" and NULL both pick the leads without a source. */
	metrics_sum(rows, 3, false, "", &out);
	assert_int_equal(out.new, 10);
	assert_null(out.source);
	metrics_row_clear(&out);
	metrics_sum(rows, 3, false, "nowhere", &out);
	assert_int_equal(out.new, 0);
	assert_false(metrics_value(&out, METRICS_WORKED_PCT, &(double){ 0 }));
	metrics_row_clear(&out);
	for (size_t i = 0; i < 3; i++)
		metrics_row_clear(&rows[i]);
}

static void
test_sort_sources(void **state)
{
	struct metrics_row rows[4];
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++)
		memset(&rows[i], 0, sizeof rows[i]);
	rows[0].source = xstrdup("none-handed");	/* no acceptance */
	rows[1].source = xstrdup("half");
	rows[1].mql = 4;
	rows[1].accepted = 2;
	rows[2].source = xstrdup("all");
	rows[2].mql = 1;
	rows[2].accepted = 1;
	rows[3].source = xstrdup("half-big");
	rows[3].mql = 10;
	rows[3].accepted = 5;
	metrics_sort_sources(rows, 4);
	assert_string_equal(rows[0].source, "all");
	assert_string_equal(rows[1].source, "half-big");	/* more mqls */
	assert_string_equal(rows[2].source, "half");
	assert_string_equal(rows[3].source, "none-handed");
	for (i = 0; i < 4; i++)
		metrics_row_clear(&rows[i]);
}

static void
test_reasons(void **state)
{
	struct metrics_row a, b, out;
	char buf[128];

	(void)state;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	a.reasons = xcalloc(2, sizeof *a.reasons);
	a.reasons[0].reason = xstrdup("wrong persona");
	a.reasons[0].n = 1;
	a.reasons[1].reason = NULL;
	a.reasons[1].n = 1;
	a.nreasons = 2;
	b.reasons = xcalloc(1, sizeof *b.reasons);
	b.reasons[0].reason = xstrdup("no budget");
	b.reasons[0].n = 2;
	b.nreasons = 1;
	struct metrics_row rows[2] = { a, b };
	metrics_sum(rows, 2, true, NULL, &out);
	assert_string_equal(metrics_reasons_text(&out, 3, buf, sizeof buf),
	    "no budget 2, (no reason) 1, wrong persona 1");
	assert_string_equal(metrics_reasons_text(&out, 1, buf, sizeof buf),
	    "no budget 2");
	metrics_row_clear(&out);
	metrics_row_clear(&rows[0]);
	metrics_row_clear(&rows[1]);
}

static void
test_stages_default(void **state)
{
	struct metrics_stages ms;
	struct config cfg;

	(void)state;
	config_defaults(&cfg);
	metrics_stages_from_config(&ms, &cfg);
	assert_string_equal(ms.mql, "mql");
	assert_string_equal(ms.sql, "sql");
	assert_string_equal(ms.opportunity, "opportunity");
	assert_string_equal(ms.customer, "customer");
	assert_string_equal(ms.recycled, "recycled");
	assert_string_equal(ms.disqualified, "disqualified");
	config_free(&cfg);
}

/* Renamed stages: found by team and position, not by name. */
static void
test_stages_renamed(void **state)
{
	struct metrics_stages ms;
	struct config cfg;
	char *path, *cause = NULL;

	(void)state;
	path = test_write_file("renamed.ini",
	    "[stages]\norder = visitor, prospect, handoff, qualified, deal, "
	    "won\nexits = returned, lost\n"
	    "[stage.handoff]\nteam = shared\n"
	    "[stage.qualified]\nteam = sales\n[stage.deal]\nteam = sales\n"
	    "[stage.won]\nteam = sales\n");
	config_defaults(&cfg);
	assert_int_equal(config_load_playbook(&cfg, path, NULL, NULL, &cause),
	    0);
	metrics_stages_from_config(&ms, &cfg);
	assert_string_equal(ms.mql, "handoff");
	assert_string_equal(ms.sql, "qualified");
	assert_string_equal(ms.opportunity, "deal");
	assert_string_equal(ms.customer, "won");
	assert_string_equal(ms.recycled, "returned");
	assert_string_equal(ms.disqualified, "lost");
	config_free(&cfg);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_month_bounds),
		cmocka_unit_test(test_month_of_boundary),
		cmocka_unit_test(test_month_shift),
		cmocka_unit_test(test_month_parse),
		cmocka_unit_test(test_pct_zero_denominator),
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_sum_by_source),
		cmocka_unit_test(test_sort_sources),
		cmocka_unit_test(test_reasons),
		cmocka_unit_test(test_stages_default),
		cmocka_unit_test(test_stages_renamed),
	};
	int rc;

	setenv("TZ", "UTC", 1);
	rc = cmocka_run_group_tests(tests, setup_ny, NULL);
	test_cleanup();
	return rc;
}
