/*
 * Tests for src/goals.c: the reverse funnel's arithmetic on counts (ceil of
 * products, never rounded percentages), "no data" spreading upwards, pace
 * by business days, ISO weeks and periods in the team's zone (DST, year
 * ends), and the stage furthest behind. The store is not involved.
 */
#include <stdbool.h>
#include <time.h>

#include "testutil.h"
#include "smk/bizcal.h"
#include "smk/goals.h"
#include "smk/when.h"

#define MONFRI	0x3eU

static void
test_needed_before(void **state)
{
	int64_t n = -1;

	(void)state;
	/* 5 customers, 10 opportunities of which 5 won: 10. */
	assert_true(goals_needed_before(5, 10, 5, &n));
	assert_int_equal(n, 10);
	/* 2 of 3 advanced: 3 * 3 / 2 = 4.5, up to 5. */
	assert_true(goals_needed_before(3, 3, 2, &n));
	assert_int_equal(n, 5);
	/*
	 * 1 of 3 (33.3%): from counts 7 * 3 / 1 = 21; a rounded 33% would
	 * have said 22.
	 */
	assert_true(goals_needed_before(7, 3, 1, &n));
	assert_int_equal(n, 21);
	/* No history, or nobody advanced: no value. */
	n = 42;
	assert_false(goals_needed_before(5, 0, 0, &n));
	assert_false(goals_needed_before(5, 4, 0, &n));
	assert_int_equal(n, 42);
	/* Zero needed stays zero. */
	assert_true(goals_needed_before(0, 4, 1, &n));
	assert_int_equal(n, 0);
	/* Too large saturates instead of wrapping. */
	assert_true(goals_needed_before(INT64_MAX / 2, 1000, 1, &n));
	assert_int_equal(n, INT64_MAX);
}

static void
test_customers_for(void **state)
{
	int64_t n = -1;

	(void)state;
	/* 10000 at a mean of 8000 / 2 = 4000: 2.5, up to 3. */
	assert_true(goals_customers_for(10000, 2, 8000, &n));
	assert_int_equal(n, 3);
	assert_true(goals_customers_for(12000, 3, 12000, &n));
	assert_int_equal(n, 3);
	assert_false(goals_customers_for(10000, 0, 0, &n));
	assert_false(goals_customers_for(10000, 2, 0, &n));
	/* 1e15 at a mean of 1e9 / 1e6 = 1000: the product does not fit. */
	assert_true(goals_customers_for(1000000000000000LL, 1000000,
	    1000000000LL, &n));
	assert_int_equal(n, 1000000000000LL);
}

static void
test_pace(void **state)
{
	(void)state;
	assert_int_equal(goals_pace(40, 12, 20), 24);
	assert_int_equal(goals_pace(3, 2, 4), 2);	/* 1.5: halves up */
	assert_int_equal(goals_pace(5, 2, 4), 3);	/* 2.5 */
	assert_int_equal(goals_pace(5, 10, 22), 2);	/* 2.27 */
	assert_int_equal(goals_pace(5, 0, 20), 0);
	assert_int_equal(goals_pace(5, 20, 20), 5);
	/* A period without business days: nothing due until it is over. */
	assert_int_equal(goals_pace(5, 0, 0), 0);
}

/* The 40/20/10/5 funnel of the product brief, with a 5 customer goal. */
static void
funnel(struct goals_plan *p, struct goals_row *rows)
{
	static const char *names[] = { "subscriber", "lead", "mql", "sql",
	    "opportunity", "customer" };
	static const int64_t in[] = { 0, 0, 40, 20, 10, 0 };
	static const int64_t adv[] = { 0, 0, 20, 10, 5, 0 };
	size_t i;

	memset(p, 0, sizeof *p);
	memset(rows, 0, 6 * sizeof *rows);
	for (i = 0; i < 6; i++) {
		rows[i].stage = names[i];
		rows[i].entered = in[i];
		rows[i].advanced = adv[i];
	}
	p->rows = rows;
	p->n = 6;
	p->goal_customers = 5;
	p->days_past = 12;
	p->days_total = 20;
}

static void
test_compute(void **state)
{
	struct goals_row rows[6];
	struct goals_plan p;
	double pct;

	(void)state;
	funnel(&p, rows);
	rows[2].actual = 30;	/* mql: ahead of 24 */
	rows[3].actual = 2;	/* sql: 2 of 12 */
	rows[4].actual = 3;	/* opportunity: 3 of 6 */
	rows[5].actual = 2;	/* customer: 2 of 3 */
	goals_compute(&p);
	assert_int_equal(rows[5].needed, 5);
	assert_int_equal(rows[4].needed, 10);
	assert_int_equal(rows[3].needed, 20);
	assert_int_equal(rows[2].needed, 40);
	assert_int_equal(rows[2].pace, 24);
	assert_false(rows[1].has_needed);
	assert_false(rows[0].has_needed);
	assert_false(rows[5].has_rate);
	assert_true(goals_rate_pct(&rows[2], &pct));
	assert_true(pct > 49.99 && pct < 50.01);
	/* sql is 10 short of 12: the furthest behind. */
	assert_int_equal(p.behind, 3);
	assert_ptr_equal(goals_row_of(&p, "sql"), &rows[3]);
	assert_null(goals_row_of(&p, "nope"));
}

