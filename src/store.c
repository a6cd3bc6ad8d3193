/*
 * The SQLite store: opening the shared file safely, transactions, the
 * statement cache and the mapping of SQLite codes to statuses and messages.
 * The schema and its migrations live in store_schema.c, lead data in
 * store_lead.c, the small tables (reps, meta) in store_rep.c. No business
 * rules here, and no drawing.
 *
 * The file may sit on a network drive, so it stays in rollback-journal mode
 * (WAL needs shared memory that NFS and SMB do not give), syncs fully, and
 * holds write locks only for one short BEGIN IMMEDIATE transaction.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_int.h"

#define STORE_DEFAULT_BUSY_MS 5000
#define STORE_BULK_CACHE_KB "32768"	/* page cache during store_begin */

/*
 * The search index inside a bulk (store_bulk_fts): the words the index has
 * for leads it renames, set aside as they change; then out with those and
 * in with the words of every lead changed or created since.
 */
#define STORE_SQL_BULK_FTS_OLD \
	"CREATE TEMP TABLE IF NOT EXISTS bulk_fts_old(id INTEGER PRIMARY KEY," \
	" first_name, last_name, email, company);"
/* The flag of schema v5 (store_schema.c) that sets triggers aside. */
#define STORE_SQL_BULK_ON STORE_SQL_BULK_FTS_OLD \
	"UPDATE bulk_import SET active = 1;"
#define STORE_SQL_BULK_OFF STORE_SQL_RECOUNT "UPDATE bulk_import SET active = 0;"
static const char store_sql_bulk_fts_out[] =
	"INSERT INTO leads_fts(leads_fts, rowid, first_name, last_name, email,"
	" company) SELECT 'delete', id, first_name, last_name, email, company"
	" FROM temp.bulk_fts_old";
static const char store_sql_bulk_fts_in[] =
	"INSERT INTO leads_fts(rowid, first_name, last_name, email, company)"
	" SELECT id, first_name, last_name, email, company FROM leads"
	" WHERE id > ?1";
/* Read in id order, lead by lead: an OR or IN would hold every id. */
static const char store_sql_bulk_fts_changed[] =
	"INSERT INTO leads_fts(rowid, first_name, last_name, email, company)"
	" SELECT l.id, l.first_name, l.last_name, l.email, l.company"
	" FROM temp.bulk_fts_old o CROSS JOIN leads l ON l.id = o.id";
static const char store_sql_bulk_fts_done[] = "DELETE FROM temp.bulk_fts_old";

static const char *const store_status_text[] = {
	[STORE_OK] = "ok",
	[STORE_NOTFOUND] = "not found",
	[STORE_EXISTS] = "already exists",
	[STORE_CONFLICT] = "changed by someone else",
	[STORE_INVALID] = "invalid value",
	[STORE_BUSY] = "the database is locked by another user",
	[STORE_READONLY] = "the database file is read-only",
	[STORE_MISSING] = "no database file",
	[STORE_NOTADB] = "not an smk database, or damaged",
	[STORE_TOONEW] = "the database needs a newer smk",
	[STORE_FULL] = "disk full: nothing was saved",
	[STORE_IOERR] = "input/output error",
};

const char *
store_strerror(enum store_status st)
{
	if ((size_t)st >= sizeof store_status_text / sizeof *store_status_text)
		return "unknown error";
	return store_status_text[st];
}

void
store_cause(char **cause, const char *fmt, ...)
{
	va_list ap;

	if (cause == NULL)
		return;
	va_start(ap, fmt);
	xvasprintf(cause, fmt, ap);
	va_end(ap);
}

/* "5 s", "0.1 s": how long we waited for a lock. */
static void
store_waited(const struct store *s, char *buf, size_t len)
{
	if (s->busy_ms % 1000 == 0)
		snprintf(buf, len, "%d s", s->busy_ms / 1000);
	else
		snprintf(buf, len, "%.1f s", s->busy_ms / 1000.0);
}

/*
 * The OS error behind rc. SQLite records one only for I/O errors and
 * failed opens (for any other code the last one stays behind), so it is
 * read only for those.
 */
