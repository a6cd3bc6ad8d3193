/*
 * Shared helpers for the cmocka tests that check what reached the file:
 * raw SQL through a connection of its own, as another user's sqlite3 shell
 * would see it, and fresh store files in the test's directory.
 * Header-only, like testutil.h.
 */
#ifndef SMK_TESTDB_H
#define SMK_TESTDB_H

#include <sqlite3.h>

#include "testutil.h"

#include "smk/store.h"

/* Run sql on the file at path; SQLite's result code. */
static inline int
test_sql_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	int rc;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

/* The first column of sql's first row, as text ("" for none or NULL). */
static inline const char *
test_sql_text(const char *path, const char *sql)
{
	static char buf[1024];
	sqlite3_stmt *stmt;
	sqlite3 *db;

	buf[0] = '\0';
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL),
	    SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW &&
	    sqlite3_column_text(stmt, 0) != NULL)
		snprintf(buf, sizeof buf, "%s", sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return buf;
}

/* The same as an integer; -1 when there is no row. */
static inline int64_t
test_sql_int(const char *path, const char *sql)
{
	sqlite3_stmt *stmt;
	sqlite3 *db;
	int64_t v = -1;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL),
	    SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return v;
}

/* A new database file, NAME0.db, NAME1.db..., created with opts. */
static inline struct store *
test_store_new(const char *name, struct store_open_opts opts, char **pathp)
{
	static int n;
	struct store *s = NULL;
	char file[64], *cause = NULL;

	snprintf(file, sizeof file, "%s%d.db", name, n++);
	*pathp = test_path(file);
	opts.create = true;
	assert_int_equal(store_open(*pathp, &opts, &s, &cause), STORE_OK);
	assert_null(cause);
	return s;
}

#endif
