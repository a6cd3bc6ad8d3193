/*
 * A scratch file: a private, temporary SQLite database (SQLite deletes it
 * when it is closed) that holds values by key, for work whose memory would
 * otherwise grow with its input, such as a dry-run import remembering the
 * leads it would have written. Its page cache is SQLite's default, so a
 * million keys cost disk in the temporary directory, not memory. Nothing
 * here touches the shared file; it needs no locks, journal or sync.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "smk/store.h"
#include "smk/xmalloc.h"

struct store_scratch {
	sqlite3		*db;
	sqlite3_stmt	*put;
	sqlite3_stmt	*get;
};

static const char store_scratch_schema[] =
	"PRAGMA journal_mode = OFF;"
	"PRAGMA synchronous = OFF;"
	"CREATE TABLE scratch(key TEXT PRIMARY KEY, value BLOB NOT NULL)"
	" WITHOUT ROWID;";

static enum store_status
store_scratch_fail(struct store_scratch *sc, const char *what, char **cause)
{
	/* SQLite's own order of places for a temporary file. */
	const char *dir = getenv("SQLITE_TMPDIR");

	if (dir == NULL || *dir == '\0')
		dir = getenv("TMPDIR");
	if (cause != NULL)
		xasprintf(cause, "cannot %s a temporary file in %s%s: %s", what,
		    dir != NULL && *dir != '\0' ? dir : "/var/tmp or /tmp",
		    dir != NULL && *dir != '\0' ? " (or /var/tmp, /tmp)" : "",
		    sc->db != NULL ? sqlite3_errmsg(sc->db) : "out of memory");
	return sc->db != NULL &&
	    sqlite3_errcode(sc->db) == SQLITE_FULL ? STORE_FULL : STORE_IOERR;
}

enum store_status
store_scratch_open(struct store_scratch **out, char **cause)
{
	struct store_scratch *sc = xcalloc(1, sizeof *sc);
	enum store_status st;

	*out = NULL;
	/* "" is SQLite's private temporary file, gone at close. */
	if (sqlite3_open_v2("", &sc->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_exec(sc->db, store_scratch_schema, NULL, NULL,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(sc->db, "INSERT OR REPLACE INTO scratch"
	    "(key, value) VALUES (?1, ?2)", -1, &sc->put, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(sc->db, "SELECT value FROM scratch"
	    " WHERE key = ?1", -1, &sc->get, NULL) != SQLITE_OK) {
		st = store_scratch_fail(sc, "create", cause);
		store_scratch_close(sc);
		return st;
	}
	*out = sc;
	return STORE_OK;
}

void
store_scratch_close(struct store_scratch *sc)
{
	if (sc == NULL)
		return;
	sqlite3_finalize(sc->put);
	sqlite3_finalize(sc->get);
	sqlite3_close(sc->db);
	free(sc);
}

enum store_status
store_scratch_put(struct store_scratch *sc, const char *key,
    const void *value, size_t len, char **cause)
{
	int rc;

	sqlite3_bind_text(sc->put, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_blob64(sc->put, 2, len != 0 ? value : "", len,
	    SQLITE_STATIC);
	rc = sqlite3_step(sc->put);
	sqlite3_reset(sc->put);
	sqlite3_clear_bindings(sc->put);
	if (rc != SQLITE_DONE)
		return store_scratch_fail(sc, "write", cause);
	return STORE_OK;
}

enum store_status
store_scratch_get(struct store_scratch *sc, const char *key, void **value,
    size_t *len, char **cause)
{
	enum store_status st = STORE_NOTFOUND;
	const void *p;
	int rc;

	*value = NULL;
	*len = 0;
	sqlite3_bind_text(sc->get, 1, key, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(sc->get)) == SQLITE_ROW) {
		*len = (size_t)sqlite3_column_bytes(sc->get, 0);
		p = sqlite3_column_blob(sc->get, 0);
		*value = xmalloc(*len + 1);
		if (*len != 0)
			memcpy(*value, p, *len);
		((char *)*value)[*len] = '\0';
		st = STORE_OK;
	} else if (rc != SQLITE_DONE)
		st = store_scratch_fail(sc, "read", cause);
	sqlite3_reset(sc->get);
	sqlite3_clear_bindings(sc->get);
	return st;
}