static int
store_sys_errno(struct store *s, int rc)
{
	switch (rc & 0xff) {
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_FULL:
		return sqlite3_system_errno(s->db);
	default:
		return 0;
	}
}

enum store_status
store_fail(struct store *s, int rc, char **cause)
{
	const char *detail = sqlite3_errmsg(s->db);
	const char *unsaved = s->writing ? "; nothing was saved" : "";
	int sys = store_sys_errno(s, rc);
	char waited[32];

	/* A read never fills a disk: ENOSPC there is some earlier call's. */
	if ((rc & 0xff) == SQLITE_FULL || (rc != SQLITE_IOERR_READ &&
	    rc != SQLITE_IOERR_SHORT_READ && (sys == ENOSPC ||
	    sys == EDQUOT))) {
		store_cause(cause, "disk full: nothing was saved");
		return STORE_FULL;
	}
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		store_waited(s, waited, sizeof waited);
		store_cause(cause, "the database is locked by another user "
		    "(waited %s)", waited);
		return STORE_BUSY;
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_AUTH:
		store_cause(cause, "the database file is read-only (%s); "
		    "nothing was saved", s->path);
		return STORE_READONLY;
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		store_cause(cause, "%s is not an smk database, or it is "
		    "damaged (%s)", s->path, detail);
		return STORE_NOTADB;
	case SQLITE_CONSTRAINT:
		store_cause(cause, "the database refused the value: %s",
		    detail);
		return STORE_INVALID;
	case SQLITE_CANTOPEN:
		store_cause(cause, "cannot open %s: %s", s->path,
		    sys != 0 ? strerror(sys) : detail);
		return STORE_IOERR;
	case SQLITE_IOERR:
		store_cause(cause, "input/output error on %s (%s)%s", s->path,
		    sys != 0 ? strerror(sys) : detail, unsaved);
		return STORE_IOERR;
	default:
		store_cause(cause, "database error on %s: %s", s->path,
		    detail);
		return STORE_IOERR;
	}
}

/* Times. */

/* Two digits of v at p. */
static void
store_put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

/*
 * Every event and lead write formats two instants, so this avoids gmtime
 * and printf: the civil date from a day count (Hinnant's days_from_civil
 * inverse), valid for years 0 to 9999; others print as the epoch.
 */
char *
store_time_format(time_t t, char *buf)
{
	int64_t days, secs, era, doe, yoe, doy, mp, y;
	int d, m;

	days = (int64_t)t / 86400;
	secs = (int64_t)t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	days += 719468;
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = (int)(doy - (153 * mp + 2) / 5 + 1);
	m = (int)(mp < 10 ? mp + 3 : mp - 9);
	if (m <= 2)
		y++;
	if (y < 0 || y > 9999) {
		y = 1970;
		m = d = 1;
		secs = 0;
	}
	store_put2(buf, (int)(y / 100));
	store_put2(buf + 2, (int)(y % 100));
	buf[4] = '-';
	store_put2(buf + 5, m);
	buf[7] = '-';
	store_put2(buf + 8, d);
	buf[10] = 'T';
	store_put2(buf + 11, (int)(secs / 3600));
	buf[13] = ':';
	store_put2(buf + 14, (int)(secs / 60 % 60));
	buf[16] = ':';
	store_put2(buf + 17, (int)(secs % 60));
	buf[19] = 'Z';
	buf[20] = '\0';
	return buf;
}

static int
store_digits(const char *s, int n)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Strict on layout; also takes a space for the 'T' and no 'Z'. */
time_t
store_time_parse(const char *s)
{
	struct tm tm;
	size_t len;

	if (s == NULL || ((len = strlen(s)) != 19 && len != 20))
		return 0;
	if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
	    s[13] != ':' || s[16] != ':' || (len == 20 && s[19] != 'Z'))
		return 0;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = store_digits(s, 4) - 1900;
	tm.tm_mon = store_digits(s + 5, 2) - 1;
	tm.tm_mday = store_digits(s + 8, 2);
	tm.tm_hour = store_digits(s + 11, 2);
	tm.tm_min = store_digits(s + 14, 2);
	tm.tm_sec = store_digits(s + 17, 2);
	if (tm.tm_year < -1900 || tm.tm_mon < 0 || tm.tm_mon > 11 ||
	    tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour < 0 ||
	    tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 ||
	    tm.tm_sec < 0 || tm.tm_sec > 60)
		return 0;
	return timegm(&tm);
}

