/*
 * The board: one column per stage, cards best first. Owns the layout (how
 * many columns fit, card height, horizontal and per-column scrolling), the
 * filters, and which rows are fetched: only the visible rows of the visible
 * columns, plus a margin, so that a million leads cost no more than a
 * hundred. Counts are queried when the data or a filter changes, never per
 * repaint. Changes go through tui_lead_action; it never writes itself.
 */
#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smk/text.h"
#include "smk/tui.h"
#include "smk/xmalloc.h"

#define BOARD_MIN_COL_W		18	/* narrowest readable card */
#define BOARD_MARGIN		8	/* rows fetched beyond the screen */
#define BOARD_TALL_ROWS		30	/* card rows at which cards get 3 lines */
#define BOARD_HEADER_H		2
#define BOARD_WHEEL_ROWS	3
#define BOARD_BADGE_LEN		16

struct board_col {
	int		 stage;		/* index into cfg->stages */
	int64_t		 count;
	int64_t		 sel;		/* selected row, 0-based */
	int64_t		 sel_id;	/* lead id there, to follow it */
	int64_t		 top;		/* first visible row */
	struct lead	*cards;		/* rows off .. off + n */
	char		(*badge)[BOARD_BADGE_LEN];
	enum tui_badge	*state;
	size_t		 n;
	int64_t		 off;
	bool		 valid;
};

struct board {
	struct board_col *cols;		/* every stage of the playbook */
	size_t		 nshown;	/* the funnel, or with the exits */
	size_t		 cur;		/* selected column */
	size_t		 first;		/* first column on screen */
	bool		 exits;
	char		*text;		/* filters; NULL matches all */
	char		*owner;
	char		*source;
	int64_t		 unlisted;	/* leads in stages no column shows */
	char		 status[160];
	/* The layout of the last draw, for keys and clicks. */
	int		 y, x, h, colw, nvis, card_h, rows;
};

static const enum action_id board_hints[] = {
	ACTION_HELP, ACTION_STAGE_NEXT, ACTION_STAGE_BACK, ACTION_STAGE_EXIT,
	ACTION_LOG_ATTEMPT, ACTION_OPEN, ACTION_SEARCH, ACTION_FILTER,
	ACTION_TOGGLE_EXITS, ACTION_QUIT, ACTION_NONE
};

static void
board_col_drop(struct board_col *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		lead_clear(&c->cards[i]);
	free(c->cards);
	free(c->badge);
	free(c->state);
	c->cards = NULL;
	c->badge = NULL;
	c->state = NULL;
	c->n = 0;
	c->valid = false;
}

static void
board_filter(struct board *b, struct store_filter *f)
{
	memset(f, 0, sizeof *f);
	f->text = b->text;
	f->owner = b->owner;
	f->source = b->source;
}

/* Counts of every stage: when the data or a filter changed, only. */
static void
board_recount(struct tui *t, struct board *b)
{
	const struct config *cfg = tui_config(t);
	struct store_filter f;
	const char **names;
	int64_t *counts;
	char *cause = NULL;
	size_t i;

	/* One more name, NULL: the stages the playbook does not list. */
	names = xcalloc(cfg->nstages + 1, sizeof *names);
	counts = xcalloc(cfg->nstages + 1, sizeof *counts);
	for (i = 0; i < cfg->nstages; i++)
		names[i] = cfg->stages[i].name;
	board_filter(b, &f);
	if (store_stage_counts(tui_store(t), &f, names, cfg->nstages + 1,
	    counts, &cause) != STORE_OK) {
		tui_error(t, "%s", cause);
		free(cause);
	}
	for (i = 0; i < cfg->nstages; i++) {
		b->cols[i].count = counts[i];
		board_col_drop(&b->cols[i]);
	}
	b->unlisted = counts[cfg->nstages];
	free(names);
	free(counts);
}

