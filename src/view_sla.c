/*
 * The SLA timers screen, and the SLA hooks of the board and status line.
 * A manager (or admin) sees every rep, worst first: a summary line (breached,
 * due soon, running, compliance this month, median time to first touch)
 * and the rep's open and breached clocks; a rep sees their own. Time left
 * ticks every second from the clocks read at the last reload (slaview_tick),
 * so the file is read only when it changes, in slices between keys. Enter opens the lead. Reads
 * through slaview.h; never writes to the store, never writes SQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smk/sla.h"
#include "smk/slaview.h"
#include "smk/text.h"
#include "smk/tui.h"
#include "smk/when.h"
#include "smk/xmalloc.h"

/* A screen row: a rep's summary (clock -1) or one clock of that rep. */
struct sla_row {
	size_t		 rep;
	long		 clock;
};

struct sla_screen {
	struct slaview		*sv;
	struct slaview_result	 r;
	struct slaview_mql	 mql;
	bool			 mql_ok;
	char			*only;	/* a rep's own login, or NULL */
	struct sla_row		*rows;
	size_t			 nrows;
	long			 sel;	/* a clock row, or -1 */
	long			 top;
	int			 h;	/* rows shown at the last draw */
	time_t			 shown;	/* now at the last draw */
	struct slaview_count	*job;	/* clocks being read, or NULL */
	bool			 keyed;	/* a key came since the last tick */
	char			 status[64];
};

/*
 * The clocks are read in slices between keys: a million leads take more
 * than half a second. The first slice, on opening or on a change, may be
 * longer, so that a small file shows at once.
 */
#define SLA_FIRST_MS	60
#define SLA_SLICE_MS	25

static const enum action_id sla_hints[] = {
	ACTION_HELP, ACTION_OPEN, ACTION_MOVE_DOWN, ACTION_MOVE_UP,
	ACTION_CLOSE, ACTION_NONE
};

/* The calendar and rules of the hooks, made once per playbook. */
static struct slaview *sla_hook_view;
static const struct config *sla_hook_cfg;
static struct slaview_count *sla_hook_count;	/* in progress */

/* How long one slice of the breach count may hold the keys back. */
#define SLA_HOOK_SLICE_MS 25

static struct slaview *
sla_hook_get(const struct config *cfg)
{
	char *cause = NULL;

	if (sla_hook_view != NULL && sla_hook_cfg == cfg)
		return sla_hook_view;
	slaview_count_free(sla_hook_count);
	sla_hook_count = NULL;
	slaview_free(sla_hook_view);
	sla_hook_view = NULL;
	if (slaview_new(cfg, &sla_hook_view, &cause) != 0) {
		free(cause);
		return NULL;
	}
	sla_hook_cfg = cfg;
	return sla_hook_view;
}

/* A rep sees their own clocks; managers, admins and guests see all. */
static const char *
sla_only(const struct actor *a)
{
	return a != NULL && a->role == ROLE_REP ? a->login : NULL;
}

static int64_t
sla_hook_breaches(struct store *s, const struct config *cfg,
    const struct actor *a, time_t now)
{
	struct slaview *sv = sla_hook_get(cfg);
	struct slaview_filter f = { .rep = sla_only(a) };
	char *cause = NULL;
	int64_t n;

	if (sv == NULL)
		return -1;
	n = slaview_breaches(sv, s, &f, now, &cause);
	free(cause);
	return n;
}

static int
sla_hook_breaches_step(struct store *s, const struct config *cfg,
    const struct actor *a, time_t now, bool restart, int64_t *n)
{
	struct slaview *sv = sla_hook_get(cfg);
	struct slaview_filter f = { .rep = sla_only(a) };
	char *cause = NULL;
	int rc;

	*n = -1;
	if (sv == NULL)
		return -1;
	if (restart || sla_hook_count == NULL) {
		slaview_count_free(sla_hook_count);
		sla_hook_count = slaview_count_start(sv, s, &f, now, &cause);
		if (sla_hook_count == NULL) {
			free(cause);
			return -1;
		}
	}
	rc = slaview_count_step(sla_hook_count, SLA_HOOK_SLICE_MS, n, &cause);
	free(cause);
	if (rc != 0) {
		slaview_count_free(sla_hook_count);
		sla_hook_count = NULL;
	}
	return rc;
}

