/*
 * Tests for src/when.c: zone validation, the ISO-8601 reader and writer,
 * team and viewer local time, and the pinned clock.
 */
#include <stdbool.h>
#include <time.h>

#include "testutil.h"
#include "smk/when.h"

/* Fails, and the message names the value and shows an example. */
static void
parse_bad(const char *s, const char *why)
{
	time_t	 t = 12345;
	char	*cause = NULL;

	assert_int_equal(when_parse(s, &t, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "2026-11-23T09:30:00Z"));
	if (why != NULL && strstr(cause, why) == NULL) {
		print_error("%s: message \"%s\" lacks \"%s\"\n", s, cause, why);
		fail();
	}
	assert_int_equal(t, 12345);
	free(cause);
}

static const char *
fmt(time_t t)
{
	static char	buf[WHEN_ISO_LEN];

	return (when_format(t, buf));
}

/* Before when_set_zone the team's zone is UTC, whatever TZ says. */
static void
test_default_utc(void **state)
{
	struct tm	tm;

	(void)state;
	assert_string_equal(when_zone(), "UTC");
	assert_string_equal(fmt(test_at("2026-11-23 09:30")),
	    "2026-11-23T09:30:00Z");
	when_team_tm(test_at("2026-07-01T23:30:00Z"), &tm);
	assert_int_equal(tm.tm_hour, 23);
	assert_int_equal(tm.tm_mday, 1);
}

static void
test_zone_valid(void **state)
{
	(void)state;
	assert_true(when_zone_valid("America/New_York"));
	assert_true(when_zone_valid("UTC"));
	assert_true(when_zone_valid("Asia/Kolkata"));
	assert_false(when_zone_valid("Mars/Olympus_Mons"));
	assert_false(when_zone_valid(""));
	assert_false(when_zone_valid(NULL));
	assert_false(when_zone_valid("/usr/share/zoneinfo/UTC"));
	assert_false(when_zone_valid("../zoneinfo/UTC"));
	assert_false(when_zone_valid("America/../UTC"));
	assert_false(when_zone_valid("America"));	/* a directory */
	assert_false(when_zone_valid("America//New_York"));
	assert_false(when_zone_valid("America/New York"));
}

static void
test_zone_tzdir(void **state)
{
	char	*cause = NULL, *p;

	(void)state;
	/* A file under TZDIR that is not TZif is refused. */
	p = test_write_file("Fake", "not a zone file\n");
	setenv("TZDIR", test_tmpdir(), 1);
	assert_false(when_zone_valid("Fake"));
	assert_false(when_zone_valid("UTC"));
	assert_int_equal(when_set_zone("Fake", &cause), -1);
	assert_non_null(strstr(cause, "Fake"));
	free(cause);
	unsetenv("TZDIR");
	assert_true(when_zone_valid("UTC"));
	free(p);
}

static void
test_set_zone(void **state)
{
	char	*cause = NULL;

	(void)state;
	assert_int_equal(when_set_zone("Nowhere/Land", &cause), -1);
	assert_non_null(strstr(cause, "Nowhere/Land"));
	free(cause);
	test_zone("America/New_York");
	assert_string_equal(when_zone(), "America/New_York");
	assert_string_equal(getenv("TZ"), "America/New_York");
}

static void
test_parse_forms(void **state)
{
	(void)state;
	test_zone("America/New_York");
	assert_string_equal(fmt(test_at("2026-11-23T09:30:00Z")),
	    "2026-11-23T09:30:00Z");
	assert_string_equal(fmt(test_at("2026-11-23T09:30:00-05:00")),
	    "2026-11-23T14:30:00Z");
	assert_string_equal(fmt(test_at("2026-11-23T09:30:00+05:30")),
	    "2026-11-23T04:00:00Z");
	assert_string_equal(fmt(test_at("2026-11-23T09:30Z")),
	    "2026-11-23T09:30:00Z");
	assert_string_equal(fmt(test_at("2026-11-23T09:30:00.750Z")),
	    "2026-11-23T09:30:00Z");
	/* Team-local: New York is UTC-5 in November, UTC-4 in July. */
	assert_string_equal(fmt(test_at("2026-11-23 09:30")),
	    "2026-11-23T14:30:00Z");
	assert_string_equal(fmt(test_at("2026-11-23T09:30")),
	    "2026-11-23T14:30:00Z");
	assert_string_equal(fmt(test_at("2026-07-01T09:30:15")),
	    "2026-07-01T13:30:15Z");
	assert_string_equal(fmt(test_at("2026-11-23")),
	    "2026-11-23T05:00:00Z");
	assert_string_equal(fmt(test_at("2028-02-29")),
	    "2028-02-29T05:00:00Z");
	assert_string_equal(fmt(test_at("2000-02-29T00:00:00Z")),
	    "2000-02-29T00:00:00Z");
	assert_string_equal(fmt(test_at("2026-12-31T23:59:59+14:00")),
	    "2026-12-31T09:59:59Z");
	assert_string_equal(fmt(test_at("2026-01-01T00:00:00-14:00")),
	    "2026-01-01T14:00:00Z");
}

static void
test_parse_dst(void **state)
{
	(void)state;
	test_zone("America/New_York");
	/* 01:30 before the spring change is EST, 03:30 after it is EDT. */
	assert_string_equal(fmt(test_at("2026-03-08T01:30")),
	    "2026-03-08T06:30:00Z");
	assert_string_equal(fmt(test_at("2026-03-08T03:30")),
	    "2026-03-08T07:30:00Z");
	/* 02:30 does not exist that day: it moves forward by the change. */
	assert_string_equal(fmt(test_at("2026-03-08T02:30")),
	    "2026-03-08T07:30:00Z");
	/* 01:30 happens twice on 2026-11-01: either reading is accepted. */
	{
		time_t t = test_at("2026-11-01T01:30");
		assert_true(strcmp(fmt(t), "2026-11-01T05:30:00Z") == 0 ||
		    strcmp(fmt(t), "2026-11-01T06:30:00Z") == 0);
	}
}

