/*
 * The command dispatcher: global options, opening the playbook and the
 * store, the acting user, then one command (or the board). It owns the exit
 * codes of the contract and the wording of --help; each command lives in its
 * group's cmd_*.c file.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "smk/cmd.h"
#include "smk/goals.h"
#include "smk/slaview.h"
#include "smk/smk.h"
#include "smk/tui.h"
#include "smk/when.h"
#include "smk/xmalloc.h"

/* How a command uses the database file. */
enum cmd_db { DB_NONE, DB_CREATE, DB_READ, DB_WRITE };

static const struct cmd_entry {
	const char	*name;
	int		(*fn)(struct cmd_ctx *, int, char **);
	enum cmd_db	 db;
	const char	*usage;
} cmd_table[] = {
	{ "init", cmd_init, DB_CREATE, "init" },
	{ "doctor", cmd_doctor, DB_NONE, "doctor" },
	{ "add", cmd_add, DB_WRITE, "add EMAIL [--first NAME] [--last NAME] "
	    "[--company C] [--title T] [--source S] [--stage S] "
	    "[--owner LOGIN]" },
	{ "move", cmd_move, DB_WRITE, "move LEAD STAGE [--reason TEXT] "
	    "[--expect-version N]" },
	{ "assign", cmd_assign, DB_WRITE, "assign LEAD LOGIN|- "
	    "[--expect-version N]" },
	{ "log", cmd_log, DB_WRITE, "log LEAD call|email|meeting|social|note "
	    "[--note TEXT]" },
	{ "set", cmd_set, DB_WRITE, "set LEAD FIELD VALUE "
	    "[--expect-version N]" },
	{ "timeline", cmd_timeline, DB_READ, "timeline LEAD "
	    "[--format table|csv|json]" },
	{ "import", cmd_import, DB_WRITE, "import FILE.csv [--map FILE.ini] "
	    "[--dry-run] [--on-error abort|skip] [--delimiter C] "
	    "[--date-format FMT]" },
	{ "export", cmd_export, DB_READ, "export [--stage S] [--owner LOGIN] "
	    "[--source S]" },
	{ "rescore", cmd_rescore, DB_WRITE, "rescore" },
	{ "rep", cmd_rep, DB_READ, "rep add LOGIN --name NAME "
	    "--team sales|marketing --role rep|manager|admin | rep set LOGIN "
	    "[--name NAME] [--team T] [--role R] [--active yes|no] | "
	    "rep list" },
	{ "sla", cmd_sla, DB_READ, "sla [--rep LOGIN] [--breached] [--check] [--format table|csv|json]" },
	{ "report", cmd_report, DB_READ, "report flow [--months N] | "
	    "sources [--month YYYY-MM] [--format table|csv|json] | "
	    "meeting [--week YYYY-Www | --month YYYY-MM] "
	    "[--format md|table]" },
	{ "plan", cmd_plan, DB_READ, "plan [--period week|month] "
	    "[--customers N | --revenue N] [--format table|csv|json]" },
};
#define NCMDS (sizeof cmd_table / sizeof cmd_table[0])

struct cmd_globals {
	const char	*db;
	const char	*config;
	const char	*at;
	const char	*user;
	bool		 help;
	bool		 version;
};

void
cmd_error(const char *fmt, ...)
{
	va_list ap;

	fputs("smk: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void
cmd_usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: smk [--db FILE] [--config FILE] [--at TIME] "
	    "[--user LOGIN] [COMMAND ...]\n\n"
	    "Without a command, smk opens the board.\n\nCommands:\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  smk %s\n", cmd_table[i].usage);
	fprintf(f, "\nGlobal options (before or after the command):\n"
	    "  --db FILE      the database (default: $SMK_DB, then [ui] "
	    "database\n                 in ~/.config/smk/config.ini)\n"
	    "  --config FILE  the playbook (default: smk.ini beside the "
	    "database)\n"
	    "  --at TIME      act as if now were TIME (ISO-8601)\n"
	    "  --user LOGIN   act as LOGIN, when the playbook allows it\n"
	    "  --help, --version\n\n"
	    "Exit codes: 0 success, 1 user error, 2 problem with the file, "
	    "3 conflict (or breaches with sla --check).\nSee smk(1).\n");
}

/*
 * Take the global options out of argv wherever they stand, so that
 * "smk move 4 sql --at 2026-11-20" works like "smk --at ... move 4 sql".
 * Everything from "--" on is left alone.
 */