void
store_bind_text(sqlite3_stmt *stmt, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(stmt, i);
	else
		sqlite3_bind_text(stmt, i, v, -1, SQLITE_TRANSIENT);
}

void
store_bind_time(sqlite3_stmt *stmt, int i, time_t t)
{
	char buf[STORE_ISO_LEN];

	sqlite3_bind_text(stmt, i, store_time_format(t, buf), -1,
	    SQLITE_TRANSIENT);
}

char *
store_col_text(sqlite3_stmt *stmt, int i)
{
	const unsigned char *v = sqlite3_column_text(stmt, i);

	return v == NULL ? NULL : xstrdup((const char *)v);
}

time_t
store_col_time(sqlite3_stmt *stmt, int i)
{
	return store_time_parse((const char *)sqlite3_column_text(stmt, i));
}

/* Statements. */

sqlite3_stmt *
store_stmt(struct store *s, const char *sql, enum store_status *st,
    char **cause)
{
	sqlite3_stmt *stmt;
	size_t i;
	int rc;

	for (i = 0; i < s->ncache; i++) {
		if (s->cache[i].sql == sql) {
			stmt = s->cache[i].stmt;
			sqlite3_reset(stmt);
			sqlite3_clear_bindings(stmt);
			return stmt;
		}
	}
	rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &stmt, NULL);
	if (rc != SQLITE_OK) {
		enum store_status fst = store_fail(s, rc, cause);

		if (st != NULL)
			*st = fst;
		return NULL;
	}
	s->cache = xreallocarray(s->cache, s->ncache + 1, sizeof *s->cache);
	s->cache[s->ncache].sql = sql;
	s->cache[s->ncache].stmt = stmt;
	s->ncache++;
	return stmt;
}

void
store_done(sqlite3_stmt *stmt)
{
	sqlite3_reset(stmt);
}

int
store_run(sqlite3_stmt *stmt)
{
	int rc = sqlite3_step(stmt);

	sqlite3_reset(stmt);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

/* Run one cached statement of static text with no parameters. */
enum store_status
store_exec(struct store *s, const char *sql, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = store_stmt(s, sql, &st, cause)) == NULL)
		return st;
	if ((rc = sqlite3_step(stmt)) != SQLITE_DONE && rc != SQLITE_ROW) {
		st = store_fail(s, rc, cause);
		sqlite3_reset(stmt);
		return st;
	}
	sqlite3_reset(stmt);
	return STORE_OK;
}

/* Transactions. */

const char store_sql_begin[] = "BEGIN IMMEDIATE";
const char store_sql_commit[] = "COMMIT";
const char store_sql_rollback[] = "ROLLBACK";
static const char store_sql_savepoint[] = "SAVEPOINT store_write";
static const char store_sql_release[] = "RELEASE store_write";
static const char store_sql_rollback_to[] = "ROLLBACK TO store_write";

static enum store_status
store_refuse_readonly(struct store *s, char **cause)
{
	store_cause(cause, "%s is open read-only; nothing was saved",
	    s->path);
	return STORE_READONLY;
}

/* A disk-full or I/O error can end the bulk transaction behind our back. */
static enum store_status
store_refuse_lost(char **cause)
{
	store_cause(cause, "the bulk transaction was rolled back after an "
	    "earlier error; nothing was saved");
	return STORE_IOERR;
}

/*
 * Every top-level write transaction starts and ends here, so that on a
 * network drive it runs under the lock directory (store_lock.c).
 */
static enum store_status
store_tx_begin(struct store *s, char **cause)
{
	enum store_status st;

	if (s->lock != NULL) {
		if ((st = store_lock_take(s->lock, s->busy_ms, cause)) !=
		    STORE_OK)
			return st;
		if ((st = store_lock_reconnect(s, cause)) != STORE_OK) {
			store_lock_drop(s->lock);
			return st;
		}
	}
	if ((st = store_exec(s, store_sql_begin, cause)) != STORE_OK)
		store_lock_drop(s->lock);
	s->writing = st == STORE_OK;
	return st;
}

