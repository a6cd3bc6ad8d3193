/*
 * action.c: the action table, key names and the keymap with user bindings.
 */
#include <curses.h>

#include "testutil.h"

#include "smk/action.h"

static void
test_key_names_parse(void **state)
{
	(void)state;
	assert_int_equal(action_key_parse("j"), 'j');
	assert_int_equal(action_key_parse(">"), '>');
	assert_int_equal(action_key_parse("<"), '<');
	assert_int_equal(action_key_parse("<lt>"), '<');
	assert_int_equal(action_key_parse("<Down>"), ACTION_KEY_FN | KEY_DOWN);
	assert_int_equal(action_key_parse("<down>"), ACTION_KEY_FN | KEY_DOWN);
	assert_int_equal(action_key_parse("<PgDn>"), ACTION_KEY_FN | KEY_NPAGE);
	assert_int_equal(action_key_parse("<Enter>"), '\n');
	assert_int_equal(action_key_parse("<Esc>"), 0x1b);
	assert_int_equal(action_key_parse("C-l"), 12);
	assert_int_equal(action_key_parse("^L"), 12);
	assert_int_equal(action_key_parse("<C-d>"), 4);
	assert_int_equal(action_key_parse("<F5>"), ACTION_KEY_FN | KEY_F(5));
	assert_int_equal(action_key_parse("é"), 0xe9);
	/* Not keys. */
	assert_int_equal(action_key_parse(""), -1);
	assert_int_equal(action_key_parse("jj"), -1);
	assert_int_equal(action_key_parse("<Nope>"), -1);
	assert_int_equal(action_key_parse("<F13>"), -1);
	assert_int_equal(action_key_parse("C-1"), -1);
	assert_int_equal(action_key_parse(NULL), -1);
}

static void
test_key_names_round_trip(void **state)
{
	const char *names[] = { "j", "<Down>", "<Enter>", "C-l", "<F1>",
	    "<", ">", "<Space>", "<PgUp>", "<Esc>" };
	char buf[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		int key = action_key_parse(names[i]);

		assert_int_not_equal(key, -1);
		assert_string_equal(action_key_name(key, buf, sizeof buf),
		    names[i]);
	}
}

static void
test_table_is_complete(void **state)
{
	const struct action *t;
	size_t n, i;
	int id;

	(void)state;
	t = action_table(&n);
	assert_int_equal(n, ACTION__COUNT - 1);
	for (id = 1; id < ACTION__COUNT; id++)
		assert_non_null(action_get((enum action_id)id));
	for (i = 0; i < n; i++) {
		assert_ptr_equal(action_by_name(t[i].name), &t[i]);
		assert_true(t[i].help[0] != '\0');
	}
	assert_null(action_by_name("no-such-action"));
}

static void
test_default_bindings(void **state)
{
	struct keymap *km = keymap_create();
	char buf[64];

	(void)state;
	assert_int_equal(keymap_lookup(km, ACTION_SCOPE_BOARD, 'j'),
	    ACTION_MOVE_DOWN);
	assert_int_equal(keymap_lookup(km, ACTION_SCOPE_BOARD,
	    ACTION_KEY_FN | KEY_DOWN), ACTION_MOVE_DOWN);
	assert_int_equal(keymap_lookup(km, ACTION_SCOPE_BOARD, '>'),
	    ACTION_STAGE_NEXT);
	assert_int_equal(keymap_lookup(km, ACTION_SCOPE_BOARD, '<'),
	    ACTION_STAGE_BACK);
	/* Global actions work everywhere. */
	assert_int_equal(keymap_lookup(km, ACTION_SCOPE_HELP, '?'),
	    ACTION_HELP);
	assert_int_equal(keymap_lookup(km, ACTION_SCOPE_DETAIL, 'q'),
	    ACTION_QUIT);
	/* Scoped actions do not leak into other views. */
	assert_int_equal(keymap_lookup(km, ACTION_SCOPE_BOARD, 'E'),
	    ACTION_NONE);
	assert_int_equal(keymap_lookup(km, ACTION_SCOPE_DETAIL, 'E'),
	    ACTION_EDIT_NOTES);
	assert_int_equal(keymap_lookup(km, ACTION_SCOPE_HELP, 'x'),
	    ACTION_NONE);
	assert_string_equal(keymap_keys(km, ACTION_MOVE_DOWN, buf, sizeof buf),
	    "j, <Down>");
	keymap_free(km);
}

static void
test_user_bindings_replace(void **state)
{
	struct keymap *km = keymap_create();
	struct keybind binds[] = {
		{ "n, <Down>", "move-down" },	/* n was lead-new */
		{ "C-x", "quit" },
	};
	char buf[64], *cause = NULL;

	(void)state;
	assert_int_equal(keymap_load(km, binds, 2, &cause), 0);
	assert_null(cause);
	assert_int_equal(keymap_lookup(km, ACTION_SCOPE_BOARD, 'n'),
	    ACTION_MOVE_DOWN);
	/* The old key of the action is gone; the taken key left lead-new. */
	assert_int_equal(keymap_lookup(km, ACTION_SCOPE_BOARD, 'j'),
	    ACTION_NONE);
	assert_string_equal(keymap_keys(km, ACTION_LEAD_NEW, buf, sizeof buf),
	    "");
	assert_int_equal(keymap_lookup(km, ACTION_SCOPE_BOARD, 24),
	    ACTION_QUIT);
	assert_int_equal(keymap_lookup(km, ACTION_SCOPE_BOARD, 'q'),
	    ACTION_NONE);
	keymap_free(km);
}

/*
 * The playbook's loader gives "move-down = J, <Down>" as one bind per key:
 * all of them bind, and only the action's defaults give way.
 */
static void
test_user_bindings_split(void **state)
{
	struct keymap *km = keymap_create();
	struct keybind binds[] = {
		{ "J", "move-down" },
		{ "<Down>", "move-down" },
		{ "K", "move-up" },
	};
	char buf[64], *cause = NULL;

	(void)state;
	assert_int_equal(keymap_load(km, binds, 3, &cause), 0);
	assert_null(cause);
	assert_string_equal(keymap_keys(km, ACTION_MOVE_DOWN, buf, sizeof buf),
	    "J, <Down>");
	assert_int_equal(keymap_lookup(km, ACTION_SCOPE_BOARD, 'j'),
	    ACTION_NONE);
	assert_string_equal(keymap_keys(km, ACTION_MOVE_UP, buf, sizeof buf),
	    "K");
	keymap_free(km);
}

static void
test_user_binding_errors(void **state)
{
	struct keymap *km = keymap_create();
	struct keybind binds[] = {
		{ "z", "fly-away" },
		{ "<Bogus>, J", "move-down" },
	};
	char *cause = NULL;

	(void)state;
	assert_int_equal(keymap_load(km, binds, 2, &cause), 2);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "fly-away"));
	assert_non_null(strstr(cause, "<Bogus>"));
	/* The good key of a partly bad line still binds. */
	assert_int_equal(keymap_lookup(km, ACTION_SCOPE_BOARD, 'J'),
	    ACTION_MOVE_DOWN);
	assert_int_equal(keymap_lookup(km, ACTION_SCOPE_BOARD, 'z'),
	    ACTION_NONE);
	free(cause);
	keymap_free(km);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_names_parse),
		cmocka_unit_test(test_key_names_round_trip),
		cmocka_unit_test(test_table_is_complete),
		cmocka_unit_test(test_default_bindings),
		cmocka_unit_test(test_user_bindings_replace),
		cmocka_unit_test(test_user_bindings_split),
		cmocka_unit_test(test_user_binding_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