/* "3d04h", "2h05m", "12m": short enough for a card. */
static void
sla_short(long secs, char *buf, size_t len)
{
	if (secs < 0)
		secs = -secs;
	if (secs >= 86400)
		snprintf(buf, len, "%ldd%02ldh", secs / 86400,
		    secs % 86400 / 3600);
	else if (secs >= 3600)
		snprintf(buf, len, "%ldh%02ldm", secs / 3600, secs % 3600 / 60);
	else
		snprintf(buf, len, "%ldm", secs / 60);
}

/*
 * Only leads in mql or sql with an owner can have an open clock, so most
 * cards cost no query at all.
 */
static enum tui_badge
sla_hook_badge(struct store *s, const struct config *cfg,
    const struct lead *l, time_t now, char *buf, size_t len)
{
	struct slaview *sv;
	struct slaview_badge b;
	enum sla_phase ph;

	buf[0] = '\0';
	if (l->owner == NULL || l->stage == NULL)
		return TUI_BADGE_NONE;
	ph = sla_stage_phase(cfg, l->stage);
	if (ph != SLA_PHASE_SHARED && ph != SLA_PHASE_SALES)
		return TUI_BADGE_NONE;
	if ((sv = sla_hook_get(cfg)) == NULL ||
	    !slaview_badge(sv, s, l->id, now, &b))
		return TUI_BADGE_NONE;
	if (b.state == SLA_BREACHED) {
		snprintf(buf, len, "late");
		return TUI_BADGE_BREACHED;
	}
	if (b.state == SLA_DUE_SOON) {
		sla_short(b.left, buf, len);
		return TUI_BADGE_DUE_SOON;
	}
	return TUI_BADGE_NONE;
}

const struct tui_sla_hooks view_sla_hooks = {
	.breaches = sla_hook_breaches,
	.breaches_step = sla_hook_breaches_step,
	.badge = sla_hook_badge,
};

/* Breached first, then due soon, then the soonest due. */
static int
sla_clock_rank(enum sla_state s)
{
	return s == SLA_BREACHED ? 0 : s == SLA_DUE_SOON ? 1 : 2;
}

static const struct slaview_clock *sla_sort_base;

static int
sla_cmp_clock(const void *a, const void *b)
{
	const struct slaview_clock *x = &sla_sort_base[*(const long *)a];
	const struct slaview_clock *y = &sla_sort_base[*(const long *)b];

	if (sla_clock_rank(x->state) != sla_clock_rank(y->state))
		return sla_clock_rank(x->state) - sla_clock_rank(y->state);
	if (x->due_at != y->due_at)
		return x->due_at < y->due_at ? -1 : 1;
	return (x->lead_id > y->lead_id) - (x->lead_id < y->lead_id);
}

static void
sla_add_row(struct sla_screen *d, size_t rep, long clock)
{
	if (d->nrows % 64 == 0)
		d->rows = xreallocarray(d->rows, d->nrows + 64,
		    sizeof *d->rows);
	d->rows[d->nrows].rep = rep;
	d->rows[d->nrows++].clock = clock;
}

/* One summary row per rep, then its clocks still owed, worst first. */
static void
sla_rows(struct sla_screen *d)
{
	long *idx = xcalloc(d->r.nclocks + 1, sizeof *idx);
	size_t i, k, n;

	d->nrows = 0;
	for (i = 0; i < d->r.nreps; i++) {
		sla_add_row(d, i, -1);
		for (k = 0, n = 0; k < d->r.nclocks; k++)
			if (d->r.clocks[k].state != SLA_MET &&
			    strcmp(d->r.clocks[k].rep, d->r.reps[i].login) == 0)
				idx[n++] = (long)k;
		sla_sort_base = d->r.clocks;
		qsort(idx, n, sizeof *idx, sla_cmp_clock);
		for (k = 0; k < n; k++)
			sla_add_row(d, i, idx[k]);
	}
	free(idx);
}

