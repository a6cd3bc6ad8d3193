/*
 * Review tests of the bulk search index (store_begin/store_commit index
 * the words of new and changed leads at commit), on real files: explicit
 * ids, leads created then changed in one bulk, rollback then a new bulk,
 * the lock-directory mode and a failed commit. Each case ends with FTS5's
 * own integrity check against the leads table and searches that must find
 * exactly the right leads. Also what a dry run remembers in its scratch
 * file (csvin_dry.c), field for field. Times are pinned.
 */
#include <time.h>

#include "testdb.h"

#include "smk/store.h"
#include "smk/xmalloc.h"
#include "../src/csvin_int.h"	/* white box: the dry run's memory */

/* 2026-11-20T15:00:00Z */
#define T0 ((time_t)1795186800)

static struct store *
rv_open(char **pathp, enum store_lock_mode lock)
{
	struct store_open_opts opts = { .lock = lock, .busy_timeout_ms = 50 };

	return test_store_new("rv", opts, pathp);
}

/* FTS5's check of the index against the leads, word for word. */
static void
rv_fts_ok(const char *path)
{
	assert_int_equal(test_sql_exec(path, "INSERT INTO leads_fts(leads_fts,"
	    " rank) VALUES ('integrity-check', 1)"), SQLITE_OK);
	assert_int_equal(test_sql_exec(path, "PRAGMA integrity_check"), SQLITE_OK);
}

static int64_t
rv_add(struct store *s, int64_t id, const char *email, const char *first,
    const char *company)
{
	struct lead l;
	char *cause = NULL;

	memset(&l, 0, sizeof l);
	l.id = id;
	l.email = (char *)email;
	l.first_name = (char *)first;
	l.company = (char *)company;
	l.stage = (char *)"lead";
	assert_int_equal(store_lead_insert(s, &l, "ann", T0, &cause),
	    STORE_OK);
	assert_null(cause);
	if (id != 0)
		assert_int_equal(l.id, id);
	return l.id;
}

/* Change one field; returns the new version. */
static int64_t
rv_set(struct store *s, int64_t id, int64_t version, const char *field,
    const char *value)
{
	struct store_change ch = { field, NULL, value };
	char *cause = NULL;
	int64_t v = -1;

	assert_int_equal(store_lead_update(s, id, version, "update", &ch, 1,
	    NULL, "ann", T0, &v, NULL, &cause), STORE_OK);
	assert_null(cause);
	return v;
}

/* The ids of the leads a search finds, "1,4", in id order. */
static int
rv_found_one(const struct lead *l, void *arg)
{
	char *buf = arg;
	size_t len = strlen(buf);

	snprintf(buf + len, 256 - len, "%s%lld", len != 0 ? "," : "",
	    (long long)l->id);
	return 0;
}

static void
rv_found(struct store *s, const char *text, const char *want)
{
	struct store_filter f = { 0 };
	char buf[256] = "", *cause = NULL;

	f.text = text;
	assert_int_equal(store_lead_each(s, &f, rv_found_one, buf, &cause),
	    STORE_OK);
	if (strcmp(buf, want) != 0)
		print_error("search '%s': found [%s], wanted [%s]\n", text,
		    buf, want);
	assert_string_equal(buf, want);
}

/*
 * Explicit ids (smkgen, tests): one in a gap below the last id, indexed
 * as it goes in, and one far above, indexed at commit; both then renamed
 * in the same bulk. A lead made by the bulk and renamed twice.
 */