static int
cmd_take_globals(int *argc, char **argv, struct cmd_globals *g)
{
	static const struct {
		const char	*name;
		size_t		 off;
	} opts[] = {
		{ "--db", offsetof(struct cmd_globals, db) },
		{ "--config", offsetof(struct cmd_globals, config) },
		{ "--at", offsetof(struct cmd_globals, at) },
		{ "--user", offsetof(struct cmd_globals, user) },
	};
	int i, j = 1, k;
	size_t n, o;

	for (i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[j++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			g->help = true;
			continue;
		}
		if (strcmp(argv[i], "--version") == 0) {
			g->version = true;
			continue;
		}
		for (o = 0, k = -1; o < sizeof opts / sizeof opts[0]; o++) {
			n = strlen(opts[o].name);
			if (strncmp(argv[i], opts[o].name, n) != 0)
				continue;
			if (argv[i][n] == '=') {
				*(const char **)((char *)g + opts[o].off) =
				    argv[i] + n + 1;
				k = 0;
			} else if (argv[i][n] == '\0') {
				if (i + 1 >= *argc) {
					cmd_error("%s needs a value",
					    opts[o].name);
					return -1;
				}
				*(const char **)((char *)g + opts[o].off) =
				    argv[++i];
				k = 0;
			}
			break;
		}
		if (k < 0)
			argv[j++] = argv[i];
	}
	argv[j] = NULL;
	*argc = j;
	return 0;
}

int
cmd_check_rep(struct cmd_ctx *ctx, const char *what, const char *login)
{
	struct store_rep rep;
	enum store_status st;
	char *cause = NULL;

	if (login == NULL)
		return SMK_OK;
	st = store_rep_get(ctx->store, login, &rep, &cause);
	if (st == STORE_OK) {
		store_rep_clear(&rep);
		return SMK_OK;
	}
	if (st == STORE_NOTFOUND)
		cmd_error("%s %s: no such rep (see smk rep list)", what, login);
	else
		cmd_error("%s: %s", what, cause);
	free(cause);
	return lead_err_from_store(st);
}

int
cmd_parse_opts(int argc, char **argv, const struct cmd_opt *opts,
    size_t nopts)
{
	struct option *lo = xcalloc(nopts + 1, sizeof *lo);
	size_t i;
	int c, idx, rc = -1;

	for (i = 0; i < nopts; i++) {
		lo[i].name = opts[i].name;
		lo[i].has_arg = opts[i].has_arg ? required_argument :
		    no_argument;
	}
	optind = 0;	/* glibc: re-initialise; options may follow operands */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", lo, &idx)) != -1) {
		if (c == ':') {
			cmd_error("%s: %s needs a value", argv[0],
			    argv[optind - 1]);
			goto out;
		}
		if (c != 0) {
			cmd_error("%s: unknown option %s (see smk --help)",
			    argv[0], argv[optind - 1]);
			goto out;
		}
		*opts[idx].value = opts[idx].has_arg ? optarg : "1";
	}
	rc = optind;
out:
	free(lo);
	return rc;
}

/* The operating-system login: who is acting. */
static char *
cmd_login(void)
{
	struct passwd *pw = getpwuid(geteuid());
	const char *env;

	if (pw != NULL && pw->pw_name != NULL)
		return xstrdup(pw->pw_name);
	if ((env = getenv("LOGNAME")) != NULL || (env = getenv("USER")) != NULL)
		return xstrdup(env);
	return xstrdup("unknown");
}

static void
cmd_warn(const char *msg, void *arg)
{
	(void)arg;
	cmd_error("%s", msg);
}

static const struct cmd_entry *
cmd_find(const char *name)
{
	size_t i;

	for (i = 0; i < NCMDS; i++) {
		if (strcmp(cmd_table[i].name, name) == 0)
			return &cmd_table[i];
	}
	return NULL;
}

/*
 * Read the user's preferences, which may name the database, then the
 * playbook beside it. Warnings go to stderr; the playbook's are not said
 * when quiet (doctor reads it again and reports them itself).
 */
static int
cmd_load_config(struct config *cfg, const struct cmd_globals *g,
    const char **db, char **playbook, bool quiet)
{
	char *cause = NULL, *user;
	int rc = 0;

	config_defaults(cfg);
	*playbook = NULL;
	if ((user = config_user_path()) != NULL) {
		rc = config_load_user(cfg, user, cmd_warn, NULL, &cause);
		free(user);
		if (rc != 0)
			goto fail;
	}
	if (*db == NULL)
		*db = cfg->database;
	if (g->config != NULL) {
		if (access(g->config, R_OK) != 0) {
			cmd_error("cannot read the playbook %s: %s", g->config,
			    strerror(errno));
			return -1;
		}
		*playbook = xstrdup(g->config);
	} else if (*db != NULL)
		*playbook = config_playbook_path(*db);
	if (*playbook != NULL &&
	    config_load_playbook(cfg, *playbook, quiet ? NULL : cmd_warn, NULL,
	    &cause) != 0)
		goto fail;
	if (when_set_zone(cfg->timezone, &cause) != 0)
		goto fail;
	return 0;
fail:
	cmd_error("%s", cause);
	free(cause);
	return -1;
}

