/*
 * The schema of the shared file and the steps that bring an older file up to
 * it: the SQL of every version, the table of migrations, the check that a
 * file is ours and not too new, and the one transaction that migrates it.
 * Opening, pragmas, errors and transactions in general live in store.c.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "store_int.h"

static const char store_sql_v1[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
	"CREATE TABLE reps("
	" login TEXT PRIMARY KEY, name TEXT NOT NULL,"
	" team TEXT NOT NULL CHECK (team IN ('sales','marketing')),"
	" role TEXT NOT NULL CHECK (role IN ('rep','manager','admin')),"
	" active INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL);"
	"CREATE TABLE leads("
	" id INTEGER PRIMARY KEY,"
	" email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	" first_name TEXT, last_name TEXT, company TEXT, title TEXT,"
	" phone TEXT, source TEXT, country TEXT, stage TEXT NOT NULL,"
	" owner TEXT REFERENCES reps(login), notes TEXT,"
	" score INTEGER NOT NULL DEFAULT 0, fit INTEGER NOT NULL DEFAULT 0,"
	" engagement INTEGER NOT NULL DEFAULT 0, amount INTEGER,"
	" visits INTEGER NOT NULL DEFAULT 0, forms INTEGER NOT NULL DEFAULT 0,"
	" pages INTEGER NOT NULL DEFAULT 0,"
	" created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
	" last_activity_at TEXT, version INTEGER NOT NULL DEFAULT 1);"
	"CREATE INDEX leads_stage ON leads(stage, score DESC, created_at, id);"
	"CREATE INDEX leads_owner ON leads(owner, stage);"
	"CREATE INDEX leads_source ON leads(source, stage);"
	"CREATE TABLE events("
	" id INTEGER PRIMARY KEY,"
	" lead_id INTEGER NOT NULL REFERENCES leads(id),"
	" kind TEXT NOT NULL"
	"  CHECK (kind IN ('created','update','move','assign','score')),"
	" field TEXT, old_value TEXT, new_value TEXT, reason TEXT,"
	" actor TEXT NOT NULL, at TEXT NOT NULL, entered_at TEXT NOT NULL);"
	"CREATE INDEX events_lead ON events(lead_id, at);"
	"CREATE INDEX events_field ON events(field, new_value, at, lead_id);"
	"CREATE TABLE activities("
	" id INTEGER PRIMARY KEY,"
	" lead_id INTEGER NOT NULL REFERENCES leads(id),"
	" kind TEXT NOT NULL"
	"  CHECK (kind IN ('call','email','meeting','social','note')),"
	" note TEXT, actor TEXT NOT NULL, at TEXT NOT NULL,"
	" entered_at TEXT NOT NULL);"
	"CREATE INDEX activities_lead ON activities(lead_id, at);"
	STORE_SQL_TRIGGERS;

/*
 * v2: the board's column counts without counting. stage_counts is kept by
 * triggers, so every writer (smk, sqlite3 by hand) keeps it right, and it
 * costs a board O(stages) instead of a scan of the stage index.
 */
#define STORE_SQL_COUNT_TRIGGERS \
	"CREATE TRIGGER leads_count_insert AFTER INSERT ON leads BEGIN" \
	" INSERT INTO stage_counts(stage, n) VALUES (NEW.stage, 1)" \
	"  ON CONFLICT(stage) DO UPDATE SET n = n + 1; END;" \
	"CREATE TRIGGER leads_count_delete AFTER DELETE ON leads BEGIN" \
	" UPDATE stage_counts SET n = n - 1 WHERE stage = OLD.stage; END;" \
	"CREATE TRIGGER leads_count_stage AFTER UPDATE OF stage ON leads" \
	" WHEN OLD.stage IS NOT NEW.stage BEGIN" \
	" UPDATE stage_counts SET n = n - 1 WHERE stage = OLD.stage;" \
	" INSERT INTO stage_counts(stage, n) VALUES (NEW.stage, 1)" \
	"  ON CONFLICT(stage) DO UPDATE SET n = n + 1; END;"
#define STORE_SQL_NO_COUNT_TRIGGERS \
	"DROP TRIGGER IF EXISTS leads_count_insert;" \
	"DROP TRIGGER IF EXISTS leads_count_delete;" \
	"DROP TRIGGER IF EXISTS leads_count_stage;" \
	"DROP TRIGGER IF EXISTS leads_fts_insert;" \
	"DROP TRIGGER IF EXISTS leads_fts_delete;" \
	"DROP TRIGGER IF EXISTS leads_fts_update;"

