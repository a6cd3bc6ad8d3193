/*
 * Writing safely where POSIX locks cannot be trusted: NFS, SMB/CIFS and FUSE
 * mounts such as sshfs. Two sshfs mounts of one folder each grant SQLite its
 * locks, and two writers then overwrite each other's pages: measured, about
 * a third of the acknowledged writes vanished and indexes broke, while each
 * writer was told "ok". Here every write transaction instead
 *   1. takes FILE.lock, a directory created with mkdir(2), which is atomic
 *      on every network filesystem, holding a note of who took it;
 *   2. reconnects, so that no page cached before the lock is trusted;
 *   3. stamps the transaction with a unique token in meta;
 *   4. after COMMIT, reads the token back through a fresh connection: if the
 *      drive did not keep the write, the user is told so, not "ok";
 *   5. removes FILE.lock.
 * Readers take no lock, but a reader on another mount must not take a
 * writer's journal for one left by a crash and roll it back under the
 * writer's feet (measured: that alone lost acknowledged writes). So the
 * connections of this mode use a thin VFS whose xCheckReservedLock also
 * says "reserved" while FILE.lock exists.
 * A lock left by a process that died is broken: at once when its holder was
 * on this host and is gone, otherwise when it is older than a write can
 * take. This file owns only that protocol; store.c decides when to call it.
 */
#include <sys/stat.h>
#include <sys/types.h>
#if defined(__linux__)
#include <sys/vfs.h>
#endif

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store_int.h"

/* A write transaction lasts milliseconds; a lock this old is abandoned. */
#define STORE_LOCK_STALE_S	60
#define STORE_LOCK_POLL_US	20000
#define STORE_LOCK_NOTE		"owner"

struct store_lock {
	char		*dir;		/* FILE.lock */
	char		*note;		/* FILE.lock/owner */
	const char	*fs;		/* "nfs", "sshfs/FUSE", ... */
	bool		 held;
	unsigned long	 serial;	/* commits by this handle */
	char		 token[128];	/* the stamp of the open write */
};

#if defined(__linux__)
static const struct {
	unsigned long	 magic;
	const char	*name;
} store_lock_remote[] = {
	{ 0x6969, "NFS" },
	{ 0x517b, "SMB" },
	{ 0xff534d42, "SMB/CIFS" },
	{ 0xfe534d42, "SMB2" },
	{ 0x65735546, "FUSE (sshfs and the like)" },
	{ 0x00c36400, "Ceph" },
	{ 0x01021997, "9P" },
	{ 0x5346414f, "AFS" },
	{ 0x73757245, "Coda" },
	{ 0x564c, "NCP" },
	{ 0x47504653, "GPFS" },
	{ 0x0bd00bd0, "Lustre" },
};
#endif

const char *
store_lock_fs(const char *path)
{
#if defined(__linux__)
	struct statfs sf;
	char *dir, *slash;
	size_t i;
	int rc;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else {
		free(dir);
		dir = xstrdup(".");
	}
	rc = statfs(dir, &sf);
	free(dir);
	if (rc != 0)
		return NULL;
	for (i = 0; i < sizeof store_lock_remote / sizeof *store_lock_remote;
	    i++) {
		if ((unsigned long)(unsigned int)sf.f_type ==
		    store_lock_remote[i].magic)
			return store_lock_remote[i].name;
	}
#else
	(void)path;
#endif
	return NULL;
}

/* The VFS: the default one, but a lock directory counts as RESERVED. */
static sqlite3_vfs	 store_lock_vfs_def;
static sqlite3_vfs	*store_lock_real;
static sqlite3_io_methods store_lock_io;

struct store_lock_file {
	sqlite3_file	 base;
	char		*dir;		/* FILE.lock for a main database */
	sqlite3_file	*real;		/* follows this struct in memory */
};

static int
store_lock_vfs_reserved(sqlite3_file *f, int *out)
{
	struct store_lock_file *lf = (struct store_lock_file *)f;
	struct stat sb;
	int rc;

	rc = lf->real->pMethods->xCheckReservedLock(lf->real, out);
	if (rc == SQLITE_OK && *out == 0 && lf->dir != NULL &&
	    stat(lf->dir, &sb) == 0)
		*out = 1;
	return rc;
}