/* Keep the selection on a clock row, near where it was. */
static void
sla_select(struct sla_screen *d, long want, int dir)
{
	long i;

	if (d->nrows == 0) {
		d->sel = -1;
		return;
	}
	if (want < 0)
		want = 0;
	if (want >= (long)d->nrows)
		want = (long)d->nrows - 1;
	for (i = want; i >= 0 && i < (long)d->nrows; i += dir)
		if (d->rows[i].clock >= 0) {
			d->sel = i;
			return;
		}
	for (i = want; i >= 0 && i < (long)d->nrows; i -= dir)
		if (d->rows[i].clock >= 0) {
			d->sel = i;
			return;
		}
	d->sel = -1;
}

/*
 * One slice of the clocks being read. Once they are all in they replace
 * those shown (until then the old ones stay on screen); true then.
 */
static bool
sla_work(struct tui *t, struct sla_screen *d, long ms)
{
	struct slaview_result r;
	char *cause = NULL;
	int rc;

	if (d->job == NULL)
		return false;
	if ((rc = slaview_collect_step(d->job, ms, &r, &cause)) == 0)
		return false;
	slaview_count_free(d->job);
	d->job = NULL;
	if (rc < 0) {
		tui_error(t, "SLA: %s", cause);
		free(cause);
		return true;
	}
	slaview_result_clear(&d->r);
	d->r = r;
	sla_rows(d);
	sla_select(d, d->sel, 1);
	return true;
}

/* Read the clocks again (opening, or the file changed). */
static void
sla_load(struct tui *t, struct sla_screen *d)
{
	struct slaview_filter f = { .rep = d->only };
	time_t now = tui_now(t);
	char *cause = NULL;

	slaview_count_free(d->job);
	d->job = slaview_collect_start(d->sv, tui_store(t), &f, now, &cause);
	if (d->job == NULL) {
		tui_error(t, "SLA: %s", cause);
		free(cause);
		cause = NULL;
	}
	d->mql_ok = slaview_mql(tui_store(t), tui_config(t), now, &d->mql,
	    &cause) == STORE_OK;
	free(cause);
	sla_work(t, d, SLA_FIRST_MS);
}

/* Viewer-local "Mon 11-23 12:00". */
static void
sla_when(time_t at, char *buf, size_t len)
{
	struct tm tm;

	when_viewer_tm(at, &tm);
	strftime(buf, len, "%a %m-%d %H:%M", &tm);
}

/* "3h 12m 05s" left (business time for a first touch), or "late 1h 20m". */
static void
sla_left(enum sla_state s, long left, time_t due, time_t now, char *buf,
    size_t len)
{
	long late = (long)(now - due);

	if (s == SLA_BREACHED && late >= 86400)
		snprintf(buf, len, "late %ldd %02ldh", late / 86400,
		    late % 86400 / 3600);
	else if (s == SLA_BREACHED)
		snprintf(buf, len, "late %ldh %02ldm", late / 3600,
		    late % 3600 / 60);
	else if (left >= 86400)
		snprintf(buf, len, "%ldd %02ldh %02ldm", left / 86400,
		    left % 86400 / 3600, left % 3600 / 60);
	else
		snprintf(buf, len, "%ldh %02ldm %02lds", left / 3600,
		    left % 3600 / 60, left % 60);
}

static enum theme_role
sla_state_role(enum sla_state s)
{
	switch (s) {
	case SLA_BREACHED:
		return ROLE_BADGE_BREACHED;
	case SLA_DUE_SOON:
		return ROLE_BADGE_DUE_SOON;
	case SLA_MET:
		return ROLE_BADGE_MET;
	default:
		return ROLE_BADGE_RUNNING;
	}
}

static void
sla_draw_rep(struct sla_screen *d, const struct slaview_rep *p, int y,
    int x, int w)
{
	char line[256], comp[32] = "-", touch[32] = "-";
	double v;

	if (slaview_compliance(p, &v))
		snprintf(comp, sizeof comp, "%.0f%%", v);
	if (slaview_median_touch(p, &v))
		snprintf(touch, sizeof touch, "%.1f bh", v);
	(void)d;
	snprintf(line, sizeof line, "%-10s breached %d  due soon %d  "
	    "running %d  compliance %s  first touch %s", p->login,
	    p->breached, p->due_soon, p->running, comp, touch);
	if (text_width(line) > w - 1)
		snprintf(line, sizeof line, "%-10s breached %d  due soon %d  "
		    "running %d  met %s  1st touch %s", p->login,
		    p->breached, p->due_soon, p->running, comp, touch);
	tui_fill(y, x, w, ROLE_LABEL);
	tui_put(y, x + 1, w - 1, p->breached > 0 ? ROLE_BADGE_BREACHED :
	    ROLE_LABEL, line);
}