static void
test_parse_strict(void **state)
{
	(void)state;
	test_zone("America/New_York");
	parse_bad("2026-13-01", "month");
	parse_bad("2026-00-10", "month");
	parse_bad("2026-02-30", "day");
	parse_bad("2026-02-29", "day");
	parse_bad("1900-02-29", "day");
	parse_bad("2026-04-31", "day");
	parse_bad("2026-11-00", "day");
	parse_bad("2026-11-23x", "after");
	parse_bad("2026-11-23T09:30:00Zjunk", "after");
	parse_bad("2026-11-23T09:30:00 ", "after");
	parse_bad("2026-11-23T", "time");
	parse_bad("2026-11-23T9:30", "time");
	parse_bad("2026-11-23T24:00", "hour");
	parse_bad("2026-11-23T23:60", "minutes");
	parse_bad("2026-11-23T23:59:60Z", "seconds");
	parse_bad("2026-11-23T23:59:5Z", "seconds");
	parse_bad("2026-11-23T09:30:00.Z", "digits");
	parse_bad("2026-11-23T09:30:00+15:00", "offset");
	parse_bad("2026-11-23T09:30:00+14:01", "offset");
	parse_bad("2026-11-23T09:30:00-05:60", "offset");
	parse_bad("2026-11-23T09:30:00+0500", "offset");
	parse_bad("2026-11-23T09:30:00+5", "offset");
	parse_bad("2026-11-23T09:30:00z", "after");
	parse_bad("26-11-23", "YYYY-MM-DD");
	parse_bad("2026/11/23", "YYYY-MM-DD");
	parse_bad("", "YYYY-MM-DD");
	parse_bad(" 2026-11-23", "YYYY-MM-DD");
	parse_bad("tomorrow", "\"tomorrow\"");
}

static void
test_parse_message(void **state)
{
	char	*cause = NULL;
	time_t	 t;
	char	 longv[200];

	(void)state;
	assert_int_equal(when_parse("2026-13-01", &t, &cause), -1);
	assert_non_null(strstr(cause, "\"2026-13-01\""));
	free(cause);
	/* Control characters never reach the message; long values are cut. */
	assert_int_equal(when_parse("2026-\x1b[2J", &t, &cause), -1);
	assert_null(strchr(cause, '\x1b'));
	free(cause);
	memset(longv, '7', sizeof longv - 1);
	longv[sizeof longv - 1] = '\0';
	assert_int_equal(when_parse(longv, &t, &cause), -1);
	assert_true(strlen(cause) < 200);
	assert_non_null(strstr(cause, "..."));
	free(cause);
}

static void
test_format(void **state)
{
	char	buf[WHEN_ISO_LEN];

	(void)state;
	assert_string_equal(when_format(0, buf), "1970-01-01T00:00:00Z");
	assert_string_equal(when_format(1795440600, buf),
	    "2026-11-23T13:30:00Z");
	assert_string_equal(when_format(WHEN_MAX + 1000, buf),
	    "9999-12-31T23:59:59Z");
	assert_string_equal(when_format(WHEN_MIN - 1000, buf),
	    "0000-01-01T00:00:00Z");
	assert_int_equal(strlen(when_format(-1, buf)), WHEN_ISO_LEN - 1);
}

static void
test_team_tm(void **state)
{
	struct tm	tm;
	time_t		t;

	(void)state;
	test_zone("Asia/Kolkata");
	t = test_at("2026-11-23T09:30:00Z");
	when_team_tm(t, &tm);
	assert_int_equal(tm.tm_hour, 15);
	assert_int_equal(tm.tm_min, 0);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = 126;
	tm.tm_mon = 10;
	tm.tm_mday = 23;
	tm.tm_hour = 15;
	tm.tm_isdst = 1;	/* ignored: the zone decides */
	assert_int_equal(when_team_mktime(&tm), t);
	test_zone("America/New_York");
}

static void
test_viewer_tm(void **state)
{
	struct tm	tm;
	time_t		t;

	(void)state;
	/* The viewer's zone is what TZ was at the first when_set_zone. */
	t = test_at("2026-11-23T09:30:00Z");
	when_viewer_tm(t, &tm);
	assert_int_equal(tm.tm_hour, 18);	/* Asia/Tokyo, set in main */
	assert_string_equal(getenv("TZ"), "America/New_York");
	when_team_tm(t, &tm);
	assert_int_equal(tm.tm_hour, 4);
}

static void
test_now_pin(void **state)
{
	time_t	before, now;

	(void)state;
	when_pin(1795440600);
	assert_int_equal(when_now(), 1795440600);
	when_unpin();
	before = time(NULL);
	now = when_now();
	assert_true(now >= before && now <= time(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_utc),
		cmocka_unit_test(test_zone_valid),
		cmocka_unit_test(test_zone_tzdir),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_set_zone),
		cmocka_unit_test(test_parse_forms),
		cmocka_unit_test(test_parse_dst),
		cmocka_unit_test(test_parse_strict),
		cmocka_unit_test(test_parse_message),
		cmocka_unit_test(test_team_tm),
		cmocka_unit_test(test_viewer_tm),
		cmocka_unit_test(test_now_pin),
	};
	int	rc;

	/* The viewer sits in Tokyo; the team works in New York. */
	setenv("TZ", "Asia/Tokyo", 1);
	unsetenv("TZDIR");
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	test_cleanup();
	return (rc);
}