static void
test_bulk_explicit_ids(void **state)
{
	struct store *s;
	char *path;
	int64_t v, nw;

	(void)state;
	s = rv_open(&path, STORE_LOCK_POSIX);
	rv_add(s, 1, "a@acme.com", "Alice", "Acme");
	rv_add(s, 10, "j@jolt.com", "Jack", "Jolt");
	assert_int_equal(store_begin(s, NULL), STORE_OK);
	rv_add(s, 5, "g@gap.example", "Gina", "Gapco");
	rv_add(s, 500, "far@farco.com", "Fred", "Farco");
	nw = rv_add(s, 0, "new@newco.com", "Nina", "Newco");
	assert_int_equal(nw, 501);
	v = rv_set(s, 5, 1, "company", "Gapless");
	v = rv_set(s, 5, v, "first_name", "Gail");
	v = rv_set(s, 500, 1, "company", "Farther");
	v = rv_set(s, nw, 1, "company", "Newer");
	v = rv_set(s, nw, v, "company", "Newest");
	v = rv_set(s, 10, 1, "company", "Jumbo");
	(void)v;
	assert_int_equal(store_commit(s, NULL), STORE_OK);
	rv_found(s, "gapco", "");
	rv_found(s, "gapless", "5");
	rv_found(s, "gina", "");
	rv_found(s, "gail", "5");
	rv_found(s, "farco", "500");		/* its email */
	rv_found(s, "farther", "500");
	rv_found(s, "newer", "");
	rv_found(s, "newest", "501");
	rv_found(s, "newco", "501");		/* its email */
	rv_found(s, "jolt", "10");		/* its email */
	rv_found(s, "jumbo", "10");
	rv_found(s, "acme", "1");
	store_close(s);
	rv_fts_ok(path);
	free(path);
}

/*
 * A bulk that renamed a lead and made one is rolled back; a new bulk on
 * the same handle renames it again. Then a third bulk renames it once
 * more: the words set aside by the second must be gone.
 */
static void
test_bulk_rollback_then_bulk(void **state)
{
	struct store *s;
	char *path;
	int64_t a, v;

	(void)state;
	s = rv_open(&path, STORE_LOCK_POSIX);
	a = rv_add(s, 0, "ann@acme.com", "Ann", "Acme");
	assert_int_equal(store_begin(s, NULL), STORE_OK);
	(void)rv_set(s, a, 1, "company", "Initech");
	rv_add(s, 0, "zed@umbrella.com", "Zed", "Umbrella");
	store_rollback(s);
	rv_found(s, "initech", "");
	rv_found(s, "umbrella", "");
	rv_found(s, "acme", "1");
	assert_int_equal(store_begin(s, NULL), STORE_OK);
	v = rv_set(s, a, 1, "company", "Wayne");
	rv_add(s, 0, "bob@hooli.com", "Bob", "Hooli");
	assert_int_equal(store_commit(s, NULL), STORE_OK);
	rv_found(s, "wayne", "1");
	rv_found(s, "initech", "");
	rv_found(s, "hooli", "2");
	assert_int_equal(store_begin(s, NULL), STORE_OK);
	v = rv_set(s, a, v, "company", "Stark");
	(void)rv_set(s, 2, 1, "first_name", "Robert");
	assert_int_equal(store_commit(s, NULL), STORE_OK);
	rv_found(s, "wayne", "");
	rv_found(s, "stark", "1");
	rv_found(s, "bob", "2");		/* its email */
	rv_found(s, "robert", "2");
	rv_found(s, "ann acme", "1");		/* its email */
	store_close(s);
	rv_fts_ok(path);
	free(path);
}

/*
 * The lock-directory mode reconnects for every write transaction: the
 * temporary table of set-aside words is made again on the new connection,
 * and a plain write between two bulks still indexes by trigger.
 */
