/*
 * Tests for the SQLite store (src/store.c, src/store_lead.c) on real files in
 * a private temporary directory. Other connections are played by raw sqlite3
 * handles, as another user's smk would be. Times are pinned.
 */
#include <sys/stat.h>

#include <time.h>

#include "testdb.h"

#include "smk/store.h"
#include "../src/store_int.h"	/* white box: to fill the disk */

/* 2026-11-20T15:00:00Z */
#define T0 ((time_t)1795186800)

/* A fresh database file, opened with create. */
static struct store *
open_new(char **pathp)
{
	return test_store_new("case", (struct store_open_opts){ 0 }, pathp);
}

static void
add_rep(struct store *s, const char *login, const char *team,
    const char *role)
{
	struct store_rep r = { (char *)login, (char *)login, (char *)team,
	    (char *)role, true };
	char *cause = NULL;

	assert_int_equal(store_rep_add(s, &r, T0, &cause), STORE_OK);
}

/* Insert l as user, at: it must go in, at version 1. */
static int64_t
insert_as(struct store *s, struct lead *l, const char *user, time_t at)
{
	char *cause = NULL;

	assert_int_equal(store_lead_insert(s, l, user, at, &cause), STORE_OK);
	assert_null(cause);
	assert_int_equal(l->version, 1);
	return l->id;
}

static int64_t
add_lead(struct store *s, const char *email, const char *stage,
    const char *owner, int score, time_t at)
{
	struct lead l = { 0 };

	l.email = (char *)email;
	l.stage = (char *)stage;
	l.owner = (char *)owner;
	l.score = score;
	return insert_as(s, &l, "ann", at);
}

static void
test_create_migrate_reopen(void **state)
{
	struct store_open_opts opts = { 0 };
	struct store *s;
	char *path, *cause = NULL, *mode;

	(void)state;
	s = open_new(&path);
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	assert_false(store_readonly(s));
	assert_string_equal(store_path(s), path);
	mode = store_journal_mode(s);
	assert_string_equal(mode, "delete");
	free(mode);
	assert_int_equal(store_integrity_check(s, &cause), 0);
	assert_int_equal(store_rep_count(s), 0);
	assert_int_equal(store_lead_count(s), 0);
	store_close(s);

	assert_int_equal(test_sql_int(path, "PRAGMA user_version"),
	    STORE_SCHEMA_VERSION);
	assert_int_equal(test_sql_int(path, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'trigger' AND tbl_name = 'events'"), 2);
	/* Reopening does not migrate again, and needs no create. */
	assert_int_equal(store_open(path, &opts, &s, &cause), STORE_OK);
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	store_close(s);
	free(path);
}

static void
test_missing(void **state)
{
	struct store_open_opts opts = { 0 };
	struct store *s = (struct store *)1;
	char *path = test_path("nothere.db"), *cause = NULL;

	(void)state;
	assert_int_equal(store_open(path, &opts, &s, &cause), STORE_MISSING);
	assert_null(s);
	assert_non_null(strstr(cause, path));
	assert_non_null(strstr(cause, "smk init"));
	assert_int_equal(access(path, F_OK), -1);	/* not created */
	free(cause);
	free(path);
}

static void
test_wal_switched_back(void **state)
{
	struct store_open_opts opts = { 0 };
	struct store *s;
	char *path, *cause = NULL, *mode;

	(void)state;
	s = open_new(&path);
	store_close(s);
	assert_int_equal(test_sql_exec(path, "PRAGMA journal_mode=WAL"), SQLITE_OK);
	assert_int_equal(store_open(path, &opts, &s, &cause), STORE_OK);
	mode = store_journal_mode(s);
	assert_string_equal(mode, "delete");
	free(mode);
	store_close(s);
	free(path);
}

static void
test_too_new(void **state)
{
	struct store_open_opts opts = { 0 };
	struct store *s;
	char *path, *cause = NULL;

	(void)state;
	s = open_new(&path);
	store_close(s);
	assert_int_equal(test_sql_exec(path, "PRAGMA user_version = 99"),
	    SQLITE_OK);
	assert_int_equal(store_open(path, &opts, &s, &cause), STORE_TOONEW);
	assert_null(s);
	assert_non_null(strstr(cause, "version 99"));
	assert_non_null(strstr(cause, "knows only version"));
	assert_non_null(strstr(cause, "upgrade smk"));
	free(cause);
	free(path);
}

static void
test_not_a_database(void **state)
{
	struct store_open_opts opts = { 0 };
	struct store *s;
	char *path, *cause = NULL;

	(void)state;
	path = test_write_file("notes.db", "These are my notes, not a "
	    "database. They go on for a while so that the file is longer "
	    "than a database header would be, just in case it matters.\n");
	assert_int_equal(store_open(path, &opts, &s, &cause), STORE_NOTADB);
	assert_null(s);
	assert_non_null(strstr(cause, path));
	free(cause);
	cause = NULL;
	free(path);

	/* Another program's SQLite file is not ours either. */
	path = test_path("other.db");
	assert_int_equal(test_sql_exec(path, "CREATE TABLE leads(x)"), SQLITE_OK);
	assert_int_equal(store_open(path, &opts, &s, &cause), STORE_NOTADB);
	assert_non_null(strstr(cause, "not an smk"));
	free(cause);
	free(path);
}

static void
test_readonly(void **state)
{
	struct store_open_opts opts = { 0 };
	struct store_rep r = { "zed", "Zed", "sales", "rep", true };
	struct store *s;
	char *path, *cause = NULL;

	(void)state;
	s = open_new(&path);
	add_lead(s, "a@x.com", "lead", NULL, 0, T0);
	store_close(s);
	assert_int_equal(chmod(path, 0444), 0);
	/*
	 * root ignores permission bits, so there the file would open
	 * writable; force read-only the way the caller would instead.
	 */
	if (geteuid() == 0)
		opts.readonly = true;
	assert_int_equal(store_open(path, &opts, &s, &cause), STORE_OK);
	assert_true(store_readonly(s));
	assert_int_equal(store_lead_count(s), 1);
	assert_int_equal(store_rep_add(s, &r, T0, &cause), STORE_READONLY);
	assert_non_null(strstr(cause, "read-only"));
	free(cause);
	cause = NULL;
	assert_int_equal(store_begin(s, &cause), STORE_READONLY);
	free(cause);
	store_close(s);
	chmod(path, 0644);
	free(path);

	/* An old file that cannot be upgraded says so. */
	store_close(open_new(&path));
	assert_int_equal(test_sql_exec(path, "PRAGMA user_version = 5"),
	    SQLITE_OK);
	opts.readonly = true;
	cause = NULL;
	assert_int_equal(store_open(path, &opts, &s, &cause), STORE_READONLY);
	assert_non_null(strstr(cause, "version 5"));
	free(cause);
	free(path);

	/* An empty file is no database (SQLite would make it one). */
	path = test_write_file("empty.db", "");
	opts.readonly = false;
	cause = NULL;
	assert_int_equal(store_open(path, &opts, &s, &cause), STORE_NOTADB);
	assert_non_null(strstr(cause, "empty, not an smk database"));
	free(cause);
	free(path);
}

static void
test_busy(void **state)
{
	struct store_open_opts opts = { .busy_timeout_ms = 100 };
	struct store_rep r = { "zed", "Zed", "sales", "rep", true };
	struct store *s, *held;
	sqlite3 *other;
	char *path, *cause = NULL;

	(void)state;
	held = open_new(&path);
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN EXCLUSIVE", NULL, NULL,
	    NULL), SQLITE_OK);

	assert_int_equal(store_open(path, &opts, &s, &cause), STORE_BUSY);
	assert_string_equal(cause, "the database is locked by another user "
	    "(waited 0.1 s)");
	free(cause);
	cause = NULL;

	/* A write on an open handle waits, then gives up cleanly. */
	assert_int_equal(store_rep_add(held, &r, T0, &cause), STORE_BUSY);
	assert_non_null(strstr(cause, "locked by another user"));
	free(cause);
	cause = NULL;

	assert_int_equal(sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(other);
	assert_int_equal(store_rep_add(held, &r, T0, &cause), STORE_OK);
	assert_int_equal(store_rep_count(held), 1);
	store_close(held);
	free(path);
}

static void
test_reps(void **state)
{
	struct store_rep r = { "ann", "Ann Lee", "sales", "manager", true };
	struct store_rep bad = { "bob", "Bob", "finance", "rep", true };
	struct store_rep got, *list;
	struct store *s;
	char *path, *cause = NULL;
	size_t n;

	(void)state;
	s = open_new(&path);
	assert_int_equal(store_rep_add(s, &r, T0, &cause), STORE_OK);
	assert_int_equal(store_rep_add(s, &r, T0, &cause), STORE_EXISTS);
	assert_non_null(strstr(cause, "ann"));
	free(cause);
	cause = NULL;
	assert_int_equal(store_rep_add(s, &bad, T0, &cause), STORE_INVALID);
	assert_non_null(strstr(cause, "finance"));
	free(cause);
	cause = NULL;
	add_rep(s, "aaron", "marketing", "rep");

	assert_int_equal(store_rep_get(s, "ann", &got, &cause), STORE_OK);
	assert_string_equal(got.name, "Ann Lee");
	assert_string_equal(got.role, "manager");
	assert_true(got.active);
	store_rep_clear(&got);
	assert_int_equal(store_rep_get(s, "nobody", &got, &cause),
	    STORE_NOTFOUND);
	free(cause);

	assert_int_equal(store_rep_list(s, &list, &n, NULL), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].login, "aaron");
	assert_string_equal(list[1].login, "ann");
	store_reps_free(list, n);
	store_close(s);
	free(path);
}

