/*
 * The commands that create and change leads and reps, and read a lead's
 * history: init, add, move, assign, log, set, timeline and rep. They parse
 * arguments and print; the rules live in lead.c, the SQL in the store.
 */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "smk/cmd.h"
#include "smk/fmt.h"
#include "smk/when.h"
#include "smk/xmalloc.h"

#define NOPTS(a) (sizeof (a) / sizeof (a)[0])

/* Print and free a message; return rc. */
static int
cmd_fail(int rc, char *cause)
{
	if (cause != NULL)
		cmd_error("%s", cause);
	free(cause);
	return rc;
}

/* Check the operand count: "move: expected LEAD STAGE". */
static int
cmd_operands(int argc, char **argv, int first, int want, const char *what)
{
	if (first < 0)
		return -1;
	if (argc - first != want) {
		cmd_error("%s: expected %s (see smk %s --help)", argv[0], what,
		    argv[0]);
		return -1;
	}
	return 0;
}

/* --expect-version N: the version the caller saw, for scripts. */
static int
cmd_expect_version(const char *text, int64_t *v)
{
	char *end;
	long long n;

	n = strtoll(text, &end, 10);
	if (*text == '\0' || *end != '\0' || n < 1) {
		cmd_error("--expect-version \"%s\" is not a version number",
		    text);
		return -1;
	}
	*v = n;
	return 0;
}

static char *
cmd_real_name(const char *login)
{
	struct passwd *pw = getpwnam(login);
	char *name, *comma;

	if (pw == NULL || pw->pw_gecos == NULL || *pw->pw_gecos == '\0')
		return xstrdup(login);
	name = xstrdup(pw->pw_gecos);
	if ((comma = strchr(name, ',')) != NULL)
		*comma = '\0';
	return name;
}

int
cmd_init(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct store_rep rep;
	char *cause = NULL, *name;
	enum store_status st;

	if (cmd_operands(argc, argv, cmd_parse_opts(argc, argv, NULL, 0), 0,
	    "no arguments") != 0)
		return SMK_EUSER;
	/* Whoever creates the file administers it. */
	if (store_rep_count(ctx->store) == 0) {
		name = cmd_real_name(ctx->actor->login);
		rep.login = ctx->actor->login;
		rep.name = name;
		rep.team = (char *)"sales";
		rep.role = (char *)"admin";
		rep.active = true;
		st = store_rep_add(ctx->store, &rep, ctx->now, &cause);
		free(name);
		if (st != STORE_OK)
			return cmd_fail(lead_err_from_store(st), cause);
	}
	fprintf(ctx->out, "created %s (schema v%d); %s is its admin\n",
	    ctx->db_path, store_schema_version(ctx->store), ctx->actor->login);
	return SMK_OK;
}

int
cmd_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *first = NULL, *last = NULL, *company = NULL, *title = NULL;
	const char *source = NULL, *stage = NULL, *owner = NULL;
	const struct cmd_opt opts[] = {
		{ "first", true, &first }, { "last", true, &last },
		{ "company", true, &company }, { "title", true, &title },
		{ "source", true, &source }, { "stage", true, &stage },
		{ "owner", true, &owner },
	};
	struct lead l;
	char *cause = NULL;
	int i, rc;

	i = cmd_parse_opts(argc, argv, opts, NOPTS(opts));
	if (cmd_operands(argc, argv, i, 1, "EMAIL") != 0)
		return SMK_EUSER;
	memset(&l, 0, sizeof l);
#define DUP(s) ((s) != NULL && *(s) != '\0' ? xstrdup(s) : NULL)
	l.email = xstrdup(argv[i]);
	l.first_name = DUP(first);
	l.last_name = DUP(last);
	l.company = DUP(company);
	l.title = DUP(title);
	l.source = DUP(source);
	l.stage = DUP(stage);
	l.owner = DUP(owner);
#undef DUP
	rc = lead_add(ctx->store, ctx->cfg, ctx->actor, &l, ctx->now, &cause);
	if (rc == SMK_OK)
		fprintf(ctx->out, "%lld\n", (long long)l.id);
	lead_clear(&l);
	return cmd_fail(rc, cause);
}

/* Resolve LEAD; with --expect-version, a newer lead is a conflict. */
static int
cmd_lead(struct cmd_ctx *ctx, const char *ref, const char *expect,
    struct lead *l)
{
	char *cause = NULL;
	int64_t v;
	int rc;