static int
cmd_open_store(struct cmd_ctx *ctx, const struct cmd_entry *ce,
    const char *db)
{
	struct store_open_opts opts;
	struct stat sb;
	char *cause = NULL;

	memset(&opts, 0, sizeof opts);
	opts.busy_timeout_ms = ctx->cfg->busy_timeout_ms;
	opts.lock = (enum store_lock_mode)ctx->cfg->store_lock;
	opts.create = ce != NULL && ce->db == DB_CREATE;
	/* An empty file (made by touch, say) is not a database yet. */
	if (opts.create && stat(db, &sb) == 0 && !(S_ISREG(sb.st_mode) &&
	    sb.st_size == 0)) {
		cmd_error("%s already exists; nothing was changed", db);
		return SMK_EUSER;
	}
	if (store_open(db, &opts, &ctx->store, &cause) != STORE_OK) {
		cmd_error("%s", cause);
		free(cause);
		return SMK_EFILE;
	}
	if (ce != NULL && ce->db == DB_WRITE && store_readonly(ctx->store)) {
		cmd_error("%s is read-only for you: nothing can be saved "
		    "(check the file's and its folder's permissions)", db);
		return SMK_EFILE;
	}
	return SMK_OK;
}

static int
cmd_identify(struct cmd_ctx *ctx, const struct cmd_globals *g)
{
	char *login, *cause = NULL;
	int rc;

	if (g->user != NULL && !ctx->cfg->allow_user_override) {
		cmd_error("--user is not allowed by the playbook "
		    "([security] allow_user_override = no)");
		return SMK_EUSER;
	}
	login = g->user != NULL ? xstrdup(g->user) : cmd_login();
	rc = actor_load(ctx->store, login, ctx->actor, &cause);
	free(login);
	if (rc != SMK_OK) {
		cmd_error("%s", cause);
		free(cause);
	}
	return rc;
}

static int
cmd_run(struct cmd_ctx *ctx, const struct cmd_entry *ce, int argc,
    char **argv)
{
	struct tui_ctx tc;
	char *cause = NULL;
	int rc;

	if (ce != NULL)
		return ce->fn(ctx, argc - 1, argv + 1);
	memset(&tc, 0, sizeof tc);
	tc.store = ctx->store;
	tc.cfg = ctx->cfg;
	tc.actor = ctx->actor;
	tc.db_path = ctx->db_path;
	tc.at_given = ctx->at_given;
	tc.started = ctx->started;
	rc = tui_run(&tc, &cause);
	if (rc != SMK_OK && cause != NULL)
		cmd_error("%s", cause);
	free(cause);
	return rc;
}

int
cmd_main(int argc, char **argv)
{
	struct cmd_globals g;
	struct cmd_ctx ctx;
	struct config cfg;
	struct actor actor;
	const struct cmd_entry *ce = NULL;
	char *playbook = NULL, *cause = NULL;
	const char *db;
	time_t at;
	int rc = SMK_EUSER;

	memset(&ctx, 0, sizeof ctx);
	/* make bench times the board's first paint from here. */
	clock_gettime(CLOCK_MONOTONIC, &ctx.started);
	setlocale(LC_ALL, "");
	/* [sla] mqls_per_rep = auto: the promise follows the goal. */
	slaview_set_mqls_provider(goals_mqls_provider);
	memset(&g, 0, sizeof g);
	memset(&actor, 0, sizeof actor);
	memset(&cfg, 0, sizeof cfg);
	if (cmd_take_globals(&argc, argv, &g) != 0)
		return SMK_EUSER;
	if (g.version) {
		printf("smk %s\n", SMK_VERSION);
		return SMK_OK;
	}
	if (argc >= 2 && (ce = cmd_find(argv[1])) == NULL) {
		cmd_error("unknown %s \"%s\" (see smk --help)", argv[1][0] == '-' ?
		    "option" : "command", argv[1]);
		return SMK_EUSER;
	}
	if (g.help) {
		if (ce != NULL)
			printf("usage: smk %s\n", ce->usage);
		else
			cmd_usage(stdout);
		return SMK_OK;
	}
	db = g.db != NULL ? g.db : getenv("SMK_DB");
	if (cmd_load_config(&cfg, &g, &db, &playbook, ce != NULL &&
	    ce->fn == cmd_doctor) != 0)
		goto out;
	ctx.cfg = &cfg;
	ctx.actor = &actor;
	ctx.db_path = db;
	ctx.config_path = playbook;
	ctx.out = stdout;
	if (g.at != NULL) {
		if (when_parse(g.at, &at, &cause) != 0) {
			cmd_error("--at: %s", cause);
			goto out;
		}
		when_pin(at);
		ctx.at_given = true;
	}
	ctx.now = when_now();
	if (ce == NULL || ce->db != DB_NONE) {
		if (db == NULL) {
			cmd_error("no database: give --db FILE, set SMK_DB, or "
			    "set [ui] database in ~/.config/smk/config.ini");
			goto out;
		}
		if ((rc = cmd_open_store(&ctx, ce, db)) != SMK_OK)
			goto out;
		if ((rc = cmd_identify(&ctx, &g)) != SMK_OK)
			goto out;
	}
	rc = cmd_run(&ctx, ce, argc, argv);
out:
	free(cause);
	free(playbook);
	actor_clear(&actor);
	if (ctx.store != NULL)
		store_close(ctx.store);
	config_free(&cfg);
	return rc;
}
