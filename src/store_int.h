/*
 * Internals shared by the SQLite store's files (src/store*.c): the handle,
 * the statement cache, the one place that turns SQLite result codes into
 * store statuses, the write-transaction wrapper, the schema steps, network
 * locking and the time helpers.
 * Nothing outside src/store*.c includes this.
 */
#ifndef SMK_STORE_INT_H
#define SMK_STORE_INT_H

#include <sqlite3.h>

#include "smk/store.h"
#include "smk/xmalloc.h"

struct store_cached {
	const char	*sql;		/* identity: the address of static text */
	sqlite3_stmt	*stmt;
};

/* An UPDATE of one set of lead columns, keyed by their bit mask. */
struct store_upd {
	uint32_t	 key;
	sqlite3_stmt	*stmt;
};

struct store {
	sqlite3		*db;
	char		*path;
	bool		 readonly;
	bool		 bulk;		/* store_begin is open */
	bool		 writing;	/* a write transaction is open */
	bool		 backfill;	/* entered_at = at (generators) */
	int64_t		 bulk_last;	/* the last lead id when the bulk began */
	int		 bulk_fts_pending; /* leads in temp.bulk_fts_old */
	int64_t		 bulk_ev_done;	/* new leads' events written up to */
	char		*bulk_ev_user;	/* their importer, while any wait */
	bool		 bulk_ev_backfill; /* and store_backfill then */
	int		 busy_ms;
	struct store_cached *cache;
	size_t		 ncache;
	struct store_upd *upd;		/* store_lead_update's statements */
	size_t		 nupd;
	struct store_lock *lock;	/* lock directory mode, or NULL */
};

#define STORE_ISO_LEN 21	/* "2026-11-23T09:30:00Z" + NUL */

/*
 * A bulk's search index (store.c): _note after setting a lead's old words
 * aside in temp.bulk_fts_old, _flush to index every set-aside lead now.
 * SQLite result codes.
 */
int	 store_bulk_fts_note(struct store *);
int	 store_bulk_fts_flush(struct store *);

/*
 * A bulk's new leads (store_lead.c): their created and assign events are
 * written from their rows by store_bulk_events, at commit or before
 * anything else changes one of them; store_bulk_events_drop forgets the
 * waiting ones (a rollback).
 */
enum store_status store_bulk_events(struct store *, char **cause);
void	 store_bulk_events_drop(struct store *);

/* Set *cause (when cause is not NULL) to a formatted message. */
void	 store_cause(char **cause, const char *fmt, ...) SMK_PRINTF(2, 3);
/*
 * Map an SQLite result code to a status and a message; the one place that
 * knows SQLite's codes. Uses the handle's last error text for detail.
 */
enum store_status store_fail(struct store *, int rc, char **cause);

/*
 * A cached, reset statement for sql, which must be static text (the cache is
 * keyed by its address). NULL with *cause set when it cannot be prepared;
 * *st gets the status. Callers reset it when done (store_done).
 */
sqlite3_stmt *store_stmt(struct store *, const char *sql,
	    enum store_status *st, char **cause);
/* One integer from a cached single-row query of static text; -1 on error. */
/*
 * Step a bound, cached statement that yields one integer (0 when it yields
 * no row), then reset it.
 */
enum store_status store_step_int(struct store *, sqlite3_stmt *,
	    int64_t *, char **cause);
int64_t	 store_int_query(struct store *, const char *sql);
/* Reset a statement so it releases its read lock. */
void	 store_done(sqlite3_stmt *);
/* Step a statement expected to return no row, then reset it. */
int	 store_run(sqlite3_stmt *);

/*
 * Open one write: BEGIN IMMEDIATE, or a savepoint inside the bulk
 * transaction. store_write_end commits (st == STORE_OK) or rolls back, and
 * returns the final status.
 */
enum store_status store_write_begin(struct store *, char **cause);
enum store_status store_write_end(struct store *, enum store_status st,
	    char **cause);
/*
 * The same for a write whose first statement is the only one that can be
 * refused (a statement that fails changes nothing): inside the bulk
 * transaction it takes no savepoint, which is most of an import's cost per
 * row. wrote says whether a statement already succeeded; if a later one
 * fails, half a write must not be kept, so the whole bulk transaction is
 * rolled back (later writes and the commit then fail).
 */