	if (expect != NULL && cmd_expect_version(expect, &v) != 0)
		return SMK_EUSER;
	if ((rc = lead_resolve(ctx->store, ref, l, &cause)) != SMK_OK)
		return cmd_fail(rc, cause);
	if (expect != NULL &&
	    (rc = lead_check_version(ctx->store, l, v, &cause)) != SMK_OK) {
		lead_clear(l);
		return cmd_fail(rc, cause);
	}
	return SMK_OK;
}

int
cmd_move(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *reason = NULL, *expect = NULL;
	const struct cmd_opt opts[] = {
		{ "reason", true, &reason }, { "expect-version", true, &expect },
	};
	struct lead l;
	char *cause = NULL;
	int i, rc;

	i = cmd_parse_opts(argc, argv, opts, NOPTS(opts));
	if (cmd_operands(argc, argv, i, 2, "LEAD STAGE") != 0)
		return SMK_EUSER;
	if ((rc = cmd_lead(ctx, argv[i], expect, &l)) != SMK_OK)
		return rc;
	rc = lead_move(ctx->store, ctx->cfg, ctx->actor, &l, argv[i + 1],
	    reason, ctx->now, NULL, &cause);
	if (rc == SMK_OK)
		fprintf(ctx->out, "%lld %s\n", (long long)l.id, l.stage);
	lead_clear(&l);
	return cmd_fail(rc, cause);
}

int
cmd_assign(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *expect = NULL, *login;
	const struct cmd_opt opts[] = { { "expect-version", true, &expect } };
	struct lead l;
	char *cause = NULL;
	int i, rc;

	i = cmd_parse_opts(argc, argv, opts, NOPTS(opts));
	if (cmd_operands(argc, argv, i, 2, "LEAD LOGIN (or - to unassign)") !=
	    0)
		return SMK_EUSER;
	if ((rc = cmd_lead(ctx, argv[i], expect, &l)) != SMK_OK)
		return rc;
	login = strcmp(argv[i + 1], "-") == 0 ? NULL : argv[i + 1];
	rc = lead_assign(ctx->store, ctx->cfg, ctx->actor, &l, login,
	    ctx->now, NULL, &cause);
	if (rc == SMK_OK)
		fprintf(ctx->out, "%lld %s\n", (long long)l.id,
		    l.owner != NULL ? l.owner : "-");
	lead_clear(&l);
	return cmd_fail(rc, cause);
}

int
cmd_log(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *note = NULL;
	const struct cmd_opt opts[] = { { "note", true, &note } };
	struct lead l;
	char *cause = NULL;
	int i, rc;

	i = cmd_parse_opts(argc, argv, opts, NOPTS(opts));
	if (cmd_operands(argc, argv, i, 2, "LEAD KIND (call, email, meeting, "
	    "social or note)") != 0)
		return SMK_EUSER;
	if ((rc = cmd_lead(ctx, argv[i], NULL, &l)) != SMK_OK)
		return rc;
	rc = lead_log(ctx->store, ctx->cfg, ctx->actor, &l, argv[i + 1], note,
	    ctx->now, &cause);
	if (rc == SMK_OK)
		fprintf(ctx->out, "%lld %s\n", (long long)l.id, argv[i + 1]);
	lead_clear(&l);
	return cmd_fail(rc, cause);
}

int
cmd_set(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *expect = NULL;
	const struct cmd_opt opts[] = { { "expect-version", true, &expect } };
	struct lead l;
	char *cause = NULL;
	int i, rc;

	i = cmd_parse_opts(argc, argv, opts, NOPTS(opts));
	if (cmd_operands(argc, argv, i, 3, "LEAD FIELD VALUE") != 0)
		return SMK_EUSER;
	if ((rc = cmd_lead(ctx, argv[i], expect, &l)) != SMK_OK)
		return rc;
	rc = lead_set(ctx->store, ctx->cfg, ctx->actor, &l, argv[i + 1],
	    argv[i + 2], ctx->now, NULL, &cause);
	if (rc == SMK_OK)
		fprintf(ctx->out, "%lld %s\n", (long long)l.id, argv[i + 1]);
	lead_clear(&l);
	return cmd_fail(rc, cause);
}

