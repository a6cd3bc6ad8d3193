/*
 * The Flow screen: the last 12 months of lead flow (new, MQL, SQL and
 * customers as bars), the cohort rates and time to first touch as
 * sparklines, the selected month's funnel from stage to stage, and the
 * sources ranked by SQL acceptance with their rejection reasons. All
 * sources or one. The numbers come from metrics.c when the file changes,
 * never per repaint, in slices between keys (a million leads take seconds):
 * the screen keeps the last figures, or none, with a hint until the new
 * ones are complete. Drawing is chart.c's. Must not write anything.
 */
#include <curses.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smk/chart.h"
#include "smk/metrics.h"
#include "smk/text.h"
#include "smk/tui.h"
#include "smk/when.h"
#include "smk/xmalloc.h"

#define FLOW_MONTHS	12
#define FLOW_MID_H	6	/* rates beside the funnel */
#define FLOW_MIN_CHART	4	/* rows of the smallest bar chart */
#define FLOW_LABEL_W	12	/* the names left of the sparklines */
#define FLOW_SLICE_MS	25	/* work between two looks for a key */
#define FLOW_FIRST_MS	40	/* before the first paint: small files */
#define FLOW_KEY_MS	10	/* after a key, before its redraw */
#define FLOW_HINT	"computing\xe2\x80\xa6"
#define FLOW_HINT_ASCII	"computing..."

struct flow {
	struct metrics_month months[FLOW_MONTHS];	/* rows by source */
	struct metrics_row shown[FLOW_MONTHS];		/* all, or one */
	char		**sources;	/* every source seen; NULL: none */
	size_t		 nsources;
	int		 source;	/* -1: all; else index in sources */
	int		 sel;		/* the selected month */
	time_t		 now;		/* the numbers are as of now */
	char		*error;
	char		 status[96];
	bool		 have;		/* months hold figures */
	struct metrics_ctx ctx;		/* the job's */
	struct metrics_job *job;	/* NULL: the figures are complete */
	int64_t		 version;	/* the file's data_version at start */
	bool		 self;		/* restarted before the shell saw why */
	bool		 redraw;	/* a key's effect is not drawn yet */
};

static const enum action_id flow_hints[] = {
	ACTION_HELP, ACTION_MOVE_LEFT, ACTION_MOVE_RIGHT, ACTION_FLOW_SOURCE,
	ACTION_QUIT, ACTION_NONE
};

/* The four bar charts: a title and the metric drawn. */
static const struct {
	const char	*title;
	enum metrics_col col;
	enum theme_role	 role;
} flow_bars[] = {
	{ "New leads", METRICS_NEW, ROLE_COLUMN_MARKETING },
	{ "MQLs", METRICS_MQL, ROLE_COLUMN_SHARED },
	{ "SQLs", METRICS_SQL, ROLE_COLUMN_SALES },
	{ "Customers", METRICS_CUSTOMERS, ROLE_CARD_SCORE },
};

/* The sparklines: rates on a 0..100 scale, the median on its own. */
static const struct {
	const char	*label;
	enum metrics_col col;
	const char	*unit;
} flow_lines[] = {
	{ "acceptance", METRICS_ACCEPTANCE_PCT, "%" },
	{ "worked", METRICS_WORKED_PCT, "%" },
	{ "close rate", METRICS_CLOSE_RATE, "%" },
	{ "1st touch", METRICS_MEDIAN_FIRST_TOUCH_BH, "bh" },
	{ "SLA met", METRICS_SLA_MET_PCT, "%" },
};

static const char *flow_month_names[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec"
};
static const char *flow_month_initials[] = {
	"J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"
};

/* Data. */

static void
flow_clear(struct flow *f)
{
	size_t i;

	for (i = 0; i < FLOW_MONTHS; i++) {
		metrics_month_clear(&f->months[i]);
		metrics_row_clear(&f->shown[i]);
	}
	for (i = 0; i < f->nsources; i++)
		free(f->sources[i]);
	free(f->sources);
	f->sources = NULL;
	f->nsources = 0;
	free(f->error);
	f->error = NULL;
}