static void
test_compute_no_data(void **state)
{
	struct goals_row rows[6];
	struct goals_plan p;
	size_t i;

	(void)state;
	/* Nobody won an opportunity: opportunity and above are no data. */
	funnel(&p, rows);
	rows[4].advanced = 0;
	goals_compute(&p);
	assert_true(rows[5].has_needed);
	for (i = 0; i < 5; i++) {
		assert_false(rows[i].has_needed);
		assert_int_equal(rows[i].needed, 0);
	}
	assert_int_equal(p.behind, 5);	/* customer: 0 of 3 */
	/* A revenue goal without amounts: nothing at all. */
	funnel(&p, rows);
	p.goal_customers = 0;
	p.goal_revenue = 10000;
	goals_compute(&p);
	for (i = 0; i < 6; i++)
		assert_false(rows[i].has_needed);
	assert_int_equal(p.behind, 6);	/* none */
	/* ... and with them: 10000 / (9000 / 3) = 3.33, up to 4. */
	funnel(&p, rows);
	p.goal_customers = 0;
	p.goal_revenue = 10000;
	p.won_valued = 3;
	p.won_sum = 9000;
	goals_compute(&p);
	assert_int_equal(rows[5].needed, 4);
	assert_int_equal(rows[4].needed, 8);	/* 4 * 10 / 5 */
	assert_int_equal(rows[3].needed, 16);
	assert_int_equal(rows[2].needed, 32);
}

static void
test_weeks(void **state)
{
	char buf[16], *cause = NULL;
	time_t s, e;

	(void)state;
	test_zone("America/New_York");
	/* ISO 2026-W01 starts Mon 2025-12-29; 2026-W53 exists. */
	assert_int_equal(goals_week_parse("2026-W01", &s, &cause), 0);
	assert_int_equal(s, test_at("2025-12-29"));
	assert_string_equal(goals_period_label(PERIOD_WEEK, s, buf,
	    sizeof buf), "2026-W01");
	assert_int_equal(goals_week_parse("2026-W53", &s, &cause), 0);
	assert_int_equal(s, test_at("2026-12-28"));
	assert_int_equal(goals_week_parse("2025-W53", &s, &cause), -1);
	assert_non_null(strstr(cause, "2025-W53"));
	free(cause);
	cause = NULL;
	assert_int_equal(goals_week_parse("2026-47", &s, &cause), -1);
	free(cause);
	cause = NULL;
	/* A Sunday belongs to the week that started the Monday before. */
	goals_period_bounds(PERIOD_WEEK, test_at("2026-11-22T23:30"), &s, &e);
	assert_int_equal(s, test_at("2026-11-16"));
	assert_int_equal(e, test_at("2026-11-23"));
	assert_string_equal(goals_period_label(PERIOD_WEEK, s, buf,
	    sizeof buf), "2026-W47");
	/* The week of the DST change (Sun 1 Nov) is 169 hours long. */
	goals_period_bounds(PERIOD_WEEK, test_at("2026-10-28"), &s, &e);
	assert_int_equal(s, test_at("2026-10-26"));
	assert_int_equal(e - s, 169 * 3600);
	assert_int_equal(goals_period_shift(PERIOD_WEEK, s, -1),
	    test_at("2026-11-02"));
	assert_int_equal(goals_period_shift(PERIOD_WEEK,
	    test_at("2026-11-02"), 1), test_at("2026-10-26"));
	/* Months: the lookback of three before November starts in August. */
	goals_period_bounds(PERIOD_MONTH, test_at("2026-11-18"), &s, &e);
	assert_int_equal(goals_period_shift(PERIOD_MONTH, s, 3),
	    test_at("2026-08-01"));
	assert_int_equal(e, test_at("2026-12-01"));
}

static void
test_business_days(void **state)
{
	static const int hol[] = { 20261116, 20261126 };
	struct bizcal_spec spec = { .days = MONFRI, .day_start = 9 * 60,
	    .day_end = 17 * 60, .holidays = hol, .nholidays = 2 };
	struct bizcal *cal;
	char *cause = NULL;
	time_t s, e;
	int past, total;

	(void)state;
	test_zone("America/New_York");
	cal = bizcal_new(&spec, &cause);
	assert_non_null(cal);
	/* A week that starts on a holiday: Tue-Fri. */
	goals_period_bounds(PERIOD_WEEK, test_at("2026-11-18T12:00"), &s, &e);
	goals_business_days(cal, s, e, test_at("2026-11-18T12:00"), &past,
	    &total);
	assert_int_equal(total, 4);
	assert_int_equal(past, 1);	/* Wednesday is not over */
	goals_business_days(cal, s, e, test_at("2026-11-18T17:00"), &past,
	    &total);
	assert_int_equal(past, 2);	/* at its closing it is */
	goals_business_days(cal, s, e, test_at("2026-11-16T12:00"), &past,
	    &total);
	assert_int_equal(past, 0);
	/* November: 21 weekdays, two holidays. */
	goals_period_bounds(PERIOD_MONTH, test_at("2026-11-18"), &s, &e);
	goals_business_days(cal, s, e, test_at("2026-12-05"), &past, &total);
	assert_int_equal(total, 19);
	assert_int_equal(past, 19);
	bizcal_free(cal);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_needed_before),
		cmocka_unit_test(test_customers_for),
		cmocka_unit_test(test_pace),
		cmocka_unit_test(test_compute),
		cmocka_unit_test(test_compute_no_data),
		cmocka_unit_test(test_weeks),
		cmocka_unit_test(test_business_days),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
