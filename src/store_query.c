/*
 * The store's read queries over many leads: the board's stage counts and
 * column pages, store_lead_each for export, and a lead's timeline, with
 * the filter (stage, owner, source, full text) they share. Reads only:
 * every write lives in store_lead.c. No business rules and no text for
 * humans beyond *cause; a hand-edited file may hold NULL or odd columns,
 * and nothing here may crash on that.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/*
 * The filter of the board and export, bound as ?1 stage, ?2 owner, ?3
 * source, ?4 full-text query (store_fts_query); a NULL parameter matches
 * everything.
 */
#define STORE_FTS_MATCH \
	"id IN (SELECT rowid FROM leads_fts WHERE leads_fts MATCH ?4)"
#define STORE_FILTER \
	"(?1 IS NULL OR stage = ?1)" \
	" AND (?2 IS NULL OR (?2 = '' AND owner IS NULL) OR owner = ?2)" \
	" AND (?3 IS NULL OR source = ?3)" \
	" AND (?4 IS NULL OR " STORE_FTS_MATCH ")"

static const char store_sql_counts_all[] =
	"SELECT stage, n FROM stage_counts";
/* One owner or source: the (owner, stage) or (source, stage) index. */
static const char store_sql_counts_owner[] =
	"SELECT stage, count(*) FROM leads WHERE owner = ?1 GROUP BY stage";
static const char store_sql_counts_unowned[] =
	"SELECT stage, count(*) FROM leads WHERE owner IS NULL GROUP BY stage";
static const char store_sql_counts_source[] =
	"SELECT stage, count(*) FROM leads WHERE source = ?1 GROUP BY stage";
/* Text alone: from the matching ids, not from every lead. */
static const char store_sql_counts_text[] =
	"SELECT stage, count(*) FROM leads WHERE " STORE_FTS_MATCH
	" GROUP BY stage";
static const char store_sql_counts[] =
	"SELECT stage, count(*) FROM leads WHERE " STORE_FILTER
	" GROUP BY stage";
static const char store_sql_page[] =
	"SELECT " STORE_LEAD_COLS " FROM leads WHERE stage = ?5 AND "
	STORE_FILTER " ORDER BY score DESC, created_at, id LIMIT ?6 OFFSET ?7";
/* The same page counted from the end, for the bottom of a long column. */
static const char store_sql_page_back[] =
	"SELECT " STORE_LEAD_COLS " FROM leads WHERE stage = ?1"
	" ORDER BY score, created_at DESC, id DESC LIMIT ?2 OFFSET ?3";
static const char store_sql_stage_count[] =
	"SELECT n FROM stage_counts WHERE stage = ?1";
static const char store_sql_each[] =
	"SELECT " STORE_LEAD_COLS " FROM leads WHERE " STORE_FILTER
	" ORDER BY id";
static const char store_sql_timeline[] =
	"SELECT at, entered_at, actor, kind, field, old_value, new_value,"
	" reason, id, 0 FROM events WHERE lead_id = ?1"
	" UNION ALL"
	" SELECT at, entered_at, actor, kind, NULL, NULL, NULL, note, id, 1"
	" FROM activities WHERE lead_id = ?1"
	" ORDER BY 1, 2, 9, 10";

static bool
store_filter_empty(const struct store_filter *f)
{
	return f == NULL || (f->stage == NULL && f->owner == NULL &&
	    f->source == NULL && f->text == NULL);
}

/*
 * The FTS5 query for the user's text: each word quoted (so that nothing in
 * it is FTS syntax) and made a prefix, all of them required. Words are
 * split at ASCII punctuation and spaces, as the unicode61 tokenizer does;
 * NULL when the text has no word at all.
 */
static char *
store_fts_query(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t len = strlen(text), j = 0;
	char *q = xmalloc(len * 4 + 1);
	bool in = false;

	for (; *p != '\0'; p++) {
		if (*p < 0x80 && !isalnum(*p)) {
			if (in)
				j += (size_t)sprintf(q + j, "\"* ");
			in = false;
			continue;
		}
		if (!in)
			q[j++] = '"';
		in = true;
		q[j++] = (char)*p;
	}
	if (in)
		j += (size_t)sprintf(q + j, "\"*");
	q[j] = '\0';
	if (j == 0) {
		free(q);
		return NULL;
	}
	return q;
}