static void
flow_add_source(struct flow *f, const char *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < f->nsources; i++) {
		if (strcmp(f->sources[i], s) == 0)
			return;
	}
	f->sources = xreallocarray(f->sources, f->nsources + 1,
	    sizeof *f->sources);
	f->sources[f->nsources++] = xstrdup(s);
}

static int
flow_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sum each month for the chosen source. */
static void
flow_pick(struct flow *f)
{
	const char *src = f->source >= 0 ? f->sources[f->source] : NULL;
	size_t i;

	for (i = 0; i < FLOW_MONTHS; i++) {
		metrics_row_clear(&f->shown[i]);
		metrics_sum(f->months[i].rows, f->months[i].n, f->source < 0,
		    src, &f->shown[i]);
		f->shown[i].start = f->months[i].start;
		f->shown[i].end = f->months[i].end;
	}
}

/*
 * A month's rejections: they read an event row each (20-60 ms a month at a
 * million leads), so they are not part of the figures' job. The selected
 * month's are read when it is shown; the others one per tick while the
 * screen is idle (flow_tick), so that moving between months is instant.
 * False when there is nothing (left) to read.
 */
static bool
flow_reasons(struct tui *t, struct flow *f, size_t i)
{
	struct metrics_month *mm = &f->months[i];
	struct metrics_ctx m;
	char *cause = NULL;

	if (f->error != NULL || mm->reasons || !f->have)
		return false;
	if (metrics_init(&m, tui_store(t), tui_config(t), f->now,
	    &cause) != 0 || metrics_month_reasons(&m, mm, &cause) != 0)
		f->error = cause;
	metrics_free(&m);
	return true;
}

/* The months shown while there are no figures yet. */
static void
flow_bounds(struct flow *f)
{
	time_t start, end;
	size_t i;
	int y, mo;

	metrics_month_of(f->now, &y, &mo);
	metrics_month_bounds(y, mo, &start, &end);
	start = metrics_month_shift(start, FLOW_MONTHS - 1);
	for (i = 0; i < FLOW_MONTHS; i++) {
		f->months[i].start = metrics_month_shift(start, -(int)i);
		f->months[i].end = metrics_month_shift(start, -(int)i - 1);
	}
}

static void
flow_stop(struct flow *f)
{
	if (f->job != NULL) {
		metrics_job_free(f->job);
		metrics_free(&f->ctx);
	}
	f->job = NULL;
}

/* (Re)start the computation as of now; the figures shown stay. */
static void
flow_start(struct tui *t, struct flow *f)
{
	char *cause = NULL;
	time_t start, end;
	int y, mo;

	flow_stop(f);
	free(f->error);
	f->error = NULL;
	f->version = store_data_version(tui_store(t));
	if (metrics_init(&f->ctx, tui_store(t), tui_config(t), tui_now(t),
	    &cause) != 0) {
		f->error = cause;
		return;
	}
	if (!f->have) {
		f->now = f->ctx.now;
		flow_bounds(f);
		flow_pick(f);
	}
	metrics_month_of(f->ctx.now, &y, &mo);
	metrics_month_bounds(y, mo, &start, &end);
	f->job = metrics_job_start(&f->ctx, metrics_month_shift(start,
	    FLOW_MONTHS - 1), FLOW_MONTHS, 0);
}

/* The job is done: its months replace the ones shown. */
static void
flow_finish(struct tui *t, struct flow *f)
{
	char *keep = NULL;
	time_t now = f->ctx.now;
	size_t i, k;

	if (f->source >= 0)
		keep = xstrdup(f->sources[f->source]);
	flow_clear(f);
	metrics_job_take(f->job, f->months);
	flow_stop(f);
	f->now = now;
	f->have = true;
	for (i = 0; i < FLOW_MONTHS; i++) {
		for (k = 0; k < f->months[i].n; k++)
			flow_add_source(f, f->months[i].rows[k].source);
	}
	if (f->nsources > 1)
		qsort(f->sources, f->nsources, sizeof *f->sources,
		    flow_strcmp);
	f->source = -1;
	for (i = 0; keep != NULL && i < f->nsources; i++) {
		if (strcmp(f->sources[i], keep) == 0)
			f->source = (int)i;
	}
	free(keep);
	flow_pick(f);
	flow_reasons(t, f, (size_t)f->sel);
}

