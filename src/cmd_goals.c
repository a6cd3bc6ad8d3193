/*
 * smk plan: the reverse funnel of goals.h as a table, one row per funnel
 * stage (stage, rate, needed, actual, pace, gap), with what-if goals from
 * the command line. Parses and prints only: the numbers come from goals.c.
 * The meeting agenda (smk report meeting) lives in cmd_meeting.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "smk/cmd.h"
#include "smk/fmt.h"
#include "smk/goals.h"
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

/* "5 customers" or "50000 USD of revenue (12 customers at 4200 each)". */
static void
plan_goal_text(const struct goals_plan *p, const struct config *cfg,
    char *buf, size_t len)
{
	if (p->goal_customers > 0) {
		snprintf(buf, len, "%lld customer%s", (long long)
		    p->goal_customers, p->goal_customers == 1 ? "" : "s");
		return;
	}
	if (p->won_valued > 0)
		snprintf(buf, len, "%lld %s of revenue (mean deal %lld %s "
		    "over %lld customer%s)", (long long)p->goal_revenue,
		    cfg->currency, (long long)(p->won_sum / p->won_valued),
		    cfg->currency, (long long)p->won_valued,
		    p->won_valued == 1 ? "" : "s");
	else
		snprintf(buf, len, "%lld %s of revenue (no customer with an "
		    "amount in the lookback: no data)",
		    (long long)p->goal_revenue, cfg->currency);
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