enum store_status store_write_light(struct store *, char **cause);
enum store_status store_write_close(struct store *, enum store_status st,
	    bool wrote, char **cause);

/* The columns store_lead_row reads, in its order. */
#define STORE_LEAD_COLS \
	"id, email, first_name, last_name, company, title, phone, source," \
	" country, stage, owner, notes, score, fit, engagement, amount," \
	" visits, forms, pages, created_at, updated_at, last_activity_at," \
	" version"
/* One row of STORE_LEAD_COLS into l (overwritten). */
void	 store_lead_row(sqlite3_stmt *, struct lead *);
/* STORE_OK when lead id exists, else STORE_NOTFOUND (or an error). */
enum store_status store_lead_exists(struct store *, int64_t id,
	    char **cause);

/* time_t <-> "YYYY-MM-DDTHH:MM:SSZ"; unparsable text is 0. */
char	*store_time_format(time_t, char *buf);
time_t	 store_time_parse(const char *);

/* Binding and reading text that may be NULL. */
void	 store_bind_text(sqlite3_stmt *, int, const char *);
void	 store_bind_time(sqlite3_stmt *, int, time_t);
char	*store_col_text(sqlite3_stmt *, int);
time_t	 store_col_time(sqlite3_stmt *, int);
/* The same, faster for the stored form (store_metrics.c): long walks. */
time_t	 store_col_utc(sqlite3_stmt *, int);

/*
 * Network drives (store_lock.c): where POSIX locks cannot be trusted, each
 * write takes a lock directory, reconnects, stamps a token and reads it
 * back after COMMIT. Mode from the playbook's [store] lock.
 */
struct store_lock;
/* The network filesystem holding path ("NFS", ...), or NULL when local. */
const char *store_lock_fs(const char *path);
/* NULL when POSIX locks are used (posix, or auto on a local disk). */
struct store_lock *store_lock_new(const char *path, enum store_lock_mode);
void	 store_lock_free(struct store_lock *);
const char *store_lock_why(const struct store_lock *);
/*
 * The VFS every connection to a file in this mode must use (sqlite3_open_v2's
 * zVfs), so that readers leave a locked writer's journal alone; NULL: default.
 */
const char *store_lock_vfs_name(const struct store_lock *);
/* Take FILE.lock, waiting up to busy_ms; STORE_BUSY names the holder. */
enum store_status store_lock_take(struct store_lock *, int busy_ms,
	    char **cause);
void	 store_lock_drop(struct store_lock *);
/* After taking the lock: a fresh connection, every statement forgotten. */
enum store_status store_lock_reconnect(struct store *, char **cause);
/* Before COMMIT: write this transaction's token into meta. */
enum store_status store_lock_stamp(struct store *, char **cause);
/* After COMMIT: the token must read back through a new connection. */
enum store_status store_lock_verify(struct store *, char **cause);

/*
 * The schema (store_schema.c). The SQL below is shared with store.c: the
 * events triggers are lifted and put back by store_shift_times, and the
 * counts are made again at the end of a bulk import.
 */
/* events is the audit trail: nothing may rewrite or remove it. */
#define STORE_SQL_TRIGGERS \
	"CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN" \
	" SELECT RAISE(ABORT, 'events are append-only'); END;" \
	"CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN" \
	" SELECT RAISE(ABORT, 'events are append-only'); END;"

/* v2: stage_counts made again from the leads. */
#define STORE_SQL_RECOUNT \
	"DELETE FROM stage_counts;" \
	"INSERT INTO stage_counts(stage, n)" \
	" SELECT stage, count(*) FROM leads GROUP BY stage;"

/* The file's schema version is one this smk can open (and write, if older). */
enum store_status store_check_version(struct store *, int version,
	    char **cause);
/* Bring the file up to STORE_SCHEMA_VERSION in one transaction. */
enum store_status store_migrate(struct store *, char **cause);

/* Opening and plain statements (store.c), used by the migration too. */
/* Read the file's user_version, reporting a locked or foreign file. */
enum store_status store_open_probe(struct store *, int *version,
	    char **cause);
/* Run one cached statement of static text with no parameters. */
enum store_status store_exec(struct store *, const char *sql, char **cause);
/* Transaction statements: static text, so the cache keys them once. */
extern const char store_sql_begin[];
extern const char store_sql_commit[];
extern const char store_sql_rollback[];

#endif