static void
sla_draw_clock(struct sla_screen *d, const struct slaview_clock *c,
    time_t now, int y, int x, int w, bool sel)
{
	enum theme_role base = sel ? ROLE_CARD_SELECTED : ROLE_NORMAL;
	enum sla_state s;
	char rule[32], due[32], left[40], line[256];
	long secs;

	s = slaview_tick(d->sv, c, now, &secs);
	tui_fill(y, x, w, base);
	snprintf(rule, sizeof rule, c->rule == SLA_FIRST_TOUCH ?
	    "first touch" : "attempts %d", c->attempts);
	sla_when(c->due_at, due, sizeof due);
	tui_put(y, x + 3, 9, sel ? base : sla_state_role(s),
	    sla_state_name(s));
	sla_left(s, secs, c->due_at, now, left, sizeof left);
	/*
	 * A rep knows a lead by name; the email is there when it has none,
	 * and beside the name when the width allows (not at 80 columns).
	 */
	snprintf(line, sizeof line, "%-16s due %s  %-12s  %s <%s>", left,
	    due, rule, c->name != NULL ? c->name : "", c->email);
	if (c->name == NULL || text_width(line) > w - 13)
		snprintf(line, sizeof line, "%-16s due %s  %-12s  %s", left,
		    due, rule, c->name != NULL ? c->name : c->email);
	tui_put(y, x + 13, w - 13, base, line);
}

static void
sla_draw_head(struct tui *t, struct sla_screen *d, int y, int x, int w)
{
	char line[256], mql[128] = "";

	if (d->mql_ok)
		snprintf(mql, sizeof mql, "  |  MQLs this month %lld, "
		    "pace %ld, target %ld (%d per rep x %lld reps%s)",
		    (long long)d->mql.delivered, d->mql.target.pace,
		    d->mql.target.target, d->mql.per_rep,
		    (long long)d->mql.reps, d->mql.per_rep_auto ? ", auto" :
		    "");
	snprintf(line, sizeof line, "SLA timers: %s%s",
	    d->only != NULL ? d->only : "every rep", mql);
	tui_fill(y, x, w, ROLE_TITLE);
	tui_put(y, x + 1, w - 1, ROLE_TITLE, line);
	(void)t;
}

static void
sla_scroll(struct sla_screen *d)
{
	if (d->sel >= 0 && d->sel < d->top)
		d->top = d->sel;
	if (d->sel >= 0 && d->sel >= d->top + d->h)
		d->top = d->sel - d->h + 1;
	if (d->top > (long)d->nrows - d->h)
		d->top = (long)d->nrows - d->h;
	if (d->top < 0)
		d->top = 0;
	/* Show the rep's summary above its first clock. */
	if (d->sel >= 0 && d->top == d->sel && d->top > 0 &&
	    d->rows[d->top - 1].clock < 0)
		d->top--;
}

static void
sla_draw(struct tui *t, struct view *v, int y, int x, int h, int w)
{
	struct sla_screen *d = v->data;
	const struct sla_row *r;
	time_t now = tui_now(t);
	int i;

	d->shown = now;
	sla_draw_head(t, d, y, x, w);
	d->h = h - 1;
	sla_scroll(d);
	for (i = 0; i < d->h; i++) {
		tui_fill(y + 1 + i, x, w, ROLE_NORMAL);
		if (d->top + i >= (long)d->nrows)
			continue;
		r = &d->rows[d->top + i];
		if (r->clock < 0)
			sla_draw_rep(d, &d->r.reps[r->rep], y + 1 + i, x, w);
		else
			sla_draw_clock(d, &d->r.clocks[r->clock], now,
			    y + 1 + i, x, w, d->top + i == d->sel);
	}
	if (d->nrows == 0)
		tui_put(y + 2, x + 2, w - 2, ROLE_HINT, d->job != NULL ?
		    "Reading the clocks..." : "No sales reps and no clocks yet.");
}

