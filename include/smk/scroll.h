/*
 * A scroll offset over a list of n rows shown h at a time, as the help
 * overlay and the Goals screen keep it: the key handler moves it for a
 * movement action and the next draw clamps it to the rows there are (the
 * draw is the first to know h). TUI layer, but pure arithmetic: no curses.
 */
#ifndef SMK_SCROLL_H
#define SMK_SCROLL_H

#include <stdbool.h>

#include "smk/action.h"

/*
 * Move *top for up and down (one row), page up and down (page rows), top
 * and bottom (n, for scroll_clamp to pull back). Other actions leave it.
 * True when *top changed.
 */
bool	 scroll_key(int *top, enum action_id, int page, int n);
/* Keep *top within [0, n - h] so that the last page is full. */
void	 scroll_clamp(int *top, int n, int h);

#endif
