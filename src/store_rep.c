/*
 * The store's small tables: the reps who may use the file (login, team,
 * role) and meta, a few named settings kept in the file. Only storage: who
 * may do what is decided in lead.c from what these return.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* Reps. */

static const char store_sql_rep_add[] =
	"INSERT INTO reps(login, name, team, role, active, created_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char store_sql_rep_get[] =
	"SELECT login, name, team, role, active FROM reps WHERE login = ?1";
static const char store_sql_rep_list[] =
	"SELECT login, name, team, role, active FROM reps ORDER BY login";
static const char store_sql_rep_count[] = "SELECT count(*) FROM reps";

static bool
store_one_of(const char *v, const char *a, const char *b, const char *c)
{
	return v != NULL && (strcmp(v, a) == 0 || strcmp(v, b) == 0 ||
	    (c != NULL && strcmp(v, c) == 0));
}

static enum store_status
store_rep_valid(const struct store_rep *r, char **cause)
{
	if (r->login == NULL || *r->login == '\0') {
		store_cause(cause, "a rep needs a login");
		return STORE_INVALID;
	}
	if (r->name == NULL) {
		store_cause(cause, "rep %s needs a name", r->login);
		return STORE_INVALID;
	}
	if (!store_one_of(r->team, "sales", "marketing", NULL)) {
		store_cause(cause, "team of rep %s must be sales or marketing, "
		    "not '%s'", r->login, r->team != NULL ? r->team : "");
		return STORE_INVALID;
	}
	if (!store_one_of(r->role, "rep", "manager", "admin")) {
		store_cause(cause, "role of rep %s must be rep, manager or "
		    "admin, not '%s'", r->login, r->role != NULL ? r->role : "");
		return STORE_INVALID;
	}
	return STORE_OK;
}

/* Both statements take login, name, team, role and active as ?1..?5. */
static void
store_rep_bind(sqlite3_stmt *stmt, const struct store_rep *r)
{
	store_bind_text(stmt, 1, r->login);
	store_bind_text(stmt, 2, r->name);
	store_bind_text(stmt, 3, r->team);
	store_bind_text(stmt, 4, r->role);
	sqlite3_bind_int(stmt, 5, r->active);
}

enum store_status
store_rep_add(struct store *s, const struct store_rep *r, time_t at,
    char **cause)
{
	enum store_status st;
	sqlite3_stmt *stmt;
	int rc;

	if ((st = store_rep_valid(r, cause)) != STORE_OK ||
	    (st = store_write_begin(s, cause)) != STORE_OK)
		return st;
	if ((stmt = store_stmt(s, store_sql_rep_add, &st, cause)) == NULL)
		goto out;
	store_rep_bind(stmt, r);
	store_bind_time(stmt, 6, at);
	rc = store_run(stmt);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY ||
	    rc == SQLITE_CONSTRAINT_UNIQUE) {
		store_cause(cause, "a rep with login '%s' already exists",
		    r->login);
		st = STORE_EXISTS;
	} else if (rc != SQLITE_OK)
		st = store_fail(s, rc, cause);
out:
	return store_write_end(s, st, cause);
}

static const char store_sql_rep_update[] =
	"UPDATE reps SET name = ?2, team = ?3, role = ?4, active = ?5"
	" WHERE login = ?1";

enum store_status
store_rep_update(struct store *s, const struct store_rep *r, char **cause)
{
	enum store_status st;
	sqlite3_stmt *stmt;
	int rc;

	if ((st = store_rep_valid(r, cause)) != STORE_OK ||
	    (st = store_write_begin(s, cause)) != STORE_OK)
		return st;
	if ((stmt = store_stmt(s, store_sql_rep_update, &st, cause)) == NULL)
		goto out;
	store_rep_bind(stmt, r);
	if ((rc = store_run(stmt)) != SQLITE_OK)
		st = store_fail(s, rc, cause);
	else if (sqlite3_changes(s->db) == 0) {
		store_cause(cause, "no rep with login '%s'", r->login);
		st = STORE_NOTFOUND;
	}
out:
	return store_write_end(s, st, cause);
}

static void
store_rep_row(sqlite3_stmt *stmt, struct store_rep *r)
{
	r->login = store_col_text(stmt, 0);
	r->name = store_col_text(stmt, 1);
	r->team = store_col_text(stmt, 2);
	r->role = store_col_text(stmt, 3);
	r->active = sqlite3_column_int(stmt, 4) != 0;
}