static enum store_status
store_tx_commit(struct store *s, char **cause)
{
	enum store_status st = STORE_OK;

	if (s->lock != NULL)
		st = store_lock_stamp(s, cause);
	if (st == STORE_OK)
		st = store_exec(s, store_sql_commit, cause);
	if (st != STORE_OK) {
		if (!sqlite3_get_autocommit(s->db))
			store_exec(s, store_sql_rollback, NULL);
	} else if (s->lock != NULL)
		st = store_lock_verify(s, cause);
	store_lock_drop(s->lock);
	s->writing = false;
	return st;
}

static void
store_tx_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		store_exec(s, store_sql_rollback, NULL);
	store_lock_drop(s->lock);
	s->writing = false;
}

enum store_status
store_write_begin(struct store *s, char **cause)
{
	if (s->readonly)
		return store_refuse_readonly(s, cause);
	if (!s->bulk)
		return store_tx_begin(s, cause);
	/* Writing on alone would save half an import. */
	if (sqlite3_get_autocommit(s->db))
		return store_refuse_lost(cause);
	return store_exec(s, store_sql_savepoint, cause);
}

enum store_status
store_write_light(struct store *s, char **cause)
{
	if (s->readonly)
		return store_refuse_readonly(s, cause);
	if (!s->bulk)
		return store_tx_begin(s, cause);
	if (sqlite3_get_autocommit(s->db))
		return store_refuse_lost(cause);
	return STORE_OK;
}

enum store_status
store_write_close(struct store *s, enum store_status st, bool wrote,
    char **cause)
{
	if (!s->bulk)
		return store_write_end(s, st, cause);
	/*
	 * A refused first statement changed nothing: the import goes on. An
	 * I/O error or a full disk may have ended the transaction already;
	 * make sure it is over, as the savepoint path would.
	 */
	if (st == STORE_OK || (!wrote && (st == STORE_EXISTS ||
	    st == STORE_INVALID || st == STORE_CONFLICT ||
	    st == STORE_NOTFOUND)))
		return st;
	if (!sqlite3_get_autocommit(s->db))
		store_exec(s, store_sql_rollback, NULL);
	return st;
}

enum store_status
store_write_end(struct store *s, enum store_status st, char **cause)
{
	bool nested = s->bulk && !sqlite3_get_autocommit(s->db);

	if (st == STORE_OK && !nested)
		return store_tx_commit(s, cause);
	if (st == STORE_OK) {
		st = store_exec(s, store_sql_release, cause);
		if (st == STORE_OK)
			return STORE_OK;
		nested = s->bulk && !sqlite3_get_autocommit(s->db);
	}
	/* Errors were already reported; the rollback's own are moot. */
	if (nested) {
		store_exec(s, store_sql_rollback_to, NULL);
		store_exec(s, store_sql_release, NULL);
	} else if (!s->bulk)
		store_tx_rollback(s);
	return st;
}

/*
 * A large import touches index pages all over the file; with the default
 * 2 MB cache they are spilled and read back again and again.
 *
 * SQLite checks "kind IN (...)" of a CHECK constraint by building a
 * temporary table for every row written: a third of an import's time. The
 * store checks every kind, team and role itself before writing (store_in,
 * store_rep_valid), so during the bulk the schema's CHECKs are not run
 * twice; every other constraint (NOT NULL, UNIQUE, foreign keys) is.
 */
static void
store_bulk_cache(struct store *s, bool bulk)
{
	sqlite3_exec(s->db, bulk ? "PRAGMA main.cache_size = -"
	    STORE_BULK_CACHE_KB ";PRAGMA ignore_check_constraints = ON" :
	    "PRAGMA main.cache_size = -2000;"
	    "PRAGMA ignore_check_constraints = OFF", NULL, NULL, NULL);
}

