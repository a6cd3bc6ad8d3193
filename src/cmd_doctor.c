/*
 * smk doctor: look at the database file and its surroundings the way a
 * careful admin would (filesystem, locks, journal, permissions, schema,
 * integrity, playbook) and say what was found. It changes nothing but a
 * scratch file beside the database, which it removes.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "smk/cmd.h"
#include "smk/xmalloc.h"

struct doctor {
	FILE	*out;
	int	 problems;	/* exit non-zero */
	int	 warnings;
};

static void
doctor_say(struct doctor *d, const char *level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
doctor_say(struct doctor *d, const char *level, const char *fmt, ...)
{
	va_list ap;

	if (strcmp(level, "FAIL") == 0)
		d->problems++;
	else if (strcmp(level, "warn") == 0)
		d->warnings++;
	fprintf(d->out, "%-5s ", level);
	va_start(ap, fmt);
	vfprintf(d->out, fmt, ap);
	va_end(ap);
	fputc('\n', d->out);
}

/* Name the filesystem from its statfs magic number. */
static const char *
doctor_fs_name(long type, bool *network)
{
	static const struct {
		unsigned long	 magic;
		const char	*name;
		bool		 network;
	} fs[] = {
		{ 0x6969, "NFS", true },
		{ 0x517b, "SMB", true },
		{ 0xff534d42, "SMB/CIFS", true },
		{ 0xfe534d42, "SMB2", true },
		{ 0x65735546, "FUSE (sshfs or similar)", true },
		{ 0x564c, "NCP", true },
		{ 0x47504653, "GPFS", true },
		{ 0xef53, "ext2/3/4 (local)", false },
		{ 0x58465342, "XFS (local)", false },
		{ 0x9123683e, "Btrfs (local)", false },
		{ 0x2fc12fc1, "ZFS (local)", false },
		{ 0x01021994, "tmpfs (local, memory)", false },
		{ 0x794c7630, "overlayfs (local)", false },
	};
	size_t i;

	*network = false;
	for (i = 0; i < sizeof fs / sizeof fs[0]; i++) {
		if ((unsigned long)type == fs[i].magic) {
			*network = fs[i].network;
			return fs[i].name;
		}
	}
	return "unknown";
}

static void
doctor_filesystem(struct doctor *d, const char *dir)
{
	struct statfs sf;
	bool network;
	const char *name;

	if (statfs(dir, &sf) != 0) {
		doctor_say(d, "warn", "filesystem: cannot statfs %s: %s", dir,
		    strerror(errno));
		return;
	}
	name = doctor_fs_name((long)sf.f_type, &network);
	if (!network) {
		doctor_say(d, "ok", "filesystem: %s", name);
		return;
	}
	doctor_say(d, "warn", "filesystem: %s, a network drive: POSIX locks "
	    "do not reach other clients there, so smk takes a lock directory "
	    "beside the file for every write ([store] lock = auto); keep "
	    "[store] lock at auto or lockdir, and back the file up often",
	    name);
	if ((unsigned long)sf.f_bavail * (unsigned long)sf.f_bsize <
	    16UL * 1024 * 1024)
		doctor_say(d, "warn", "filesystem: less than 16 MB free");
}

/* A scratch file beside the database: can a journal be made, and locked? */
static void
doctor_journal_and_locks(struct doctor *d, const char *dir)
{
	struct flock fl;
	char *path;
	int fd;

	xasprintf(&path, "%s/.smk-doctor-XXXXXX", dir);
	if ((fd = mkstemp(path)) == -1) {
		doctor_say(d, "FAIL", "journal: cannot create a file in %s "
		    "(%s): SQLite needs to write its journal there, so "
		    "nothing could be saved", dir, strerror(errno));
		free(path);
		return;
	}
	if (write(fd, "smk", 3) != 3 || fsync(fd) != 0)
		doctor_say(d, "FAIL", "journal: writing or syncing a file in "
		    "%s failed: %s", dir, strerror(errno));
	else
		doctor_say(d, "ok", "journal: a file can be created, written "
		    "and synced in %s", dir);
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_SETLK, &fl) != 0)
		doctor_say(d, "FAIL", "locks: POSIX locks do not work here "
		    "(%s): two writers could corrupt the file", strerror(errno));
	else
		doctor_say(d, "ok", "locks: POSIX record locks work");
	close(fd);
	unlink(path);
	free(path);
}

static void
doctor_permissions(struct doctor *d, const char *db, const char *dir)
{
	struct stat st;

	if (stat(db, &st) == 0 && (st.st_mode & S_IWOTH))
		doctor_say(d, "warn", "permissions: %s is world-writable: "
		    "anyone on this machine can change or erase the team's "
		    "data (chmod o-w)", db);
	if (stat(dir, &st) == 0 && (st.st_mode & S_IWOTH) &&
	    !(st.st_mode & S_ISVTX))
		doctor_say(d, "warn", "permissions: the folder %s is "
		    "world-writable: anyone can replace the database", dir);
	if (access(db, W_OK) != 0)
		doctor_say(d, "warn", "permissions: %s is read-only for you: "
		    "smk opens it read-only", db);
	else if (access(dir, W_OK) != 0)
		doctor_say(d, "warn", "permissions: the folder %s is not "
		    "writable, so no journal can be made: smk opens the file "
		    "read-only", dir);
	else
		doctor_say(d, "ok", "permissions: you can read and write %s",
		    db);
}

struct doctor_census {
	struct doctor		*d;
	const struct config	*cfg;
};

