/*
 * smk plan: the reverse funnel of goals.h as a table, one row per funnel
 * stage (stage, rate, needed, actual, pace, gap), with what-if goals from
 * the command line. Parses and prints only: the numbers come from goals.c.
 * Also the meeting agenda (smk report meeting), built from the same
 * functions as plan, sla and report.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "smk/cmd.h"
#include "smk/fmt.h"
#include "smk/goals.h"
#include "smk/metrics.h"
#include "smk/sla.h"
#include "smk/slaview.h"
#include "smk/smk.h"
#include "smk/when.h"
#include "smk/xmalloc.h"

#define PLAN_CELL	32
#define PLAN_NODATA	"no data"

static int
plan_fail(int rc, char *cause)
{
	if (cause != NULL)
		cmd_error("%s", cause);
	free(cause);
	return rc;
}

/* A whole number of at least 1; -1 with a message naming the option. */
static int
plan_number(const char *opt, const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (s == NULL)
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < 1 ||
	    v > 1000000000000000LL) {
		cmd_error("plan: --%s \"%s\" must be a whole number of at "
		    "least 1", opt, s);
		return -1;
	}
	*out = v;
	return 0;
}

/* The cells of one row; empty (or "no data" in a table) when none. */
static void
plan_cells(const struct goals_row *r, bool last, bool table,
    char c[][PLAN_CELL])
{
	const char *none = table ? PLAN_NODATA : "";
	long long gap = (long long)(r->actual - r->pace);

	snprintf(c[0], PLAN_CELL, "%s", r->stage);
	c[1][0] = '\0';
	/* A stage nobody entered has no rate; one nobody left has 0. */
	if (!last && r->entered > 0)
		snprintf(c[1], PLAN_CELL, "%.1f", 100.0 * (double)r->advanced /
		    (double)r->entered);
	snprintf(c[3], PLAN_CELL, "%lld", (long long)r->actual);
	if (!r->has_needed) {
		snprintf(c[2], PLAN_CELL, "%s", none);
		snprintf(c[4], PLAN_CELL, "%s", none);
		snprintf(c[5], PLAN_CELL, "%s", none);
		return;
	}
	snprintf(c[2], PLAN_CELL, "%lld", (long long)r->needed);
	snprintf(c[4], PLAN_CELL, "%lld", (long long)r->pace);
	snprintf(c[5], PLAN_CELL, table && gap > 0 ? "%+lld" : "%lld", gap);
}

static void
plan_print(FILE *out, enum fmt_kind kind, const struct goals_plan *p)
{
	static const char *cols[] = { "stage", "rate:n", "needed:n",
	    "actual:n", "pace:n", "gap:n" };
	char cells[6][PLAN_CELL];
	const char *row[6];
	struct fmt *f;
	size_t i, k;

	f = fmt_open(kind, cols, 6, out);
	for (i = 0; i < p->n; i++) {
		plan_cells(&p->rows[i], i + 1 == p->n, kind == FMT_TABLE ||
		    kind == FMT_MD, cells);
		for (k = 0; k < 6; k++)
			row[k] = cells[k];
		fmt_put(f, row);
	}
	fmt_close(f);
}

/*
 * "5 customers" or "50000 USD of revenue (12 customers at 4200 each)"; a
 * playbook goal for another period says whose share it is.
 */
static void
plan_goal_text(const struct goals_plan *p, const struct config *cfg,
    char *buf, size_t len)
{
	char share[64] = "";

	if (p->goal_scaled)
		snprintf(share, sizeof share, " (a %s's share of the "
		    "playbook's goal per %s)", goals_period_name(p->period),
		    goals_period_name(cfg->period));
	if (p->goal_customers > 0) {
		snprintf(buf, len, "%lld customer%s%s", (long long)
		    p->goal_customers, p->goal_customers == 1 ? "" : "s",
		    share);
		return;
	}
	if (p->won_valued > 0)
		snprintf(buf, len, "%lld %s of revenue%s (mean deal %lld %s "
		    "over %lld customer%s)", (long long)p->goal_revenue,
		    cfg->currency, share, (long long)(p->won_sum /
		    p->won_valued), cfg->currency, (long long)p->won_valued,
		    p->won_valued == 1 ? "" : "s");
	else
		snprintf(buf, len, "%lld %s of revenue%s (no customer with an "
		    "amount in the lookback: no data)",
		    (long long)p->goal_revenue, cfg->currency, share);
}