/*
 * FTS5 writes its pending words out as a segment of their own at every
 * statement savepoint, so a row at a time an import spent a third of its
 * time there (half, re-importing changed names) and left a million tiny
 * segments to merge. Inside a bulk the index is brought up to date in a
 * few statements instead: the leads whose words it changed every
 * STORE_BULK_FTS_BATCH of them (so that the set-aside words, in memory,
 * stay small), and at commit those left and the leads it created (ids
 * past bulk_last).
 */
#define STORE_BULK_FTS_BATCH 5000

int
store_bulk_fts_flush(struct store *s)
{
	int rc;

	s->bulk_fts_pending = 0;
	if ((rc = sqlite3_exec(s->db, store_sql_bulk_fts_out, NULL, NULL,
	    NULL)) != SQLITE_OK || (rc = sqlite3_exec(s->db,
	    store_sql_bulk_fts_changed, NULL, NULL, NULL)) != SQLITE_OK)
		return rc;
	return sqlite3_exec(s->db, store_sql_bulk_fts_done, NULL, NULL, NULL);
}

/* One more lead's old words were set aside: flush a full batch. */
int
store_bulk_fts_note(struct store *s)
{
	if (++s->bulk_fts_pending < STORE_BULK_FTS_BATCH)
		return SQLITE_OK;
	return store_bulk_fts_flush(s);
}

static int
store_bulk_fts(struct store *s)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_bulk_fts_flush(s)) != SQLITE_OK)
		return rc;
	if ((stmt = store_stmt(s, store_sql_bulk_fts_in, NULL, NULL)) == NULL)
		return sqlite3_errcode(s->db);
	sqlite3_bind_int64(stmt, 1, s->bulk_last);
	return store_run(stmt);
}

enum store_status
store_begin(struct store *s, char **cause)
{
	enum store_status st;
	int rc;

	if (s->readonly)
		return store_refuse_readonly(s, cause);
	if (s->bulk) {
		store_cause(cause, "a bulk transaction is already open");
		return STORE_INVALID;
	}
	if ((st = store_tx_begin(s, cause)) != STORE_OK)
		return st;
	/*
	 * A trigger runs as a sub-program for every row, and FTS5 writes its
	 * pending words out at every statement savepoint, so the triggers
	 * would cost an import more than all else. Inside the bulk they are
	 * set aside (bulk_import, see v5): the store indexes what it writes
	 * itself (store_lead.c), and at commit the counts are made again, in
	 * the same transaction, so no reader ever sees them wrong.
	 */
	if ((rc = sqlite3_exec(s->db, STORE_SQL_BULK_ON, NULL, NULL,
	    NULL)) != SQLITE_OK)
		st = store_fail(s, rc, cause);
	else
		st = store_lead_max_id(s, &s->bulk_last, cause);
	if (st != STORE_OK) {
		store_tx_rollback(s);
		return st;
	}
	s->bulk = true;
	s->bulk_fts_pending = 0;
	s->bulk_ev_done = s->bulk_last;
	store_bulk_cache(s, true);
	return STORE_OK;
}

enum store_status
store_commit(struct store *s, char **cause)
{
	enum store_status st;
	int rc;

	if (!s->bulk) {
		store_cause(cause, "no bulk transaction is open");
		return STORE_INVALID;
	}
	s->bulk = false;
	/*
	 * With the bulk's cache, a statement that writes a million events
	 * or words holds twice that cache: the commit's work is done with
	 * the small one (a few seconds more at a million leads).
	 */
	store_bulk_cache(s, false);
	if (sqlite3_get_autocommit(s->db)) {
		store_bulk_events_drop(s);
		store_lock_drop(s->lock);
		s->writing = false;
		return store_refuse_lost(cause);
	}
	st = store_bulk_events(s, cause);
	if (st == STORE_OK && ((rc = store_bulk_fts(s)) != SQLITE_OK ||
	    (rc = sqlite3_exec(s->db, STORE_SQL_BULK_OFF, NULL, NULL,
	    NULL)) != SQLITE_OK))
		st = store_fail(s, rc, cause);
	store_bulk_events_drop(s);
	if (st != STORE_OK) {
		store_tx_rollback(s);
		return st;
	}
	return store_tx_commit(s, cause);
}