/*
 * Work on the figures for about budget_ms; true when the screen must be
 * drawn again (they are complete, or failed). Another user's commit since
 * the start makes the figures a mix: start again.
 */
static bool
flow_work(struct tui *t, struct flow *f, long budget_ms)
{
	char *cause = NULL;
	int rc;

	if (f->job == NULL)
		return false;
	if (store_data_version(tui_store(t)) != f->version) {
		flow_start(t, f);
		f->self = true;
		if (f->job == NULL)
			return true;
	}
	if ((rc = metrics_job_step(f->job, budget_ms, &cause)) == 0)
		return false;
	if (rc == 1)
		flow_finish(t, f);
	else {
		flow_stop(f);
		f->error = cause;
	}
	return true;
}

/* Drawing. */

/* "Sep", or "S" when short. */
static const char *
flow_month_name(time_t start, bool short_name)
{
	int y, mo;

	metrics_month_of(start, &y, &mo);
	return short_name ? flow_month_initials[mo - 1] :
	    flow_month_names[mo - 1];
}

/* "620", "48.5%", "–" when there is none. */
static void
flow_value(const struct metrics_row *r, enum metrics_col c, const char *unit,
    char *buf, size_t len)
{
	char cell[32];

	metrics_cell(r, c, cell, sizeof cell);
	if (cell[0] == '\0')
		snprintf(buf, len, "%s", chart_utf8() ? "\xe2\x80\x93" : "-");
	else
		snprintf(buf, len, "%s%s", cell, unit);
}

static void
flow_draw_title(struct flow *f, int y, int x, int w)
{
	char first[16], sel[16], *line;
	const char *hint;
	int hw;

	metrics_month_label(f->shown[0].start, first, sizeof first);
	metrics_month_label(f->shown[f->sel].start, sel, sizeof sel);
	xasprintf(&line, "Lead flow, %s: %s to %s (%s), month %s",
	    f->source < 0 ? "all sources" :
	    metrics_source_name(f->sources[f->source]), first,
	    metrics_month_label(f->shown[FLOW_MONTHS - 1].start,
	    (char[16]){ 0 }, 16), when_zone(), sel);
	tui_fill(y, x, w, ROLE_NORMAL);
	hint = chart_utf8() ? FLOW_HINT : FLOW_HINT_ASCII;
	hw = f->job != NULL ? text_width(hint) + 1 : 0;
	if (hw >= w)
		hw = 0;
	tui_put(y, x, w - hw, ROLE_TITLE, line);
	if (hw > 0)
		tui_put(y, x + w - hw + 1, hw - 1, ROLE_HINT, hint);
	free(line);
}

static void
flow_draw_chart(struct flow *f, size_t which, int y, int x, int h, int w)
{
	double v[FLOW_MONTHS];
	const char *labels[FLOW_MONTHS];
	char head[96], val[32], prev[32];
	struct chart_series s;
	enum metrics_col c = flow_bars[which].col;
	int slot = w / FLOW_MONTHS, i;

	for (i = 0; i < FLOW_MONTHS; i++) {
		metrics_value(&f->shown[i], c, &v[i]);
		/* Three letters when they fit the slot, else one. */
		labels[i] = flow_month_name(f->shown[i].start, slot < 4);
	}
	flow_value(&f->shown[f->sel], c, "", val, sizeof val);
	if (f->sel > 0)
		flow_value(&f->shown[f->sel - 1], c, "", prev, sizeof prev);
	snprintf(head, sizeof head, "%s %s%s%s%s", flow_bars[which].title,
	    val, f->sel > 0 ? " (" : "", f->sel > 0 ? prev : "",
	    f->sel > 0 ? " before)" : "");
	tui_put(y, x, w, ROLE_LABEL, head);
	memset(&s, 0, sizeof s);
	s.v = v;
	s.n = FLOW_MONTHS;
	s.labels = labels;
	s.sel = f->sel;
	s.role = flow_bars[which].role;
	chart_bars(y + 1, x, h - 1, w, &s);
}

