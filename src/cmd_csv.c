/*
 * The CSV commands and rescore: "smk import", "smk export" and "smk rescore".
 * Owns their options, the messages and the progress bar; the import itself is
 * csvin.c's, the scoring score.c's, the CSV writing fmt.c's. Never writes SQL.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "smk/cmd.h"
#include "smk/csvin.h"
#include "smk/fmt.h"
#include "smk/score.h"
#include "smk/text.h"
#include "smk/when.h"
#include "smk/xmalloc.h"

#define CMD_CSV_MAX_REJECTS 50	/* messages before "... and N more" */

static volatile sig_atomic_t cmd_csv_stop;

static void
cmd_csv_sigint(int sig)
{
	(void)sig;
	cmd_csv_stop = 1;
}

/* Catch SIGINT so that the transaction is rolled back, not cut. */
static void
cmd_csv_catch(struct sigaction *old)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = cmd_csv_sigint;
	sigemptyset(&sa.sa_mask);
	cmd_csv_stop = 0;
	sigaction(SIGINT, &sa, old);
}

static int
cmd_csv_writer(const struct cmd_ctx *ctx, const char *cmd, bool dry_run)
{
	if (ctx->actor == NULL || ctx->actor->role == ROLE_NONE) {
		cmd_error("%s: %s is not a rep in this file; an admin can add "
		    "you with smk rep add", cmd, ctx->actor != NULL &&
		    ctx->actor->login != NULL ? ctx->actor->login : "you");
		return (SMK_EUSER);
	}
	if (!dry_run && store_readonly(ctx->store)) {
		cmd_error("%s: %s is read-only here; nothing was changed", cmd,
		    store_path(ctx->store));
		return (SMK_EFILE);
	}
	return (SMK_OK);
}

/* smk import */

struct cmd_import {
	struct cmd_ctx	*ctx;
	const char	*file;
	bool		 dry_run;
	bool		 tty;		/* stderr shows a progress bar */
	bool		 bar;		/* a bar is on screen now */
	uint64_t	 total;		/* bytes in the file, 0 if unknown */
	uint64_t	 shown;		/* rejects printed */
};

static void
cmd_import_unbar(struct cmd_import *ci)
{
	if (ci->bar)
		fputs("\r\033[K", stderr);
	ci->bar = false;
}

static void
cmd_import_progress(uint64_t bytes, uint64_t rows, void *arg)
{
	struct cmd_import	*ci = arg;
	int			 pct;

	if (!ci->tty)
		return;
	pct = ci->total != 0 ? (int)(bytes * 100 / ci->total) : 0;
	fprintf(stderr, "\rimporting [%-25.*s] %3d%% %" PRIu64 " rows",
	    pct / 4, "#########################", pct, rows);
	ci->bar = true;
}

static void
cmd_import_saving(void *arg)
{
	struct cmd_import	*ci = arg;

	if (ci->tty)
		fputs(", saving...", stderr);
}

static void
cmd_import_note(const struct csvin_note *n, void *arg)
{
	static const char *const what[] = { "create", "update", "same",
	    "reject" };
	struct cmd_import	*ci = arg;
	char			*line, *safe;

	if (!ci->dry_run && n->what != CSVIN_REJECT)
		return;
	if (n->what == CSVIN_REJECT && !ci->dry_run &&
	    ci->shown++ >= CMD_CSV_MAX_REJECTS)
		return;
	if (n->what == CSVIN_REJECT)
		xasprintf(&line, "%s:%lu: %s%s%s", ci->file, n->line,
		    n->column != NULL ? n->column : "",
		    n->column != NULL ? ": " : "", n->text);
	else
		xasprintf(&line, "%s:%lu: %s %s%s%s", ci->file, n->line,
		    what[n->what], n->email, n->text != NULL ? ": " : "",
		    n->text != NULL ? n->text : "");
	safe = text_sanitize(line);
	if (ci->dry_run)
		fprintf(ci->ctx->out, "%s\n", safe);
	else {
		cmd_import_unbar(ci);
		cmd_error("%s", safe);
	}
	free(safe);
	free(line);
}