static const char store_sql_v2[] =
	"CREATE TABLE stage_counts(stage TEXT PRIMARY KEY,"
	" n INTEGER NOT NULL) WITHOUT ROWID;"
	STORE_SQL_RECOUNT
	STORE_SQL_COUNT_TRIGGERS;

/*
 * v3: the board's search without reading every lead. An FTS5 index of the
 * names, email and company (unicode61: words, case and accents folded),
 * over the leads table itself, kept by triggers and built once here.
 */
#define STORE_FTS_COLS "first_name, last_name, email, company"
#define STORE_FTS_DELETE \
	" INSERT INTO leads_fts(leads_fts, rowid, " STORE_FTS_COLS ")" \
	" VALUES ('delete', OLD.id, OLD.first_name, OLD.last_name," \
	" OLD.email, OLD.company);"
#define STORE_FTS_INSERT \
	" INSERT INTO leads_fts(rowid, " STORE_FTS_COLS ")" \
	" VALUES (NEW.id, NEW.first_name, NEW.last_name, NEW.email," \
	" NEW.company);"

#define STORE_SQL_FTS_TRIGGERS \
	"CREATE TRIGGER leads_fts_insert AFTER INSERT ON leads BEGIN" \
	STORE_FTS_INSERT " END;" \
	"CREATE TRIGGER leads_fts_delete AFTER DELETE ON leads BEGIN" \
	STORE_FTS_DELETE " END;" \
	"CREATE TRIGGER leads_fts_update AFTER UPDATE OF " STORE_FTS_COLS \
	" ON leads BEGIN" STORE_FTS_DELETE STORE_FTS_INSERT " END;"

static const char store_sql_v3[] =
	"CREATE VIRTUAL TABLE leads_fts USING fts5(" STORE_FTS_COLS ","
	" content = 'leads', content_rowid = 'id',"
	" tokenize = 'unicode61 remove_diacritics 2');"
	"INSERT INTO leads_fts(leads_fts) VALUES ('rebuild');"
	STORE_SQL_FTS_TRIGGERS;

/*
 * v4: the flow metrics count a month's new leads without reading an event
 * row each: the created events, one per lead, as a small covering index.
 */
static const char store_sql_v4[] =
	"CREATE INDEX IF NOT EXISTS events_created"
	" ON events(at, new_value, lead_id)"
	" WHERE kind = 'created' AND field = 'stage';";

/*
 * v5: an import sets the count and search triggers aside without touching
 * the schema. v2 and v3 dropped and re-created them around every import;
 * that DDL made another process's statements re-prepare, and re-preparing
 * a write whose trigger feeds the FTS5 table failed with "no such table:
 * leads" (seen with an add racing an import). Now every such trigger asks
 * bulk_import, a one-row table that an import sets inside its own
 * transaction: nobody else can write then, readers never run triggers, and
 * a crash rolls the flag back with everything else.
 */
#define STORE_NOT_BULK " (SELECT active FROM bulk_import) = 0"
#define STORE_SQL_GUARDED_TRIGGERS \
	"CREATE TRIGGER leads_count_insert AFTER INSERT ON leads" \
	" WHEN" STORE_NOT_BULK " BEGIN" \
	" INSERT INTO stage_counts(stage, n) VALUES (NEW.stage, 1)" \
	"  ON CONFLICT(stage) DO UPDATE SET n = n + 1; END;" \
	"CREATE TRIGGER leads_count_delete AFTER DELETE ON leads" \
	" WHEN" STORE_NOT_BULK " BEGIN" \
	" UPDATE stage_counts SET n = n - 1 WHERE stage = OLD.stage; END;" \
	"CREATE TRIGGER leads_count_stage AFTER UPDATE OF stage ON leads" \
	" WHEN OLD.stage IS NOT NEW.stage AND" STORE_NOT_BULK " BEGIN" \
	" UPDATE stage_counts SET n = n - 1 WHERE stage = OLD.stage;" \
	" INSERT INTO stage_counts(stage, n) VALUES (NEW.stage, 1)" \
	"  ON CONFLICT(stage) DO UPDATE SET n = n + 1; END;" \
	"CREATE TRIGGER leads_fts_insert AFTER INSERT ON leads" \
	" WHEN" STORE_NOT_BULK " BEGIN" STORE_FTS_INSERT " END;" \
	"CREATE TRIGGER leads_fts_delete AFTER DELETE ON leads" \
	" WHEN" STORE_NOT_BULK " BEGIN" STORE_FTS_DELETE " END;" \
	"CREATE TRIGGER leads_fts_update AFTER UPDATE OF " STORE_FTS_COLS \
	" ON leads WHEN" STORE_NOT_BULK " BEGIN" STORE_FTS_DELETE \
	STORE_FTS_INSERT " END;"