static void
plan_heading(struct cmd_ctx *ctx, const struct goals_plan *p)
{
	char label[16], from[16], last[16], goal[160], at[WHEN_ISO_LEN];

	goals_period_label(p->period, p->start, label, sizeof label);
	goals_period_label(p->period, p->lookback_start, from, sizeof from);
	goals_period_label(p->period, goals_period_shift(p->period, p->start,
	    1), last, sizeof last);
	plan_goal_text(p, ctx->cfg, goal, sizeof goal);
	fprintf(ctx->out, "Plan for %s: %s; rates from %s to %s; %d of %d "
	    "business days past; in %s time, as of %s\n\n", label, goal,
	    from, last, p->days_past, p->days_total, when_zone(),
	    when_format(ctx->now, at));
}

/* The marketing promise that smk sla shows, after the table. */
static void
plan_promise(struct cmd_ctx *ctx)
{
	struct slaview_mql m;
	char *cause = NULL;

	if (slaview_mql(ctx->store, ctx->cfg, ctx->now, &m, &cause) !=
	    STORE_OK) {
		free(cause);
		return;
	}
	fprintf(ctx->out, "\nMarketing promise: %d MQLs per sales rep this "
	    "month (%s), %lld reps: %ld due by month end, %ld by today, "
	    "%lld delivered.\n", m.per_rep, m.per_rep_auto ?
	    "from the goal" : "[sla] mqls_per_rep", (long long)m.reps,
	    m.target.target, m.target.pace, (long long)m.delivered);
}

static int
plan_options(struct cmd_ctx *ctx, int argc, char **argv,
    struct goals_opts *o, enum fmt_kind *kind)
{
	const char *period = NULL, *customers = NULL, *revenue = NULL;
	const char *format = NULL;
	const struct cmd_opt opts[] = {
		{ "period", true, &period }, { "customers", true, &customers },
		{ "revenue", true, &revenue }, { "format", true, &format },
	};
	char *cause = NULL;
	int i;

	(void)ctx;
	memset(o, 0, sizeof *o);
	*kind = FMT_TABLE;
	if ((i = cmd_parse_opts(argc, argv, opts, 4)) < 0)
		return -1;
	if (i != argc) {
		cmd_error("plan: unexpected \"%s\" (see smk plan --help)",
		    argv[i]);
		return -1;
	}
	if (customers != NULL && revenue != NULL) {
		cmd_error("plan: give --customers or --revenue, not both");
		return -1;
	}
	if ((format != NULL && (fmt_parse(format, kind, &cause) != 0 ||
	    *kind == FMT_MD)) || (period != NULL &&
	    goals_period_parse(period, &o->period, &cause) != 0)) {
		cmd_error("plan: %s", cause != NULL ? cause :
		    "unknown format \"md\" (use table, csv or json)");
		free(cause);
		return -1;
	}
	o->period_set = period != NULL;
	if (plan_number("customers", customers, &o->customers) != 0 ||
	    plan_number("revenue", revenue, &o->revenue) != 0)
		return -1;
	return 0;
}

int
cmd_plan(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct goals_opts o;
	struct goals_plan p;
	enum fmt_kind kind;
	enum store_status st;
	char *cause = NULL;

	if (plan_options(ctx, argc, argv, &o, &kind) != 0)
		return SMK_EUSER;
	if (goals_plan_build(ctx->store, ctx->cfg, &o, ctx->now, &p, &st,
	    &cause) != 0)
		return plan_fail(st != STORE_OK ? lead_err_from_store(st) :
		    SMK_EUSER, cause);
	if (kind == FMT_TABLE)
		plan_heading(ctx, &p);
	plan_print(ctx->out, kind, &p);
	if (kind == FMT_TABLE)
		plan_promise(ctx);
	goals_plan_clear(&p);
	return SMK_OK;
}