/* Keep sel and top inside the column and the screen. */
static void
board_clamp(struct board *b, struct board_col *c)
{
	int rows = b->rows > 0 ? b->rows : 1;

	if (c->sel >= c->count)
		c->sel = c->count - 1;
	if (c->sel < 0)
		c->sel = 0;
	if (c->top > c->sel)
		c->top = c->sel;
	if (c->sel >= c->top + rows)
		c->top = c->sel - rows + 1;
	if (c->top > c->count - rows)
		c->top = c->count - rows;
	if (c->top < 0)
		c->top = 0;
}

static void
board_badges(struct tui *t, struct board_col *c)
{
	const struct tui_sla_hooks *h = tui_sla(t);
	size_t i;

	c->badge = xcalloc(c->n > 0 ? c->n : 1, sizeof *c->badge);
	c->state = xcalloc(c->n > 0 ? c->n : 1, sizeof *c->state);
	if (h == NULL || h->badge == NULL)
		return;
	for (i = 0; i < c->n; i++)
		c->state[i] = h->badge(tui_store(t), tui_config(t),
		    &c->cards[i], tui_now(t), c->badge[i], BOARD_BADGE_LEN);
}

/* Fetch the rows the screen shows, if they are not here already. */
static void
board_fetch(struct tui *t, struct board *b, struct board_col *c)
{
	const struct config *cfg = tui_config(t);
	struct store_filter f;
	int64_t want_end = c->top + b->rows, off;
	size_t limit, i;
	char *cause = NULL;

	if (want_end > c->count)
		want_end = c->count;
	if (c->valid && c->off <= c->top && c->off + (int64_t)c->n >= want_end)
		return;
	board_col_drop(c);
	off = c->top - BOARD_MARGIN;
	if (off < 0)
		off = 0;
	limit = (size_t)(c->top - off + b->rows + BOARD_MARGIN);
	c->cards = xcalloc(limit, sizeof *c->cards);
	board_filter(b, &f);
	if (store_lead_page(tui_store(t), cfg->stages[c->stage].name, &f, off,
	    limit, c->cards, &c->n, &cause) != STORE_OK) {
		tui_error(t, "%s", cause);
		free(cause);
		c->n = 0;
	}
	c->off = off;
	c->valid = true;
	board_badges(t, c);
	/* Follow the selected lead if it moved within the column. */
	for (i = 0; i < c->n; i++) {
		if (c->cards[i].id == c->sel_id) {
			c->sel = off + (int64_t)i;
			break;
		}
	}
}

static struct lead *
board_selected(struct board *b)
{
	struct board_col *c = &b->cols[b->cur];
	int64_t i = c->sel - c->off;

	if (!c->valid || c->count == 0 || i < 0 || i >= (int64_t)c->n)
		return NULL;
	return &c->cards[i];
}

static void
board_remember(struct board *b)
{
	struct lead *l = board_selected(b);

	b->cols[b->cur].sel_id = l != NULL ? l->id : 0;
}

static enum theme_role
board_team_role(const struct stage_def *s)
{
	if (s->exit)
		return ROLE_COLUMN_EXIT;
	switch (s->team) {
	case TEAM_MARKETING:
		return ROLE_COLUMN_MARKETING;
	case TEAM_SHARED:
		return ROLE_COLUMN_SHARED;
	default:
		return ROLE_COLUMN_SALES;
	}
}

static void
board_header(struct tui *t, struct board *b, size_t ci, int x, int w)
{
	const struct stage_def *s = &tui_config(t)->stages[b->cols[ci].stage];
	enum theme_role r = board_team_role(s);
	char head[128];

	snprintf(head, sizeof head, " %s %lld", s->label,
	    (long long)b->cols[ci].count);
	if (s->wip > 0 && b->cols[ci].count > s->wip)
		snprintf(head, sizeof head, " %s %lld/%d!", s->label,
		    (long long)b->cols[ci].count, s->wip);
	tui_fill(b->y, x, w, ci == b->cur ? ROLE_COLUMN_SELECTED : r);
	tui_put(b->y, x, w, ci == b->cur ? ROLE_COLUMN_SELECTED : r, head);
	attrset(theme_attr(r));
	mvhline_set(b->y + 1, x, WACS_HLINE, w);
	attrset(A_NORMAL);
}