static int
store_lock_vfs_close(sqlite3_file *f)
{
	struct store_lock_file *lf = (struct store_lock_file *)f;
	int rc = lf->real->pMethods->xClose(lf->real);

	free(lf->dir);
	return rc;
}

#define STORE_LOCK_PASS(name, args, call)				\
static int								\
store_lock_vfs_##name args						\
{									\
	sqlite3_file *r = ((struct store_lock_file *)f)->real;		\
	return r->pMethods->call;					\
}
STORE_LOCK_PASS(read, (sqlite3_file *f, void *b, int n, sqlite3_int64 o),
    xRead(r, b, n, o))
STORE_LOCK_PASS(write, (sqlite3_file *f, const void *b, int n,
    sqlite3_int64 o), xWrite(r, b, n, o))
STORE_LOCK_PASS(truncate, (sqlite3_file *f, sqlite3_int64 n), xTruncate(r, n))
STORE_LOCK_PASS(sync, (sqlite3_file *f, int fl), xSync(r, fl))
STORE_LOCK_PASS(size, (sqlite3_file *f, sqlite3_int64 *n), xFileSize(r, n))
STORE_LOCK_PASS(lock, (sqlite3_file *f, int l), xLock(r, l))
STORE_LOCK_PASS(unlock, (sqlite3_file *f, int l), xUnlock(r, l))
STORE_LOCK_PASS(control, (sqlite3_file *f, int op, void *a),
    xFileControl(r, op, a))
STORE_LOCK_PASS(sector, (sqlite3_file *f), xSectorSize(r))
STORE_LOCK_PASS(caps, (sqlite3_file *f), xDeviceCharacteristics(r))

static int
store_lock_vfs_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f,
    int flags, int *out)
{
	struct store_lock_file *lf = (struct store_lock_file *)f;
	int rc;

	(void)vfs;
	lf->real = (sqlite3_file *)(lf + 1);
	lf->dir = NULL;
	rc = store_lock_real->xOpen(store_lock_real, name, lf->real, flags,
	    out);
	if (lf->real->pMethods == NULL) {
		lf->base.pMethods = NULL;
		return rc;
	}
	if ((flags & SQLITE_OPEN_MAIN_DB) && name != NULL)
		xasprintf(&lf->dir, "%s.lock", name);
	lf->base.pMethods = &store_lock_io;
	return rc;
}

/* The name to open this mode's connections with; registered once. */
static const char *
store_lock_vfs(void)
{
	sqlite3_vfs *v = &store_lock_vfs_def;

	if (store_lock_real != NULL)
		return v->zName;
	sqlite3_initialize();
	store_lock_real = sqlite3_vfs_find(NULL);
	*v = *store_lock_real;
	v->iVersion = store_lock_real->iVersion < 3 ?
	    store_lock_real->iVersion : 3;
	v->szOsFile = (int)sizeof(struct store_lock_file) +
	    store_lock_real->szOsFile;
	v->zName = "smk-lockdir";
	v->pNext = NULL;
	v->xOpen = store_lock_vfs_open;
	store_lock_io = (sqlite3_io_methods){
		.iVersion = 1,
		.xClose = store_lock_vfs_close,
		.xRead = store_lock_vfs_read,
		.xWrite = store_lock_vfs_write,
		.xTruncate = store_lock_vfs_truncate,
		.xSync = store_lock_vfs_sync,
		.xFileSize = store_lock_vfs_size,
		.xLock = store_lock_vfs_lock,
		.xUnlock = store_lock_vfs_unlock,
		.xCheckReservedLock = store_lock_vfs_reserved,
		.xFileControl = store_lock_vfs_control,
		.xSectorSize = store_lock_vfs_sector,
		.xDeviceCharacteristics = store_lock_vfs_caps,
	};
	sqlite3_vfs_register(v, 0);
	return v->zName;
}