/* "leads.csv" -> "leads.rejects.csv", beside the input. */
static char *
cmd_import_rejects_path(const char *file)
{
	size_t	 len = strlen(file);
	char	*p;

	if (len > 4 && strcasecmp(file + len - 4, ".csv") == 0)
		len -= 4;
	xasprintf(&p, "%.*s.rejects.csv", (int)len, file);
	return (p);
}

static int
cmd_import_delim(const char *v, int *out)
{
	if (v == NULL || csvin_delimiter(v, out) == 0)
		return (0);
	cmd_error("import: --delimiter takes one character, or tab");
	return (-1);
}

static void
cmd_import_summary(struct cmd_import *ci, const struct csvin_stats *st,
    const char *rejects)
{
	char	*safe;

	if (st->ignored != NULL) {
		safe = text_sanitize(st->ignored);
		cmd_error("%s: ignored columns: %s", ci->file, safe);
		free(safe);
	}
	if (ci->shown > CMD_CSV_MAX_REJECTS)
		cmd_error("%s: ... and %" PRIu64 " more bad rows", ci->file,
		    ci->shown - CMD_CSV_MAX_REJECTS);
	fprintf(ci->ctx->out, "%s%s: %" PRIu64 " created, %" PRIu64
	    " updated, %" PRIu64 " unchanged, %" PRIu64 " rejected, %"
	    PRIu64 " moved to mql\n", ci->dry_run ? "dry run, nothing "
	    "written: " : "", ci->file, st->created, st->updated,
	    st->unchanged, st->rejected, st->mql);
	if (rejects != NULL && st->rejected != 0 && !ci->dry_run)
		fprintf(ci->ctx->out, "rejected rows are in %s\n", rejects);
	/* Not ours to delete (it may have been edited), but not this run's. */
	else if (rejects != NULL && !ci->dry_run && access(rejects, F_OK) == 0)
		cmd_error("%s is from an earlier import; this one rejected "
		    "no row", rejects);
}

static int
cmd_import_run(struct cmd_import *ci, struct csvin_opts *o, FILE *in)
{
	struct csvin_stats	 st;
	struct sigaction	 old;
	enum smk_err		 err;
	char			*cause = NULL;

	cmd_csv_catch(&old);
	o->stop = &cmd_csv_stop;
	err = csvin_import(ci->ctx->store, ci->ctx->cfg, in, o, &st, &cause);
	sigaction(SIGINT, &old, NULL);
	cmd_import_unbar(ci);
	/* A dry run stopped by bad rows still says what the rest would do. */
	if (err == SMK_OK || (ci->dry_run && st.finished))
		cmd_import_summary(ci, &st, o->rejects_path);
	if (err != SMK_OK) {
		char *safe = text_sanitize(cause != NULL ? cause : "failed");

		cmd_error("%s", safe);
		free(safe);
	}
	free(cause);
	csvin_stats_clear(&st);
	return (err);
}