/* 12345 -> "12.3k": amounts on narrow cards. */
static void
board_amount(int64_t v, char *buf, size_t len)
{
	if (v >= 1000000)
		snprintf(buf, len, "%.1fM", (double)v / 1e6);
	else if (v >= 10000)
		snprintf(buf, len, "%lldk", (long long)(v / 1000));
	else
		snprintf(buf, len, "%lld", (long long)v);
}

/* Put right-aligned text at the end of a line; returns its start. */
static int
board_right(int y, int x, int w, enum theme_role r, const char *s)
{
	int sw = text_width(s);

	if (sw >= w)
		return x + w;
	tui_put(y, x + w - sw, sw, r, s);
	return x + w - sw;
}

static void
board_card(struct board *b, struct board_col *c, size_t i, int y, int x,
    int w, bool sel)
{
	struct lead *l = &c->cards[i];
	enum theme_role main = sel ? ROLE_CARD_SELECTED : ROLE_TITLE;
	enum theme_role dim = sel ? ROLE_CARD_SELECTED : ROLE_CARD_DIM;
	enum theme_role badge;
	char name[128], score[16], amount[32], right[96];
	int end, k;

	for (k = 0; k < b->card_h; k++)
		tui_fill(y + k, x, w, sel ? ROLE_CARD_SELECTED : ROLE_CARD);
	w--;	/* a blank column before the separator */
	if (c->state[i] == TUI_BADGE_BREACHED && !sel)
		main = ROLE_CARD_BREACHED;
	snprintf(score, sizeof score, " %d", l->score);
	end = board_right(y, x, w, sel ? main : ROLE_CARD_SCORE, score);
	if (c->badge[i][0] != '\0') {
		badge = c->state[i] == TUI_BADGE_BREACHED ? ROLE_BADGE_BREACHED :
		    c->state[i] == TUI_BADGE_DUE_SOON ? ROLE_BADGE_DUE_SOON :
		    c->state[i] == TUI_BADGE_MET ? ROLE_BADGE_MET :
		    ROLE_BADGE_RUNNING;
		/* A blank column keeps the badge off the name. */
		end = board_right(y, x, end - x, badge, c->badge[i]) - 1;
	}
	tui_put(y, x + 1, end - x - 1, main, tui_lead_name(l, name,
	    sizeof name));
	amount[0] = '\0';
	if (l->has_amount)
		board_amount(l->amount, amount, sizeof amount);
	if (b->card_h >= 3) {
		tui_put(y + 1, x + 1, w - 1, dim, l->company);
		snprintf(right, sizeof right, "%s", amount);
		end = board_right(y + 2, x, w, dim, right);
		tui_put(y + 2, x + 1, end - x - 2, dim, l->owner != NULL ?
		    l->owner : "unassigned");
		return;
	}
	snprintf(right, sizeof right, " %s%s%s", l->owner != NULL ? l->owner :
	    "-", amount[0] != '\0' ? " " : "", amount);
	end = board_right(y + 1, x, w, dim, right);
	tui_put(y + 1, x + 1, end - x - 1, dim, l->company);
}

static void
board_column(struct tui *t, struct board *b, size_t ci, int x, int w)
{
	struct board_col *c = &b->cols[ci];
	int64_t row;
	int y;

	board_header(t, b, ci, x, w);
	board_clamp(b, c);
	board_fetch(t, b, c);
	for (row = c->top; row < c->top + b->rows && row < c->count; row++) {
		int64_t i = row - c->off;

		if (i < 0 || i >= (int64_t)c->n)
			break;
		y = b->y + BOARD_HEADER_H + (int)(row - c->top) * b->card_h;
		board_card(b, c, (size_t)i, y, x, w,
		    ci == b->cur && row == c->sel);
	}
	if (c->count == 0)
		tui_put(b->y + BOARD_HEADER_H, x + 1, w - 1, ROLE_HINT,
		    "(empty)");
}

