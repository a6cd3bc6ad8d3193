/*
 * smk sla: the sales SLA clocks at now (or --at), one row per rule of each
 * listed clock (slaview.h says which are listed), streamed as the leads are
 * walked. --check turns breaches into exit code 3 for cron. Parses and
 * prints only: the rules live in sla.c and slaview.c.
 */
#include <stdlib.h>
#include <string.h>

#include "smk/cmd.h"
#include "smk/fmt.h"
#include "smk/slaview.h"
#include "smk/when.h"
#include "smk/xmalloc.h"

struct cmd_sla_out {
	struct fmt	*fmt;
	int64_t		 breached;
};

static void
cmd_sla_row(const struct slaview_clock *c, void *arg)
{
	struct cmd_sla_out *o = arg;
	char lead[32], started[WHEN_ISO_LEN], due[WHEN_ISO_LEN], att[16];
	const char *cells[8];

	snprintf(lead, sizeof lead, "%lld", (long long)c->lead_id);
	snprintf(att, sizeof att, "%d", c->attempts);
	cells[0] = lead;
	cells[1] = c->email;
	cells[2] = c->rep;
	cells[3] = sla_rule_name(c->rule);
	cells[4] = sla_state_name(c->state);
	cells[5] = when_format(c->started_at, started);
	cells[6] = when_format(c->due_at, due);
	cells[7] = att;
	fmt_put(o->fmt, cells);
	if (c->state == SLA_BREACHED)
		o->breached++;
}

static int
cmd_sla_format(const char *text, enum fmt_kind *kind)
{
	char *cause = NULL;

	*kind = FMT_TABLE;
	if (text == NULL)
		return 0;
	if (fmt_parse(text, kind, &cause) == 0 && *kind != FMT_MD)
		return 0;
	cmd_error("sla: %s", cause != NULL ? cause :
	    "unknown format \"md\" (use table, csv or json)");
	free(cause);
	return -1;
}

/*
 * Under the table, the other half of the agreement: marketing's MQLs this
 * month against its promise. CSV and JSON keep the contract's columns only.
 */
static enum store_status
cmd_sla_promise(struct cmd_ctx *ctx, char **cause)
{
	struct slaview_mql m;
	enum store_status st;

	if ((st = slaview_mql(ctx->store, ctx->cfg, ctx->now, &m, cause)) !=
	    STORE_OK)
		return st;
	fprintf(ctx->out, "\nMarketing: %lld MQLs delivered this month of %ld "
	    "promised (%d per rep%s x %lld sales reps); %ld due by today.\n",
	    (long long)m.delivered, m.target.target, m.per_rep,
	    m.per_rep_auto ? ", from the goal" : "", (long long)m.reps,
	    m.target.pace);
	return STORE_OK;
}

int
cmd_sla(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *cols[] = { "lead:n", "email", "rep", "rule",
	    "state", "started_at", "due_at", "attempts:n" };
	const char *rep = NULL, *breached = NULL, *check = NULL;
	const char *format = NULL;
	const struct cmd_opt opts[] = {
		{ "rep", true, &rep }, { "breached", false, &breached },
		{ "check", false, &check }, { "format", true, &format },
	};
	struct slaview_filter f;
	struct cmd_sla_out o;
	struct slaview *sv;
	enum fmt_kind kind;
	enum store_status st;
	char *cause = NULL;
	int i, rc;

	i = cmd_parse_opts(argc, argv, opts, sizeof opts / sizeof opts[0]);
	if (i < 0)
		return SMK_EUSER;
	if (i != argc) {
		cmd_error("sla: unexpected \"%s\" (see smk sla --help)",
		    argv[i]);
		return SMK_EUSER;
	}
	if (cmd_sla_format(format, &kind) != 0)
		return SMK_EUSER;
	if ((rc = cmd_check_rep(ctx, "sla: --rep", rep)) != SMK_OK)
		return rc;
	if (slaview_new(ctx->cfg, &sv, &cause) != 0) {
		cmd_error("sla: the playbook's business hours: %s", cause);
		free(cause);
		return SMK_EUSER;
	}
	memset(&f, 0, sizeof f);
	f.rep = rep;
	f.breached = breached != NULL;
	memset(&o, 0, sizeof o);
	o.fmt = fmt_open(kind, cols, sizeof cols / sizeof cols[0], ctx->out);
	st = slaview_walk(sv, ctx->store, &f, ctx->now, cmd_sla_row, &o, NULL,
	    &cause);
	fmt_close(o.fmt);
	slaview_free(sv);
	if (st == STORE_OK && kind == FMT_TABLE && rep == NULL)
		st = cmd_sla_promise(ctx, &cause);
	if (st != STORE_OK) {
		cmd_error("sla: %s", cause);
		free(cause);
		return lead_err_from_store(st);
	}
	if (check != NULL && o.breached > 0) {
		cmd_error("%lld breached SLA clock%s", (long long)o.breached,
		    o.breached == 1 ? "" : "s");
		return SMK_ECONFLICT;
	}
	return SMK_OK;
}
