/*
 * Chart renderers: bars, sparklines and horizontal bars for any series of
 * numbers, in eighth blocks or ASCII. Owns the glyphs and the scaling; must
 * not know what the numbers mean (the views label them) and draws only
 * inside the rectangle it is given.
 */
#include <curses.h>
#include <langinfo.h>
#include <stdio.h>
#include <string.h>

#include "smk/chart.h"
#include "smk/text.h"
#include "smk/tui.h"

/* Eighths: index 1..8; [0] is empty. */
static const char *chart_vblocks[] = {
	" ", "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88"
};
static const char *chart_hblocks[] = {
	" ", "\xe2\x96\x8f", "\xe2\x96\x8e", "\xe2\x96\x8d", "\xe2\x96\x8c",
	"\xe2\x96\x8b", "\xe2\x96\x8a", "\xe2\x96\x89", "\xe2\x96\x88"
};
static const char chart_ascii_ramp[] = " ._-=+*##";

static int chart_ascii = -1;	/* -1: ask the locale */

bool
chart_utf8(void)
{
	const char *cs;

	if (chart_ascii == -1) {
		cs = nl_langinfo(CODESET);
		chart_ascii = !(cs != NULL && (strcmp(cs, "UTF-8") == 0 ||
		    strcmp(cs, "utf8") == 0));
	}
	return !chart_ascii;
}

void
chart_set_ascii(bool ascii)
{
	chart_ascii = ascii;
}

static bool
chart_has(const struct chart_series *s, size_t i)
{
	return s->has == NULL || s->has[i];
}

static double
chart_top(const struct chart_series *s)
{
	double top = 0;
	size_t i;

	if (s->max > 0)
		return s->max;
	for (i = 0; i < s->n; i++) {
		if (chart_has(s, i) && s->v[i] > top)
			top = s->v[i];
	}
	return top;
}

/* Eighths of rows for value v on a scale of top. */
static int
chart_eighths(double v, double top, int rows)
{
	int e;

	if (top <= 0 || v <= 0)
		return 0;
	e = (int)(v / top * rows * 8 + 0.5);
	if (e == 0)
		e = 1;		/* something is not nothing */
	return e > rows * 8 ? rows * 8 : e;
}

/* One cell of a vertical bar: eighths 0..8. */
static void
chart_vcell(int y, int x, int e, int width)
{
	char cell = chart_ascii_ramp[e];
	int i;

	for (i = 0; i < width; i++) {
		if (chart_utf8())
			mvaddstr(y, x + i, chart_vblocks[e]);
		else
			mvaddch(y, x + i, e >= 4 ? '#' : cell);
	}
}

static void
chart_bar_value(int y, int x, int slot, const struct chart_series *s,
    size_t i)
{
	char buf[32];
	int tw;

	snprintf(buf, sizeof buf, "%.*f", s->decimals, s->v[i]);
	tw = text_width(buf);
	/* A value wider than its slot would run into its neighbour. */
	if (tw >= slot && (int)i != s->sel)
		return;
	if (tw > slot)
		return;
	tui_put(y, x + (slot - tw) / 2, tw, (int)i == s->sel ?
	    ROLE_TITLE : ROLE_HINT, buf);
}

void
chart_bars(int y, int x, int h, int w, const struct chart_series *s)
{
	int slot, bw, rows, e, r, bx, base;
	double top = chart_top(s);
	size_t i;

	if (s->n == 0 || h < 2 || w < (int)s->n)
		return;
	slot = w / (int)s->n;
	bw = slot > 1 ? slot - 1 : 1;
	if (bw > 8)
		bw = 8;
	/* The bottom bar row; the rows above it keep one for the values. */
	base = y + h - 1 - (s->labels != NULL ? 1 : 0);
	rows = base - y;
	if (rows < 1)
		rows = 1;
	for (i = 0; i < s->n; i++) {
		bx = x + (int)i * slot + (slot - bw) / 2;
		if (s->labels != NULL)
			tui_put(y + h - 1, x + (int)i * slot, slot,
			    (int)i == s->sel ? ROLE_COLUMN_SELECTED : ROLE_HINT,
			    s->labels[i]);
		if (!chart_has(s, i))
			continue;
		e = chart_eighths(s->v[i], top, rows);
		attrset(theme_attr(s->role));
		for (r = 0; r < rows && e > r * 8; r++)
			chart_vcell(base - r, bx, e - r * 8 >= 8 ? 8 :
			    e - r * 8, bw);
		attrset(A_NORMAL);
		if (base - r >= y)
			chart_bar_value(base - r, x + (int)i * slot, slot, s,
			    i);
	}
}

int
chart_spark(int y, int x, int cell, const struct chart_series *s)
{
	double top = chart_top(s);
	size_t i;
	int e, k, col = x;

	if (cell < 1)
		cell = 1;
	for (i = 0; i < s->n; i++) {
		e = chart_has(s, i) ? chart_eighths(s->v[i], top, 1) : 0;
		if (chart_has(s, i) && e == 0)
			e = 1;		/* a zero is a floor, not a gap */
		attrset(theme_attr((int)i == s->sel ? ROLE_TITLE : s->role));
		for (k = 0; k < cell; k++, col++) {
			if (chart_utf8())
				mvaddstr(y, col, chart_vblocks[e]);
			else
				mvaddch(y, col, chart_ascii_ramp[e]);
		}
		attrset(A_NORMAL);
	}
	return col - x;
}

int
chart_hbar(int y, int x, int w, double value, double max,
    enum theme_role role)
{
	int e, i, full, part;

	if (w <= 0 || max <= 0 || value <= 0)
		return 0;
	e = (int)(value / max * w * 8 + 0.5);
	if (e == 0)
		e = 1;
	if (e > w * 8)
		e = w * 8;
	full = e / 8;
	part = e % 8;
	attrset(theme_attr(role));
	for (i = 0; i < full; i++) {
		if (chart_utf8())
			mvaddstr(y, x + i, chart_hblocks[8]);
		else
			mvaddch(y, x + i, '#');
	}
	if (part > 0) {
		if (chart_utf8())
			mvaddstr(y, x + i, chart_hblocks[part]);
		else if (part >= 4)
			mvaddch(y, x + i, '#');
		i++;
	}
	attrset(A_NORMAL);
	return i;
}
