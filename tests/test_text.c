/*
 * text.c: what outside text may reach a terminal, and display widths.
 */
#include <locale.h>

#include "testutil.h"

#include "smk/text.h"

/* Sanitize s and compare with want; frees the result. */
static void
check_sanitize(const char *s, const char *want)
{
	char *got = text_sanitize(s);

	assert_string_equal(got, want);
	free(got);
}

static void
test_plain_text_unchanged(void **state)
{
	(void)state;
	check_sanitize("Ann Lee <ann@example.com>", "Ann Lee <ann@example.com>");
	check_sanitize("Zoë Müller, 東京", "Zoë Müller, 東京");
	check_sanitize("", "");
	check_sanitize(NULL, "");
}

static void
test_escape_sequences_removed_whole(void **state)
{
	(void)state;
	/* CSI colour, cursor movement and screen clear. */
	check_sanitize("\x1b[31mred\x1b[0m", "red");
	check_sanitize("a\x1b[2J\x1b[1;1Hb", "ab");
	check_sanitize("x\x1b[?1049hy", "xy");
	/* OSC title set, with BEL and with ST terminators. */
	check_sanitize("\x1b]0;pwned\x07name", "name");
	check_sanitize("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "link");
	/* DCS and an unterminated OSC swallowing the rest. */
	check_sanitize("a\x1bPq#0;2;0\x1b\\b", "ab");
	check_sanitize("keep\x1b]2;never ends", "keep");
	/* Two-byte and charset escapes. */
	check_sanitize("a\x1b" "cb", "ab");
	check_sanitize("a\x1b(0b", "ab");
	check_sanitize("trailing\x1b", "trailing");
}

static void
test_controls_removed(void **state)
{
	(void)state;
	check_sanitize("a\x01\x02\x7f" "b\x08" "c", "abc");
	check_sanitize("line1\nline2\tx\r", "line1 line2 x ");
	/* C1 controls as UTF-8, including CSI (U+009B) with its body. */
	check_sanitize("a\xc2\x85" "b", "ab");
	check_sanitize("a\xc2\x9b" "31mb", "ab");
	check_sanitize("a\xc2\x9d" "0;t\xc2\x9c" "b", "ab");
	/* Line and paragraph separators end lines too. */
	check_sanitize("a\xe2\x80\xa8" "b", "a b");
}

static void
test_bidi_removed(void **state)
{
	(void)state;
	/* RLO: "evil\u202Etxt.exe" would show reversed. */
	check_sanitize("evil\xe2\x80\xae" "txt.exe", "eviltxt.exe");
	check_sanitize("\xe2\x80\xaa" "a\xe2\x80\xac", "a");
	check_sanitize("\xe2\x81\xa6" "b\xe2\x81\xa9", "b");
	check_sanitize("c\xe2\x80\x8e\xe2\x80\x8f" "d", "cd");
	check_sanitize("e\xd8\x9c" "f", "ef");
	/* Hebrew itself is fine. */
	check_sanitize("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d",
	    "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d");
}

static void
test_invalid_utf8_replaced(void **state)
{
	(void)state;
	check_sanitize("a\xff" "b", "a\xef\xbf\xbd" "b");
	/* Overlong '/', a surrogate, beyond U+10FFFF, truncated sequence. */
	check_sanitize("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");
	check_sanitize("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	check_sanitize("\xf4\x90\x80\x80",
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	check_sanitize("ok\xe6\x9d", "ok\xef\xbf\xbd\xef\xbf\xbd");
	/* A lone continuation byte that looks like C1 CSI is not one. */
	check_sanitize("\x9b" "31m", "\xef\xbf\xbd" "31m");
}

static void
test_width(void **state)
{
	(void)state;
	assert_int_equal(text_width(""), 0);
	assert_int_equal(text_width("hello"), 5);
	assert_int_equal(text_width("東京"), 4);
	/* e + COMBINING ACUTE ACCENT is one column. */
	assert_int_equal(text_width("e\xcc\x81"), 1);
	assert_int_equal(text_width("Zoë"), 3);
	/* Invalid bytes count as the U+FFFD they become. */
	assert_int_equal(text_width("a\xff"), 2);
}

static void
test_fit_ascii(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(text_fit(buf, sizeof buf, "short", 10), 5);
	assert_string_equal(buf, "short");
	assert_int_equal(text_fit(buf, sizeof buf, "exactly", 7), 7);
	assert_string_equal(buf, "exactly");
	assert_int_equal(text_fit(buf, sizeof buf, "truncated", 5), 5);
	assert_string_equal(buf, "trun~");
	assert_int_equal(text_fit(buf, sizeof buf, "ab", 1), 1);
	assert_string_equal(buf, "~");
	assert_int_equal(text_fit(buf, sizeof buf, "ab", 0), 0);
	assert_string_equal(buf, "");
}

static void
test_fit_wide_never_split(void **state)
{
	char buf[64];

	(void)state;
	/* 6 columns into 4: "東" (2) + "~"; "京" would need 4 + 1. */
	assert_int_equal(text_fit(buf, sizeof buf, "東京都", 4), 3);
	assert_string_equal(buf, "東~");
	assert_int_equal(text_fit(buf, sizeof buf, "東京都", 5), 5);
	assert_string_equal(buf, "東京~");
	assert_int_equal(text_fit(buf, sizeof buf, "東京都", 6), 6);
	assert_string_equal(buf, "東京都");
	assert_int_equal(text_fit(buf, sizeof buf, "a東", 2), 2);
	assert_string_equal(buf, "a~");
}

static void
test_fit_combining_stays(void **state)
{
	char buf[64];

	(void)state;
	/* "éé" with combining accents: 2 columns, 6 bytes. */
	assert_int_equal(text_fit(buf, sizeof buf, "e\xcc\x81" "e\xcc\x81", 2),
	    2);
	assert_string_equal(buf, "e\xcc\x81" "e\xcc\x81");
	/* Cut after the first: its accent goes with it. */
	assert_int_equal(text_fit(buf, sizeof buf,
	    "e\xcc\x81" "e\xcc\x81" "x", 2), 2);
	assert_string_equal(buf, "e\xcc\x81~");
}

static void
test_fit_small_buffer(void **state)
{
	char buf[5];

	(void)state;
	/* Room for 4 bytes: "東" (3) + "~" ; never half a character. */
	text_fit(buf, sizeof buf, "東京都", 20);
	assert_string_equal(buf, "東~");
	text_fit(buf, sizeof buf, "abcdefgh", 20);
	assert_string_equal(buf, "abc~");
}

static void
test_trim_and_casecmp(void **state)
{
	char s[] = "  \t hello world \n";
	char e[] = "   ";

	(void)state;
	assert_string_equal(text_trim(s), "hello world");
	assert_string_equal(text_trim(e), "");
	assert_int_equal(text_casecmp("Sales", "sALES"), 0);
	assert_true(text_casecmp("a", "b") < 0);
	assert_true(text_casecmp("b", "A") > 0);
	assert_true(text_casecmp("ab", "a") > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text_unchanged),
		cmocka_unit_test(test_escape_sequences_removed_whole),
		cmocka_unit_test(test_controls_removed),
		cmocka_unit_test(test_bidi_removed),
		cmocka_unit_test(test_invalid_utf8_replaced),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_fit_ascii),
		cmocka_unit_test(test_fit_wide_never_split),
		cmocka_unit_test(test_fit_combining_stays),
		cmocka_unit_test(test_fit_small_buffer),
		cmocka_unit_test(test_trim_and_casecmp),
	};

	/* Widths come from wcwidth, which needs a UTF-8 locale. */
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "en_US.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