/*
 * smk report meeting: the one-page agenda, each section from the function
 * that prints the same number elsewhere: the plan (goals.c, smk plan), the
 * MQL promise (slaview_mql, the SLA screen), breaches by rep and untouched
 * breached leads (slaview_collect, smk sla), recycling, rejection reasons
 * and acceptance by source (metrics_month, smk report flow|sources).
 */
struct meeting {
	struct cmd_ctx	*ctx;
	enum fmt_kind	 kind;		/* FMT_MD or FMT_TABLE */
	enum period	 period;
	time_t		 now;		/* the report time */
};

static void
meeting_heading(const struct meeting *m, const char *title)
{
	size_t n = strlen(title);

	if (m->kind == FMT_MD) {
		fprintf(m->ctx->out, "\n## %s\n\n", title);
		return;
	}
	fprintf(m->ctx->out, "\n%s\n", title);
	while (n-- > 0)
		fputc('-', m->ctx->out);
	fputs("\n\n", m->ctx->out);
}

/* A bullet in md, an indented line in a table. */
static void
meeting_line(const struct meeting *m, const char *text)
{
	fprintf(m->ctx->out, "%s%s\n", m->kind == FMT_MD ? "- " : "  ",
	    text);
}

static int
meeting_goal(struct meeting *m, char **cause)
{
	struct goals_opts o;
	struct goals_plan p;
	char goal[160], line[256];

	memset(&o, 0, sizeof o);
	o.period_set = true;
	o.period = m->period;
	if (goals_plan_build(m->ctx->store, m->ctx->cfg, &o, m->now, &p, NULL,
	    cause) != 0)
		return -1;
	meeting_heading(m, "Goal progress");
	plan_goal_text(&p, m->ctx->cfg, goal, sizeof goal);
	snprintf(line, sizeof line, "Goal: %s; %d of %d business days past.",
	    goal, p.days_past, p.days_total);
	meeting_line(m, line);
	if (p.behind < p.n) {
		snprintf(line, sizeof line, "Furthest behind: %s, %lld of a "
		    "pace of %lld.", p.rows[p.behind].stage,
		    (long long)p.rows[p.behind].actual,
		    (long long)p.rows[p.behind].pace);
		meeting_line(m, line);
	}
	fputc('\n', m->ctx->out);
	plan_print(m->ctx->out, m->kind, &p);
	goals_plan_clear(&p);
	return 0;
}

static int
meeting_mqls(struct meeting *m, char **cause)
{
	struct slaview_mql q;
	char line[256];

	if (slaview_mql(m->ctx->store, m->ctx->cfg, m->now, &q, cause) !=
	    STORE_OK)
		return -1;
	meeting_heading(m, "MQLs delivered vs the promise");
	snprintf(line, sizeof line, "Delivered this month: %lld; due by "
	    "today: %ld; due by month end: %ld.", (long long)q.delivered,
	    q.target.pace, q.target.target);
	meeting_line(m, line);
	snprintf(line, sizeof line, "Promise: %d MQLs per sales rep x %lld "
	    "reps (%s).", q.per_rep, (long long)q.reps, q.per_rep_auto ?
	    "from the goal" : "[sla] mqls_per_rep");
	meeting_line(m, line);
	return 0;
}

static void
meeting_reps(struct meeting *m, const struct slaview_result *r)
{
	static const char *cols[] = { "rep", "breached:n", "due_soon:n",
	    "running:n", "compliance:n" };
	char n[3][24], pct[24];
	const char *row[5];
	struct fmt *f;
	double v;
	size_t i;

	meeting_heading(m, "SLA breaches by rep");
	f = fmt_open(m->kind, cols, 5, m->ctx->out);
	for (i = 0; i < r->nreps; i++) {
		snprintf(n[0], sizeof n[0], "%d", r->reps[i].breached);
		snprintf(n[1], sizeof n[1], "%d", r->reps[i].due_soon);
		snprintf(n[2], sizeof n[2], "%d", r->reps[i].running);
		snprintf(pct, sizeof pct, "%s", "");
		if (slaview_compliance(&r->reps[i], &v))
			snprintf(pct, sizeof pct, "%.1f", v);
		row[0] = r->reps[i].login;
		row[1] = n[0];
		row[2] = n[1];
		row[3] = n[2];
		row[4] = pct;
		fmt_put(f, row);
	}
	fmt_close(f);
}

