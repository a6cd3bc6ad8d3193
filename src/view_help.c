/*
 * Help (?): every action with its current keys and its help text, generated
 * from the action table and the keymap, so it cannot drift from what the
 * keys do. Drawn as a box over the view below. Must not hold its own list
 * of keys.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smk/scroll.h"
#include "smk/tui.h"
#include "smk/xmalloc.h"

#define HELP_KEYS_W	22
#define HELP_MAX_W	96

struct help_row {
	const struct action	*action;	/* NULL: a heading */
	const char		*heading;
};

struct help {
	struct help_row	*rows;
	size_t		 n;
	int		 top;
	int		 h;	/* rows shown at the last draw */
};

static const struct {
	unsigned	 scope;
	const char	*heading;
} help_groups[] = {
	{ ACTION_SCOPE_GLOBAL, "Everywhere" },
	{ ACTION_SCOPE_BOARD, "Board" },
	{ ACTION_SCOPE_DETAIL, "Lead detail" },
};

static const enum action_id help_hints[] = {
	ACTION_MOVE_DOWN, ACTION_MOVE_UP, ACTION_CLOSE, ACTION_NONE
};

/* An action goes under the first group whose scope it has. */
static bool
help_in_group(const struct action *a, size_t g)
{
	size_t k;

	for (k = 0; k < g; k++) {
		if (a->scope & help_groups[k].scope)
			return false;
	}
	return (a->scope & help_groups[g].scope) != 0;
}

static int
help_open(struct tui *t, struct view *v, const void *arg, char **cause)
{
	const struct action *tab;
	struct help *h;
	size_t n, g, i;

	(void)t;
	(void)arg;
	(void)cause;
	tab = action_table(&n);
	h = xcalloc(1, sizeof *h);
	h->rows = xcalloc(n + 3 * 2, sizeof *h->rows);
	for (g = 0; g < 3; g++) {
		if (h->n > 0)
			h->rows[h->n++].heading = "";
		h->rows[h->n++].heading = help_groups[g].heading;
		for (i = 0; i < n; i++) {
			if (help_in_group(&tab[i], g))
				h->rows[h->n++].action = &tab[i];
		}
	}
	v->data = h;
	return 0;
}

static void
help_close(struct tui *t, struct view *v)
{
	struct help *h = v->data;

	(void)t;
	free(h->rows);
	free(h);
}

static void
help_draw(struct tui *t, struct view *v, int y, int x, int hh, int ww)
{
	struct help *h = v->data;
	char keys[64];
	int w, bx, by, bh, i, kw;
	size_t k;

	w = ww - 4 < HELP_MAX_W ? ww - 4 : HELP_MAX_W;
	bh = hh - 2;
	bx = x + (ww - w) / 2;
	by = y + 1;
	h->h = bh - 2;
	scroll_clamp(&h->top, (int)h->n, h->h);
	tui_box(by, bx, bh, w, ROLE_MENU);
	tui_put(by, bx + 2, w - 4, ROLE_MENU, " Keys (? or q closes; "
	    "set your own in [keys] of config.ini) ");
	kw = w / 3 < HELP_KEYS_W ? w / 3 : HELP_KEYS_W;
	for (i = 0; i < h->h; i++) {
		k = (size_t)(h->top + i);
		if (k >= h->n)
			break;
		if (h->rows[k].action == NULL) {
			tui_put(by + 1 + i, bx + 2, w - 4, ROLE_TITLE,
			    h->rows[k].heading);
			continue;
		}
		keymap_keys(tui_keymap(t), h->rows[k].action->id, keys,
		    sizeof keys);
		tui_put(by + 1 + i, bx + 2, kw, ROLE_KEY,
		    keys[0] != '\0' ? keys : "(none)");
		tui_put(by + 1 + i, bx + 3 + kw, w - kw - 4, ROLE_MENU,
		    h->rows[k].action->help);
	}
}

static int
help_key(struct tui *t, struct view *v, enum action_id a, int key)
{
	struct help *h = v->data;
	int page = h->h > 1 ? h->h - 1 : 1;

	(void)t;
	(void)key;
	if (a == ACTION_CLOSE)
		return TUI_CLOSE;
	return scroll_key(&h->top, a, page, (int)h->n) ? TUI_DRAW : TUI_NONE;
}

const struct view_ops view_help_ops = {
	.name = "help",
	.scope = ACTION_SCOPE_HELP,
	.open = help_open,
	.close = help_close,
	.draw = help_draw,
	.key = help_key,
	.hints = help_hints,
	.overlay = true,
};
