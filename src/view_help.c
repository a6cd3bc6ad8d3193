/*
 * Help (?): every action with its current keys and its help text, generated
 * from the action table and the keymap, so it cannot drift from what the
 * keys do. An action is listed under every screen it works on, so each
 * screen's group is that screen's whole list; the screen the help was opened
 * on comes right after "Everywhere". Drawn as a box over the view below,
 * long texts wrapped rather than cut. Must not hold its own list of keys.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smk/scroll.h"
#include "smk/text.h"
#include "smk/tui.h"
#include "smk/xmalloc.h"

#define HELP_KEYS_W	22
#define HELP_MAX_W	96

struct help_row {
	const struct action	*action;	/* NULL: a heading ("": a gap) */
	const char		*heading;
	bool			 here;		/* the screen under the help */
};

/* One line on screen: the rows wrapped to the box's width. */
struct help_line {
	char	*keys;		/* NULL: a heading */
	char	*text;
	size_t	 row;
};

struct help {
	struct help_row		*rows;
	size_t			 nrows;
	size_t			 here;		/* the screen's heading row */
	size_t			 here_end;	/* the row after its group */
	struct help_line	*lines;
	size_t			 nlines;
	int			 laid_w;	/* the box width lines fit */
	bool			 placed;	/* the first draw chose top */
	int			 top;
	int			 h;	/* lines shown at the last draw */
};

/*
 * Every scope the table has, in the order shown; 0 catches an action with
 * none of them, so a new scope is listed before it has its own heading.
 */
static const struct {
	unsigned	 scope;
	const char	*heading;
} help_groups[] = {
	{ ACTION_SCOPE_GLOBAL, "Everywhere" },
	{ ACTION_SCOPE_BOARD, "Board" },
	{ ACTION_SCOPE_DETAIL, "Lead detail" },
	{ ACTION_SCOPE_SLA, "SLA timers" },
	{ ACTION_SCOPE_FLOW, "Flow" },
	{ ACTION_SCOPE_GOALS, "Goals" },
	{ ACTION_SCOPE_HELP, "This help" },
	{ 0, "Other" },
};
#define HELP_NGROUPS (sizeof help_groups / sizeof help_groups[0])

static const enum action_id help_hints[] = {
	ACTION_MOVE_DOWN, ACTION_MOVE_UP, ACTION_CLOSE, ACTION_NONE
};

static bool
help_in_group(const struct action *a, size_t g)
{
	unsigned all = 0;
	size_t k;

	if (help_groups[g].scope != 0)
		return (a->scope & help_groups[g].scope) != 0;
	for (k = 0; k < HELP_NGROUPS; k++)
		all |= help_groups[k].scope;
	return (a->scope & all) == 0;
}

/* Group g's heading and actions; nothing when no action is in it. */
static void
help_add_group(struct help *h, size_t g, bool here)
{
	const struct action *tab;
	size_t n, i, first = h->nrows;
	bool any = false;

	tab = action_table(&n);
	if (h->nrows > 0)
		h->rows[h->nrows++].heading = "";
	h->rows[h->nrows].heading = help_groups[g].heading;
	h->rows[h->nrows++].here = here;
	for (i = 0; i < n; i++) {
		if (help_in_group(&tab[i], g)) {
			h->rows[h->nrows++].action = &tab[i];
			any = true;
		}
	}
	if (!any) {
		memset(&h->rows[first], 0, (h->nrows - first) * sizeof *h->rows);
		h->nrows = first;
	} else if (here) {
		h->here = first + (first > 0);
		h->here_end = h->nrows;
	}
}

/* arg: the view_ops of the screen under the help, or NULL. */
static int
help_open(struct tui *t, struct view *v, const void *arg, char **cause)
{
	const struct view_ops *below = arg;
	struct help *h;
	size_t n, g, here = 0;

	(void)t;
	(void)cause;
	action_table(&n);
	h = xcalloc(1, sizeof *h);
	h->rows = xcalloc(HELP_NGROUPS * (n + 2), sizeof *h->rows);
	for (g = 1; below != NULL && g < HELP_NGROUPS; g++) {
		if (help_groups[g].scope == below->scope)
			here = g;
	}
	help_add_group(h, 0, false);
	if (here != 0)
		help_add_group(h, here, true);
	for (g = 1; g < HELP_NGROUPS; g++) {
		if (g != here)
			help_add_group(h, g, false);
	}
	v->data = h;
	return 0;
}

static void
help_free_lines(struct help *h)
{
	size_t i;

	for (i = 0; i < h->nlines; i++) {
		free(h->lines[i].keys);
		free(h->lines[i].text);
	}
	free(h->lines);
	h->lines = NULL;
	h->nlines = 0;
}

static void
help_close(struct tui *t, struct view *v)
{
	struct help *h = v->data;

	(void)t;
	help_free_lines(h);
	free(h->rows);
	free(h);
}

/* Columns of the n-byte character at s. */
static int
help_char_width(const char *s, size_t n)
{
	char one[8];

	if (n >= sizeof one)
		return 1;
	memcpy(one, s, n);
	one[n] = '\0';
	return text_width(one);
}

/*
 * Bytes of s for one line of cols columns: up to the last space that fits,
 * inside a word only when the word alone is wider than the line.
 */
