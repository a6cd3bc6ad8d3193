/*
 * Tests for src/bizcal.c: business-time arithmetic across weekends,
 * holidays, starts outside hours, both DST changes and zones on either side
 * of UTC. Every instant is written as team-local wall time.
 */
#include <stdbool.h>
#include <time.h>

#include "testutil.h"
#include "smk/bizcal.h"
#include "smk/when.h"

#define HOUR	3600L
#define MONFRI	0x3eU		/* bits 1..5: Monday to Friday */

static const int ny_holidays[] = { 20261225, 20261126 };	/* unsorted */

static struct bizcal *
cal_new(unsigned days, int start, int end, const int *hol, size_t nhol)
{
	struct bizcal_spec	 spec = {
		.days = days, .day_start = start, .day_end = end,
		.holidays = hol, .nholidays = nhol
	};
	struct bizcal		*cal;
	char			*cause = NULL;

	cal = bizcal_new(&spec, &cause);
	if (cal == NULL) {
		print_error("%s\n", cause);
		free(cause);
		fail();
	}
	return (cal);
}

/* The New York team: Mon-Fri 09:00-17:00, Thanksgiving and Christmas. */
static struct bizcal *
ny(void)
{
	test_zone("America/New_York");
	return (cal_new(MONFRI, 9 * 60, 17 * 60, ny_holidays, 2));
}

static void
assert_add(struct bizcal *cal, const char *from, long secs, const char *due)
{
	time_t	got = bizcal_add(cal, test_at(from), secs);
	char	g[WHEN_ISO_LEN], w[WHEN_ISO_LEN];

	if (got != test_at(due)) {
		print_error("%s + %lds: got %s, want %s (%s)\n", from, secs,
		    when_format(got, g), when_format(test_at(due), w), due);
		fail();
	}
}

static void
assert_between(struct bizcal *cal, const char *a, const char *b, long want)
{
	long	got = bizcal_between(cal, test_at(a), test_at(b));

	if (got != want) {
		print_error("[%s, %s): got %ld, want %ld\n", a, b, got, want);
		fail();
	}
	assert_int_equal(bizcal_between(cal, test_at(b), test_at(a)), -want);
}

static void
test_new_refuses(void **state)
{
	struct bizcal_spec	 spec = { .days = 0, .day_start = 540,
				     .day_end = 1020 };
	char			*cause = NULL;

	(void)state;
	assert_null(bizcal_new(&spec, &cause));
	assert_non_null(strstr(cause, "working day"));
	free(cause);
	spec.days = MONFRI;
	spec.day_start = 1020;
	spec.day_end = 540;
	assert_null(bizcal_new(&spec, &cause));
	assert_non_null(strstr(cause, "start"));
	free(cause);
	spec.day_start = 0;
	spec.day_end = 1441;
	assert_null(bizcal_new(&spec, &cause));
	free(cause);
}

static void
test_weekend(void **state)
{
	struct bizcal	*cal = ny();

	(void)state;
	/* The handoff of the product's example. */
	assert_add(cal, "2026-11-20 16:00", 4 * HOUR, "2026-11-23 12:00");
	assert_add(cal, "2026-11-20 15:30", 4 * HOUR, "2026-11-23 11:30");
	assert_add(cal, "2026-11-20 17:00", 4 * HOUR, "2026-11-23 13:00");
	assert_add(cal, "2026-11-21 10:00", 4 * HOUR, "2026-11-23 13:00");
	assert_add(cal, "2026-11-22 23:59", 1, "2026-11-23 09:00:01");
	assert_between(cal, "2026-11-20 16:00", "2026-11-23 12:00", 4 * HOUR);
	assert_between(cal, "2026-11-21 00:00", "2026-11-23 00:00", 0);
	bizcal_free(cal);
}

