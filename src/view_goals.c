/*
 * The Goals screen: the reverse funnel of goals.h, one block per funnel
 * stage with needed, pace and actual as bars on the stage's own scale, the
 * stage furthest behind marked, and the marketing promise the goal implies.
 * The plan is rebuilt on reload (when the file changes), never per repaint,
 * a stage at a time between keys.
 * Reads through goals.h and slaview.h; never writes, never speaks SQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smk/chart.h"
#include "smk/goals.h"
#include "smk/scroll.h"
#include "smk/slaview.h"
#include "smk/tui.h"
#include "smk/xmalloc.h"

#define GOALS_LABEL_W	13	/* stage name column */
#define GOALS_NUM_W	16	/* "needed  1234567" */
#define GOALS_ROWS	3	/* screen rows per stage */
#define GOALS_HEAD	3	/* title, promise, blank */
#define GOALS_NOTE_W	26	/* "gap -123  << furthest behind" */

struct goals_screen {
	struct goals_plan plan;
	bool		 ok;
	char		*error;		/* why there is no plan */
	bool		 has_promise;
	int64_t		 per_rep;	/* what the goal implies */
	int64_t		 month_mqls;
	struct slaview_mql mql;		/* what the SLA promises now */
	bool		 mql_ok;
	int		 top;		/* first stage shown */
	int		 shown;		/* stages shown at the last draw */
	struct goals_job *job;		/* the plan being built, or NULL */
	bool		 keyed;		/* a key came since the last tick */
	char		 status[32];
};

/*
 * The plan is built a stage at a time between keys (a stage's queries take
 * a few hundred milliseconds at a million leads); the stages a small file
 * allows within this budget are done before the first paint.
 */
#define GOALS_FIRST_MS	60

static const enum action_id goals_hints[] = {
	ACTION_HELP, ACTION_MOVE_DOWN, ACTION_MOVE_UP, ACTION_CLOSE,
	ACTION_NONE
};

static void
goals_screen_clear(struct goals_screen *g)
{
	goals_plan_clear(&g->plan);
	free(g->error);
	g->error = NULL;
	g->ok = g->mql_ok = g->has_promise = false;
}

/*
 * One stage of the plan being built. When it is complete it replaces the
 * one shown (until then the old one stays on screen), with the promises
 * that follow from it; true then.
 */
static bool
goals_work(struct tui *t, struct goals_screen *g)
{
	struct goals_plan plan;
	char *cause = NULL;
	int r;

	if (g->job == NULL || (r = goals_plan_step(g->job, &cause)) == 0)
		return false;
	goals_screen_clear(g);
	if (r < 0) {
		g->error = cause;
		goals_job_free(g->job);
		g->job = NULL;
		return true;
	}
	goals_plan_take(g->job, &plan);
	goals_job_free(g->job);
	g->job = NULL;
	g->plan = plan;
	g->ok = true;
	if (goals_mqls_of_plan(tui_store(t), tui_config(t), &g->plan,
	    &g->has_promise, &g->per_rep, &g->month_mqls, &cause) != 0) {
		free(cause);
		cause = NULL;
		g->has_promise = false;
	}
	g->mql_ok = slaview_mql(tui_store(t), tui_config(t), tui_now(t),
	    &g->mql, &cause) == STORE_OK;
	free(cause);
	return true;
}

/* Build the plan again (opening, or the file changed). */
static int
goals_load(struct tui *t, struct view *v)
{
	struct goals_screen *g = v->data;
	long until = tui_clock_ms() + GOALS_FIRST_MS;
	char *cause = NULL;

	goals_job_free(g->job);
	g->job = goals_plan_start(tui_store(t), tui_config(t), NULL,
	    tui_now(t), &cause);
	if (g->job == NULL) {
		goals_screen_clear(g);
		g->error = cause;
		return TUI_DRAW;
	}
	while (!goals_work(t, g) && tui_clock_ms() < until)
		;
	return TUI_DRAW;
}

/* The plan is built here, between keys, after a key's effect is drawn. */
static int
goals_tick(struct tui *t, struct view *v)
{
	struct goals_screen *g = v->data;

	if (g->job == NULL)
		return TUI_NONE;
	if (g->keyed) {
		g->keyed = false;
		return TUI_BUSY;
	}
	if (goals_work(t, g))
		return TUI_DRAW;
	return TUI_BUSY;
}

static const char *
goals_status(struct tui *t, struct view *v)
{
	struct goals_screen *g = v->data;

	(void)t;
	snprintf(g->status, sizeof g->status, "goals%s", g->job != NULL ?
	    ", computing" : "");
	return g->status;
}

static int
goals_open(struct tui *t, struct view *v, const void *arg, char **cause)
{
	(void)arg;
	(void)cause;
	v->data = xcalloc(1, sizeof(struct goals_screen));
	goals_load(t, v);
	return 0;
}

static void
goals_close(struct tui *t, struct view *v)
{
	struct goals_screen *g = v->data;

	(void)t;
	goals_job_free(g->job);
	goals_screen_clear(g);
	free(g);
}

static int
goals_reload(struct tui *t, struct view *v)
{
	return goals_load(t, v);
}

static void
goals_title(struct goals_screen *g, const struct config *cfg, int y, int x,
    int w)
{
	const struct goals_plan *p = &g->plan;
	char label[16], goal[96], line[256];

	goals_period_label(p->period, p->start, label, sizeof label);
	if (p->goal_customers > 0)
		snprintf(goal, sizeof goal, "%lld customers",
		    (long long)p->goal_customers);
	else
		snprintf(goal, sizeof goal, "%lld %s revenue",
		    (long long)p->goal_revenue, cfg->currency);
	snprintf(line, sizeof line, "Goals %s: %s, %d of %d business days "
	    "past, rates of %d %s%s", label, goal, p->days_past,
	    p->days_total, p->lookback, goals_period_name(p->period),
	    p->lookback == 1 ? "" : "s");
	tui_put(y, x, w, ROLE_TITLE, line);
}