const char *
store_lock_vfs_name(const struct store_lock *l)
{
	return l != NULL ? store_lock_vfs() : NULL;
}

struct store_lock *
store_lock_new(const char *path, enum store_lock_mode mode)
{
	struct store_lock *l;
	const char *fs = store_lock_fs(path);

	if (mode == STORE_LOCK_POSIX || (mode == STORE_LOCK_AUTO && fs == NULL))
		return NULL;
	l = xcalloc(1, sizeof *l);
	xasprintf(&l->dir, "%s.lock", path);
	xasprintf(&l->note, "%s/" STORE_LOCK_NOTE, l->dir);
	l->fs = fs != NULL ? fs : "asked for by the playbook";
	return l;
}

void
store_lock_free(struct store_lock *l)
{
	if (l == NULL)
		return;
	store_lock_drop(l);
	free(l->dir);
	free(l->note);
	free(l);
}

const char *
store_lock_why(const struct store_lock *l)
{
	return l->fs;
}

/* "login@host pid 123 since 1790000000" into FILE.lock/owner. */
static void
store_lock_write_note(struct store_lock *l)
{
	char host[HOST_NAME_MAX + 1] = "?";
	const char *who = getenv("USER");
	FILE *f;

	gethostname(host, sizeof host - 1);
	if ((f = fopen(l->note, "w")) == NULL)
		return;
	fprintf(f, "%s %s %ld %lld\n", who != NULL ? who : "?", host,
	    (long)getpid(), (long long)time(NULL));
	fclose(f);
}

/* Who holds it: fills user, host, pid and since; -1 when unreadable. */
static int
store_lock_read_note(const struct store_lock *l, char *user, char *host,
    long *pid, long long *since)
{
	FILE *f;
	int n;

	if ((f = fopen(l->note, "r")) == NULL)
		return -1;
	n = fscanf(f, "%63s %255s %ld %lld", user, host, pid, since);
	fclose(f);
	return n == 4 ? 0 : -1;
}

/*
 * Is the lock abandoned? Its holder died on this host, or it is older than
 * any write (a note not yet written is judged by the folder's own age).
 */
static bool
store_lock_stale(const struct store_lock *l)
{
	char user[64], host[256], me[HOST_NAME_MAX + 1] = "";
	long pid;
	long long since;
	struct stat sb;

	if (store_lock_read_note(l, user, host, &pid, &since) == 0) {
		gethostname(me, sizeof me - 1);
		if (strcmp(host, me) == 0 && pid > 0 && kill((pid_t)pid, 0) != 0 &&
		    errno == ESRCH)
			return true;
		return time(NULL) - since > STORE_LOCK_STALE_S;
	}
	if (stat(l->dir, &sb) != 0)
		return false;
	return time(NULL) - sb.st_mtime > STORE_LOCK_STALE_S;
}

/* Break an abandoned lock; renaming first means one breaker wins. */
static void
store_lock_break(const struct store_lock *l)
{
	char *aside, *note;

	xasprintf(&aside, "%s.stale.%ld", l->dir, (long)getpid());
	if (rename(l->dir, aside) == 0) {
		xasprintf(&note, "%s/" STORE_LOCK_NOTE, aside);
		unlink(note);
		rmdir(aside);
		free(note);
	}
	free(aside);
}

static void
store_lock_busy(const struct store_lock *l, int busy_ms, char **cause)
{
	char user[64], host[256];
	long pid;
	long long since;

	if (store_lock_read_note(l, user, host, &pid, &since) == 0)
		store_cause(cause, "the database is locked by %s on %s (process "
		    "%ld, for %lld s; waited %.1f s)", user, host, pid,
		    (long long)time(NULL) - since, busy_ms / 1000.0);
	else
		store_cause(cause, "the database is locked by another user "
		    "(%s exists; waited %.1f s)", l->dir, busy_ms / 1000.0);
}