static void
test_monday_holiday(void **state)
{
	static const int hol[] = { 20261123, 20261126, 20261225 };
	struct bizcal	*cal;

	(void)state;
	test_zone("America/New_York");
	cal = cal_new(MONFRI, 9 * 60, 17 * 60, hol, 3);
	assert_add(cal, "2026-11-20 16:00", 4 * HOUR, "2026-11-24 12:00");
	assert_between(cal, "2026-11-23 00:00", "2026-11-24 00:00", 0);
	assert_false(bizcal_is_open(cal, test_at("2026-11-23 10:00")));
	bizcal_free(cal);
}

static void
test_outside_hours(void **state)
{
	struct bizcal	*cal = ny();

	(void)state;
	assert_add(cal, "2026-11-23 02:00", 4 * HOUR, "2026-11-23 13:00");
	assert_add(cal, "2026-11-23 08:59", 30 * 60, "2026-11-23 09:30");
	assert_add(cal, "2026-11-23 18:00", HOUR, "2026-11-24 10:00");
	assert_add(cal, "2026-11-23 17:00", HOUR, "2026-11-24 10:00");
	/* Time that runs out at a closing ends at that closing. */
	assert_add(cal, "2026-11-23 13:00", 4 * HOUR, "2026-11-23 17:00");
	assert_add(cal, "2026-11-23 09:00", 8 * HOUR, "2026-11-23 17:00");
	assert_add(cal, "2026-11-23 09:00", 8 * HOUR + 1, "2026-11-24 09:00:01");
	/* Longer spans: 5 business days is one calendar week. */
	assert_add(cal, "2026-11-02 10:00", 40 * HOUR, "2026-11-09 10:00");
	assert_add(cal, "2026-11-23 10:00", 0, "2026-11-23 10:00");
	assert_add(cal, "2026-11-23 10:00", -5, "2026-11-23 10:00");
	assert_true(bizcal_is_open(cal, test_at("2026-11-23 09:00")));
	assert_true(bizcal_is_open(cal, test_at("2026-11-23 16:59:59")));
	assert_false(bizcal_is_open(cal, test_at("2026-11-23 17:00")));
	assert_false(bizcal_is_open(cal, test_at("2026-11-23 08:59:59")));
	assert_false(bizcal_is_open(cal, test_at("2026-11-21 12:00")));
	bizcal_free(cal);
}

static void
test_thanksgiving(void **state)
{
	struct bizcal	*cal = ny();

	(void)state;
	assert_add(cal, "2026-11-25 15:00", 4 * HOUR, "2026-11-27 11:00");
	assert_add(cal, "2026-11-26 10:00", 4 * HOUR, "2026-11-27 13:00");
	assert_add(cal, "2026-12-24 16:00", 4 * HOUR, "2026-12-28 12:00");
	assert_between(cal, "2026-11-23 00:00", "2026-11-30 00:00", 32 * HOUR);
	assert_between(cal, "2026-11-01 00:00", "2026-12-01 00:00",
	    (21 - 1) * 8 * HOUR);
	bizcal_free(cal);
}

static void
test_between(void **state)
{
	struct bizcal	*cal = ny();
	time_t		 t = test_at("2026-11-23 10:00");

	(void)state;
	assert_int_equal(bizcal_between(cal, t, t), 0);
	assert_int_equal(bizcal_between(cal, test_at("2026-11-21 10:00"),
	    test_at("2026-11-21 10:00")), 0);
	assert_between(cal, "2026-11-23 10:00", "2026-11-23 10:30", 30 * 60);
	assert_between(cal, "2026-11-23 08:00", "2026-11-23 18:00", 8 * HOUR);
	assert_between(cal, "2026-11-23 08:00", "2026-11-23 08:30", 0);
	assert_between(cal, "2026-11-23 17:00", "2026-11-24 09:00", 0);
	assert_between(cal, "2026-11-23 16:00", "2026-11-24 10:00", 2 * HOUR);
	assert_between(cal, "2026-11-20 16:00", "2026-11-23 10:00", 2 * HOUR);
	assert_between(cal, "2026-11-21 09:00", "2026-11-22 17:00", 0);
	/* [a, b): the second at the opening is the first business second. */
	assert_between(cal, "2026-11-23 09:00", "2026-11-23 09:00:01", 1);
	assert_between(cal, "2026-11-23 16:59:59", "2026-11-23 17:00", 1);
	bizcal_free(cal);
}