static void
test_lead_insert_get(void **state)
{
	struct store *s;
	struct lead l, got;
	char *path, *cause = NULL;
	int64_t id;

	(void)state;
	s = open_new(&path);
	add_rep(s, "ann", "sales", "rep");
	memset(&l, 0, sizeof l);
	l.email = "Pat@Example.com";
	l.first_name = "Pat";
	l.company = "Acme";
	l.stage = "mql";
	l.owner = "ann";
	l.amount = 5000;
	l.has_amount = true;
	assert_int_equal(store_lead_insert(s, &l, "bob", T0, &cause),
	    STORE_OK);
	id = l.id;
	assert_true(id > 0);
	assert_int_equal(l.created_at, T0);

	assert_int_equal(store_lead_get(s, id, &got, &cause), STORE_OK);
	assert_string_equal(got.email, "Pat@Example.com");
	assert_string_equal(got.owner, "ann");
	assert_null(got.last_name);
	assert_int_equal(got.created_at, T0);
	assert_int_equal(got.updated_at, T0);
	assert_int_equal(got.last_activity_at, 0);
	assert_true(got.has_amount);
	assert_int_equal(got.amount, 5000);
	assert_int_equal(got.version, 1);
	lead_clear(&got);

	/* Emails compare case-insensitively. */
	assert_int_equal(store_lead_by_email(s, "pat@example.COM", &got,
	    &cause), STORE_OK);
	assert_int_equal(got.id, id);
	lead_clear(&got);
	l.id = 0;
	l.email = "PAT@example.com";
	assert_int_equal(store_lead_insert(s, &l, "bob", T0, &cause),
	    STORE_EXISTS);
	assert_non_null(strstr(cause, "PAT@example.com"));
	assert_non_null(strstr(cause, "lead 1"));
	free(cause);
	cause = NULL;

	l.email = "new@example.com";
	l.owner = "ghost";
	assert_int_equal(store_lead_insert(s, &l, "bob", T0, &cause),
	    STORE_INVALID);
	assert_non_null(strstr(cause, "ghost"));
	free(cause);
	cause = NULL;
	assert_int_equal(store_lead_count(s), 1);

	/* created + assign, both by bob at T0. */
	assert_int_equal(test_sql_int(path, "SELECT count(*) FROM events"), 2);
	assert_int_equal(test_sql_int(path, "SELECT count(*) FROM events WHERE "
	    "kind = 'created' AND field = 'stage' AND new_value = 'mql' AND "
	    "actor = 'bob' AND at = '2026-11-20T15:00:00Z'"), 1);
	assert_int_equal(test_sql_int(path, "SELECT count(*) FROM events WHERE "
	    "kind = 'assign' AND field = 'owner' AND old_value IS NULL AND "
	    "new_value = 'ann'"), 1);

	assert_int_equal(store_lead_get(s, 999, &got, &cause),
	    STORE_NOTFOUND);
	free(cause);
	store_close(s);
	free(path);
}

static void
test_update_conflict(void **state)
{
	struct store_change move = { "stage", "lead", "mql" };
	struct store_change set = { "company", NULL, "Initech" };
	struct store_change bad_owner = { "owner", NULL, "ghost" };
	struct store_change bad_field = { "email", NULL, "x@y.z" };
	struct store_change score[] = { { "fit", "0", "40" },
	    { "score", "0", "55" } };
	struct store_conflict c;
	struct store *s;
	struct lead got;
	char *path, *cause = NULL;
	int64_t id, v = 0;

	(void)state;
	s = open_new(&path);
	id = add_lead(s, "a@x.com", "lead", NULL, 0, T0);

	assert_int_equal(store_lead_update(s, id, 1, "move", &move, 1,
	    "good fit", "ann", T0 + 60, &v, NULL, &cause), STORE_OK);
	assert_int_equal(v, 2);

	/* Bob still holds version 1: he is told who changed what. */
	assert_int_equal(store_lead_update(s, id, 1, "update", &set, 1, NULL,
	    "bob", T0 + 120, &v, &c, &cause), STORE_CONFLICT);
	assert_non_null(strstr(cause, "ann"));
	free(cause);
	cause = NULL;
	assert_string_equal(c.user, "ann");
	assert_string_equal(c.kind, "move");
	assert_string_equal(c.field, "stage");
	assert_string_equal(c.old_value, "lead");
	assert_string_equal(c.new_value, "mql");
	assert_int_equal(c.version, 2);
	assert_true(c.at > 0);
	store_conflict_clear(&c);

	assert_int_equal(store_lead_update(s, 999, 1, "update", &set, 1, NULL,
	    "bob", T0, NULL, NULL, &cause), STORE_NOTFOUND);
	free(cause);
	cause = NULL;
	assert_int_equal(store_lead_update(s, id, 2, "update", &bad_field, 1,
	    NULL, "bob", T0, NULL, NULL, &cause), STORE_INVALID);
	free(cause);
	cause = NULL;
	assert_int_equal(store_lead_update(s, id, 2, "assign", &bad_owner, 1,
	    NULL, "bob", T0, NULL, NULL, &cause), STORE_INVALID);
	assert_non_null(strstr(cause, "ghost"));
	free(cause);
	cause = NULL;

	/* Nothing of the refused changes stuck. */
	assert_int_equal(store_lead_get(s, id, &got, NULL), STORE_OK);
	assert_int_equal(got.version, 2);
	assert_string_equal(got.stage, "mql");
	assert_null(got.company);
	assert_int_equal(got.updated_at, T0 + 60);
	lead_clear(&got);

	/* Scores are derived: recorded, but no new version. */
	assert_int_equal(store_lead_update(s, id, 2, "score", score, 2,
	    "title matches", "smk", T0 + 200, &v, NULL, &cause), STORE_OK);
	assert_int_equal(v, 2);
	assert_int_equal(store_lead_get(s, id, &got, NULL), STORE_OK);
	assert_int_equal(got.version, 2);
	assert_int_equal(got.fit, 40);
	assert_int_equal(got.score, 55);
	lead_clear(&got);
	/* Score fields are not for ordinary edits. */
	assert_int_equal(store_lead_update(s, id, 2, "update", &score[1], 1,
	    NULL, "bob", T0, NULL, NULL, &cause), STORE_INVALID);
	free(cause);

	assert_int_equal(test_sql_int(path, "SELECT count(*) FROM events WHERE "
	    "kind = 'move' AND old_value = 'lead' AND new_value = 'mql' AND "
	    "reason = 'good fit' AND actor = 'ann' AND "
	    "at = '2026-11-20T15:01:00Z'"), 1);
	assert_int_equal(test_sql_int(path, "SELECT count(*) FROM events WHERE "
	    "kind = 'score'"), 2);
	assert_int_equal(test_sql_int(path, "SELECT count(*) FROM events"), 4);
	store_close(s);
	free(path);
}