enum store_status
store_rep_get(struct store *s, const char *login, struct store_rep *r,
    char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;
	int rc;

	memset(r, 0, sizeof *r);
	if ((stmt = store_stmt(s, store_sql_rep_get, &st, cause)) == NULL)
		return st;
	store_bind_text(stmt, 1, login);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		store_rep_row(stmt, r);
	else if (rc == SQLITE_DONE) {
		store_cause(cause, "no rep with login '%s'",
		    login != NULL ? login : "");
		st = STORE_NOTFOUND;
	} else
		st = store_fail(s, rc, cause);
	store_done(stmt);
	return st;
}

enum store_status
store_rep_list(struct store *s, struct store_rep **reps, size_t *n,
    char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;
	int rc;

	*reps = NULL;
	*n = 0;
	if ((stmt = store_stmt(s, store_sql_rep_list, &st, cause)) == NULL)
		return st;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*reps = xreallocarray(*reps, *n + 1, sizeof **reps);
		store_rep_row(stmt, &(*reps)[(*n)++]);
	}
	if (rc != SQLITE_DONE) {
		st = store_fail(s, rc, cause);
		store_reps_free(*reps, *n);
		*reps = NULL;
		*n = 0;
	}
	store_done(stmt);
	return st;
}

void
store_rep_clear(struct store_rep *r)
{
	free(r->login);
	free(r->name);
	free(r->team);
	free(r->role);
	memset(r, 0, sizeof *r);
}

void
store_reps_free(struct store_rep *reps, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		store_rep_clear(&reps[i]);
	free(reps);
}

int64_t
store_rep_count(struct store *s)
{
	return store_int_query(s, store_sql_rep_count);
}

/* Meta: small named settings kept in the file. */

static const char store_sql_meta_get[] =
	"SELECT value FROM meta WHERE key = ?1";
static const char store_sql_meta_set[] =
	"INSERT INTO meta(key, value) VALUES (?1, ?2)"
	" ON CONFLICT(key) DO UPDATE SET value = excluded.value";

enum store_status
store_meta_get(struct store *s, const char *key, char **value, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;
	int rc;

	*value = NULL;
	if ((stmt = store_stmt(s, store_sql_meta_get, &st, cause)) == NULL)
		return st;
	store_bind_text(stmt, 1, key);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		*value = store_col_text(stmt, 0);
	else if (rc == SQLITE_DONE) {
		store_cause(cause, "no setting named '%s'", key);
		st = STORE_NOTFOUND;
	} else
		st = store_fail(s, rc, cause);
	store_done(stmt);
	return st;
}

enum store_status
store_meta_set(struct store *s, const char *key, const char *value,
    char **cause)
{
	enum store_status st;
	sqlite3_stmt *stmt;
	int rc;

	if ((st = store_write_begin(s, cause)) != STORE_OK)
		return st;
	if ((stmt = store_stmt(s, store_sql_meta_set, &st, cause)) != NULL) {
		store_bind_text(stmt, 1, key);
		store_bind_text(stmt, 2, value);
		if ((rc = store_run(stmt)) != SQLITE_OK)
			st = store_fail(s, rc, cause);
	}
	return store_write_end(s, st, cause);
}

/* A census for doctor: which stages the leads are in, whose owners exist. */

static const char store_sql_census_stages[] =
	"SELECT stage, count(*) FROM leads GROUP BY stage ORDER BY stage";
static const char store_sql_census_orphans[] =
	"SELECT count(*) FROM leads WHERE owner IS NOT NULL"
	" AND owner NOT IN (SELECT login FROM reps)";

enum store_status
store_census(struct store *s, int (*cb)(const char *, int64_t, void *),
    void *arg, int64_t *orphans, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;
	const char *stage;
	int rc;

	if ((stmt = store_stmt(s, store_sql_census_stages, &st, cause)) ==
	    NULL)
		return st;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		stage = (const char *)sqlite3_column_text(stmt, 0);
		if (cb(stage != NULL ? stage : "", sqlite3_column_int64(stmt,
		    1), arg) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		st = store_fail(s, rc, cause);
	store_done(stmt);
	if (st == STORE_OK &&
	    (*orphans = store_int_query(s, store_sql_census_orphans)) < 0)
		st = store_fail(s, sqlite3_errcode(s->db), cause);
	return st;
}
