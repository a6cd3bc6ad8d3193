/*
 * Scroll offsets of the list views (see scroll.h). Owns only the arithmetic
 * of top, page and bottom; must not draw or know what the rows are.
 */
#include "smk/scroll.h"

bool
scroll_key(int *top, enum action_id a, int page, int n)
{
	int old = *top;

	switch (a) {
	case ACTION_MOVE_UP:
		(*top)--;
		break;
	case ACTION_MOVE_DOWN:
		(*top)++;
		break;
	case ACTION_PAGE_UP:
		*top -= page;
		break;
	case ACTION_PAGE_DOWN:
		*top += page;
		break;
	case ACTION_MOVE_TOP:
		*top = 0;
		break;
	case ACTION_MOVE_BOTTOM:
		*top = n;
		break;
	default:
		break;
	}
	return *top != old;
}

void
scroll_clamp(int *top, int n, int h)
{
	if (*top > n - h)
		*top = n - h;
	if (*top < 0)
		*top = 0;
}