void
store_rollback(struct store *s)
{
	if (!s->bulk)
		return;
	s->bulk = false;
	store_bulk_events_drop(s);
	store_bulk_cache(s, false);
	store_tx_rollback(s);
}

/* Opening. */

/*
 * SQLite's allocation statistics take a global mutex on every malloc; smk
 * never reads them. This only works before SQLite initialises, so it is
 * tried once, before the first open.
 */
static void
store_init_library(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* Is the folder holding path writable (the journal is created there)? */
static bool
store_dir_writable(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	bool ok;

	if (slash == NULL)
		return access(".", W_OK) == 0;
	dir = slash == path ? xstrdup("/") : xstrndup(path,
	    (size_t)(slash - path));
	ok = access(dir, W_OK) == 0;
	free(dir);
	return ok;
}

/* Missing file, folder instead of file, and whether we can write. */
static enum store_status
store_open_check(const char *path, const struct store_open_opts *opts,
    bool *exists, bool *readonly, char **cause)
{
	struct stat sb;

	*exists = stat(path, &sb) == 0;
	if (!*exists) {
		if (errno != ENOENT) {
			store_cause(cause, "cannot open %s: %s", path,
			    strerror(errno));
			return STORE_IOERR;
		}
		if (!opts->create || opts->readonly) {
			store_cause(cause, "no database at %s; create one with "
			    "'smk init'", path);
			return STORE_MISSING;
		}
		if (!store_dir_writable(path)) {
			store_cause(cause, "cannot create %s: the folder is "
			    "not writable", path);
			return STORE_READONLY;
		}
		*readonly = false;
		return STORE_OK;
	}
	if (S_ISDIR(sb.st_mode)) {
		store_cause(cause, "%s is a folder, not a database", path);
		return STORE_NOTADB;
	}
	/* SQLite takes an empty file for a new database: only init may. */
	if (S_ISREG(sb.st_mode) && sb.st_size == 0 && !opts->create) {
		store_cause(cause, "%s is empty, not an smk database; create "
		    "one with 'smk init'", path);
		return STORE_NOTADB;
	}
	*readonly = opts->readonly || access(path, W_OK) != 0 ||
	    !store_dir_writable(path);
	return STORE_OK;
}

static int
store_open_db(struct store *s, bool create)
{
	int flags, rc;

	if (s->readonly)
		flags = SQLITE_OPEN_READONLY;
	else
		flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
	/* One handle is used by one thread; the mutexes only cost time. */
	flags |= SQLITE_OPEN_NOMUTEX;
	if (s->db != NULL)
		sqlite3_close(s->db);
	rc = sqlite3_open_v2(s->path, &s->db, flags,
	    store_lock_vfs_name(s->lock));
	if (rc == SQLITE_OK) {
		sqlite3_extended_result_codes(s->db, 1);
		sqlite3_busy_timeout(s->db, s->busy_ms);
	}
	return rc;
}

/*
 * Read the header now, so that a locked, damaged or foreign file is reported
 * at open rather than at the first query.
 */
enum store_status
store_open_probe(struct store *s, int *version, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;
	int rc;

	rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &stmt,
	    NULL);
	if (rc != SQLITE_OK)
		return store_fail(s, rc, cause);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		*version = sqlite3_column_int(stmt, 0);
	else
		st = store_fail(s, rc, cause);
	sqlite3_finalize(stmt);
	return st;
}

/* Never WAL: switch a WAL file back, because WAL breaks on network drives. */
static enum store_status
store_open_pragmas(struct store *s, char **cause)
{
	char *mode;
	int rc;

	if (!s->readonly) {
		rc = sqlite3_exec(s->db, "PRAGMA journal_mode=DELETE", NULL,
		    NULL, NULL);
		if (rc != SQLITE_OK)
			return store_fail(s, rc, cause);
		mode = store_journal_mode(s);
		if (mode == NULL || strcmp(mode, "delete") != 0) {
			store_cause(cause, "%s could not be switched to the "
			    "rollback journal (it is in %s mode)", s->path,
			    mode != NULL ? mode : "an unknown");
			free(mode);
			return STORE_IOERR;
		}
		free(mode);
	}
	/*
	 * Savepoints and statement journals inside a bulk, and temporary
	 * tables, stay in memory: each imported row is much cheaper, and an
	 * import needs no room in a temporary directory. What a bulk keeps
	 * there is bounded (store_bulk_fts_flush).
	 */
	rc = sqlite3_exec(s->db, "PRAGMA synchronous=FULL;"
	    "PRAGMA foreign_keys=ON;PRAGMA temp_store=MEMORY", NULL, NULL,
	    NULL);
	if (rc != SQLITE_OK)
		return store_fail(s, rc, cause);
	return STORE_OK;
}