/* last_activity_at is a nullable time: checked, written, one "update". */
static void
test_update_last_activity(void **state)
{
	struct store_change touch = { "last_activity_at", NULL,
	    "2026-11-17 09:30:00" };
	struct store_change bad = { "last_activity_at", NULL, "yesterday" };
	struct store_change clear = { "last_activity_at", NULL, NULL };
	struct store *s;
	struct lead got;
	char *path, *cause = NULL;
	int64_t id, v = 0;

	(void)state;
	s = open_new(&path);
	id = add_lead(s, "a@x.com", "lead", NULL, 0, T0);

	assert_int_equal(store_lead_update(s, id, 1, "update", &bad, 1, NULL,
	    "ann", T0 + 60, &v, NULL, &cause), STORE_INVALID);
	assert_non_null(strstr(cause, "yesterday"));
	free(cause);
	cause = NULL;

	assert_int_equal(store_lead_update(s, id, 1, "update", &touch, 1,
	    "imported", "ann", T0 + 60, &v, NULL, &cause), STORE_OK);
	assert_int_equal(v, 2);
	assert_int_equal(store_lead_get(s, id, &got, NULL), STORE_OK);
	assert_int_equal(got.last_activity_at, 1794907800);
	lead_clear(&got);
	/* Written in the one spelling the schema uses, event and row alike. */
	assert_int_equal(test_sql_int(path, "SELECT count(*) FROM leads WHERE "
	    "last_activity_at = '2026-11-17T09:30:00Z'"), 1);
	assert_int_equal(test_sql_int(path, "SELECT count(*) FROM events WHERE "
	    "kind = 'update' AND field = 'last_activity_at' AND "
	    "old_value IS NULL AND new_value = '2026-11-17T09:30:00Z'"), 1);

	assert_int_equal(store_lead_update(s, id, 2, "update", &clear, 1,
	    NULL, "ann", T0 + 120, &v, NULL, &cause), STORE_OK);
	assert_int_equal(store_lead_get(s, id, &got, NULL), STORE_OK);
	assert_int_equal(got.last_activity_at, 0);
	lead_clear(&got);
	store_close(s);
	free(path);
}

static void
test_events_append_only(void **state)
{
	struct store *s;
	char *path;

	(void)state;
	s = open_new(&path);
	add_lead(s, "a@x.com", "lead", NULL, 0, T0);
	store_close(s);
	assert_int_not_equal(test_sql_exec(path, "UPDATE events SET actor = 'eve'"),
	    SQLITE_OK);
	assert_int_not_equal(test_sql_exec(path, "DELETE FROM events"), SQLITE_OK);
	assert_int_equal(test_sql_int(path, "SELECT count(*) FROM events WHERE "
	    "actor = 'ann'"), 1);
	free(path);
}

struct seen {
	int	 n;
	char	 kinds[8][16];
	time_t	 at[8];
};

static int
collect(const struct store_entry *e, void *arg)
{
	struct seen *seen = arg;

	if (seen->n < 8) {
		snprintf(seen->kinds[seen->n], 16, "%s", e->kind);
		seen->at[seen->n] = e->at;
	}
	seen->n++;
	return 0;
}

static void
test_timeline_activities(void **state)
{
	struct store_change move = { "stage", "lead", "mql" };
	struct store *s;
	struct seen seen = { 0 };
	struct lead got;
	char *path, *cause = NULL;
	int64_t id;

	(void)state;
	s = open_new(&path);
	id = add_lead(s, "a@x.com", "lead", NULL, 0, T0);
	assert_int_equal(store_activity_add(s, id, "call", "left a message",
	    "ann", T0 + 300, &cause), STORE_OK);
	assert_int_equal(store_lead_update(s, id, 1, "move", &move, 1, NULL,
	    "ann", T0 + 100, NULL, NULL, &cause), STORE_OK);
	/* Logged after the fact: last_activity_at keeps the latest. */
	assert_int_equal(store_activity_add(s, id, "note", "met at fair",
	    "ann", T0 + 200, &cause), STORE_OK);
	assert_int_equal(store_activity_add(s, id, "fax", NULL, "ann", T0,
	    &cause), STORE_INVALID);
	free(cause);
	cause = NULL;
	assert_int_equal(store_activity_add(s, 999, "call", NULL, "ann", T0,
	    &cause), STORE_NOTFOUND);
	free(cause);
	cause = NULL;

	assert_int_equal(store_lead_get(s, id, &got, NULL), STORE_OK);
	assert_int_equal(got.last_activity_at, T0 + 300);
	assert_int_equal(got.version, 2);	/* activities do not bump */
	lead_clear(&got);
	assert_int_equal(store_attempt_count(s, id), 1);

	assert_int_equal(store_timeline(s, id, collect, &seen, &cause),
	    STORE_OK);
	assert_int_equal(seen.n, 4);
	assert_string_equal(seen.kinds[0], "created");
	assert_string_equal(seen.kinds[1], "move");
	assert_string_equal(seen.kinds[2], "note");
	assert_string_equal(seen.kinds[3], "call");
	assert_int_equal(seen.at[0], T0);
	assert_int_equal(seen.at[3], T0 + 300);
	assert_int_equal(store_timeline(s, 999, collect, &seen, &cause),
	    STORE_NOTFOUND);
	free(cause);
	store_close(s);
	free(path);
}