static void
store_filter_bind(sqlite3_stmt *stmt, const struct store_filter *f)
{
	char *query;

	if (f == NULL)
		return;
	store_bind_text(stmt, 1, f->stage);
	store_bind_text(stmt, 2, f->owner);
	store_bind_text(stmt, 3, f->source);
	if (f->text != NULL && (query = store_fts_query(f->text)) != NULL) {
		sqlite3_bind_text(stmt, 4, query, -1, SQLITE_TRANSIENT);
		free(query);
	}
}

/*
 * The cheapest statement for the filter, bound: the kept counts without a
 * filter, an index for one owner or one source, else a scan.
 */
static sqlite3_stmt *
store_counts_stmt(struct store *s, const struct store_filter *f,
    enum store_status *st, char **cause)
{
	sqlite3_stmt *stmt;
	const char *sql = store_sql_counts, *key = NULL;
	char *query = NULL;

	if (store_filter_empty(f))
		sql = store_sql_counts_all;
	else if (f->stage == NULL && f->text == NULL && f->source == NULL &&
	    f->owner != NULL) {
		sql = *f->owner == '\0' ? store_sql_counts_unowned :
		    store_sql_counts_owner;
		key = f->owner;
	} else if (f->stage == NULL && f->text == NULL && f->owner == NULL) {
		sql = store_sql_counts_source;
		key = f->source;
	} else if (f->stage == NULL && f->owner == NULL && f->source == NULL &&
	    (query = store_fts_query(f->text)) != NULL)
		sql = store_sql_counts_text;
	if ((stmt = store_stmt(s, sql, st, cause)) == NULL) {
		free(query);
		return NULL;
	}
	if (query != NULL) {
		sqlite3_bind_text(stmt, 4, query, -1, SQLITE_TRANSIENT);
		free(query);
	} else if (sql == store_sql_counts)
		store_filter_bind(stmt, f);
	else if (sql != store_sql_counts_unowned && key != NULL)
		store_bind_text(stmt, 1, key);
	return stmt;
}

enum store_status
store_stage_counts(struct store *s, const struct store_filter *f,
    const char *const *stages, size_t n, int64_t *counts, char **cause)
{
	enum store_status st = STORE_OK;
	const unsigned char *stage;
	sqlite3_stmt *stmt;
	size_t i;
	bool named;
	int rc;

	memset(counts, 0, n * sizeof *counts);
	if ((stmt = store_counts_stmt(s, f, &st, cause)) == NULL)
		return st;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if ((stage = sqlite3_column_text(stmt, 0)) == NULL)
			continue;
		named = false;
		for (i = 0; i < n; i++) {
			if (stages[i] != NULL &&
			    strcmp(stages[i], (const char *)stage) == 0) {
				counts[i] = sqlite3_column_int64(stmt, 1);
				named = true;
			}
		}
		for (i = 0; !named && i < n; i++) {
			if (stages[i] == NULL)
				counts[i] += sqlite3_column_int64(stmt, 1);
		}
	}
	if (rc != SQLITE_DONE)
		st = store_fail(s, rc, cause);
	store_done(stmt);
	return st;
}

/* The kept count of one stage; -1 when unknown. */
static int64_t
store_stage_count(struct store *s, const char *stage)
{
	sqlite3_stmt *stmt;
	int64_t n = -1;

	if ((stmt = store_stmt(s, store_sql_stage_count, NULL, NULL)) == NULL)
		return -1;
	store_bind_text(stmt, 1, stage);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int64(stmt, 0);
	store_done(stmt);
	return n;
}

/*
 * An OFFSET walks the index from the top: the last page of a column of
 * half a million leads took 70 ms. Past the middle of an unfiltered column
 * the page is read backwards from the end instead. Returns false when the
 * forward query is the better one.
 */
static bool
store_page_back(struct store *s, const char *stage,
    const struct store_filter *f, int64_t offset, size_t limit,
    sqlite3_stmt **stmtp, enum store_status *st, char **cause)
{
	int64_t total, back;

	if (!store_filter_empty(f) || offset < 1000 ||
	    (total = store_stage_count(s, stage)) < 0 || offset < total / 2)
		return false;
	back = total - offset - (int64_t)limit;
	if ((*stmtp = store_stmt(s, store_sql_page_back, st, cause)) == NULL)
		return true;
	store_bind_text(*stmtp, 1, stage);
	/* A negative LIMIT would mean none at all. */
	sqlite3_bind_int64(*stmtp, 2, back + (int64_t)limit < 0 ? 0 :
	    (sqlite3_int64)limit + (back < 0 ? back : 0));
	sqlite3_bind_int64(*stmtp, 3, back < 0 ? 0 : back);
	return true;
}