/* Parse --format, defaulting to an aligned table. */
static int
cmd_format(const char *text, enum fmt_kind *kind)
{
	char *cause = NULL;

	*kind = FMT_TABLE;
	if (text != NULL && (fmt_parse(text, kind, &cause) != 0 ||
	    *kind == FMT_MD)) {
		if (cause == NULL)
			xasprintf(&cause, "unknown format \"%s\" (use table, "
			    "csv or json)", text);
		cmd_error("%s", cause);
		free(cause);
		return -1;
	}
	return 0;
}

static int
cmd_timeline_row(const struct store_entry *e, void *arg)
{
	char at[WHEN_ISO_LEN], entered[WHEN_ISO_LEN], *scored = NULL;
	const char *note = e->note;
	const char *cells[7];

	if (note == NULL && e->field != NULL && strcmp(e->kind, "update") == 0)
		note = e->field;
	/* A change of score writes score, fit and engagement: say which. */
	if (e->field != NULL && strcmp(e->kind, "score") == 0) {
		xasprintf(&scored, "%s%s%s", e->field, note != NULL ? ": " :
		    "", note != NULL ? note : "");
		note = scored;
	}
	cells[0] = when_format(e->at, at);
	cells[1] = when_format(e->entered_at, entered);
	cells[2] = e->user;
	cells[3] = e->kind;
	cells[4] = e->from;
	cells[5] = e->to;
	cells[6] = note;
	fmt_put(arg, cells);
	free(scored);
	return 0;
}

int
cmd_timeline(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *cols[] = { "at", "entered_at", "user", "kind",
	    "from", "to", "note" };
	const char *format = NULL;
	const struct cmd_opt opts[] = { { "format", true, &format } };
	enum fmt_kind kind;
	struct fmt *f;
	struct lead l;
	char *cause = NULL;
	enum store_status st;
	int i, rc;

	i = cmd_parse_opts(argc, argv, opts, NOPTS(opts));
	if (cmd_operands(argc, argv, i, 1, "LEAD") != 0 ||
	    cmd_format(format, &kind) != 0)
		return SMK_EUSER;
	if ((rc = cmd_lead(ctx, argv[i], NULL, &l)) != SMK_OK)
		return rc;
	f = fmt_open(kind, cols, NOPTS(cols), ctx->out);
	st = store_timeline(ctx->store, l.id, cmd_timeline_row, f, &cause);
	fmt_close(f);
	lead_clear(&l);
	return cmd_fail(lead_err_from_store(st), cause);
}

/* Only an admin edits the team; anyone may while it has no reps yet. */
static int
cmd_rep_admin(struct cmd_ctx *ctx, const char *what)
{
	if (ctx->actor->role == ROLE_ADMIN || store_rep_count(ctx->store) == 0)
		return 0;
	cmd_error("only an admin can %s (you are %s, %s)", what,
	    ctx->actor->login, role_name(ctx->actor->role));
	return -1;
}

static int
cmd_rep_choice(const char *what, const char *value, const char *a,
    const char *b, const char *c)
{
	if (value == NULL || strcmp(value, a) == 0 || strcmp(value, b) == 0 ||
	    (c != NULL && strcmp(value, c) == 0))
		return 0;
	if (c == NULL)
		cmd_error("rep: %s \"%s\" must be %s or %s", what, value, a, b);
	else
		cmd_error("rep: %s \"%s\" must be %s, %s or %s", what, value,
		    a, b, c);
	return -1;
}

static int
cmd_rep_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *name = NULL, *team = NULL, *role = NULL;
	const struct cmd_opt opts[] = {
		{ "name", true, &name }, { "team", true, &team },
		{ "role", true, &role },
	};
	struct store_rep rep;
	char *cause = NULL;
	enum store_status st;
	int i;

	i = cmd_parse_opts(argc, argv, opts, NOPTS(opts));
	if (cmd_operands(argc, argv, i, 1, "LOGIN --name NAME --team "
	    "sales|marketing --role rep|manager|admin") != 0)
		return SMK_EUSER;
	if (name == NULL || team == NULL || role == NULL) {
		cmd_error("rep add: --name, --team and --role are required");
		return SMK_EUSER;
	}
	if (cmd_rep_choice("team", team, "sales", "marketing", NULL) != 0 ||
	    cmd_rep_choice("role", role, "rep", "manager", "admin") != 0 ||
	    cmd_rep_admin(ctx, "add reps") != 0)
		return SMK_EUSER;
	rep.login = argv[i];
	rep.name = (char *)name;
	rep.team = (char *)team;
	rep.role = (char *)role;
	rep.active = true;
	st = store_rep_add(ctx->store, &rep, ctx->now, &cause);
	if (st == STORE_OK)
		fprintf(ctx->out, "%s\n", rep.login);
	return cmd_fail(lead_err_from_store(st), cause);
}