/* Breached, still open, and nobody has tried yet: one line per lead. */
static void
meeting_untouched(struct meeting *m, const struct slaview_result *r)
{
	static const char *cols[] = { "lead:n", "email", "rep", "breached_at" };
	const struct slaview_clock *c;
	char id[24], due[WHEN_ISO_LEN];
	const char *row[4];
	int64_t last = -1;
	struct fmt *f;
	size_t i, n = 0;

	meeting_heading(m, "Breached and still untouched");
	f = fmt_open(m->kind, cols, 4, m->ctx->out);
	for (i = 0; i < r->nclocks; i++) {
		c = &r->clocks[i];
		if (c->state != SLA_BREACHED || c->attempts > 0 ||
		    c->stop != SLA_STOP_NONE || c->lead_id == last)
			continue;
		last = c->lead_id;
		snprintf(id, sizeof id, "%lld", (long long)c->lead_id);
		row[0] = id;
		row[1] = c->email;
		row[2] = c->rep;
		row[3] = when_format(c->due_at, due);
		fmt_put(f, row);
		n++;
	}
	fmt_close(f);
	if (n == 0)
		meeting_line(m, "None.");
}

static int
meeting_sla(struct meeting *m, char **cause)
{
	struct slaview_result r;
	struct slaview *sv;
	enum store_status st;

	if (slaview_new(m->ctx->cfg, &sv, cause) != 0)
		return -1;
	st = slaview_collect(sv, m->ctx->store, NULL, m->now, &r, cause);
	slaview_free(sv);
	if (st != STORE_OK)
		return -1;
	meeting_reps(m, &r);
	meeting_untouched(m, &r);
	slaview_result_clear(&r);
	return 0;
}

static void
meeting_sources(struct meeting *m, const struct metrics_month *cur,
    const struct metrics_month *prev)
{
	struct metrics_row was;
	char a[32], b[32], line[256];
	size_t i, n = 0;
	double v, p;

	meeting_heading(m, "Sources: SQL acceptance up or down");
	for (i = 0; i < cur->n; i++) {
		metrics_sum(prev->rows, prev->n, false, cur->rows[i].source,
		    &was);
		/* Compare what report sources shows, one decimal. */
		if (metrics_value(&cur->rows[i], METRICS_ACCEPTANCE_PCT, &v) &&
		    metrics_value(&was, METRICS_ACCEPTANCE_PCT, &p) &&
		    strcmp(metrics_cell(&cur->rows[i], METRICS_ACCEPTANCE_PCT,
		    a, sizeof a), metrics_cell(&was, METRICS_ACCEPTANCE_PCT, b,
		    sizeof b)) != 0) {
			snprintf(line, sizeof line, "%s: %s%% -> %s%% (%s)",
			    metrics_source_name(cur->rows[i].source), b, a,
			    v > p ? "up" : "down");
			meeting_line(m, line);
			n++;
		}
		metrics_row_clear(&was);
	}
	if (n == 0)
		meeting_line(m, "No source's acceptance moved since last "
		    "month.");
}

static int
meeting_flow(struct meeting *m, char **cause)
{
	struct metrics_month cur, prev;
	struct metrics_row total;
	struct metrics_ctx mc;
	char month[16], reasons[256], line[512];
	time_t start, end;
	int rc = -1;

	if (metrics_init(&mc, m->ctx->store, m->ctx->cfg, m->now, cause) != 0)
		return -1;
	goals_period_bounds(PERIOD_MONTH, m->now, &start, &end);
	if (metrics_month(&mc, start, &cur, cause) != 0)
		goto out;
	if (metrics_month(&mc, metrics_month_shift(start, 1), &prev,
	    cause) != 0) {
		metrics_month_clear(&cur);
		goto out;
	}
	metrics_sum(cur.rows, cur.n, true, NULL, &total);
	metrics_reasons_text(&total, 3, reasons, sizeof reasons);
	meeting_heading(m, "Recycled and why");
	snprintf(line, sizeof line, "Recycled in %s: %lld; MQLs rejected: "
	    "%lld%s%s.", metrics_month_label(start, month, sizeof month),
	    (long long)total.recycled, (long long)total.rejected,
	    reasons[0] != '\0' ? "; top reasons: " : "", reasons);
	meeting_line(m, line);
	meeting_sources(m, &cur, &prev);
	metrics_row_clear(&total);
	metrics_month_clear(&cur);
	metrics_month_clear(&prev);
	rc = 0;
out:
	metrics_free(&mc);
	return rc;
}