/* One sparkline per rate, with the selected month's value. */
static void
flow_draw_rates(struct flow *f, int y, int x, int h, int w)
{
	double v[FLOW_MONTHS];
	bool has[FLOW_MONTHS];
	struct chart_series s;
	char val[32], prev[32], *line;
	size_t k;
	int i, cell, used;

	tui_put(y, x, w, ROLE_LABEL, "Rates by month (cohorts)");
	cell = (w - FLOW_LABEL_W - 16) / FLOW_MONTHS;
	cell = cell < 1 ? 1 : cell > 3 ? 3 : cell;
	for (k = 0; k < sizeof flow_lines / sizeof *flow_lines &&
	    (int)k + 1 < h; k++) {
		for (i = 0; i < FLOW_MONTHS; i++)
			has[i] = metrics_value(&f->shown[i], flow_lines[k].col,
			    &v[i]);
		memset(&s, 0, sizeof s);
		s.v = v;
		s.has = has;
		s.n = FLOW_MONTHS;
		s.sel = f->sel;
		s.role = ROLE_CARD_SCORE;
		s.max = flow_lines[k].col == METRICS_MEDIAN_FIRST_TOUCH_BH ?
		    0 : 100;
		tui_put(y + 1 + (int)k, x, FLOW_LABEL_W, ROLE_NORMAL,
		    flow_lines[k].label);
		if (w < FLOW_LABEL_W + FLOW_MONTHS + 6)
			continue;
		used = chart_spark(y + 1 + (int)k, x + FLOW_LABEL_W, cell, &s);
		flow_value(&f->shown[f->sel], flow_lines[k].col,
		    flow_lines[k].unit, val, sizeof val);
		prev[0] = '\0';
		if (f->sel > 0)
			flow_value(&f->shown[f->sel - 1], flow_lines[k].col,
			    flow_lines[k].unit, prev, sizeof prev);
		/* The month before only when it fits. */
		if (prev[0] != '\0' && FLOW_LABEL_W + used + text_width(val) +
		    text_width(prev) + 10 <= w)
			xasprintf(&line, " %s (was %s)", val, prev);
		else
			xasprintf(&line, " %s", val);
		tui_put(y + 1 + (int)k, x + FLOW_LABEL_W + used,
		    w - FLOW_LABEL_W - used, ROLE_TITLE, line);
		free(line);
	}
}

/* The selected month's entries per stage, each as a share of the last. */
static void
flow_draw_funnel(struct flow *f, int y, int x, int h, int w)
{
	static const struct {
		const char	*label;
		enum metrics_col col;
		enum theme_role	 role;
	} steps[] = {
		{ "new", METRICS_NEW, ROLE_COLUMN_MARKETING },
		{ "mql", METRICS_MQL, ROLE_COLUMN_SHARED },
		{ "sql", METRICS_SQL, ROLE_COLUMN_SALES },
		{ "opportunity", METRICS_OPPORTUNITIES, ROLE_COLUMN_SALES },
		{ "customer", METRICS_CUSTOMERS, ROLE_CARD_SCORE },
	};
	const struct metrics_row *r = &f->shown[f->sel];
	double v, p, top, last = 0;
	char line[64], pct[16], head[64];
	size_t k;
	int barw;

	snprintf(head, sizeof head, "Funnel %s: entries, %% of step",
	    metrics_month_label(r->start, line, sizeof line));
	tui_put(y, x, w, ROLE_LABEL, head);
	metrics_value(r, METRICS_NEW, &top);
	for (k = 0; k < sizeof steps / sizeof *steps; k++)
		if (metrics_value(r, steps[k].col, &v) && v > top)
			top = v;
	barw = w - 12 - 7 - 7;
	for (k = 0; k < sizeof steps / sizeof *steps && (int)k + 1 < h; k++) {
		metrics_value(r, steps[k].col, &v);
		pct[0] = '\0';
		if (k > 0 && metrics_pct((int64_t)v, (int64_t)last, &p))
			snprintf(pct, sizeof pct, "%5.0f%%", p);
		snprintf(line, sizeof line, "%-11.11s %6.0f", steps[k].label,
		    v);
		tui_put(y + 1 + (int)k, x, w, ROLE_NORMAL, line);
		if (barw > 2)
			chart_hbar(y + 1 + (int)k, x + 19, barw, v, top,
			    steps[k].role);
		tui_put(y + 1 + (int)k, x + w - 7, 7, ROLE_HINT, pct);
		last = v;
	}
}