/* Open the handle, falling back to read-only when writing is refused. */
static enum store_status
store_open_connect(struct store *s, bool exists, bool create, char **cause)
{
	int rc;

	rc = store_open_db(s, create && !exists);
	if (rc != SQLITE_OK && exists && !s->readonly &&
	    ((rc & 0xff) == SQLITE_READONLY || (rc & 0xff) == SQLITE_CANTOPEN ||
	    (rc & 0xff) == SQLITE_PERM)) {
		s->readonly = true;
		rc = store_open_db(s, false);
	}
	if (rc != SQLITE_OK) {
		if (s->db == NULL) {
			store_cause(cause, "cannot open %s: out of memory",
			    s->path);
			return STORE_IOERR;
		}
		return store_fail(s, rc, cause);
	}
	return STORE_OK;
}

enum store_status
store_open(const char *path, const struct store_open_opts *opts,
    struct store **sp, char **cause)
{
	struct store_open_opts defaults = { 0 };
	struct store *s;
	enum store_status st;
	bool exists, readonly = false;
	int version = 0;

	*sp = NULL;
	if (opts == NULL)
		opts = &defaults;
	st = store_open_check(path, opts, &exists, &readonly, cause);
	if (st != STORE_OK)
		return st;
	store_init_library();
	s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	s->readonly = readonly;
	s->busy_ms = opts->busy_timeout_ms > 0 ? opts->busy_timeout_ms :
	    STORE_DEFAULT_BUSY_MS;
	/* Readers too: their connections must know the lock directory. */
	s->lock = store_lock_new(s->path, opts->lock);
	if ((st = store_open_connect(s, exists, opts->create, cause)) !=
	    STORE_OK ||
	    (st = store_open_probe(s, &version, cause)) != STORE_OK ||
	    (st = store_check_version(s, version, cause)) != STORE_OK ||
	    (st = store_open_pragmas(s, cause)) != STORE_OK)
		goto fail;
	if (version < STORE_SCHEMA_VERSION &&
	    (st = store_migrate(s, cause)) != STORE_OK)
		goto fail;
	*sp = s;
	return STORE_OK;
fail:
	store_close(s);
	return st;
}

void
store_close(struct store *s)
{
	size_t i;

	if (s == NULL)
		return;
	store_rollback(s);
	store_lock_free(s->lock);
	for (i = 0; i < s->ncache; i++)
		sqlite3_finalize(s->cache[i].stmt);
	free(s->cache);
	for (i = 0; i < s->nupd; i++)
		sqlite3_finalize(s->upd[i].stmt);
	free(s->upd);
	if (s->db != NULL)
		sqlite3_close(s->db);
	free(s->path);
	free(s);
}

char *
store_lock_describe(const struct store *s)
{
	char *text;

	if (s->lock == NULL)
		return xstrdup("SQLite's POSIX locks");
	xasprintf(&text, "a lock directory beside the file (%s.lock), for %s",
	    s->path, store_lock_why(s->lock));
	return text;
}

const char *
store_network_fs(const char *path)
{
	return store_lock_fs(path);
}

bool
store_readonly(const struct store *s)
{
	return s->readonly;
}

const char *
store_path(const struct store *s)
{
	return s->path;
}

enum store_status
store_step_int(struct store *s, sqlite3_stmt *stmt, int64_t *n, char **cause)
{
	enum store_status st = STORE_OK;
	int rc;

	*n = 0;
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		*n = sqlite3_column_int64(stmt, 0);
	else if (rc != SQLITE_DONE)
		st = store_fail(s, rc, cause);
	store_done(stmt);
	return st;
}