enum store_status
store_lock_take(struct store_lock *l, int busy_ms, char **cause)
{
	long waited_us = 0;

	if (l->held)
		return STORE_OK;
	for (;;) {
		if (mkdir(l->dir, 0777) == 0)
			break;
		if (errno != EEXIST) {
			store_cause(cause, "cannot create the lock %s: %s; "
			    "nothing was saved", l->dir, strerror(errno));
			return errno == EACCES || errno == EROFS ?
			    STORE_READONLY : STORE_IOERR;
		}
		if (store_lock_stale(l)) {
			store_lock_break(l);
			continue;
		}
		if (waited_us >= (long)busy_ms * 1000) {
			store_lock_busy(l, busy_ms, cause);
			return STORE_BUSY;
		}
		usleep(STORE_LOCK_POLL_US);
		waited_us += STORE_LOCK_POLL_US;
	}
	store_lock_write_note(l);
	l->held = true;
	return STORE_OK;
}

void
store_lock_drop(struct store_lock *l)
{
	if (l == NULL || !l->held)
		return;
	unlink(l->note);
	rmdir(l->dir);
	l->held = false;
}

/*
 * Close and reopen the handle's connection, forgetting every statement, so
 * that nothing read before the lock was taken is reused.
 */
enum store_status
store_lock_reconnect(struct store *s, char **cause)
{
	size_t i;
	int rc;

	for (i = 0; i < s->ncache; i++)
		sqlite3_finalize(s->cache[i].stmt);
	s->ncache = 0;
	for (i = 0; i < s->nupd; i++)
		sqlite3_finalize(s->upd[i].stmt);
	s->nupd = 0;
	sqlite3_close(s->db);
	s->db = NULL;
	rc = sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, store_lock_vfs_name(s->lock));
	if (s->db == NULL) {
		store_cause(cause, "cannot open %s again: out of memory",
		    s->path);
		return STORE_IOERR;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, s->busy_ms);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(s->db, "PRAGMA synchronous=FULL;"
		    "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	return rc == SQLITE_OK ? STORE_OK : store_fail(s, rc, cause);
}

static const char store_lock_sql_stamp[] =
	"INSERT INTO meta(key, value) VALUES ('commit_token', ?1)"
	" ON CONFLICT(key) DO UPDATE SET value = excluded.value";

enum store_status
store_lock_stamp(struct store *s, char **cause)
{
	struct store_lock *l = s->lock;
	char host[HOST_NAME_MAX + 1] = "?";
	sqlite3_stmt *stmt;
	int rc;

	gethostname(host, sizeof host - 1);
	snprintf(l->token, sizeof l->token, "%s:%ld:%lu:%lld", host,
	    (long)getpid(), ++l->serial, (long long)time(NULL));
	rc = sqlite3_prepare_v2(s->db, store_lock_sql_stamp, -1, &stmt, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(stmt, 1, l->token, -1, SQLITE_STATIC);
		rc = sqlite3_step(stmt);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
		sqlite3_finalize(stmt);
	}
	return rc == SQLITE_OK ? STORE_OK : store_fail(s, rc, cause);
}

/* Read the token back as a newcomer would: through a new connection. */
enum store_status
store_lock_verify(struct store *s, char **cause)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt;
	bool kept = false;
	int rc;

	rc = sqlite3_open_v2(s->path, &db, SQLITE_OPEN_READONLY,
	    store_lock_vfs_name(s->lock));
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(db, s->busy_ms);
		rc = sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE "
		    "key = 'commit_token'", -1, &stmt, NULL);
	}
	if (rc == SQLITE_OK) {
		if (sqlite3_step(stmt) == SQLITE_ROW &&
		    sqlite3_column_text(stmt, 0) != NULL)
			kept = strcmp((const char *)sqlite3_column_text(stmt, 0),
			    s->lock->token) == 0;
		sqlite3_finalize(stmt);
	}
	sqlite3_close(db);
	if (kept)
		return STORE_OK;
	store_cause(cause, "the network drive (%s) did not keep the last "
	    "change to %s: it may not have been saved; check it, and ask "
	    "whoever runs the share to enable file locking", s->lock->fs,
	    s->path);
	return STORE_IOERR;
}