/* Sources of the selected month, best acceptance first. */
static void
flow_draw_sources(struct flow *f, int y, int x, int h, int w)
{
	struct metrics_month *mm = &f->months[f->sel];
	const char *sel = f->source >= 0 ? f->sources[f->source] : NULL;
	char line[512], acc[16], cl[16], reasons[256], head[128];
	struct metrics_row *r;
	size_t i;
	int srcw = w >= 120 ? 20 : 12;

	snprintf(head, sizeof head, "%-*s %5s %7s %5s %5s %7s %4s  %s", srcw,
	    "source", "mql", "accept", "sql", "cust", "close", "rej",
	    "top rejection reasons");
	tui_put(y, x, w, ROLE_LABEL, head);
	metrics_sort_sources(mm->rows, mm->n);
	for (i = 0; i < mm->n && (int)i + 1 < h; i++) {
		r = &mm->rows[i];
		flow_value(r, METRICS_ACCEPTANCE_PCT, "%", acc, sizeof acc);
		flow_value(r, METRICS_CLOSE_RATE, "%", cl, sizeof cl);
		metrics_reasons_text(r, 3, reasons, sizeof reasons);
		snprintf(line, sizeof line, "%-*.*s %5lld %7s %5lld %5lld %7s "
		    "%4lld  %s", srcw, srcw, metrics_source_name(r->source),
		    (long long)r->mql, acc, (long long)r->sql,
		    (long long)r->customers, cl, (long long)r->rejected,
		    reasons);
		tui_fill(y + 1 + (int)i, x, w, ROLE_NORMAL);
		tui_put(y + 1 + (int)i, x, w, sel != NULL && r->source != NULL
		    && strcmp(sel, r->source) == 0 ? ROLE_CARD_SELECTED :
		    ROLE_NORMAL, line);
	}
	if (mm->n == 0)
		tui_put(y + 1, x, w, ROLE_HINT, "no leads this month");
}

static void
flow_draw(struct tui *t, struct view *v, int y, int x, int h, int w)
{
	struct flow *f = v->data;
	int srows, mid = FLOW_MID_H, charts, cw, ch, k;

	(void)t;
	flow_draw_title(f, y, x, w);
	if (f->error != NULL) {
		tui_put(y + 2, x, w, ROLE_ERROR, f->error);
		return;
	}
	if (!f->have) {
		tui_put(y + 2, x, w, ROLE_HINT, "Counting the lead flow of "
		    "the last 12 months; the keys work meanwhile.");
		return;
	}
	/* The table gets a fifth of the height, the charts the rest. */
	srows = 1 + (int)f->months[f->sel].n;
	if (srows > (h - 1) / 5)
		srows = (h - 1) / 5;
	if (srows < 2)
		srows = 0;
	charts = h - 1 - mid - srows;
	if (charts < 2 * FLOW_MIN_CHART) {
		charts += srows;
		srows = 0;
	}
	if (charts < 2 * FLOW_MIN_CHART) {
		charts += mid;
		mid = 0;
	}
	cw = (w - 2) / 2;
	ch = charts / 2;
	for (k = 0; k < 4; k++)
		flow_draw_chart(f, (size_t)k, y + 1 + (k / 2) * ch,
		    x + (k % 2) * (cw + 2), k / 2 == 0 ? ch : charts - ch, cw);
	if (mid > 0) {
		flow_draw_rates(f, y + 1 + charts, x, mid, cw);
		flow_draw_funnel(f, y + 1 + charts, x + cw + 2, mid, cw);
	}
	if (srows > 0)
		flow_draw_sources(f, y + 1 + charts + mid, x, srows, w);
}

/* Keys. */