int64_t
store_int_query(struct store *s, const char *sql)
{
	sqlite3_stmt *stmt;
	int64_t v = -1;

	if ((stmt = store_stmt(s, sql, NULL, NULL)) == NULL)
		return -1;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	store_done(stmt);
	return v;
}

static const char store_sql_user_version[] = "PRAGMA user_version";
static const char store_sql_data_version[] = "PRAGMA data_version";

int
store_schema_version(struct store *s)
{
	return (int)store_int_query(s, store_sql_user_version);
}

int64_t
store_data_version(struct store *s)
{
	return store_int_query(s, store_sql_data_version);
}

int
store_integrity_check(struct store *s, char **cause)
{
	sqlite3_stmt *stmt;
	char *report = NULL, *tmp;
	const char *line;
	int rc, ok = 0;

	rc = sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &stmt,
	    NULL);
	if (rc != SQLITE_OK) {
		store_fail(s, rc, cause);
		return -1;
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		line = (const char *)sqlite3_column_text(stmt, 0);
		if (line != NULL && strcmp(line, "ok") == 0)
			ok = 1;
		xasprintf(&tmp, "%s%s%s", report != NULL ? report : "",
		    report != NULL ? "\n" : "", line != NULL ? line : "?");
		free(report);
		report = tmp;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		free(report);
		store_fail(s, rc, cause);
		return -1;
	}
	if (ok && report != NULL && strcmp(report, "ok") == 0) {
		free(report);
		return 0;
	}
	store_cause(cause, "%s failed the integrity check:\n%s", s->path,
	    report != NULL ? report : "(no report)");
	free(report);
	return -1;
}

char *
store_journal_mode(struct store *s)
{
	sqlite3_stmt *stmt;
	char *mode = NULL;

	if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode", -1, &stmt,
	    NULL) != SQLITE_OK)
		return NULL;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		mode = store_col_text(stmt, 0);
	sqlite3_finalize(stmt);
	return mode;
}

/* Moving the clock of a whole file (the demo is brought to today). */

#define STORE_SHIFT(c) \
	c " = coalesce(strftime('%Y-%m-%dT%H:%M:%SZ', " c ", ?1), " c ")"

static const char *const store_sql_shift[] = {
	"UPDATE leads SET " STORE_SHIFT("created_at") ", "
	    STORE_SHIFT("updated_at") ", " STORE_SHIFT("last_activity_at"),
	"UPDATE events SET " STORE_SHIFT("at") ", " STORE_SHIFT("entered_at"),
	"UPDATE activities SET " STORE_SHIFT("at") ", "
	    STORE_SHIFT("entered_at"),
	"UPDATE reps SET " STORE_SHIFT("created_at"),
};

enum store_status
store_shift_times(struct store *s, long seconds, char **cause)
{
	enum store_status st;
	sqlite3_stmt *stmt;
	char modifier[64];
	size_t i;
	int rc;

	/* Waiting events are written first, to be shifted with the rest. */
	if (s->bulk && (st = store_bulk_events(s, cause)) != STORE_OK)
		return st;
	if ((st = store_write_begin(s, cause)) != STORE_OK)
		return st;
	snprintf(modifier, sizeof modifier, "%+ld seconds", seconds);
	/* The triggers guard events against exactly this; lift them briefly. */
	rc = sqlite3_exec(s->db, "DROP TRIGGER IF EXISTS events_no_update;"
	    "DROP TRIGGER IF EXISTS events_no_delete", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		st = store_fail(s, rc, cause);
		goto out;
	}
	for (i = 0; i < sizeof store_sql_shift / sizeof *store_sql_shift;
	    i++) {
		if ((stmt = store_stmt(s, store_sql_shift[i], &st, cause)) ==
		    NULL)
			goto out;
		sqlite3_bind_text(stmt, 1, modifier, -1, SQLITE_TRANSIENT);
		if ((rc = store_run(stmt)) != SQLITE_OK) {
			st = store_fail(s, rc, cause);
			goto out;
		}
	}
	rc = sqlite3_exec(s->db, STORE_SQL_TRIGGERS, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		st = store_fail(s, rc, cause);
out:
	return store_write_end(s, st, cause);
}