static void
test_page_and_counts(void **state)
{
	const char *stages[] = { "lead", "mql", "sql", "customer" };
	struct store_filter f = { 0 };
	struct lead page[10], l;
	struct store *s;
	int64_t counts[4], a, b, c, d;
	char *path, *cause = NULL;
	size_t n, i;

	(void)state;
	s = open_new(&path);
	add_rep(s, "ann", "sales", "rep");
	a = add_lead(s, "a@x.com", "mql", "ann", 10, T0);
	b = add_lead(s, "b@x.com", "mql", NULL, 30, T0 + 10);
	c = add_lead(s, "c@x.com", "mql", NULL, 10, T0 - 10);
	d = add_lead(s, "d@x.com", "mql", "ann", 30, T0 + 5);
	add_lead(s, "e@x.com", "sql", "ann", 0, T0);
	add_lead(s, "f@x.com", "weird", NULL, 0, T0);
	memset(&l, 0, sizeof l);
	l.email = "g@x.com";
	l.stage = "lead";
	l.company = "100%_Pure";
	l.first_name = "Gil";
	l.last_name = "Ray";
	assert_int_equal(store_lead_insert(s, &l, "ann", T0, NULL), STORE_OK);

	assert_int_equal(store_stage_counts(s, NULL, stages, 4, counts,
	    &cause), STORE_OK);
	assert_int_equal(counts[0], 1);
	assert_int_equal(counts[1], 4);
	assert_int_equal(counts[2], 1);
	assert_int_equal(counts[3], 0);
	{
		/* NULL counts the stages nobody named: "weird" and "sql". */
		const char *some[] = { "lead", NULL, "mql" };
		int64_t got[3];

		assert_int_equal(store_stage_counts(s, NULL, some, 3, got,
		    &cause), STORE_OK);
		assert_int_equal(got[0], 1);
		assert_int_equal(got[1], 2);
		assert_int_equal(got[2], 4);
	}

	f.owner = "";
	assert_int_equal(store_stage_counts(s, &f, stages, 4, counts,
	    &cause), STORE_OK);
	assert_int_equal(counts[0], 1);
	assert_int_equal(counts[1], 2);
	assert_int_equal(counts[2], 0);
	f.owner = "ann";
	assert_int_equal(store_stage_counts(s, &f, stages, 4, counts,
	    &cause), STORE_OK);
	assert_int_equal(counts[1], 2);
	assert_int_equal(counts[2], 1);

	/*
	 * Search words start words of the name, email or company; LIKE and
	 * FTS5 syntax in them are plain characters.
	 */
	f.owner = NULL;
	f.text = "100%_p";
	assert_int_equal(store_stage_counts(s, &f, stages, 4, counts,
	    &cause), STORE_OK);
	assert_int_equal(counts[0], 1);
	assert_int_equal(counts[1], 0);
	f.text = "0%_p";
	assert_int_equal(store_stage_counts(s, &f, stages, 4, counts,
	    &cause), STORE_OK);
	assert_int_equal(counts[0], 0);
	f.text = "gil ray";
	assert_int_equal(store_stage_counts(s, &f, stages, 4, counts,
	    &cause), STORE_OK);
	assert_int_equal(counts[0], 1);
	f.text = "RA\"Y* OR gi NEAR(";
	assert_int_equal(store_stage_counts(s, &f, stages, 4, counts,
	    &cause), STORE_OK);
	assert_int_equal(counts[0], 0);
	f.text = "GI ra";
	f.stage = "lead";
	assert_int_equal(store_stage_counts(s, &f, stages, 4, counts,
	    &cause), STORE_OK);
	assert_int_equal(counts[0], 1);
	f.stage = NULL;
	f.text = "x.com";
	assert_int_equal(store_stage_counts(s, &f, stages, 4, counts,
	    &cause), STORE_OK);
	assert_int_equal(counts[1], 4);
	f.text = "%%";
	assert_int_equal(store_stage_counts(s, &f, stages, 4, counts,
	    &cause), STORE_OK);
	assert_int_equal(counts[1], 4);

	/* Best first: score down, then oldest, then id. */
	assert_int_equal(store_lead_page(s, "mql", NULL, 0, 10, page, &n,
	    &cause), STORE_OK);
	assert_int_equal(n, 4);
	assert_int_equal(page[0].id, d);
	assert_int_equal(page[1].id, b);
	assert_int_equal(page[2].id, c);
	assert_int_equal(page[3].id, a);
	for (i = 0; i < n; i++)
		lead_clear(&page[i]);
	assert_int_equal(store_lead_page(s, "mql", NULL, 1, 2, page, &n,
	    &cause), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(page[0].id, b);
	assert_int_equal(page[1].id, c);
	for (i = 0; i < n; i++)
		lead_clear(&page[i]);
	f.text = NULL;
	f.owner = "";
	assert_int_equal(store_lead_page(s, "mql", &f, 0, 10, page, &n,
	    &cause), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(page[0].id, b);
	assert_int_equal(page[1].id, c);
	for (i = 0; i < n; i++)
		lead_clear(&page[i]);
	assert_null(cause);
	store_close(s);
	free(path);
}

static void
test_page_uses_stage_index(void **state)
{
	sqlite3_stmt *stmt;
	struct store *s;
	sqlite3 *db;
	char *path, plan[512] = "";
	const char *detail;

	(void)state;
	s = open_new(&path);
	store_close(s);
	/* The same shape as the store's page query. */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "EXPLAIN QUERY PLAN SELECT id "
	    "FROM leads WHERE stage = ?5 AND (?1 IS NULL OR stage = ?1) AND "
	    "(?2 IS NULL OR (?2 = '' AND owner IS NULL) OR owner = ?2) AND "
	    "(?3 IS NULL OR source = ?3) ORDER BY score DESC, created_at, id "
	    "LIMIT ?6 OFFSET ?7", -1, &stmt, NULL), SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		detail = (const char *)sqlite3_column_text(stmt, 3);
		strncat(plan, detail, sizeof plan - strlen(plan) - 1);
	}
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	assert_non_null(strstr(plan, "leads_stage"));
	assert_null(strstr(plan, "TEMP B-TREE"));
	free(path);
}

static int
count_each(const struct lead *l, void *arg)
{
	int *n = arg;

	assert_non_null(l->email);
	(*n)++;
	return 0;
}

/* Rescoring walks every lead and writes as it goes. */
static int
rescore(const struct lead *l, void *arg)
{
	struct store_change ch = { "score", NULL, "42" };
	struct store *s = arg;
	char *cause = NULL;

	assert_int_equal(store_lead_update(s, l->id, l->version, "score", &ch,
	    1, "rescored", "smk", T0, NULL, NULL, &cause), STORE_OK);
	assert_int_equal(store_activity_add(s, l->id, "note", "seen", "smk",
	    T0, &cause), STORE_OK);
	return 0;
}

static void
test_each_may_write(void **state)
{
	struct store_filter f = { .owner = "" };
	struct store *s;
	struct lead got, copy;
	char *path, *cause = NULL;
	int64_t id;

	(void)state;
	s = open_new(&path);
	id = add_lead(s, "a@x.com", "lead", "", 0, T0);	/* "" = nobody */
	add_lead(s, "b@x.com", "mql", NULL, 0, T0);
	assert_int_equal(store_lead_each(s, &f, rescore, s, &cause),
	    STORE_OK);
	assert_null(cause);
	assert_int_equal(test_sql_int(path, "SELECT count(*) FROM leads WHERE "
	    "score = 42"), 2);
	assert_int_equal(test_sql_int(path, "SELECT count(*) FROM events WHERE "
	    "kind = 'assign'"), 0);

	assert_int_equal(store_lead_get(s, id, &got, NULL), STORE_OK);
	assert_null(got.owner);
	lead_copy(&copy, &got);
	lead_clear(&got);
	assert_string_equal(copy.email, "a@x.com");
	assert_int_equal(copy.score, 42);
	lead_clear(&copy);
	store_close(s);
	free(path);
}