static int
sla_key(struct tui *t, struct view *v, enum action_id a, int key)
{
	struct sla_screen *d = v->data;
	int64_t id;
	int page = d->h > 1 ? d->h - 1 : 1;

	(void)key;
	d->keyed = true;
	switch (a) {
	case ACTION_MOVE_DOWN:
		sla_select(d, d->sel + 1, 1);
		break;
	case ACTION_MOVE_UP:
		sla_select(d, d->sel - 1, -1);
		break;
	case ACTION_PAGE_DOWN:
		sla_select(d, d->sel + page, 1);
		break;
	case ACTION_PAGE_UP:
		sla_select(d, d->sel - page, -1);
		break;
	case ACTION_MOVE_TOP:
		sla_select(d, 0, 1);
		break;
	case ACTION_MOVE_BOTTOM:
		sla_select(d, (long)d->nrows - 1, -1);
		break;
	case ACTION_OPEN:
		if (d->sel < 0)
			return TUI_DRAW;
		id = d->r.clocks[d->rows[d->sel].clock].lead_id;
		tui_push(t, &view_detail_ops, &id);
		return TUI_DRAW;
	case ACTION_CLOSE:
		return TUI_CLOSE;
	default:
		return TUI_NONE;
	}
	return TUI_DRAW;
}

/* The status line's breach count, as the clocks on screen say now. */
static int64_t
sla_count_breaches(struct sla_screen *d, time_t now)
{
	int64_t n = 0;
	long left;
	size_t i;

	for (i = 0; i < d->r.nclocks; i++)
		if (slaview_tick(d->sv, &d->r.clocks[i], now, &left) ==
		    SLA_BREACHED)
			n++;
	return n;
}

static int
sla_tick(struct tui *t, struct view *v)
{
	struct sla_screen *d = v->data;
	time_t now = tui_now(t);

	/* A key's effect is drawn first; the work goes on right after. */
	if (d->keyed) {
		d->keyed = false;
		if (d->job != NULL)
			return TUI_BUSY;
	}
	while (d->job != NULL) {
		if (sla_work(t, d, SLA_SLICE_MS))
			return TUI_DRAW;
		if (tui_key_waiting())
			return TUI_BUSY;
	}
	if (now == d->shown)
		return TUI_NONE;
	tui_set_breaches(t, sla_count_breaches(d, now));
	return TUI_DRAW;
}

static int
sla_reload(struct tui *t, struct view *v)
{
	sla_load(t, v->data);
	return TUI_DRAW;
}

static const char *
sla_status(struct tui *t, struct view *v)
{
	struct sla_screen *d = v->data;

	(void)t;
	snprintf(d->status, sizeof d->status, "SLA %s%s",
	    d->only != NULL ? d->only : "all reps",
	    d->job != NULL ? ", computing" : "");
	return d->status;
}

static int
sla_open(struct tui *t, struct view *v, const void *arg, char **cause)
{
	struct sla_screen *d;
	const char *only = sla_only(tui_actor(t));

	(void)arg;
	d = xcalloc(1, sizeof *d);
	if (slaview_new(tui_config(t), &d->sv, cause) != 0) {
		free(d);
		return -1;
	}
	d->only = only != NULL ? xstrdup(only) : NULL;
	d->sel = 0;
	v->data = d;
	sla_load(t, d);
	return 0;
}

static void
sla_close(struct tui *t, struct view *v)
{
	struct sla_screen *d = v->data;

	(void)t;
	slaview_count_free(d->job);
	slaview_result_clear(&d->r);
	slaview_free(d->sv);
	free(d->rows);
	free(d->only);
	free(d);
}

const struct view_ops view_sla_ops = {
	.name = "sla",
	.scope = ACTION_SCOPE_SLA,
	.open = sla_open,
	.close = sla_close,
	.draw = sla_draw,
	.key = sla_key,
	.reload = sla_reload,
	.status = sla_status,
	.hints = sla_hints,
	.tick = sla_tick,
};