/* How many columns fit, their width, and the card height. */
static void
board_layout(struct board *b, int y, int x, int h, int w)
{
	int fit = (w + 1) / (BOARD_MIN_COL_W + 1);

	b->y = y;
	b->x = x;
	b->h = h;
	b->nvis = fit < 1 ? 1 : fit;
	if ((size_t)b->nvis > b->nshown)
		b->nvis = (int)b->nshown;
	b->colw = (w - (b->nvis - 1)) / b->nvis;
	b->card_h = h - BOARD_HEADER_H >= BOARD_TALL_ROWS ? 3 : 2;
	b->rows = (h - BOARD_HEADER_H) / b->card_h;
	if (b->rows < 1)
		b->rows = 1;
	if (b->cur >= b->nshown)
		b->cur = b->nshown - 1;
	if (b->cur < b->first)
		b->first = b->cur;
	if (b->cur >= b->first + (size_t)b->nvis)
		b->first = b->cur - (size_t)b->nvis + 1;
	if (b->first + (size_t)b->nvis > b->nshown)
		b->first = b->nshown - (size_t)b->nvis;
}

static void
board_draw(struct tui *t, struct view *v, int y, int x, int h, int w)
{
	struct board *b = v->data;
	size_t i;
	int cx;

	board_layout(b, y, x, h, w);
	for (i = 0; i < (size_t)b->nvis; i++) {
		cx = x + (int)i * (b->colw + 1);
		board_column(t, b, b->first + i, cx, b->colw);
		if (i + 1 < (size_t)b->nvis) {
			attrset(theme_attr(ROLE_HINT));
			mvvline_set(y, cx + b->colw, WACS_VLINE, h);
			mvadd_wch(y + 1, cx + b->colw, WACS_PLUS);
			attrset(A_NORMAL);
		}
	}
	if (b->first > 0)
		tui_put(y, x, 1, ROLE_KEY, "<");
	if (b->first + (size_t)b->nvis < b->nshown)
		tui_put(y, x + w - 1, 1, ROLE_KEY, ">");
}

static void
board_set(char **slot, const char *value)
{
	free(*slot);
	*slot = value != NULL && *value != '\0' ? xstrdup(value) : NULL;
}

static int
board_refilter(struct tui *t, struct board *b)
{
	size_t i;

	for (i = 0; i < tui_config(t)->nstages; i++) {
		b->cols[i].sel = b->cols[i].top = 0;
		b->cols[i].sel_id = 0;
	}
	board_recount(t, b);
	return TUI_DRAW;
}

static int
board_search(struct tui *t, struct board *b)
{
	char *s = tui_prompt(t, "Search name, email or company", b->text);

	if (s == NULL)
		return TUI_DRAW;
	board_set(&b->text, text_trim(s));
	free(s);
	return board_refilter(t, b);
}

static int
board_filter_owner(struct tui *t, struct board *b)
{
	struct store_rep *reps = NULL;
	const char **items;
	char *cause = NULL;
	size_t n = 0, i;
	int k;

	if (store_rep_list(tui_store(t), &reps, &n, &cause) != STORE_OK) {
		tui_error(t, "%s", cause);
		free(cause);
		return TUI_DRAW;
	}
	items = xcalloc(n > 0 ? n : 1, sizeof *items);
	for (i = 0; i < n; i++)
		items[i] = reps[i].login;
	if ((k = tui_menu(t, "Show the leads of:", items, n)) >= 0)
		board_set(&b->owner, reps[k].login);
	free(items);
	store_reps_free(reps, n);
	return k >= 0 ? board_refilter(t, b) : TUI_DRAW;
}

static int
board_filter_menu(struct tui *t, struct board *b)
{
	static const char *items[] = {
		"My leads", "Owner...", "Unassigned leads", "Source...",
		"Clear every filter"
	};
	char *s;

	switch (tui_menu(t, "Filter the board", items, 5)) {
	case 0:
		board_set(&b->owner, tui_actor(t)->login);
		break;
	case 1:
		return board_filter_owner(t, b);
	case 2:
		free(b->owner);
		b->owner = xstrdup("");	/* "" matches unassigned */
		break;
	case 3:
		if ((s = tui_prompt(t, "Source", b->source)) == NULL)
			return TUI_DRAW;
		board_set(&b->source, text_trim(s));
		free(s);
		break;
	case 4:
		board_set(&b->owner, NULL);
		board_set(&b->source, NULL);
		board_set(&b->text, NULL);
		break;
	default:
		return TUI_DRAW;
	}
	return board_refilter(t, b);
}