static int
cmd_rep_set(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *name = NULL, *team = NULL, *role = NULL, *active = NULL;
	const struct cmd_opt opts[] = {
		{ "name", true, &name }, { "team", true, &team },
		{ "role", true, &role }, { "active", true, &active },
	};
	struct store_rep rep, now;
	char *cause = NULL;
	enum store_status st;
	int i;

	i = cmd_parse_opts(argc, argv, opts, NOPTS(opts));
	if (cmd_operands(argc, argv, i, 1, "LOGIN [--name NAME] [--team "
	    "sales|marketing] [--role rep|manager|admin] [--active yes|no]") !=
	    0 || cmd_rep_choice("team", team, "sales", "marketing", NULL) != 0 ||
	    cmd_rep_choice("role", role, "rep", "manager", "admin") != 0 ||
	    cmd_rep_choice("--active", active, "yes", "no", NULL) != 0 ||
	    cmd_rep_admin(ctx, "change reps") != 0)
		return SMK_EUSER;
	memset(&now, 0, sizeof now);
	if ((st = store_rep_get(ctx->store, argv[i], &now, &cause)) !=
	    STORE_OK)
		return cmd_fail(lead_err_from_store(st), cause);
	rep.login = now.login;
	rep.name = name != NULL ? (char *)name : now.name;
	rep.team = team != NULL ? (char *)team : now.team;
	rep.role = role != NULL ? (char *)role : now.role;
	rep.active = active != NULL ? strcmp(active, "yes") == 0 : now.active;
	st = store_rep_update(ctx->store, &rep, &cause);
	if (st == STORE_OK)
		fprintf(ctx->out, "%s %s %s %s\n", rep.login, rep.team,
		    rep.role, rep.active ? "active" : "inactive");
	store_rep_clear(&now);
	return cmd_fail(lead_err_from_store(st), cause);
}

static int
cmd_rep_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *cols[] = { "login", "name", "team", "role",
	    "active" };
	const char *format = NULL;
	const struct cmd_opt opts[] = { { "format", true, &format } };
	struct store_rep *reps = NULL;
	enum fmt_kind kind;
	struct fmt *f;
	char *cause = NULL;
	const char *cells[5];
	enum store_status st;
	size_t n = 0, r;
	int i;

	i = cmd_parse_opts(argc, argv, opts, NOPTS(opts));
	if (cmd_operands(argc, argv, i, 0, "no operands") != 0 ||
	    cmd_format(format, &kind) != 0)
		return SMK_EUSER;
	if ((st = store_rep_list(ctx->store, &reps, &n, &cause)) != STORE_OK)
		return cmd_fail(lead_err_from_store(st), cause);
	f = fmt_open(kind, cols, NOPTS(cols), ctx->out);
	for (r = 0; r < n; r++) {
		cells[0] = reps[r].login;
		cells[1] = reps[r].name;
		cells[2] = reps[r].team;
		cells[3] = reps[r].role;
		cells[4] = reps[r].active ? "yes" : "no";
		fmt_put(f, cells);
	}
	fmt_close(f);
	store_reps_free(reps, n);
	return SMK_OK;
}

int
cmd_rep(struct cmd_ctx *ctx, int argc, char **argv)
{
	/* The subcommand's messages name it whole: "rep add: ...". */
	static char add[] = "rep add", set[] = "rep set", list[] = "rep list";

	if (argc >= 2 && strcmp(argv[1], "add") == 0) {
		argv[1] = add;
		return cmd_rep_add(ctx, argc - 1, argv + 1);
	}
	if (argc >= 2 && strcmp(argv[1], "set") == 0) {
		argv[1] = set;
		return cmd_rep_set(ctx, argc - 1, argv + 1);
	}
	if (argc >= 2 && strcmp(argv[1], "list") == 0) {
		argv[1] = list;
		return cmd_rep_list(ctx, argc - 1, argv + 1);
	}
	cmd_error("rep: expected \"rep add LOGIN ...\", \"rep set LOGIN "
	    "...\" or \"rep list\"");
	return SMK_EUSER;
}