/* Rows came bottom first: put them best first. */
static void
store_page_reverse(struct lead *out, size_t n)
{
	struct lead tmp;
	size_t i;

	for (i = 0; i < n / 2; i++) {
		tmp = out[i];
		out[i] = out[n - 1 - i];
		out[n - 1 - i] = tmp;
	}
}

enum store_status
store_lead_page(struct store *s, const char *stage,
    const struct store_filter *f, int64_t offset, size_t limit,
    struct lead *out, size_t *n, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt = NULL;
	bool back;
	int rc = SQLITE_DONE;

	*n = 0;
	if ((back = store_page_back(s, stage, f, offset, limit, &stmt, &st,
	    cause)) && stmt == NULL)
		return st;
	if (!back) {
		if ((stmt = store_stmt(s, store_sql_page, &st, cause)) == NULL)
			return st;
		store_filter_bind(stmt, f);
		store_bind_text(stmt, 5, stage);
		sqlite3_bind_int64(stmt, 6, (sqlite3_int64)limit);
		sqlite3_bind_int64(stmt, 7, offset < 0 ? 0 : offset);
	}
	while (*n < limit && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
		store_lead_row(stmt, &out[(*n)++]);
	if (*n < limit && rc != SQLITE_DONE) {
		st = store_fail(s, rc, cause);
		while (*n > 0)
			lead_clear(&out[--(*n)]);
	}
	store_done(stmt);
	if (back)
		store_page_reverse(out, *n);
	return st;
}

/*
 * The callers' callbacks may use the store again, so the long-running
 * queries get their own statement rather than a cached one.
 */
static enum store_status
store_prepare_own(struct store *s, const char *sql, sqlite3_stmt **stmt,
    char **cause)
{
	int rc;

	if ((rc = sqlite3_prepare_v2(s->db, sql, -1, stmt, NULL)) !=
	    SQLITE_OK) {
		sqlite3_finalize(*stmt);
		*stmt = NULL;
		return store_fail(s, rc, cause);
	}
	return STORE_OK;
}

enum store_status
store_lead_each(struct store *s, const struct store_filter *f,
    int (*cb)(const struct lead *, void *), void *arg, char **cause)
{
	enum store_status st;
	sqlite3_stmt *stmt;
	struct lead l;
	int rc = SQLITE_DONE, stop = 0;

	if ((st = store_prepare_own(s, store_sql_each, &stmt, cause)) !=
	    STORE_OK)
		return st;
	store_filter_bind(stmt, f);
	while (!stop && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		store_lead_row(stmt, &l);
		stop = cb(&l, arg);
		lead_clear(&l);
	}
	if (!stop && rc != SQLITE_DONE)
		st = store_fail(s, rc, cause);
	sqlite3_finalize(stmt);
	return st;
}

static const char *
store_col(sqlite3_stmt *stmt, int i)
{
	return (const char *)sqlite3_column_text(stmt, i);
}

enum store_status
store_timeline(struct store *s, int64_t lead_id,
    int (*cb)(const struct store_entry *, void *), void *arg, char **cause)
{
	struct store_entry e;
	enum store_status st;
	sqlite3_stmt *stmt;
	int rc = SQLITE_DONE, stop = 0;

	if ((st = store_lead_exists(s, lead_id, cause)) != STORE_OK ||
	    (st = store_prepare_own(s, store_sql_timeline, &stmt, cause)) !=
	    STORE_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, lead_id);
	while (!stop && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		e.at = store_col_time(stmt, 0);
		e.entered_at = store_col_time(stmt, 1);
		e.user = store_col(stmt, 2);
		e.kind = store_col(stmt, 3);
		e.field = store_col(stmt, 4);
		e.from = store_col(stmt, 5);
		e.to = store_col(stmt, 6);
		e.note = store_col(stmt, 7);
		stop = cb(&e, arg);
	}
	if (!stop && rc != SQLITE_DONE)
		st = store_fail(s, rc, cause);
	sqlite3_finalize(stmt);
	return st;
}