static void
test_dst_spring(void **state)
{
	struct bizcal	*cal = ny(), *all;

	(void)state;
	/* Clocks go forward on Sunday 2026-03-08 at 02:00. */
	assert_add(cal, "2026-03-06 16:00", 4 * HOUR, "2026-03-09 12:00");
	assert_int_equal(bizcal_add(cal, test_at("2026-03-06 16:00"), 4 * HOUR),
	    test_at("2026-03-09T16:00:00Z"));
	assert_between(cal, "2026-03-09 00:00", "2026-03-10 00:00", 8 * HOUR);
	assert_between(cal, "2026-03-06 09:00", "2026-03-09 17:00", 16 * HOUR);
	assert_between(cal, "2026-03-02 00:00", "2026-03-16 00:00", 80 * HOUR);
	/* Around the clock, seven days: that Sunday has 23 hours. */
	all = cal_new(0x7f, 0, 24 * 60, NULL, 0);
	assert_between(all, "2026-03-08 00:00", "2026-03-09 00:00", 23 * HOUR);
	assert_between(all, "2026-03-07 00:00", "2026-03-08 00:00", 24 * HOUR);
	assert_add(all, "2026-03-08 00:00", 23 * HOUR, "2026-03-09 00:00");
	bizcal_free(all);
	/* Hours across the change: 01:00-04:00 holds two real hours. */
	all = cal_new(0x7f, 60, 4 * 60, NULL, 0);
	assert_between(all, "2026-03-08 00:00", "2026-03-09 00:00", 2 * HOUR);
	assert_add(all, "2026-03-08 01:30", HOUR, "2026-03-08 03:30");
	bizcal_free(all);
	bizcal_free(cal);
}

static void
test_dst_autumn(void **state)
{
	struct bizcal	*cal = ny(), *all;

	(void)state;
	/* Clocks go back on Sunday 2026-11-01 at 02:00. */
	assert_add(cal, "2026-10-30 16:00", 4 * HOUR, "2026-11-02 12:00");
	assert_int_equal(bizcal_add(cal, test_at("2026-10-30 16:00"), 4 * HOUR),
	    test_at("2026-11-02T17:00:00Z"));
	assert_between(cal, "2026-11-02 00:00", "2026-11-03 00:00", 8 * HOUR);
	assert_between(cal, "2026-10-30 09:00", "2026-11-02 17:00", 16 * HOUR);
	all = cal_new(0x7f, 0, 24 * 60, NULL, 0);
	assert_between(all, "2026-11-01 00:00", "2026-11-02 00:00", 25 * HOUR);
	assert_add(all, "2026-11-01 00:00", 25 * HOUR, "2026-11-02 00:00");
	assert_add(all, "2026-11-01 00:00", 24 * HOUR, "2026-11-01 23:00");
	bizcal_free(all);
	bizcal_free(cal);
}