int
cmd_import(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char		*map = NULL, *dry = NULL, *onerr = NULL;
	const char		*delim = NULL, *datefmt = NULL;
	const struct cmd_opt	 opts[] = {
		{ "map", true, &map }, { "dry-run", false, &dry },
		{ "on-error", true, &onerr }, { "delimiter", true, &delim },
		{ "date-format", true, &datefmt },
	};
	struct cmd_import	 ci;
	struct csvin_opts	 o;
	struct stat		 sb;
	FILE			*in;
	char			*rejects = NULL;
	int			 i, rc;

	if ((i = cmd_parse_opts(argc, argv, opts, 5)) < 0)
		return (SMK_EUSER);
	if (argc - i != 1) {
		cmd_error("import: usage: smk import FILE.csv [--map FILE.ini] "
		    "[--dry-run] [--on-error abort|skip] [--delimiter C] "
		    "[--date-format FMT]");
		return (SMK_EUSER);
	}
	memset(&o, 0, sizeof o);
	memset(&ci, 0, sizeof ci);
	if (onerr != NULL && strcmp(onerr, "skip") == 0)
		o.on_error = CSVIN_SKIP;
	else if (onerr != NULL && strcmp(onerr, "abort") != 0) {
		cmd_error("import: --on-error is abort or skip, not %s", onerr);
		return (SMK_EUSER);
	}
	if (cmd_import_delim(delim, &o.delimiter) != 0)
		return (SMK_EUSER);
	if ((rc = cmd_csv_writer(ctx, "import", dry != NULL)) != SMK_OK)
		return (rc);
	ci.ctx = ctx;
	ci.file = argv[i];
	ci.dry_run = dry != NULL;
	if ((in = fopen(ci.file, "r")) == NULL) {
		cmd_error("import: %s: %s", ci.file, strerror(errno));
		return (SMK_EUSER);
	}
	if (fstat(fileno(in), &sb) == 0 && S_ISREG(sb.st_mode))
		ci.total = (uint64_t)sb.st_size;
	ci.tty = !ci.dry_run && isatty(STDERR_FILENO);
	if (o.on_error == CSVIN_SKIP)
		rejects = cmd_import_rejects_path(ci.file);
	o.name = ci.file;
	o.map_path = map;
	o.rejects_path = rejects;
	o.dry_run = ci.dry_run;
	o.date_format = datefmt;
	o.user = ctx->actor->login;
	o.actor = ctx->actor;
	o.now = ctx->now;
	o.note = cmd_import_note;
	o.progress = cmd_import_progress;
	o.saving = cmd_import_saving;
	o.arg = &ci;
	rc = cmd_import_run(&ci, &o, in);
	fclose(in);
	free(rejects);
	return (rc);
}

/* smk export */

static const char *const cmd_export_columns[] = {
	"id:n", "email", "first_name", "last_name", "company", "title",
	"phone", "source", "stage", "owner", "score:n", "created_at",
	"updated_at"
};
#define CMD_EXPORT_NCOLS \
	(sizeof cmd_export_columns / sizeof *cmd_export_columns)

static int
cmd_export_row(const struct lead *l, void *arg)
{
	struct fmt	*f = arg;
	char		 id[24], score[16], created[WHEN_ISO_LEN];
	char		 updated[WHEN_ISO_LEN];
	const char	*cells[CMD_EXPORT_NCOLS] = {
		id, l->email, l->first_name, l->last_name, l->company,
		l->title, l->phone, l->source, l->stage, l->owner, score,
		when_format(l->created_at, created),
		when_format(l->updated_at, updated)
	};

	snprintf(id, sizeof id, "%" PRId64, l->id);
	snprintf(score, sizeof score, "%d", l->score);
	fmt_put(f, cells);
	return (0);
}

int
cmd_export(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct store_filter	 filt;
	const struct cmd_opt	 opts[] = {
		{ "stage", true, &filt.stage }, { "owner", true, &filt.owner },
		{ "source", true, &filt.source },
	};
	enum store_status	 st;
	struct fmt		*f;
	char			*cause = NULL;
	int			 i;

	memset(&filt, 0, sizeof filt);
	if ((i = cmd_parse_opts(argc, argv, opts, 3)) < 0)
		return (SMK_EUSER);
	if (i != argc) {
		cmd_error("export: usage: smk export [--stage S] "
		    "[--owner LOGIN] [--source S]");
		return (SMK_EUSER);
	}
	if (filt.stage != NULL && config_stage_index(ctx->cfg,
	    filt.stage) < 0) {
		cmd_error("export: no stage named %s in the playbook",
		    filt.stage);
		return (SMK_EUSER);
	}
	if ((i = cmd_check_rep(ctx, "export: --owner", filt.owner)) != SMK_OK)
		return (i);
	f = fmt_open(FMT_CSV, cmd_export_columns, CMD_EXPORT_NCOLS, ctx->out);
	st = store_lead_each(ctx->store, &filt, cmd_export_row, f, &cause);
	fmt_close(f);
	if (st != STORE_OK) {
		cmd_error("export: %s", cause != NULL ? cause :
		    store_strerror(st));
		free(cause);
		return (st == STORE_INVALID ? SMK_EUSER : SMK_EFILE);
	}
	if (fflush(ctx->out) != 0 || ferror(ctx->out)) {
		cmd_error("export: cannot write: %s", strerror(errno));
		return (SMK_EUSER);
	}
	return (SMK_OK);
}

