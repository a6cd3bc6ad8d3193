/*
 * Drawing helpers every view uses: text put on screen safely (sanitized,
 * fitted by display width, in a theme role) and scrollable lines of text.
 * Owns the rule that no outside string reaches curses unsanitized. Must not
 * know about leads or the store.
 */
#include <curses.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smk/text.h"
#include "smk/tui.h"
#include "smk/xmalloc.h"

/* Under a non-UTF-8 locale, show each non-ASCII character as '?'. */
static void
tui_ascii_only(char *s)
{
	unsigned char *in = (unsigned char *)s, *out = in;

	for (; *in != '\0'; in++) {
		if (*in < 0x80)
			*out++ = *in;
		else if ((*in & 0xc0) != 0x80)
			*out++ = '?';
	}
	*out = '\0';
}

static bool
tui_utf8(void)
{
	static int utf8 = -1;
	const char *cs;

	if (utf8 == -1) {
		cs = nl_langinfo(CODESET);
		utf8 = cs != NULL && (strcmp(cs, "UTF-8") == 0 ||
		    strcmp(cs, "utf8") == 0);
	}
	return utf8;
}

int
tui_put(int y, int x, int w, enum theme_role role, const char *s)
{
	char buf[1024], *clean;
	int used;

	if (w <= 0 || s == NULL || y < 0 || y >= LINES || x < 0 || x >= COLS)
		return 0;
	if (x + w > COLS)
		w = COLS - x;
	clean = text_sanitize(s);
	if (!tui_utf8())
		tui_ascii_only(clean);
	used = text_fit(buf, sizeof buf, clean, w);
	free(clean);
	attrset(theme_attr(role));
	mvaddstr(y, x, buf);
	attrset(A_NORMAL);
	return used;
}

/*
 * A framed box for overlays (help, menus): filled in the role with a line
 * around it, so it stands apart from the screen under it in any theme,
 * mono and NO_COLOR too. Clipped to the screen.
 */
void
tui_box(int y, int x, int h, int w, enum theme_role role)
{
	int i;

	if (h < 2 || w < 2 || y < 0 || x < 0 || y + h > LINES ||
	    x + w > COLS)
		return;
	for (i = 0; i < h; i++)
		tui_fill(y + i, x, w, role);
	attrset(theme_attr(role));
	mvhline_set(y, x + 1, WACS_HLINE, w - 2);
	mvhline_set(y + h - 1, x + 1, WACS_HLINE, w - 2);
	mvvline_set(y + 1, x, WACS_VLINE, h - 2);
	mvvline_set(y + 1, x + w - 1, WACS_VLINE, h - 2);
	mvadd_wch(y, x, WACS_ULCORNER);
	mvadd_wch(y, x + w - 1, WACS_URCORNER);
	mvadd_wch(y + h - 1, x, WACS_LLCORNER);
	mvadd_wch(y + h - 1, x + w - 1, WACS_LRCORNER);
	attrset(A_NORMAL);
}

void
tui_fill(int y, int x, int w, enum theme_role role)
{
	if (y < 0 || y >= LINES || x < 0 || x >= COLS || w <= 0)
		return;
	if (x + w > COLS)
		w = COLS - x;
	attrset(theme_attr(role));
	mvhline(y, x, ' ', w);
	attrset(A_NORMAL);
}

void
tui_lines_add(struct tui_lines *l, enum theme_role role, int indent,
    const char *fmt, ...)
{
	va_list ap;
	char *raw;

	va_start(ap, fmt);
	xvasprintf(&raw, fmt, ap);
	va_end(ap);
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 64 : l->cap * 2;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n].role = role;
	l->v[l->n].indent = indent;
	l->v[l->n].text = text_sanitize(raw);
	l->n++;
	free(raw);
}

void
tui_lines_clear(struct tui_lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

void
tui_lines_draw(struct tui_lines *l, int y, int x, int h, int w)
{
	int i;
	size_t k;

	if (l->top > (int)l->n - h)
		l->top = (int)l->n - h;
	if (l->top < 0)
		l->top = 0;
	for (i = 0; i < h; i++) {
		k = (size_t)(l->top + i);
		if (k >= l->n)
			break;
		tui_put(y + i, x + l->v[k].indent, w - l->v[k].indent,
		    l->v[k].role, l->v[k].text);
	}
}

int
tui_lines_key(struct tui_lines *l, enum action_id a, int h)
{
	int old = l->top, max = (int)l->n - h;

	switch (a) {
	case ACTION_MOVE_UP:
		l->top--;
		break;
	case ACTION_MOVE_DOWN:
		l->top++;
		break;
	case ACTION_PAGE_UP:
		l->top -= h > 1 ? h - 1 : 1;
		break;
	case ACTION_PAGE_DOWN:
		l->top += h > 1 ? h - 1 : 1;
		break;
	case ACTION_MOVE_TOP:
		l->top = 0;
		break;
	case ACTION_MOVE_BOTTOM:
		l->top = max;
		break;
	default:
		return TUI_NONE;
	}
	if (l->top > max)
		l->top = max;
	if (l->top < 0)
		l->top = 0;
	return l->top != old ? TUI_DRAW : TUI_NONE;
}