/* The promise the goal implies, and the one the SLA keeps now. */
static void
goals_promise(struct goals_screen *g, const struct config *cfg, int y,
    int x, int w)
{
	char line[256], now[96] = "";

	if (g->mql_ok)
		snprintf(now, sizeof now, " | SLA promise %d/rep%s, %lld in",
		    g->mql.per_rep, cfg->mqls_auto ? " (auto)" : "",
		    (long long)g->mql.delivered);
	if (g->has_promise)
		snprintf(line, sizeof line, "MQLs needed this month: %lld = "
		    "%lld per sales rep%s", (long long)g->month_mqls,
		    (long long)g->per_rep, now);
	else
		snprintf(line, sizeof line, "MQLs needed this month: no "
		    "data%s", now);
	tui_put(y, x, w, ROLE_LABEL, line);
}

/* One bar row: "needed   40 ████". */
static void
goals_bar(int y, int x, int w, const char *what, const struct goals_row *r,
    int64_t value, bool has, enum theme_role role)
{
	char num[32];
	double max;

	snprintf(num, sizeof num, "%-7s%8s", what, "no data");
	if (has)
		snprintf(num, sizeof num, "%-7s%8lld", what, (long long)value);
	tui_put(y, x, GOALS_NUM_W, ROLE_NORMAL, num);
	max = (double)(r->has_needed && r->needed > r->actual ? r->needed :
	    r->actual);
	if (has && w > GOALS_NUM_W + GOALS_NOTE_W + 1)
		chart_hbar(y, x + GOALS_NUM_W + 1, w - GOALS_NUM_W -
		    GOALS_NOTE_W - 1, (double)value, max, role);
}

static void
goals_stage(struct goals_screen *g, size_t i, int y, int x, int w)
{
	const struct goals_row *r = &g->plan.rows[i];
	bool behind = i == g->plan.behind;
	char rate[32], gap[48];
	double pct;
	int bw = w - GOALS_LABEL_W;

	tui_put(y, x, GOALS_LABEL_W - 1, behind ? ROLE_CARD_BREACHED :
	    ROLE_TITLE, r->stage);
	if (i + 1 < g->plan.n && r->entered > 0) {
		pct = 100.0 * (double)r->advanced / (double)r->entered;
		snprintf(rate, sizeof rate, "%.1f%% on", pct);
	} else
		snprintf(rate, sizeof rate, "%s", i + 1 < g->plan.n ?
		    "no rate" : "");
	tui_put(y + 1, x + 1, GOALS_LABEL_W - 2, ROLE_CARD_DIM, rate);
	goals_bar(y, x + GOALS_LABEL_W, bw, "needed", r, r->needed,
	    r->has_needed, ROLE_BADGE_RUNNING);
	goals_bar(y + 1, x + GOALS_LABEL_W, bw, "pace", r, r->pace,
	    r->has_needed, ROLE_BADGE_DUE_SOON);
	goals_bar(y + 2, x + GOALS_LABEL_W, bw, "actual", r, r->actual, true,
	    r->has_needed && r->actual < r->pace ? ROLE_BADGE_BREACHED :
	    ROLE_BADGE_MET);
	if (!r->has_needed)
		return;
	snprintf(gap, sizeof gap, "gap %+lld%s", (long long)(r->actual -
	    r->pace), behind ? "  << furthest behind" : "");
	tui_put(y + 2, x + w - GOALS_NOTE_W, GOALS_NOTE_W, behind ?
	    ROLE_CARD_BREACHED : ROLE_NORMAL, gap);
}

static void
goals_draw(struct tui *t, struct view *v, int y, int x, int h, int w)
{
	struct goals_screen *g = v->data;
	int i, k;

	for (i = 0; i < h; i++)
		tui_fill(y + i, x, w, ROLE_NORMAL);
	if (!g->ok) {
		if (g->job != NULL)
			tui_put(y, x + 1, w - 2, ROLE_HINT,
			    "Building the plan...");
		else
			tui_put(y, x + 1, w - 2, ROLE_ERROR, g->error != NULL ?
			    g->error : "no plan");
		return;
	}
	goals_title(g, tui_config(t), y, x + 1, w - 2);
	goals_promise(g, tui_config(t), y + 1, x + 1, w - 2);
	g->shown = (h - GOALS_HEAD) / GOALS_ROWS;
	if (g->shown < 1)
		g->shown = 1;
	scroll_clamp(&g->top, (int)g->plan.n, g->shown);
	for (k = 0; k < g->shown && g->top + k < (int)g->plan.n; k++)
		goals_stage(g, (size_t)(g->top + k), y + GOALS_HEAD + k *
		    GOALS_ROWS, x + 1, w - 2);
}

static int
goals_key(struct tui *t, struct view *v, enum action_id a, int key)
{
	struct goals_screen *g = v->data;

	(void)t;
	(void)key;
	g->keyed = true;
	if (a == ACTION_CLOSE)
		return TUI_CLOSE;
	/* A page is a screen of whole stages, not one row short of it. */
	return scroll_key(&g->top, a, g->shown, (int)g->plan.n) ? TUI_DRAW :
	    TUI_NONE;
}

const struct view_ops view_goals_ops = {
	.name = "goals",
	.scope = ACTION_SCOPE_GOALS,
	.open = goals_open,
	.close = goals_close,
	.draw = goals_draw,
	.key = goals_key,
	.reload = goals_reload,
	.status = goals_status,
	.hints = goals_hints,
	.tick = goals_tick,
};