static int
board_move(struct board *b, enum action_id a)
{
	struct board_col *c = &b->cols[b->cur];

	switch (a) {
	case ACTION_MOVE_UP:
		c->sel--;
		break;
	case ACTION_MOVE_DOWN:
		c->sel++;
		break;
	case ACTION_PAGE_UP:
		c->sel -= b->rows;
		c->top -= b->rows;
		break;
	case ACTION_PAGE_DOWN:
		c->sel += b->rows;
		c->top += b->rows;
		break;
	case ACTION_MOVE_TOP:
		c->sel = 0;
		break;
	case ACTION_MOVE_BOTTOM:
		c->sel = c->count - 1;
		break;
	case ACTION_MOVE_LEFT:
		if (b->cur > 0)
			b->cur--;
		return TUI_DRAW;
	case ACTION_MOVE_RIGHT:
		if (b->cur + 1 < b->nshown)
			b->cur++;
		return TUI_DRAW;
	default:
		return TUI_NONE;
	}
	board_clamp(b, c);
	return TUI_DRAW;
}

/* Act on a copy: the cached card stays as it was until the reload. */
static int
board_act(struct tui *t, struct board *b, enum action_id a)
{
	struct lead *sel = board_selected(b), copy;
	int flags;

	if (sel == NULL) {
		tui_message(t, "no lead here");
		return TUI_DRAW;
	}
	lead_copy(&copy, sel);
	flags = tui_lead_action(t, a, &copy);
	lead_clear(&copy);
	/* The lead may have left the column: keep the row, not the id. */
	b->cols[b->cur].sel_id = 0;
	return flags;
}

static int
board_key(struct tui *t, struct view *v, enum action_id a, int key)
{
	struct board *b = v->data;
	struct lead *sel;
	int flags;

	(void)key;
	switch (a) {
	case ACTION_OPEN:
		if ((sel = board_selected(b)) == NULL)
			return TUI_DRAW;
		tui_push(t, &view_detail_ops, &sel->id);
		return TUI_DRAW;
	case ACTION_STAGE_NEXT: case ACTION_STAGE_BACK:
	case ACTION_STAGE_EXIT: case ACTION_LOG_ATTEMPT:
	case ACTION_REASSIGN:
		return board_act(t, b, a);
	case ACTION_LEAD_NEW:
		return tui_lead_new(t);
	case ACTION_SEARCH:
		return board_search(t, b);
	case ACTION_FILTER:
		return board_filter_menu(t, b);
	case ACTION_FILTER_CLEAR:
		board_set(&b->owner, NULL);
		board_set(&b->source, NULL);
		board_set(&b->text, NULL);
		return board_refilter(t, b);
	case ACTION_TOGGLE_EXITS:
		b->exits = !b->exits;
		b->nshown = b->exits ? tui_config(t)->nstages :
		    tui_config(t)->nfunnel;
		return TUI_DRAW;
	default:
		flags = board_move(b, a);
		board_remember(b);
		return flags;
	}
}

/*
 * The wheel scrolls the column and keeps its selection on screen. The
 * selection is then a row, not a lead: a fetch would otherwise pull it back
 * to the lead selected before the scroll, and the column with it.
 */
static int
board_wheel(struct board *b, struct board_col *c, int dir)
{
	int64_t top = c->top + dir * BOARD_WHEEL_ROWS;

	if (top > c->count - b->rows)
		top = c->count - b->rows;
	if (top < 0)
		top = 0;
	if (top == c->top)
		return TUI_NONE;
	c->top = top;
	if (c->sel < c->top)
		c->sel = c->top;
	if (c->sel >= c->top + b->rows)
		c->sel = c->top + b->rows - 1;
	c->sel_id = 0;
	return TUI_DRAW;
}