static const char store_sql_v5[] =
	"CREATE TABLE IF NOT EXISTS bulk_import("
	" id INTEGER PRIMARY KEY CHECK (id = 1), active INTEGER NOT NULL);"
	"INSERT OR IGNORE INTO bulk_import(id, active) VALUES (1, 0);"
	STORE_SQL_NO_COUNT_TRIGGERS
	STORE_SQL_GUARDED_TRIGGERS;

/*
 * v6: activities_lead also holds kind, so that "the attempts of these leads
 * up to now" (the SLA clocks, the flow's histories and worked column) reads
 * the index alone instead of a table row per activity: report flow at a
 * million leads 3.4 s -> 2.5 s. Same name, still one index on activities,
 * so logging an activity costs what it did; leads and events are untouched.
 */
static const char store_sql_v6[] =
	"DROP INDEX IF EXISTS activities_lead;"
	"CREATE INDEX activities_lead ON activities(lead_id, at, kind);";

/*
 * Each step takes the file from version - 1 to version. Add the next one
 * below; never edit a step that has shipped.
 */
static const struct {
	int		 version;
	const char	*sql;
} store_migrations[] = {
	{ 1, store_sql_v1 },
	{ 2, store_sql_v2 },
	{ 3, store_sql_v3 },
	{ 4, store_sql_v4 },
	{ 5, store_sql_v5 },
	{ 6, store_sql_v6 },
};

/* A version-0 file is ours only when it has no tables yet. */
static bool
store_is_empty(struct store *s)
{
	sqlite3_stmt *stmt;
	bool empty = false;

	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_master",
	    -1, &stmt, NULL) != SQLITE_OK)
		return false;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		empty = sqlite3_column_int(stmt, 0) == 0;
	sqlite3_finalize(stmt);
	return empty;
}

enum store_status
store_check_version(struct store *s, int version, char **cause)
{
	if (version > STORE_SCHEMA_VERSION) {
		store_cause(cause, "%s has schema version %d, but this smk "
		    "knows only version %d; upgrade smk", s->path, version,
		    STORE_SCHEMA_VERSION);
		return STORE_TOONEW;
	}
	if (version == 0 && !store_is_empty(s)) {
		store_cause(cause, "%s is an SQLite database but not an smk "
		    "one (it has other tables)", s->path);
		return STORE_NOTADB;
	}
	if (version < STORE_SCHEMA_VERSION && s->readonly) {
		store_cause(cause, "%s has schema version %d and needs "
		    "upgrading to version %d, but it is open read-only; open "
		    "it once with write access", s->path, version,
		    STORE_SCHEMA_VERSION);
		return STORE_READONLY;
	}
	return STORE_OK;
}

/* Apply every migration step past the file's version, all or nothing. */
enum store_status
store_migrate(struct store *s, char **cause)
{
	enum store_status st;
	char *sql;
	size_t i;
	int rc, version = 0;

	if ((st = store_exec(s, store_sql_begin, cause)) != STORE_OK)
		return st;
	s->writing = true;
	/* Someone may have migrated while we waited for the lock. */
	if ((st = store_open_probe(s, &version, cause)) != STORE_OK ||
	    (st = store_check_version(s, version, cause)) != STORE_OK)
		goto fail;
	for (i = 0; i < sizeof store_migrations / sizeof *store_migrations;
	    i++) {
		if (store_migrations[i].version <= version)
			continue;
		rc = sqlite3_exec(s->db, store_migrations[i].sql, NULL, NULL,
		    NULL);
		if (rc != SQLITE_OK) {
			st = store_fail(s, rc, cause);
			goto fail;
		}
		version = store_migrations[i].version;
	}
	xasprintf(&sql, "PRAGMA user_version = %d", version);
	rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		st = store_fail(s, rc, cause);
		goto fail;
	}
	st = store_exec(s, store_sql_commit, cause);
	s->writing = false;
	return st;
fail:
	if (!sqlite3_get_autocommit(s->db))
		store_exec(s, store_sql_rollback, NULL);
	s->writing = false;
	return st;
}