static void
test_bulk(void **state)
{
	struct store *s;
	struct lead l;
	char *path, *cause = NULL;
	int n = 0;

	(void)state;
	s = open_new(&path);
	add_lead(s, "a@x.com", "lead", NULL, 0, T0);
	assert_int_equal(store_begin(s, &cause), STORE_OK);
	assert_int_equal(store_begin(s, &cause), STORE_INVALID);
	free(cause);
	cause = NULL;
	add_lead(s, "b@x.com", "lead", NULL, 0, T0);
	/* One refused row does not spoil the rest of the import. */
	memset(&l, 0, sizeof l);
	l.email = "A@x.com";
	l.stage = "lead";
	assert_int_equal(store_lead_insert(s, &l, "ann", T0, &cause),
	    STORE_EXISTS);
	free(cause);
	cause = NULL;
	add_lead(s, "c@x.com", "lead", NULL, 0, T0);
	assert_int_equal(test_sql_int(path, "SELECT 1"), 1);
	assert_int_equal(store_commit(s, &cause), STORE_OK);
	assert_int_equal(test_sql_int(path, "SELECT count(*) FROM leads"), 3);
	assert_int_equal(test_sql_int(path, "SELECT count(*) FROM events"), 3);

	assert_int_equal(store_begin(s, &cause), STORE_OK);
	add_lead(s, "d@x.com", "lead", NULL, 0, T0);
	store_rollback(s);
	assert_int_equal(store_lead_count(s), 3);
	assert_int_equal(store_commit(s, &cause), STORE_INVALID);
	free(cause);

	assert_int_equal(store_lead_each(s, NULL, count_each, &n, NULL),
	    STORE_OK);
	assert_int_equal(n, 3);
	store_close(s);
	free(path);
}

static void
test_shift_times(void **state)
{
	struct store *s;
	struct seen seen = { 0 };
	struct lead got;
	char *path, *cause = NULL;
	int64_t id;

	(void)state;
	s = open_new(&path);
	add_rep(s, "ann", "sales", "rep");
	id = add_lead(s, "a@x.com", "lead", "ann", 0, T0);
	assert_int_equal(store_activity_add(s, id, "call", NULL, "ann",
	    T0 + 60, &cause), STORE_OK);
	assert_int_equal(store_shift_times(s, 86400, &cause), STORE_OK);
	assert_null(cause);

	assert_int_equal(store_lead_get(s, id, &got, NULL), STORE_OK);
	assert_int_equal(got.created_at, T0 + 86400);
	assert_int_equal(got.updated_at, T0 + 86400);
	assert_int_equal(got.last_activity_at, T0 + 86400 + 60);
	lead_clear(&got);
	assert_int_equal(store_timeline(s, id, collect, &seen, NULL),
	    STORE_OK);
	assert_int_equal(seen.n, 3);
	assert_int_equal(seen.at[0], T0 + 86400);
	assert_int_equal(seen.at[2], T0 + 86400 + 60);
	assert_int_equal(store_shift_times(s, -86400 * 2, &cause), STORE_OK);
	assert_int_equal(test_sql_int(path, "SELECT count(*) FROM reps WHERE "
	    "created_at = '2026-11-19T15:00:00Z'"), 1);
	store_close(s);
	/* The guard is back. */
	assert_int_not_equal(test_sql_exec(path, "DELETE FROM events"), SQLITE_OK);
	free(path);
}

static void
test_data_version(void **state)
{
	struct store_change ch = { "title", NULL, "CTO" };
	struct store_conflict c;
	struct store *s, *other;
	char *path, *value = NULL, *cause = NULL;
	int64_t before;

	(void)state;
	s = open_new(&path);
	before = store_data_version(s);
	assert_true(before >= 0);
	assert_int_equal(store_data_version(s), before);
	assert_int_equal(test_sql_exec(path, "INSERT INTO meta VALUES ('k', 'v')"),
	    SQLITE_OK);
	assert_int_not_equal(store_data_version(s), before);

	assert_int_equal(store_meta_get(s, "k", &value, &cause), STORE_OK);
	assert_string_equal(value, "v");
	free(value);

	/* Two smk processes on one file: each sees the other's writes. */
	assert_int_equal(store_open(path, NULL, &other, &cause), STORE_OK);
	before = store_data_version(s);
	add_lead(other, "a@x.com", "lead", NULL, 0, T0);
	assert_int_not_equal(store_data_version(s), before);
	assert_int_equal(store_lead_update(s, 1, 1, "update", &ch, 1, NULL,
	    "ann", T0, NULL, NULL, &cause), STORE_OK);
	assert_int_equal(store_lead_update(other, 1, 1, "update", &ch, 1,
	    NULL, "bob", T0, NULL, &c, &cause), STORE_CONFLICT);
	assert_string_equal(c.user, "ann");
	store_conflict_clear(&c);
	free(cause);
	cause = NULL;
	store_close(other);
	assert_int_equal(store_meta_set(s, "k", "w", &cause), STORE_OK);
	assert_int_equal(store_meta_get(s, "k", &value, &cause), STORE_OK);
	assert_string_equal(value, "w");
	free(value);
	assert_int_equal(store_meta_get(s, "none", &value, &cause),
	    STORE_NOTFOUND);
	assert_null(value);
	free(cause);
	store_close(s);
	free(path);
}

static int
check_odd(const struct lead *l, void *arg)
{
	int *n = arg;

	(*n)++;
	assert_int_equal(l->id, 1);
	assert_null(l->first_name);
	assert_int_equal(l->created_at, 0);
	return 1;	/* stop after the first */
}