static int
flow_choose_source(struct tui *t, struct flow *f)
{
	const char **items;
	size_t i;
	int k;

	if (f->nsources == 0) {
		tui_message(t, "no lead of these months has a source");
		return TUI_DRAW;
	}
	items = xcalloc(f->nsources + 1, sizeof *items);
	items[0] = "All sources";
	for (i = 0; i < f->nsources; i++)
		items[i + 1] = f->sources[i];
	k = tui_menu(t, "Show the flow of:", items, f->nsources + 1);
	free(items);
	if (k < 0)
		return TUI_DRAW;
	f->source = k - 1;
	flow_pick(f);
	return TUI_DRAW;
}

static int
flow_key(struct tui *t, struct view *v, enum action_id a, int key)
{
	struct flow *f = v->data;

	(void)key;
	f->redraw = true;
	switch (a) {
	case ACTION_MOVE_LEFT:
		if (f->sel > 0)
			f->sel--;
		break;
	case ACTION_MOVE_RIGHT:
		if (f->sel + 1 < FLOW_MONTHS)
			f->sel++;
		break;
	case ACTION_MOVE_TOP:
		f->sel = 0;
		break;
	case ACTION_MOVE_BOTTOM:
		f->sel = FLOW_MONTHS - 1;
		break;
	case ACTION_FLOW_SOURCE:
		return flow_choose_source(t, f);
	case ACTION_CLOSE:
		return TUI_CLOSE;
	default:
		return TUI_NONE;
	}
	flow_reasons(t, f, (size_t)f->sel);
	return TUI_DRAW;
}

/*
 * The file changed. When this view already started again on seeing the
 * change itself (flow_work), the shell is only catching up.
 */
static int
flow_reload(struct tui *t, struct view *v)
{
	struct flow *f = v->data;

	if (f->self && f->version == store_data_version(tui_store(t)))
		f->self = false;
	else {
		f->self = false;
		flow_start(t, f);
	}
	f->redraw = true;
	return TUI_DRAW;
}

/*
 * The figures are worked on here, between keys: right after a key or a
 * reload only a short slice, so that its effect is drawn at once; else
 * slice after slice until they are complete or a key is waiting.
 */
static int
flow_tick(struct tui *t, struct view *v)
{
	struct flow *f = v->data;
	size_t i;

	if (f->job == NULL) {
		/* A key's effect is drawn before the next month is read. */
		if (f->redraw) {
			f->redraw = false;
			return TUI_BUSY;
		}
		for (i = 0; i < FLOW_MONTHS; i++)
			if (flow_reasons(t, f, i))
				return TUI_BUSY;
		return TUI_NONE;
	}
	if (f->redraw) {
		f->redraw = false;
		flow_work(t, f, FLOW_KEY_MS);
		return TUI_DRAW | (f->job != NULL ? TUI_BUSY : 0);
	}
	while (f->job != NULL) {
		if (flow_work(t, f, FLOW_SLICE_MS))
			return TUI_DRAW;
		if (tui_key_waiting())
			break;
	}
	return f->job != NULL ? TUI_BUSY : TUI_NONE;
}

static const char *
flow_status(struct tui *t, struct view *v)
{
	struct flow *f = v->data;

	(void)t;
	snprintf(f->status, sizeof f->status, "flow: %s%s", f->source < 0 ?
	    "all sources" : metrics_source_name(f->sources[f->source]),
	    f->job != NULL ? ", computing" : "");
	return f->status;
}

static int
flow_open(struct tui *t, struct view *v, const void *arg, char **cause)
{
	struct flow *f;

	(void)arg;
	(void)cause;
	f = xcalloc(1, sizeof *f);
	f->source = -1;
	f->sel = FLOW_MONTHS - 1;
	v->data = f;
	/* A small file is done before the first paint; an error is shown. */
	flow_start(t, f);
	flow_work(t, f, FLOW_FIRST_MS);
	f->redraw = true;
	return 0;
}

static void
flow_close(struct tui *t, struct view *v)
{
	struct flow *f = v->data;

	(void)t;
	flow_stop(f);
	flow_clear(f);
	free(f);
}

const struct view_ops view_flow_ops = {
	.name = "flow",
	.scope = ACTION_SCOPE_FLOW,
	.open = flow_open,
	.close = flow_close,
	.draw = flow_draw,
	.key = flow_key,
	.reload = flow_reload,
	.status = flow_status,
	.hints = flow_hints,
	.tick = flow_tick,
};