/* smk rescore */

struct cmd_rescore {
	struct cmd_ctx		*ctx;
	const struct score_set	*set;
	uint64_t		 leads, changed, moved;
	char			*cause;
};

static int
cmd_rescore_one(const struct lead *l, void *arg)
{
	struct cmd_rescore	*rs = arg;
	struct score_result	 r;
	struct lead		 copy;
	bool			 moved;
	int			 rc;

	rs->leads++;
	if (cmd_csv_stop) {
		rs->cause = xstrdup("interrupted; no score was changed");
		return (1);
	}
	score_compute(rs->set, l, rs->ctx->now, &r);
	if (r.fit == l->fit && r.engagement == l->engagement &&
	    r.score == l->score)
		return (0);
	lead_copy(&copy, l);
	rc = score_apply_set(rs->ctx->store, rs->ctx->cfg, rs->set, &copy,
	    rs->ctx->now, &moved, &rs->cause);
	lead_clear(&copy);
	if (rc != 0)
		return (1);
	rs->changed++;
	rs->moved += moved;
	return (0);
}

static int
cmd_rescore_all(struct cmd_rescore *rs)
{
	struct store		*s = rs->ctx->store;
	struct store_filter	 all;
	enum store_status	 st;
	char			*cause = NULL;

	memset(&all, 0, sizeof all);
	if (store_begin(s, &cause) != STORE_OK) {
		rs->cause = cause;
		return (SMK_EFILE);
	}
	st = store_lead_each(s, &all, cmd_rescore_one, rs, &cause);
	if (st != STORE_OK || rs->cause != NULL) {
		store_rollback(s);
		if (rs->cause == NULL)
			rs->cause = cause;
		else
			free(cause);
		return (cmd_csv_stop ? SMK_EUSER : SMK_EFILE);
	}
	if (store_commit(s, &rs->cause) != STORE_OK)
		return (SMK_EFILE);
	return (SMK_OK);
}

int
cmd_rescore(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cmd_rescore	 rs;
	struct score_set	*set;
	struct sigaction	 old;
	int			 rc;

	if (cmd_parse_opts(argc, argv, NULL, 0) != argc) {
		cmd_error("rescore: usage: smk rescore");
		return (SMK_EUSER);
	}
	if ((rc = cmd_csv_writer(ctx, "rescore", false)) != SMK_OK)
		return (rc);
	memset(&rs, 0, sizeof rs);
	rs.ctx = ctx;
	if ((set = score_compile(ctx->cfg, &rs.cause)) == NULL) {
		cmd_error("rescore: %s", rs.cause);
		free(rs.cause);
		return (SMK_EUSER);
	}
	rs.set = set;
	cmd_csv_catch(&old);
	rc = cmd_rescore_all(&rs);
	sigaction(SIGINT, &old, NULL);
	score_free(set);
	if (rc != SMK_OK) {
		cmd_error("rescore: %s", rs.cause != NULL ? rs.cause :
		    "failed");
		free(rs.cause);
		return (rc);
	}
	fprintf(ctx->out, "rescored %" PRIu64 " leads: %" PRIu64 " changed, %"
	    PRIu64 " moved to mql\n", rs.leads, rs.changed, rs.moved);
	return (SMK_OK);
}
