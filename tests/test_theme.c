/*
 * theme.c: role names, colour words, theme files and their warnings. Runs
 * from the top of the tree (make test), where themes/ is.
 */
#include "testutil.h"

#include "smk/theme.h"

struct warnings {
	int	 n;
	char	 last[256];
};

static void
collect(const char *msg, void *arg)
{
	struct warnings *w = arg;

	w->n++;
	snprintf(w->last, sizeof w->last, "%s", msg);
}

static void
test_roles_and_colours(void **state)
{
	int r;

	(void)state;
	for (r = 0; r < ROLE__COUNT; r++)
		assert_int_equal(theme_role_from_name(theme_role_name(r)), r);
	assert_int_equal(theme_role_from_name("card_breached"),
	    ROLE_CARD_BREACHED);
	assert_int_equal(theme_role_from_name("nope"), -1);
	assert_int_equal(theme_color_parse("red"), 1);
	assert_int_equal(theme_color_parse("brightblue"), 12);
	assert_int_equal(theme_color_parse("color208"), 208);
	assert_int_equal(theme_color_parse("default"), THEME_DEFAULT_COLOR);
	assert_int_equal(theme_color_parse("color256"), -2);
	assert_int_equal(theme_color_parse("mauve"), -2);
}

static void
test_file_overlays_builtin(void **state)
{
	struct theme t;
	struct warnings w = { 0, "" };
	char *path, *cause = NULL;
	struct theme_style before;

	(void)state;
	path = test_write_file("t1.ini",
	    "[colors]\n"
	    "card_breached = white on red bold underline\n"
	    "column_sales  = color33\n"
	    "no_such_role  = red\n"
	    "card_score    = chartreuse\n");
	theme_builtin(&t);
	before = t.style[ROLE_CARD_SCORE];
	assert_int_equal(theme_load_file(&t, path, collect, &w, &cause), 0);
	assert_int_equal(t.style[ROLE_CARD_BREACHED].fg, 7);
	assert_int_equal(t.style[ROLE_CARD_BREACHED].bg, 1);
	assert_int_equal(t.style[ROLE_CARD_BREACHED].attrs,
	    THEME_BOLD | THEME_UNDERLINE);
	assert_int_equal(t.style[ROLE_COLUMN_SALES].fg, 33);
	assert_int_equal(t.style[ROLE_COLUMN_SALES].bg, THEME_DEFAULT_COLOR);
	/* The bad value keeps the role as it was, with a message naming it. */
	assert_int_equal(t.style[ROLE_CARD_SCORE].fg, before.fg);
	assert_int_equal(w.n, 2);
	assert_non_null(strstr(w.last, "card_score"));
	assert_non_null(strstr(w.last, "chartreuse"));
	assert_non_null(strstr(w.last, path));
	theme_free(&t);
	free(path);
}

static void
test_missing_theme_falls_back(void **state)
{
	struct theme t;
	char *cause = NULL;

	(void)state;
	assert_int_equal(theme_load(&t, "no-such-theme", NULL, NULL, &cause),
	    -1);
	assert_non_null(strstr(cause, "no-such-theme"));
	assert_string_equal(t.name, "default");
	assert_int_equal(t.style[ROLE_CARD_BREACHED].fg, 1);
	free(cause);
	theme_free(&t);

	cause = NULL;
	assert_int_equal(theme_load(&t, "..hidden name", NULL, NULL,
	    &cause), -1);
	free(cause);
	theme_free(&t);
}

static void
test_shipped_themes_are_clean(void **state)
{
	const char *names[] = { "default", "light", "solarized",
	    "high-contrast", "mono" };
	struct warnings w = { 0, "" };
	struct theme t;
	char *cause = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		assert_int_equal(theme_load(&t, names[i], collect, &w, &cause),
		    0);
		assert_null(cause);
		assert_string_equal(t.name, names[i]);
		theme_free(&t);
	}
	assert_int_equal(w.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles_and_colours),
		cmocka_unit_test(test_file_overlays_builtin),
		cmocka_unit_test(test_missing_theme_falls_back),
		cmocka_unit_test(test_shipped_themes_are_clean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