/*
 * Where the last draw put things: a click on a card selects it, on a
 * header selects the column, anywhere else (separators, below the cards,
 * the status and hint lines) does nothing.
 */
static int
board_mouse(struct tui *t, struct view *v, int y, int x, int button)
{
	struct board *b = v->data;
	struct board_col *c;
	int k, slot;
	size_t ci;

	(void)t;
	if (b->colw <= 0 || y < b->y || y >= b->y + b->h || x < b->x)
		return TUI_NONE;
	k = (x - b->x) / (b->colw + 1);
	if (k >= b->nvis || (x - b->x) % (b->colw + 1) == b->colw)
		return TUI_NONE;
	ci = b->first + (size_t)k;
	if (ci >= b->nshown)
		return TUI_NONE;
	c = &b->cols[ci];
	if (button == 4 || button == 5)
		return board_wheel(b, c, button == 4 ? -1 : 1);
	if (y < b->y + BOARD_HEADER_H) {
		b->cur = ci;
		return TUI_DRAW;
	}
	slot = (y - b->y - BOARD_HEADER_H) / b->card_h;
	if (slot >= b->rows || c->top + slot >= c->count)
		return TUI_NONE;
	b->cur = ci;
	c->sel = c->top + slot;
	board_clamp(b, c);
	board_remember(b);
	return TUI_DRAW;
}

static int
board_reload(struct tui *t, struct view *v)
{
	board_recount(t, v->data);
	return TUI_DRAW;
}

static const char *
board_status(struct tui *t, struct view *v)
{
	struct board *b = v->data;
	size_t used = 0;

	(void)t;
	b->status[0] = '\0';
	if (b->owner != NULL)
		used += (size_t)snprintf(b->status + used,
		    sizeof b->status - used, "owner=%s ",
		    *b->owner == '\0' ? "(none)" : b->owner);
	if (b->source != NULL && used < sizeof b->status)
		used += (size_t)snprintf(b->status + used,
		    sizeof b->status - used, "source=%s ", b->source);
	if (b->text != NULL && used < sizeof b->status)
		used += (size_t)snprintf(b->status + used,
		    sizeof b->status - used, "search=\"%s\" ", b->text);
	/*
	 * Leads whose stage the playbook no longer lists are in no column:
	 * say so, or they are simply gone (smk doctor names the stages).
	 */
	if (b->unlisted > 0 && used < sizeof b->status)
		snprintf(b->status + used, sizeof b->status - used,
		    "%" PRId64 " in unknown stages", b->unlisted);
	return b->status[0] != '\0' ? b->status : NULL;
}

static int
board_open(struct tui *t, struct view *v, const void *arg, char **cause)
{
	const struct config *cfg = tui_config(t);
	struct board *b;
	size_t i;

	(void)arg;
	if (cfg->nfunnel == 0) {
		xasprintf(cause, "the playbook defines no stages");
		return -1;
	}
	b = xcalloc(1, sizeof *b);
	b->cols = xcalloc(cfg->nstages, sizeof *b->cols);
	for (i = 0; i < cfg->nstages; i++)
		b->cols[i].stage = (int)i;
	b->nshown = cfg->nfunnel;
	v->data = b;
	board_recount(t, b);
	return 0;
}

static void
board_close(struct tui *t, struct view *v)
{
	struct board *b = v->data;
	size_t i;

	for (i = 0; i < tui_config(t)->nstages; i++)
		board_col_drop(&b->cols[i]);
	free(b->cols);
	free(b->text);
	free(b->owner);
	free(b->source);
	free(b);
}

const struct view_ops view_board_ops = {
	.name = "board",
	.scope = ACTION_SCOPE_BOARD,
	.open = board_open,
	.close = board_close,
	.draw = board_draw,
	.key = board_key,
	.reload = board_reload,
	.mouse = board_mouse,
	.status = board_status,
	.hints = board_hints,
};
