/*
 * scroll.c: the scroll offset of the help overlay and the Goals screen.
 */
#include "testutil.h"

#include "smk/scroll.h"

static void
test_scroll_moves(void **state)
{
	int top = 5;

	(void)state;
	assert_true(scroll_key(&top, ACTION_MOVE_DOWN, 4, 20));
	assert_int_equal(top, 6);
	assert_true(scroll_key(&top, ACTION_MOVE_UP, 4, 20));
	assert_int_equal(top, 5);
	assert_true(scroll_key(&top, ACTION_PAGE_DOWN, 4, 20));
	assert_int_equal(top, 9);
	assert_true(scroll_key(&top, ACTION_PAGE_UP, 4, 20));
	assert_int_equal(top, 5);
	assert_true(scroll_key(&top, ACTION_MOVE_BOTTOM, 4, 20));
	assert_int_equal(top, 20);
	assert_true(scroll_key(&top, ACTION_MOVE_TOP, 4, 20));
	assert_int_equal(top, 0);
	/* Already there, or not a movement: nothing to redraw. */
	assert_false(scroll_key(&top, ACTION_MOVE_TOP, 4, 20));
	assert_false(scroll_key(&top, ACTION_CLOSE, 4, 20));
	assert_int_equal(top, 0);
}

static void
test_scroll_clamp(void **state)
{
	int top;

	(void)state;
	/* The bottom leaves a full last page: 20 rows, 6 shown. */
	top = 20;
	scroll_clamp(&top, 20, 6);
	assert_int_equal(top, 14);
	/* Above the first row. */
	top = -3;
	scroll_clamp(&top, 20, 6);
	assert_int_equal(top, 0);
	/* Fewer rows than fit: always the first. */
	top = 2;
	scroll_clamp(&top, 3, 6);
	assert_int_equal(top, 0);
	/* In range: kept. */
	top = 7;
	scroll_clamp(&top, 20, 6);
	assert_int_equal(top, 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scroll_moves),
		cmocka_unit_test(test_scroll_clamp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