static int
doctor_stage(const char *stage, int64_t n, void *arg)
{
	struct doctor_census *c = arg;

	if (config_stage_index(c->cfg, stage) < 0)
		doctor_say(c->d, "FAIL", "data: %lld lead%s in stage \"%s\", "
		    "which the playbook does not list, so no board column "
		    "shows %s (add the stage to [stages], or move %s)",
		    (long long)n, n == 1 ? " is" : "s are", stage,
		    n == 1 ? "it" : "them", n == 1 ? "it" : "them");
	return 0;
}

static void
doctor_data(struct doctor *d, struct cmd_ctx *ctx, struct store *s)
{
	struct doctor_census c = { d, ctx->cfg };
	int64_t orphans = 0;
	char *cause = NULL;
	int before = d->problems;

	if (store_census(s, doctor_stage, &c, &orphans, &cause) != STORE_OK) {
		doctor_say(d, "FAIL", "data: %s", cause);
		free(cause);
		return;
	}
	if (orphans > 0)
		doctor_say(d, "FAIL", "data: %lld lead%s owned by a login that "
		    "is not in reps (see 'smk rep list'; reassign them)",
		    (long long)orphans, orphans == 1 ? " is" : "s are");
	if (d->problems == before)
		doctor_say(d, "ok", "data: every lead is in a known stage and "
		    "owned by a known rep or nobody");
}

static void
doctor_database(struct doctor *d, struct cmd_ctx *ctx)
{
	struct store_open_opts opts;
	struct store *s;
	char *cause = NULL, *mode;

	memset(&opts, 0, sizeof opts);
	opts.busy_timeout_ms = ctx->cfg->busy_timeout_ms;
	opts.lock = (enum store_lock_mode)ctx->cfg->store_lock;
	opts.readonly = true;
	if (store_open(ctx->db_path, &opts, &s, &cause) != STORE_OK) {
		doctor_say(d, "FAIL", "database: %s", cause);
		free(cause);
		return;
	}
	doctor_say(d, "ok", "database: schema v%d, %lld leads, %lld reps",
	    store_schema_version(s), (long long)store_lead_count(s),
	    (long long)store_rep_count(s));
	mode = store_lock_describe(s);
	doctor_say(d, "ok", "locking: writes take %s", mode);
	free(mode);
	mode = store_journal_mode(s);
	if (mode != NULL && strcmp(mode, "wal") == 0)
		doctor_say(d, "FAIL", "journal mode: wal, which needs shared "
		    "memory that network drives do not give; open the file "
		    "with smk once, writable, to switch it back to delete");
	else
		doctor_say(d, "ok", "journal mode: %s (rollback journal)",
		    mode != NULL ? mode : "?");
	free(mode);
	if (store_integrity_check(s, &cause) != 0) {
		doctor_say(d, "FAIL", "integrity: %s", cause);
		free(cause);
	} else
		doctor_say(d, "ok", "integrity: ok");
	doctor_data(d, ctx, s);
	store_close(s);
}

static void
doctor_count_warning(const char *msg, void *arg)
{
	struct doctor *d = arg;

	doctor_say(d, "warn", "playbook: %s", msg);
}

static void
doctor_playbook(struct doctor *d, struct cmd_ctx *ctx)
{
	struct config cfg;
	char *cause = NULL;
	int before = d->warnings;

	if (ctx->config_path == NULL || access(ctx->config_path, F_OK) != 0) {
		doctor_say(d, "ok", "playbook: none (%s); the defaults apply",
		    ctx->config_path != NULL ? ctx->config_path : "no path");
		return;
	}
	config_defaults(&cfg);
	if (config_load_playbook(&cfg, ctx->config_path, doctor_count_warning,
	    d, &cause) != 0) {
		doctor_say(d, "FAIL", "playbook: %s", cause);
		free(cause);
	} else if (d->warnings == before)
		doctor_say(d, "ok", "playbook: %s", ctx->config_path);
	if (cfg.allow_user_override)
		doctor_say(d, "warn", "playbook: [security] "
		    "allow_user_override = yes lets anyone act as any rep");
	config_free(&cfg);
}

int
cmd_doctor(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct doctor d = { ctx->out, 0, 0 };
	char *copy, *dir;
	struct stat st;

	if (cmd_parse_opts(argc, argv, NULL, 0) != argc) {
		cmd_error("doctor: takes no operands");
		return SMK_EUSER;
	}
	if (ctx->db_path == NULL) {
		cmd_error("no database: give --db FILE or set SMK_DB");
		return SMK_EUSER;
	}
	fprintf(ctx->out, "smk doctor: %s\n", ctx->db_path);
	if (stat(ctx->db_path, &st) != 0) {
		doctor_say(&d, "FAIL", "file: %s: %s", ctx->db_path,
		    strerror(errno));
		return SMK_EFILE;
	}
	copy = xstrdup(ctx->db_path);
	dir = dirname(copy);
	doctor_filesystem(&d, dir);
	doctor_journal_and_locks(&d, dir);
	doctor_permissions(&d, ctx->db_path, dir);
	doctor_database(&d, ctx);
	doctor_playbook(&d, ctx);
	free(copy);
	fprintf(ctx->out, "%d problem%s, %d warning%s\n", d.problems,
	    d.problems == 1 ? "" : "s", d.warnings, d.warnings == 1 ? "" : "s");
	if (d.problems > 0)
		cmd_error("%s: %d problem%s found (see FAIL above)",
		    ctx->db_path, d.problems, d.problems == 1 ? "" : "s");
	return d.problems > 0 ? SMK_EFILE : SMK_OK;
}