/* --week YYYY-Www or --month YYYY-MM: the period and the report time. */
static int
meeting_period(struct meeting *m, const char *week, const char *month)
{
	char *cause = NULL;
	time_t start, end;

	m->period = m->ctx->cfg->period;
	m->now = m->ctx->now;
	if (week != NULL && month != NULL) {
		cmd_error("report meeting: give --week or --month, not both");
		return -1;
	}
	if (week == NULL && month == NULL)
		return 0;
	m->period = week != NULL ? PERIOD_WEEK : PERIOD_MONTH;
	if ((week != NULL && goals_week_parse(week, &start, &cause) != 0) ||
	    (month != NULL && metrics_month_parse(month, &start, &cause) !=
	    0)) {
		cmd_error("report meeting: %s", cause);
		free(cause);
		return -1;
	}
	goals_period_bounds(m->period, start, &start, &end);
	/* A past period is reported as it stood at its end. */
	if (m->now >= end)
		m->now = end - 1;
	if (m->now < start) {
		cmd_error("report meeting: %s %s has not started yet",
		    week != NULL ? "week" : "month", week != NULL ? week :
		    month);
		return -1;
	}
	return 0;
}

int
cmd_report_meeting(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *week = NULL, *month = NULL, *format = NULL;
	const struct cmd_opt opts[] = {
		{ "week", true, &week }, { "month", true, &month },
		{ "format", true, &format },
	};
	struct meeting m;
	char *cause = NULL, label[16], at[WHEN_ISO_LEN];
	time_t start, end;
	int i;

	memset(&m, 0, sizeof m);
	m.ctx = ctx;
	m.kind = FMT_MD;
	if ((i = cmd_parse_opts(argc, argv, opts, 3)) < 0)
		return SMK_EUSER;
	/* The options are parsed; what is left is "meeting" itself. */
	if (argc - i != 1 || strcmp(argv[i], "meeting") != 0) {
		cmd_error("report meeting: unexpected \"%s\"", argv[i]);
		return SMK_EUSER;
	}
	if (format != NULL && (fmt_parse(format, &m.kind, &cause) != 0 ||
	    (m.kind != FMT_MD && m.kind != FMT_TABLE))) {
		cmd_error("report meeting: %s", cause != NULL ? cause :
		    "the formats are md and table");
		free(cause);
		return SMK_EUSER;
	}
	if (meeting_period(&m, week, month) != 0)
		return SMK_EUSER;
	goals_period_bounds(m.period, m.now, &start, &end);
	fprintf(ctx->out, "%sMeeting agenda, %s %s\n\nAs of %s, %s time.\n",
	    m.kind == FMT_MD ? "# " : "", goals_period_name(m.period),
	    goals_period_label(m.period, start, label, sizeof label),
	    when_format(m.now, at), when_zone());
	if (meeting_goal(&m, &cause) != 0 || meeting_mqls(&m, &cause) != 0 ||
	    meeting_sla(&m, &cause) != 0 || meeting_flow(&m, &cause) != 0)
		return plan_fail(SMK_EFILE, cause);
	return SMK_OK;
}

bool
cmd_report_is_meeting(int argc, char **argv)
{
	int i;

	/* The operand, not the value of an option that takes one. */
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "meeting") == 0 && (i == 1 ||
		    strncmp(argv[i - 1], "--", 2) != 0 || strchr(argv[i - 1],
		    '=') != NULL))
			return true;
	}
	return false;
}