static size_t
help_fit(const char *s, int cols)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n, brk = 0;
	int used = 0;

	while (u[i] != '\0') {
		for (n = 1; (u[i + n] & 0xc0) == 0x80; n++)
			;
		if (u[i] == ' ')
			brk = i;
		used += help_char_width(s + i, n);
		if (used > cols)
			return brk > 0 ? brk : (i > 0 ? i : n);
		i += n;
	}
	return i;
}

/* s as lines of at most cols columns, into a new array (caller frees). */
static char **
help_wrap(const char *s, int cols, size_t *n)
{
	char **v = NULL;
	size_t len;

	*n = 0;
	while (*s == ' ')
		s++;
	for (;;) {
		len = help_fit(s, cols);
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = xstrndup(s, len);
		s += len;
		while (*s == ' ')
			s++;
		if (*s == '\0')
			return v;
	}
}

static void
help_add_line(struct help *h, char *keys, char *text, size_t row)
{
	h->lines = xreallocarray(h->lines, h->nlines + 1, sizeof *h->lines);
	h->lines[h->nlines].keys = keys;
	h->lines[h->nlines].text = text;
	h->lines[h->nlines].row = row;
	h->nlines++;
}

/* An action's keys and help side by side, each wrapped in its column. */
static void
help_lay_action(struct tui *t, struct help *h, size_t r, int kw, int dw)
{
	const struct action *a = h->rows[r].action;
	char keys[256], **kv, **dv;
	size_t nk, nd, i;

	keymap_keys(tui_keymap(t), a->id, keys, sizeof keys);
	kv = help_wrap(keys[0] != '\0' ? keys : "(none)", kw, &nk);
	dv = help_wrap(a->help, dw, &nd);
	for (i = 0; i < nk || i < nd; i++) {
		help_add_line(h, i < nk ? kv[i] : xstrdup(""),
		    i < nd ? dv[i] : xstrdup(""), r);
	}
	free(kv);
	free(dv);
}

static void
help_layout(struct tui *t, struct help *h, int kw, int dw)
{
	char *heading;
	size_t r;

	help_free_lines(h);
	for (r = 0; r < h->nrows; r++) {
		if (h->rows[r].action != NULL) {
			help_lay_action(t, h, r, kw, dw);
			continue;
		}
		if (h->rows[r].here)
			xasprintf(&heading, "%s (this screen)",
			    h->rows[r].heading);
		else
			heading = xstrdup(h->rows[r].heading);
		help_add_line(h, NULL, heading, r);
	}
}

/*
 * Scroll no further than needed to show the screen's group whole, so most
 * of "Everywhere" stays in view, and never to half an entry or a gap; a
 * group longer than a page (the board's) starts where it is.
 */
static void
help_place(struct help *h)
{
	size_t i, start = h->nlines, end = h->nlines;

	if (h->here == h->here_end)
		return;
	for (i = 0; i < h->nlines; i++) {
		if (start == h->nlines && h->lines[i].row == h->here)
			start = i;
		if (h->lines[i].row == h->here_end) {
			end = i;
			break;
		}
	}
	if ((int)end <= h->h || (int)(end - start) > h->h)
		return;
	for (i = end - (size_t)h->h; i < start; i++) {
		if (h->lines[i].row != h->lines[i - 1].row &&
		    h->rows[h->lines[i].row].heading == NULL)
			break;
	}
	h->top = (int)i;
}

static void
help_draw(struct tui *t, struct view *v, int y, int x, int hh, int ww)
{
	struct help *h = v->data;
	struct help_line *l;
	int w, bx, by, bh, i, kw, dw;

	w = ww - 4 < HELP_MAX_W ? ww - 4 : HELP_MAX_W;
	bh = hh - 2;
	bx = x + (ww - w) / 2;
	by = y + 1;
	kw = w / 3 < HELP_KEYS_W ? w / 3 : HELP_KEYS_W;
	dw = w - kw - 5;	/* a column clear of the frame */
	if (w != h->laid_w) {
		help_layout(t, h, kw > 1 ? kw : 1, dw > 1 ? dw : 1);
		h->laid_w = w;
	}
	h->h = bh - 2;
	if (!h->placed) {
		help_place(h);
		h->placed = true;
	}
	scroll_clamp(&h->top, (int)h->nlines, h->h);
	tui_box(by, bx, bh, w, ROLE_MENU);
	tui_put(by, bx + 2, w - 4, ROLE_MENU, " Keys (? or q closes; "
	    "set your own in [keys] of config.ini) ");
	for (i = 0; i < h->h && (size_t)(h->top + i) < h->nlines; i++) {
		l = &h->lines[h->top + i];
		if (l->keys == NULL) {
			tui_put(by + 1 + i, bx + 2, w - 4, ROLE_TITLE, l->text);
			continue;
		}
		tui_put(by + 1 + i, bx + 2, kw, ROLE_KEY, l->keys);
		tui_put(by + 1 + i, bx + 3 + kw, dw, ROLE_MENU, l->text);
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
	return scroll_key(&h->top, a, page, (int)h->nlines) ? TUI_DRAW :
	    TUI_NONE;
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