static void
test_hand_edited(void **state)
{
	struct store *s;
	struct lead got;
	sqlite3 *db;
	sqlite3_stmt *stmt;
	char *path, *big, *cause = NULL;
	int n = 0;

	(void)state;
	s = open_new(&path);
	store_close(s);
	big = malloc(1 << 20);
	assert_non_null(big);
	memset(big, 'x', (1 << 20) - 1);
	big[(1 << 20) - 1] = '\0';
	/* What a person with the sqlite3 shell might leave behind. */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO leads(id, email, "
	    "first_name, company, stage, owner, notes, created_at, updated_at,"
	    " last_activity_at) VALUES (1, 'a@x.com', NULL, ?1, 'nowhere',"
	    " 'ghost', ?2, 'yesterday', 7, X'00ff')", -1, &stmt, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(stmt, 1, "\xff\xfe bad utf-8", -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, big, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(stmt), SQLITE_DONE);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	free(big);

	assert_int_equal(store_open(path, NULL, &s, &cause), STORE_OK);
	assert_int_equal(store_lead_get(s, 1, &got, &cause), STORE_OK);
	assert_null(got.first_name);
	assert_string_equal(got.company, "\xff\xfe bad utf-8");
	assert_int_equal(strlen(got.notes), (1 << 20) - 1);
	assert_string_equal(got.stage, "nowhere");
	assert_string_equal(got.owner, "ghost");
	assert_int_equal(got.created_at, 0);
	assert_int_equal(got.updated_at, 0);
	assert_int_equal(got.last_activity_at, 0);
	lead_clear(&got);
	assert_int_equal(store_lead_each(s, NULL, check_odd, &n, &cause),
	    STORE_OK);
	assert_int_equal(n, 1);
	store_close(s);
	free(path);
}

static void
test_times(void **state)
{
	struct store *s;
	struct lead l, got;
	char *path;

	(void)state;
	s = open_new(&path);
	memset(&l, 0, sizeof l);
	l.email = "t@x.com";
	l.stage = "lead";
	assert_int_equal(store_lead_insert(s, &l, "ann", 0, NULL), STORE_OK);
	assert_int_equal(test_sql_int(path, "SELECT count(*) FROM leads WHERE "
	    "created_at = '1970-01-01T00:00:00Z'"), 1);
	assert_int_equal(store_lead_get(s, l.id, &got, NULL), STORE_OK);
	assert_int_equal(got.created_at, 0);
	lead_clear(&got);
	store_close(s);
	free(path);
}

/* A file that may not grow: what a full disk looks like to SQLite. */
static void
test_disk_full(void **state)
{
	struct store *s;
	struct lead l;
	char *path, *big, *cause = NULL;
	int64_t pages;

	(void)state;
	s = open_new(&path);
	pages = test_sql_int(path, "PRAGMA page_count");
	assert_true(pages > 0);
	assert_int_equal(sqlite3_exec(s->db, "PRAGMA max_page_count = 20",
	    NULL, NULL, NULL), SQLITE_OK);
	big = malloc(1 << 20);
	assert_non_null(big);
	memset(big, 'x', (1 << 20) - 1);
	big[(1 << 20) - 1] = '\0';
	memset(&l, 0, sizeof l);
	l.email = "big@x.com";
	l.stage = "lead";
	l.notes = big;
	assert_int_equal(store_lead_insert(s, &l, "ann", T0, &cause),
	    STORE_FULL);
	assert_string_equal(cause, "disk full: nothing was saved");
	free(cause);
	cause = NULL;
	assert_int_equal(store_lead_count(s), 0);

	/*
	 * SQLite ends the whole transaction on a full disk, so a bulk
	 * import stops: later writes must not be saved one by one.
	 */
	assert_int_equal(store_begin(s, &cause), STORE_OK);
	add_lead(s, "a@x.com", "lead", NULL, 0, T0);
	assert_int_equal(store_lead_insert(s, &l, "ann", T0, &cause),
	    STORE_FULL);
	free(cause);
	cause = NULL;
	l.notes = NULL;
	assert_int_equal(store_lead_insert(s, &l, "ann", T0, &cause),
	    STORE_IOERR);
	assert_non_null(strstr(cause, "nothing was saved"));
	free(cause);
	cause = NULL;
	assert_int_equal(store_commit(s, &cause), STORE_IOERR);
	free(cause);
	assert_int_equal(store_lead_count(s), 0);
	/* Once the bulk is over, small writes work again. */
	add_lead(s, "b@x.com", "lead", NULL, 0, T0);
	assert_int_equal(store_lead_count(s), 1);
	free(big);
	store_close(s);
	free(path);
}

static int64_t
count_of(struct store *s, const struct store_filter *f, const char *stage)
{
	const char *stages[] = { stage };
	int64_t n = -1;

	assert_int_equal(store_stage_counts(s, f, stages, 1, &n, NULL),
	    STORE_OK);
	return n;
}

/* The board's counts are kept by triggers, and a v1 file is backfilled. */
static void
test_stage_counts_kept(void **state)
{
	struct store_filter f = { 0 };
	struct store_change ch = { "stage", "lead", "mql" };
	struct store *s;
	char *path, *cause = NULL;
	int64_t a, v;

	(void)state;
	s = open_new(&path);
	add_rep(s, "ann", "sales", "rep");
	a = add_lead(s, "a@x.com", "lead", "ann", 0, T0);
	add_lead(s, "b@x.com", "lead", NULL, 0, T0);
	assert_int_equal(count_of(s, NULL, "lead"), 2);
	assert_int_equal(store_lead_update(s, a, 1, "move", &ch, 1, NULL,
	    "ann", T0, &v, NULL, &cause), STORE_OK);
	assert_int_equal(count_of(s, NULL, "lead"), 1);
	assert_int_equal(count_of(s, NULL, "mql"), 1);
	f.owner = "ann";
	assert_int_equal(count_of(s, &f, "mql"), 1);
	f.owner = "";
	assert_int_equal(count_of(s, &f, "lead"), 1);
	f.owner = NULL;
	f.source = "";
	assert_int_equal(count_of(s, &f, "lead"), 0);

	/* A bulk sets the triggers aside and counts again at commit. */
	assert_int_equal(store_begin(s, NULL), STORE_OK);
	add_lead(s, "d@x.com", "lead", NULL, 0, T0);
	ch.old_value = "mql";
	ch.new_value = "sql";
	assert_int_equal(store_lead_update(s, a, v, "move", &ch, 1, NULL,
	    "ann", T0, &v, NULL, NULL), STORE_OK);
	assert_int_equal(store_commit(s, NULL), STORE_OK);
	assert_int_equal(count_of(s, NULL, "lead"), 2);
	assert_int_equal(count_of(s, NULL, "mql"), 0);
	assert_int_equal(count_of(s, NULL, "sql"), 1);
	assert_int_equal(store_begin(s, NULL), STORE_OK);
	add_lead(s, "e@x.com", "lead", NULL, 0, T0);
	store_rollback(s);
	assert_int_equal(test_sql_int(path, "SELECT count(*) FROM sqlite_master"
	    " WHERE type = 'trigger' AND name LIKE 'leads_count_%'"), 3);
	add_lead(s, "e@x.com", "lead", NULL, 0, T0);
	assert_int_equal(count_of(s, NULL, "lead"), 3);
	store_close(s);

	/* Back to a v1 file with a lead written by hand: reopening counts. */
	assert_int_equal(test_sql_exec(path, "DROP TABLE stage_counts;"
	    "DROP TRIGGER leads_count_insert; DROP TRIGGER leads_count_delete;"
	    "DROP TRIGGER leads_count_stage; DROP TABLE leads_fts;"
	    "DROP TRIGGER leads_fts_insert; DROP TRIGGER leads_fts_delete;"
	    "DROP TRIGGER leads_fts_update; DROP TABLE bulk_import;"
	    "PRAGMA user_version = 1;"
	    "INSERT INTO leads(email, stage, created_at, updated_at)"
	    " VALUES ('c@x.com', 'sql', 'x', 'x')"), 0);
	assert_int_equal(store_open(path, NULL, &s, &cause), STORE_OK);
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	assert_int_equal(count_of(s, NULL, "sql"), 2);
	assert_int_equal(count_of(s, NULL, "lead"), 3);
	store_close(s);
	assert_int_equal(test_sql_exec(path,
	    "DELETE FROM leads WHERE email = 'c@x.com'"), 0);
	assert_int_equal(test_sql_int(path, "SELECT n FROM stage_counts"
	    " WHERE stage = 'sql'"), 1);
	free(path);
}

/* The search index follows inserts, edits (in a bulk too) and deletes. */
static void
test_search_follows(void **state)
{
	struct store_filter f = { 0 };
	struct store_change ch = { "company", NULL, "Globex" };
	struct store *s;
	char *path;
	int64_t a, v;

	(void)state;
	s = open_new(&path);
	a = add_lead(s, "ann@acme.com", "lead", NULL, 0, T0);
	f.text = "acm";
	assert_int_equal(count_of(s, &f, "lead"), 1);
	assert_int_equal(store_begin(s, NULL), STORE_OK);
	assert_int_equal(store_lead_update(s, a, 1, "update", &ch, 1, NULL,
	    "ann", T0, &v, NULL, NULL), STORE_OK);
	assert_int_equal(store_commit(s, NULL), STORE_OK);
	f.text = "glob";
	assert_int_equal(count_of(s, &f, "lead"), 1);
	f.text = "ann acme";
	assert_int_equal(count_of(s, &f, "lead"), 1);	/* the email */
	f.text = "ann initech";
	assert_int_equal(count_of(s, &f, "lead"), 0);
	store_close(s);
	/* The index agrees with the leads, word for word. */
	assert_int_equal(test_sql_exec(path, "INSERT INTO leads_fts(leads_fts,"
	    " rank) VALUES ('integrity-check', 1)"), SQLITE_OK);
	assert_int_equal(test_sql_exec(path, "DELETE FROM leads"), 0);
	assert_int_equal(test_sql_int(path, "SELECT count(*) FROM leads_fts"
	    " WHERE leads_fts MATCH 'glob*'"), 0);
	free(path);
}

/* One lead inserted by user, with an id of its own when id > 0. */
static int64_t
insert_by(struct store *s, const char *email, const char *owner,
    const char *user, time_t at, int64_t id)
{
	struct lead l = { 0 };

	l.id = id;
	l.email = (char *)email;
	l.stage = "lead";
	l.owner = (char *)owner;
	return insert_as(s, &l, user, at);
}

/*
 * A bulk writes its new leads' created and assign events from their rows
 * (store_bulk_events). Each must still say what the lead was created as,
 * by whom and when, in order before its later changes, whatever happens
 * in between: a change in the same bulk, another user, backfilled times,
 * an id below the leads already written, a rollback.
 */
static void
test_bulk_events(void **state)
{
	struct store_change mov = { "stage", NULL, "mql" };
	struct store *s;
	char *path;
	int64_t a, b, c, d, e, v;

	(void)state;
	s = open_new(&path);
	add_rep(s, "ann", "sales", "rep");
	insert_by(s, "x@x.com", NULL, "ann", T0, 0);
	insert_by(s, "y@x.com", NULL, "ann", T0, 9);
	assert_int_equal(store_begin(s, NULL), STORE_OK);
	a = insert_by(s, "a@x.com", "ann", "imp", T0 + 60, 0);
	b = insert_by(s, "b@x.com", NULL, "imp", T0 + 120, 0);
	/* a changes in the same bulk: it was created a lead. */
	assert_int_equal(store_lead_update(s, a, 1, "move", &mov, 1, NULL,
	    "imp", T0 + 180, &v, NULL, NULL), STORE_OK);
	c = insert_by(s, "c@x.com", NULL, "other", T0 + 240, 0);
	store_backfill(s, true);
	d = insert_by(s, "d@x.com", "ann", "other", T0 + 300, 0);
	/* Below the leads already written: its events at once. */
	e = insert_by(s, "e@x.com", NULL, "imp", T0 + 360, 5);
	store_backfill(s, false);
	assert_int_equal(store_commit(s, NULL), STORE_OK);
	assert_true(a > 9 && b > a && c > b && d > c);
	assert_int_equal(e, 5);

	assert_int_equal(test_sql_int(path, "SELECT count(*) FROM events"), 10);
	/* a: created as a lead, assigned, then moved, in that order. */
	assert_int_equal(test_sql_int(path, "SELECT group_concat(kind || ':' ||"
	    " new_value || ':' || actor || ':' || at, ' ') = 'created:lead:imp:"
	    "2026-11-20T15:01:00Z assign:ann:imp:2026-11-20T15:01:00Z"
	    " move:mql:imp:2026-11-20T15:03:00Z' FROM (SELECT * FROM events"
	    " WHERE lead_id = (SELECT id FROM leads WHERE email = 'a@x.com')"
	    " ORDER BY id)"), 1);
	assert_int_equal(test_sql_int(path, "SELECT count(*) FROM events WHERE"
	    " kind = 'created' AND field = 'stage' AND new_value = 'lead'"
	    " AND old_value IS NULL AND reason IS NULL AND lead_id IN"
	    " (SELECT id FROM leads WHERE email IN ('b@x.com', 'c@x.com',"
	    " 'd@x.com', 'e@x.com'))"), 4);
	assert_int_equal(test_sql_int(path, "SELECT group_concat(actor, ',') ="
	    " 'imp,other,other,other,imp' FROM (SELECT actor FROM events e"
	    " JOIN leads l ON l.id = e.lead_id WHERE email IN ('b@x.com',"
	    " 'c@x.com', 'd@x.com', 'e@x.com') ORDER BY email, e.id)"), 1);
	/* Entered now, or at its own time when backfilled (d). */
	assert_int_equal(test_sql_int(path, "SELECT count(*) FROM events e JOIN"
	    " leads l ON l.id = e.lead_id WHERE email IN ('b@x.com',"
	    " 'c@x.com') AND entered_at > '2026-11-21'"), 2);
	assert_int_equal(test_sql_int(path, "SELECT count(*) FROM events e JOIN"
	    " leads l ON l.id = e.lead_id WHERE email = 'd@x.com' AND"
	    " entered_at = '2026-11-20T15:05:00Z' AND at = entered_at"), 2);

	/* A rolled-back bulk leaves no events behind (nor memory: ASan). */
	assert_int_equal(store_begin(s, NULL), STORE_OK);
	insert_by(s, "f@x.com", "ann", "imp", T0, 0);
	store_rollback(s);
	assert_int_equal(test_sql_int(path, "SELECT count(*) FROM events"), 10);
	/* The next bulk starts afresh from the rows it finds. */
	assert_int_equal(store_begin(s, NULL), STORE_OK);
	insert_by(s, "g@x.com", NULL, "imp", T0, 0);
	assert_int_equal(store_commit(s, NULL), STORE_OK);
	assert_int_equal(test_sql_int(path, "SELECT count(*) FROM events e JOIN"
	    " leads l ON l.id = e.lead_id WHERE email = 'g@x.com'"), 1);
	assert_int_equal(store_integrity_check(s, NULL), 0);
	store_close(s);
	free(path);
}

/*
 * A bulk indexes the leads it creates at commit, with their words as they
 * are then; leads that were there before follow each edit as it is made.
 */
static void
test_search_bulk(void **state)
{
	struct store_filter f = { 0 };
	struct store_change ch = { "company", NULL, "Globex" };
	struct store_change old = { "company", NULL, "Initech" };
	struct store_change twice = { "company", NULL, "Wayne Corp" };
	struct store *s;
	char *path;
	int64_t a, b, v;

	(void)state;
	s = open_new(&path);
	a = add_lead(s, "ann@acme.com", "lead", NULL, 0, T0);
	/* Rolled back: nothing of it is searchable. */
	assert_int_equal(store_begin(s, NULL), STORE_OK);
	add_lead(s, "zed@umbrella.com", "lead", NULL, 0, T0);
	store_rollback(s);
	f.text = "umbrella";
	assert_int_equal(count_of(s, &f, "lead"), 0);
	assert_int_equal(store_begin(s, NULL), STORE_OK);
	b = add_lead(s, "bob@hooli.com", "lead", NULL, 0, T0);
	assert_int_equal(store_lead_update(s, b, 1, "update", &ch, 1, NULL,
	    "ann", T0, &v, NULL, NULL), STORE_OK);
	assert_int_equal(store_lead_update(s, a, 1, "update", &old, 1, NULL,
	    "ann", T0, &v, NULL, NULL), STORE_OK);
	/* Changed twice: the words it had before the bulk go, the last stay. */
	assert_int_equal(store_lead_update(s, a, v, "update", &twice, 1, NULL,
	    "ann", T0, &v, NULL, NULL), STORE_OK);
	assert_int_equal(store_commit(s, NULL), STORE_OK);
	f.text = "glob";
	assert_int_equal(count_of(s, &f, "lead"), 1);
	f.text = "bob";
	assert_int_equal(count_of(s, &f, "lead"), 1);
	f.text = "initech";
	assert_int_equal(count_of(s, &f, "lead"), 0);
	f.text = "wayne";
	assert_int_equal(count_of(s, &f, "lead"), 1);
	f.text = "acme";
	assert_int_equal(count_of(s, &f, "lead"), 1);	/* ann's email */
	f.text = "ann";
	assert_int_equal(count_of(s, &f, "lead"), 1);
	store_close(s);
	assert_int_equal(test_sql_exec(path, "INSERT INTO leads_fts(leads_fts,"
	    " rank) VALUES ('integrity-check', 1)"), SQLITE_OK);
	assert_int_equal(test_sql_int(path, "SELECT count(*) FROM leads_fts"
	    " WHERE leads_fts MATCH 'hooli* OR globex*'"), 1);
	free(path);
}

/*
 * A bulk that renames more leads than one batch of set-aside words holds
 * (5,000) flushes them as it goes: every old word leaves the index, every
 * new one is in, and a lead renamed on both sides of a flush is right too.
 */
static void
test_search_bulk_batches(void **state)
{
	struct store_filter f = { 0 };
	struct store_change ch = { "company", NULL, NULL };
	struct store *s;
	char *path, email[48], co[48];
	int64_t v, first = 0;
	int i, n = 12000;

	(void)state;
	s = open_new(&path);
	assert_int_equal(store_begin(s, NULL), STORE_OK);
	for (i = 0; i < n; i++) {
		snprintf(email, sizeof email, "p%d@example.com", i);
		v = add_lead(s, email, "lead", NULL, 0, T0);
		if (i == 0)
			first = v;
	}
	assert_int_equal(store_commit(s, NULL), STORE_OK);
	assert_int_equal(store_begin(s, NULL), STORE_OK);
	for (i = 0; i < n; i++) {
		snprintf(co, sizeof co, "Zircon%d", i % 7);
		ch.new_value = co;
		assert_int_equal(store_lead_update(s, first + i, 1, "update",
		    &ch, 1, NULL, "ann", T0, &v, NULL, NULL), STORE_OK);
	}
	/* The first lead again, after a flush or two. */
	ch.new_value = "Quasar";
	assert_int_equal(store_lead_update(s, first, 2, "update", &ch, 1, NULL,
	    "ann", T0, &v, NULL, NULL), STORE_OK);
	assert_int_equal(store_commit(s, NULL), STORE_OK);
	f.text = "zircon0";
	assert_int_equal(count_of(s, &f, "lead"), n / 7 + (n % 7 > 0) - 1);
	f.text = "zircon";
	assert_int_equal(count_of(s, &f, "lead"), n - 1);	/* word starts */
	f.text = "quasar";
	assert_int_equal(count_of(s, &f, "lead"), 1);
	f.text = "p11999";
	assert_int_equal(count_of(s, &f, "lead"), 1);
	store_close(s);
	assert_int_equal(test_sql_exec(path, "INSERT INTO leads_fts(leads_fts,"
	    " rank) VALUES ('integrity-check', 1)"), SQLITE_OK);
	free(path);
}

/* The scratch file keeps values by key, replaces them, and forgets all. */
static void
test_scratch(void **state)
{
	static const char bin[] = { 'a', '\0', 'b', '\1', '\0' };
	struct store_scratch *sc;
	char key[32], val[32], *cause = NULL;
	void *v;
	size_t len;
	int i;

	(void)state;
	assert_int_equal(store_scratch_open(&sc, &cause), STORE_OK);
	assert_int_equal(store_scratch_get(sc, "nobody", &v, &len, &cause),
	    STORE_NOTFOUND);
	assert_null(v);
	assert_int_equal(store_scratch_put(sc, "k", bin, sizeof bin, &cause),
	    STORE_OK);
	assert_int_equal(store_scratch_get(sc, "k", &v, &len, &cause),
	    STORE_OK);
	assert_int_equal(len, sizeof bin);
	assert_memory_equal(v, bin, sizeof bin);
	free(v);
	assert_int_equal(store_scratch_put(sc, "k", "", 0, &cause), STORE_OK);
	assert_int_equal(store_scratch_get(sc, "k", &v, &len, &cause),
	    STORE_OK);
	assert_int_equal(len, 0);
	free(v);
	/* Past SQLite's page cache: the values come back from the file. */
	for (i = 0; i < 20000; i++) {
		snprintf(key, sizeof key, "lead%d@example.com", i);
		snprintf(val, sizeof val, "v%d", i * 7);
		assert_int_equal(store_scratch_put(sc, key, val,
		    strlen(val), &cause), STORE_OK);
	}
	assert_int_equal(store_scratch_get(sc, "lead12345@example.com", &v,
	    &len, &cause), STORE_OK);
	assert_string_equal(v, "v86415");
	free(v);
	store_scratch_close(sc);
	store_scratch_close(NULL);
}

/* Pages near the bottom are read backwards: the same leads, best first. */
static void
test_page_bottom(void **state)
{
	struct store_filter all = { .owner = "" };
	struct lead fwd[7], back[7];
	struct store *s;
	char *path, email[32];
	size_t nf, nb, i, k;
	int64_t offs[] = { 1200, 1496, 1500, 1600 };

	(void)state;
	s = open_new(&path);
	assert_int_equal(store_begin(s, NULL), STORE_OK);
	for (i = 0; i < 1500; i++) {
		snprintf(email, sizeof email, "l%zu@x.com", i);
		add_lead(s, email, "lead", NULL, (int)(i % 7), T0 +
		    (time_t)(i % 13));
	}
	assert_int_equal(store_commit(s, NULL), STORE_OK);
	for (k = 0; k < sizeof offs / sizeof *offs; k++) {
		/* A filter that matches everything takes the forward path. */
		assert_int_equal(store_lead_page(s, "lead", &all, offs[k], 7,
		    fwd, &nf, NULL), STORE_OK);
		assert_int_equal(store_lead_page(s, "lead", NULL, offs[k], 7,
		    back, &nb, NULL), STORE_OK);
		assert_int_equal(nf, nb);
		for (i = 0; i < nf; i++) {
			assert_int_equal(fwd[i].id, back[i].id);
			lead_clear(&fwd[i]);
			lead_clear(&back[i]);
		}
	}
	store_close(s);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_migrate_reopen),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_wal_switched_back),
		cmocka_unit_test(test_too_new),
		cmocka_unit_test(test_not_a_database),
		cmocka_unit_test(test_readonly),
		cmocka_unit_test(test_busy),
		cmocka_unit_test(test_reps),
		cmocka_unit_test(test_lead_insert_get),
		cmocka_unit_test(test_update_conflict),
		cmocka_unit_test(test_update_last_activity),
		cmocka_unit_test(test_events_append_only),
		cmocka_unit_test(test_timeline_activities),
		cmocka_unit_test(test_page_and_counts),
		cmocka_unit_test(test_page_uses_stage_index),
		cmocka_unit_test(test_each_may_write),
		cmocka_unit_test(test_bulk),
		cmocka_unit_test(test_stage_counts_kept),
		cmocka_unit_test(test_page_bottom),
		cmocka_unit_test(test_search_follows),
		cmocka_unit_test(test_bulk_events),
		cmocka_unit_test(test_search_bulk),
		cmocka_unit_test(test_search_bulk_batches),
		cmocka_unit_test(test_scratch),
		cmocka_unit_test(test_shift_times),
		cmocka_unit_test(test_data_version),
		cmocka_unit_test(test_hand_edited),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_disk_full),
	};
	int rc;

	setenv("TZ", "UTC", 1);
	tzset();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	test_cleanup();
	return rc;
}