static void
test_bulk_lockdir(void **state)
{
	struct store *s;
	char *path;
	int64_t a, b, v, w;

	(void)state;
	s = rv_open(&path, STORE_LOCK_LOCKDIR);
	a = rv_add(s, 0, "ann@acme.com", "Ann", "Acme");
	assert_int_equal(store_begin(s, NULL), STORE_OK);
	v = rv_set(s, a, 1, "company", "Initech");
	b = rv_add(s, 0, "bob@hooli.com", "Bob", "Hooli");
	assert_int_equal(store_commit(s, NULL), STORE_OK);
	w = rv_set(s, b, 1, "company", "Pied Piper");	/* not a bulk */
	assert_int_equal(store_begin(s, NULL), STORE_OK);
	v = rv_set(s, a, v, "company", "Wayne");
	v = rv_set(s, a, v, "last_name", "Lee");
	w = rv_set(s, b, w, "company", "Aviato");
	store_rollback(s);
	assert_int_equal(store_begin(s, NULL), STORE_OK);
	v = rv_set(s, a, 2, "company", "Stark");
	(void)v;
	(void)w;
	assert_int_equal(store_commit(s, NULL), STORE_OK);
	rv_found(s, "acme", "1");		/* its email */
	rv_found(s, "initech", "");
	rv_found(s, "wayne", "");
	rv_found(s, "lee", "");
	rv_found(s, "stark", "1");
	rv_found(s, "hooli", "2");		/* its email */
	rv_found(s, "pied", "2");
	rv_found(s, "aviato", "");
	store_close(s);
	rv_fts_ok(path);
	free(path);
}

/*
 * A commit refused (another user still reading holds the file) leaves the
 * file as it was, and the next bulk on the same handle indexes right.
 */
static void
test_bulk_failed_commit(void **state)
{
	struct store *s;
	sqlite3 *db;
	char *path, *cause = NULL;
	int64_t a, v;

	(void)state;
	s = rv_open(&path, STORE_LOCK_POSIX);
	a = rv_add(s, 0, "ann@acme.com", "Ann", "Acme");
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN; SELECT count(*) FROM leads",
	    NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_begin(s, NULL), STORE_OK);
	(void)rv_set(s, a, 1, "company", "Initech");
	rv_add(s, 0, "zed@umbrella.com", "Zed", "Umbrella");
	assert_int_equal(store_commit(s, &cause), STORE_BUSY);
	assert_non_null(cause);
	free(cause);
	assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	rv_found(s, "initech", "");
	rv_found(s, "umbrella", "");
	rv_found(s, "acme", "1");
	assert_int_equal(store_lead_count(s), 1);
	assert_int_equal(store_begin(s, NULL), STORE_OK);
	v = rv_set(s, a, 1, "company", "Wayne");
	(void)v;
	rv_add(s, 0, "bob@hooli.com", "Bob", "Hooli");
	assert_int_equal(store_commit(s, NULL), STORE_OK);
	rv_found(s, "wayne", "1");
	rv_found(s, "initech", "");
	rv_found(s, "umbrella", "");
	rv_found(s, "hooli", "2");
	store_close(s);
	rv_fts_ok(path);
	free(path);
}

/* Score changes and edits of fields outside the index leave it alone. */
static void
test_bulk_other_fields(void **state)
{
	struct store_change sc = { "score", NULL, "42" };
	struct store *s;
	char *path;
	int64_t a, v;

	(void)state;
	s = rv_open(&path, STORE_LOCK_POSIX);
	a = rv_add(s, 0, "ann@acme.com", "Ann", "Acme");
	assert_int_equal(store_begin(s, NULL), STORE_OK);
	v = rv_set(s, a, 1, "title", "CEO");
	assert_int_equal(store_lead_update(s, a, v, "score", &sc, 1, "r",
	    "ann", T0, NULL, NULL, NULL), STORE_OK);
	v = rv_set(s, a, v, "company", "Initech");
	v = rv_set(s, a, v, "company", "Acme");	/* and back */
	assert_int_equal(store_commit(s, NULL), STORE_OK);
	rv_found(s, "acme", "1");
	rv_found(s, "initech", "");
	rv_found(s, "ceo", "");
	store_close(s);
	rv_fts_ok(path);
	free(path);
}

static void
rv_same_text(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		assert_true(a == b);
	else
		assert_string_equal(a, b);
}

/*
 * What a dry run remembers comes back field for field: NULL and "" kept
 * apart, UTF-8 and long text, extreme numbers; found again by an email in
 * another ASCII case, and not by one that differs beyond ASCII.
 */