static void
test_east_of_utc(void **state)
{
	struct bizcal	*cal;

	(void)state;
	test_zone("Asia/Kolkata");
	cal = cal_new(MONFRI, 9 * 60, 17 * 60, NULL, 0);
	assert_add(cal, "2026-11-20 16:00", 4 * HOUR, "2026-11-23 12:00");
	assert_int_equal(bizcal_add(cal, test_at("2026-11-20 16:00"), 4 * HOUR),
	    test_at("2026-11-23T06:30:00Z"));
	/* 02:00 IST Monday is still Sunday in UTC. */
	assert_add(cal, "2026-11-23 02:00", 4 * HOUR, "2026-11-23 13:00");
	bizcal_free(cal);

	/* Berlin moves its clocks on Sunday 2026-03-29 and 2026-10-25. */
	test_zone("Europe/Berlin");
	cal = cal_new(MONFRI, 8 * 60, 16 * 60 + 30, NULL, 0);
	assert_add(cal, "2026-03-27 15:30", 4 * HOUR, "2026-03-30 11:00");
	assert_int_equal(bizcal_add(cal, test_at("2026-03-27 15:30"), 4 * HOUR),
	    test_at("2026-03-30T09:00:00Z"));
	assert_add(cal, "2026-10-23 15:30", 4 * HOUR, "2026-10-26 11:00");
	assert_between(cal, "2026-03-23 00:00", "2026-04-06 00:00",
	    10 * (8 * HOUR + 30 * 60));
	bizcal_free(cal);

	/* A Sunday-to-Thursday week. */
	test_zone("Asia/Jerusalem");
	cal = cal_new(0x1f, 9 * 60, 17 * 60, NULL, 0);
	assert_add(cal, "2026-11-19 16:00", 4 * HOUR, "2026-11-22 12:00");
	bizcal_free(cal);
}

static void
test_zone_change(void **state)
{
	struct bizcal	*cal = ny();

	(void)state;
	assert_add(cal, "2026-11-23 10:00", HOUR, "2026-11-23 11:00");
	/* The same calendar follows the team's zone when it changes. */
	test_zone("Asia/Kolkata");
	assert_int_equal(bizcal_add(cal, test_at("2026-11-23 10:00"), HOUR),
	    test_at("2026-11-23T05:30:00Z"));
	bizcal_free(cal);
}

/* add and between agree everywhere, including far from the first days. */
static void
test_add_between_agree(void **state)
{
	struct bizcal	*cal = ny();
	unsigned long	 x = 2026;
	time_t		 base = test_at("2026-01-01"), t0, due;
	long		 secs;
	int		 i;

	(void)state;
	for (i = 0; i < 20000; i++) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		t0 = base + (time_t)((x >> 20) % (4L * 365 * 86400)) -
		    2L * 365 * 86400;
		secs = (long)((x >> 7) % (60L * HOUR)) + 1;
		due = bizcal_add(cal, t0, secs);
		assert_true(due > t0);
		assert_int_equal(bizcal_between(cal, t0, due), secs);
		/* Nothing earlier would do: the last second was business. */
		assert_int_equal(bizcal_between(cal, t0, due - 1), secs - 1);
		assert_true(bizcal_is_open(cal, due - 1));
	}
	bizcal_free(cal);
}

/* Spans longer than the cache still add up. */
static void
test_far_apart(void **state)
{
	struct bizcal	*cal = ny();
	time_t		 a = test_at("1800-01-01");
	time_t		 b = test_at("2026-11-09");
	time_t		 c = test_at("2400-01-01");
	long		 ab, bc, ac;

	(void)state;
	ab = bizcal_between(cal, a, b);
	bc = bizcal_between(cal, b, c);
	ac = bizcal_between(cal, a, c);
	assert_int_equal(ab + bc, ac);
	assert_true(ac > 0);
	assert_int_equal(bizcal_between(cal, b, b + 7 * 86400), 40 * HOUR);
	assert_int_equal(bizcal_between(cal, WHEN_MIN - 10, WHEN_MIN), 0);
	assert_add(cal, "2026-11-20 16:00", 4 * HOUR, "2026-11-23 12:00");
	bizcal_free(cal);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_refuses),
		cmocka_unit_test(test_weekend),
		cmocka_unit_test(test_monday_holiday),
		cmocka_unit_test(test_outside_hours),
		cmocka_unit_test(test_thanksgiving),
		cmocka_unit_test(test_between),
		cmocka_unit_test(test_dst_spring),
		cmocka_unit_test(test_dst_autumn),
		cmocka_unit_test(test_east_of_utc),
		cmocka_unit_test(test_zone_change),
		cmocka_unit_test(test_add_between_agree),
		cmocka_unit_test(test_far_apart),
	};
	int	rc;

	unsetenv("TZDIR");
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	test_cleanup();
	return (rc);
}