static void
test_seen_round_trip(void **state)
{
	struct csvin_seen *seen;
	struct lead l, *got;
	char *big, *cause = NULL;
	size_t i;

	(void)state;
	big = xmalloc(200001);
	assert_non_null(big);
	for (i = 0; i < 200000; i++)
		big[i] = (char)('a' + i % 26);
	big[200000] = '\0';
	assert_int_equal(csvin_seen_new(&seen, &cause), 0);
	memset(&l, 0, sizeof l);
	l.id = INT64_MAX;
	l.email = xstrdup("Élise.O'Brien@Example.COM");
	l.first_name = xstrdup("");
	l.last_name = NULL;
	l.company = xstrdup("Société Générale 李");
	l.title = xstrdup(big);
	l.phone = xstrdup("+1 555 0100");
	l.source = NULL;
	l.country = xstrdup("");
	l.stage = xstrdup("mql");
	l.owner = NULL;
	l.notes = xstrdup("line one\nline two\t\"q\"");
	l.score = -25;
	l.fit = INT32_MAX;
	l.engagement = INT32_MIN;
	l.amount = INT64_MIN;
	l.has_amount = true;
	l.visits = 7;
	l.forms = 0;
	l.pages = 1000000;
	l.created_at = T0;
	l.updated_at = -1;
	l.last_activity_at = 0;
	l.version = 3;
	assert_int_equal(csvin_seen_keep(seen, &l, &cause), 0);
	assert_null(l.email);			/* kept: l is cleared */
	assert_int_equal(csvin_seen_find(seen, "Élise.o'brien@example.com",
	    &got, &cause), 0);
	assert_non_null(got);
	rv_same_text(got->email, "Élise.O'Brien@Example.COM");
	rv_same_text(got->first_name, "");
	rv_same_text(got->last_name, NULL);
	rv_same_text(got->company, "Société Générale 李");
	rv_same_text(got->title, big);
	rv_same_text(got->phone, "+1 555 0100");
	rv_same_text(got->source, NULL);
	rv_same_text(got->country, "");
	rv_same_text(got->stage, "mql");
	rv_same_text(got->owner, NULL);
	rv_same_text(got->notes, "line one\nline two\t\"q\"");
	assert_true(got->id == INT64_MAX);
	assert_int_equal(got->score, -25);
	assert_int_equal(got->fit, INT32_MAX);
	assert_int_equal(got->engagement, INT32_MIN);
	assert_true(got->amount == INT64_MIN);
	assert_true(got->has_amount);
	assert_int_equal(got->visits, 7);
	assert_int_equal(got->forms, 0);
	assert_int_equal(got->pages, 1000000);
	assert_true(got->created_at == T0);
	assert_true(got->updated_at == -1);
	assert_true(got->last_activity_at == 0);
	assert_true(got->version == 3);
	/* É is not folded (the store's NOCASE folds A-Z only). */
	assert_int_equal(csvin_seen_find(seen, "élise.O'Brien@Example.COM",
	    &got, &cause), 0);
	assert_null(got);
	/* The one found, changed in place and kept again, replaces it. */
	assert_int_equal(csvin_seen_find(seen, "Élise.O'BRIEN@EXAMPLE.com",
	    &got, &cause), 0);
	assert_non_null(got);
	free(got->stage);
	got->stage = xstrdup("sql");
	got->has_amount = false;
	assert_int_equal(csvin_seen_keep(seen, got, &cause), 0);
	assert_int_equal(csvin_seen_find(seen, "Élise.o'brien@example.com",
	    &got, &cause), 0);
	assert_non_null(got);
	rv_same_text(got->stage, "sql");
	assert_false(got->has_amount);
	rv_same_text(got->title, big);
	assert_null(cause);
	csvin_seen_free(seen);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bulk_explicit_ids),
		cmocka_unit_test(test_bulk_rollback_then_bulk),
		cmocka_unit_test(test_bulk_lockdir),
		cmocka_unit_test(test_bulk_failed_commit),
		cmocka_unit_test(test_bulk_other_fields),
		cmocka_unit_test(test_seen_round_trip),
	};
	int rc;

	setenv("TZ", "UTC", 1);
	tzset();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	test_cleanup();
	return rc;
}
