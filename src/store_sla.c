/*
 * The SQL of the SLA clocks (see slaview.h): each lead's stage and owner
 * events and its attempt instants, streamed lead by lead in id order from
 * two index walks merged here, so that a million leads never sit in memory
 * at once; the same for a list of leads (the board's visible cards, or the
 * few whose clocks can matter now, found here from recent events); and the
 * two counts of the marketing clock. No business rules: which stage
 * starts a clock and what a month is are the caller's.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/*
 * Both walks follow (lead_id, at) indexes, whose last key is the rowid, so
 * rows arrive in lead, instant, then insertion order with no sort step.
 */
static const char store_sql_sla_events[] =
	"SELECT lead_id, field, new_value, at FROM events"
	" INDEXED BY events_lead WHERE at <= ?1"
	" AND field IN ('stage', 'owner')"
	" AND kind IN ('created', 'move', 'assign')"
	" ORDER BY lead_id, at, id";
static const char store_sql_sla_attempts[] =
	"SELECT lead_id, at FROM activities INDEXED BY activities_lead"
	" WHERE at <= ?1 AND kind IN ('call', 'email', 'meeting', 'social')"
	" ORDER BY lead_id, at";
static const char store_sql_sla_lead_events[] =
	"SELECT lead_id, field, new_value, at FROM events"
	" INDEXED BY events_lead WHERE lead_id = ?2 AND at <= ?1"
	" AND field IN ('stage', 'owner')"
	" AND kind IN ('created', 'move', 'assign')"
	" ORDER BY at, id";
static const char store_sql_sla_lead_attempts[] =
	"SELECT lead_id, at FROM activities INDEXED BY activities_lead"
	" WHERE lead_id = ?2 AND at <= ?1"
	" AND kind IN ('call', 'email', 'meeting', 'social') ORDER BY at";
/*
 * The same for up to STORE_SLA_CHUNK leads at once (?2 onwards; unused
 * ones stay NULL and match nothing): one statement pair per chunk instead
 * of per lead, as the set-up and the cursors of a statement cost more than
 * a lead's few rows. SQLite walks the IN list in order, so the rows come
 * in lead, instant, then insertion order with no sort step.
 */
#define STORE_SLA_CHUNK	64
#define STORE_SLA_Q8	"?,?,?,?,?,?,?,?"
#define STORE_SLA_Q64	STORE_SLA_Q8 "," STORE_SLA_Q8 "," STORE_SLA_Q8 "," \
	STORE_SLA_Q8 "," STORE_SLA_Q8 "," STORE_SLA_Q8 "," STORE_SLA_Q8 "," \
	STORE_SLA_Q8
static const char store_sql_sla_chunk_events[] =
	"SELECT lead_id, field, new_value, at FROM events"
	" INDEXED BY events_lead WHERE at <= ?1"
	" AND lead_id IN (" STORE_SLA_Q64 ")"
	" AND field IN ('stage', 'owner')"
	" AND kind IN ('created', 'move', 'assign')"
	" ORDER BY lead_id, at, id";
static const char store_sql_sla_chunk_attempts[] =
	"SELECT lead_id, at FROM activities INDEXED BY activities_lead"
	" WHERE at <= ?1 AND lead_id IN (" STORE_SLA_Q64 ")"
	" AND kind IN ('call', 'email', 'meeting', 'social')"
	" ORDER BY lead_id, at";
/*
 * The candidates (store_sla_candidates): seek each distinct value of a field
 * in events_field (field, new_value, at, lead_id), then read the range of
 * its recent instants; the same for the stages of the leads rows.
 */
static const char store_sql_sla_value_first[] =
	"SELECT new_value FROM events INDEXED BY events_field"
	" WHERE field = ?1 AND new_value >= '' ORDER BY new_value LIMIT 1";
static const char store_sql_sla_value_next[] =
	"SELECT new_value FROM events INDEXED BY events_field"
	" WHERE field = ?1 AND new_value > ?2 ORDER BY new_value LIMIT 1";
static const char store_sql_sla_value_since[] =
	"SELECT lead_id FROM events INDEXED BY events_field"
	" WHERE field = ?1 AND new_value = ?2 AND at >= ?3";
static const char store_sql_sla_null_since[] =
	"SELECT lead_id FROM events INDEXED BY events_field"
	" WHERE field = ?1 AND new_value IS NULL AND at >= ?2";
static const char store_sql_sla_stage_first[] =
	"SELECT stage FROM leads INDEXED BY leads_stage"
	" WHERE stage >= '' ORDER BY stage LIMIT 1";
static const char store_sql_sla_stage_next[] =
	"SELECT stage FROM leads INDEXED BY leads_stage"
	" WHERE stage > ?2 ORDER BY stage LIMIT 1";
static const char store_sql_sla_stage_ids[] =
	"SELECT id FROM leads INDEXED BY leads_stage WHERE stage = ?1";
static const char store_sql_sla_contact[] =
	"SELECT email, NULLIF(trim(coalesce(first_name, '') || ' ' ||"
	" coalesce(last_name, '')), '') FROM leads WHERE id = ?1";
static const char store_sql_sla_first[] =
	"SELECT count(DISTINCT e.lead_id) FROM events e"
	" INDEXED BY events_field"
	" WHERE e.field = 'stage' AND e.new_value = ?1"
	" AND e.at >= ?2 AND e.at < ?3"
	" AND NOT EXISTS (SELECT 1 FROM events p INDEXED BY events_lead"
	"  WHERE p.lead_id = e.lead_id AND p.at < e.at"
	"  AND p.field = 'stage' AND p.new_value = ?1)";
static const char store_sql_sla_reps[] =
	"SELECT count(*) FROM reps WHERE team = ?1 AND role = ?2 AND active";

/*
 * One lead being collected. Values are kept as offsets into one text
 * buffer while it grows, and turned into pointers just before the callback.
 */
struct store_sla_buf {
	struct store_sla_lead	 lead;
	struct store_sla_event	*ev;
	size_t			*off;	/* per event; -1: NULL */
	size_t			 evcap;
	time_t			*att;
	size_t			 attcap;
	char			*text;
	size_t			 textlen;
	size_t			 textcap;
};

static void
store_sla_buf_reset(struct store_sla_buf *b, int64_t id)
{
	b->lead.id = id;
	b->lead.nev = 0;
	b->lead.natt = 0;
	b->textlen = 0;
}

static void
store_sla_buf_free(struct store_sla_buf *b)
{
	free(b->ev);
	free(b->off);
	free(b->att);
	free(b->text);
}

/* Append the current row of an events statement. */
static void
store_sla_add_event(struct store_sla_buf *b, sqlite3_stmt *stmt)
{
	const char *field = (const char *)sqlite3_column_text(stmt, 1);
	const char *value = (const char *)sqlite3_column_text(stmt, 2);
	struct store_sla_event *e;
	size_t n, i = b->lead.nev;

	if (i == b->evcap) {
		b->evcap = b->evcap == 0 ? 16 : b->evcap * 2;
		b->ev = xreallocarray(b->ev, b->evcap, sizeof *b->ev);
		b->off = xreallocarray(b->off, b->evcap, sizeof *b->off);
	}
	e = &b->ev[i];
	e->at = store_col_utc(stmt, 3);
	e->owner = field != NULL && strcmp(field, "owner") == 0;
	b->off[i] = (size_t)-1;
	if (value != NULL) {
		n = strlen(value) + 1;
		if (b->textlen + n > b->textcap) {
			b->textcap = (b->textlen + n) * 2;
			b->text = xreallocarray(b->text, b->textcap, 1);
		}
		memcpy(b->text + b->textlen, value, n);
		b->off[i] = b->textlen;
		b->textlen += n;
	}
	b->lead.nev++;
}

static void
store_sla_add_attempt(struct store_sla_buf *b, time_t at)
{
	if (b->lead.natt == b->attcap) {
		b->attcap = b->attcap == 0 ? 16 : b->attcap * 2;
		b->att = xreallocarray(b->att, b->attcap, sizeof *b->att);
	}
	b->att[b->lead.natt++] = at;
}

/* Hand the collected lead to cb; its return value. */
static int
store_sla_emit(struct store_sla_buf *b, store_sla_cb cb, void *arg)
{
	size_t i;

	for (i = 0; i < b->lead.nev; i++)
		b->ev[i].value = b->off[i] == (size_t)-1 ? NULL :
		    b->text + b->off[i];
	b->lead.ev = b->ev;
	b->lead.att = b->att;
	return cb(&b->lead, arg);
}

/*
 * Move the attempts walk up to lead id, collecting that lead's attempts.
 * *rc is the walk's last step result (SQLITE_ROW while a row is pending).
 */
static void
store_sla_attempts_to(struct store_sla_buf *b, sqlite3_stmt *att, int *rc,
    int64_t id)
{
	int64_t aid;

	while (*rc == SQLITE_ROW) {
		aid = sqlite3_column_int64(att, 0);
		if (aid > id)
			break;
		if (aid == id)
			store_sla_add_attempt(b, store_col_utc(att, 1));
		*rc = sqlite3_step(att);
	}
}

/*
 * Walk both statements (bound and reset) and merge them by lead, through
 * b (reused across calls); *stopped when cb asked to stop.
 */
static enum store_status
store_sla_merge(struct store *s, sqlite3_stmt *ev, sqlite3_stmt *att,
    struct store_sla_buf *b, store_sla_cb cb, void *arg, int *stopped,
    char **cause)
{
	int64_t id;
	int rc, arc, stop = 0;

	arc = sqlite3_step(att);
	rc = sqlite3_step(ev);
	while (rc == SQLITE_ROW && stop == 0) {
		store_sla_buf_reset(b, sqlite3_column_int64(ev, 0));
		do {
			store_sla_add_event(b, ev);
			rc = sqlite3_step(ev);
			id = rc == SQLITE_ROW ? sqlite3_column_int64(ev, 0) : 0;
		} while (rc == SQLITE_ROW && id == b->lead.id);
		store_sla_attempts_to(b, att, &arc, b->lead.id);
		if (arc != SQLITE_ROW && arc != SQLITE_DONE)
			rc = arc;
		else
			stop = store_sla_emit(b, cb, arg);
	}
	*stopped = stop;
	if (stop != 0)
		rc = SQLITE_DONE;
	return rc == SQLITE_DONE ? STORE_OK : store_fail(s, rc, cause);
}

enum store_status
store_sla_each(struct store *s, time_t now, store_sla_cb cb, void *arg,
    char **cause)
{
	enum store_status st = STORE_OK;
	struct store_sla_buf b;
	sqlite3_stmt *ev, *att;
	int stop;

	if ((ev = store_stmt(s, store_sql_sla_events, &st, cause)) == NULL)
		return st;
	if ((att = store_stmt(s, store_sql_sla_attempts, &st, cause)) ==
	    NULL) {
		store_done(ev);
		return st;
	}
	store_bind_time(ev, 1, now);
	store_bind_time(att, 1, now);
	memset(&b, 0, sizeof b);
	st = store_sla_merge(s, ev, att, &b, cb, arg, &stop, cause);
	store_sla_buf_free(&b);
	store_done(ev);
	store_done(att);
	return st;
}

/*
 * Many leads' histories read statement by statement: one read transaction
 * around them, so SQLite takes its lock and checks the file once, not twice
 * per lead, and the leads are read as of one instant. Only when no
 * transaction is open already; true when this one must be ended.
 */
static bool
store_sla_read_begin(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		return false;
	return sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
}

static void
store_sla_read_end(struct store *s, bool began)
{
	if (began && !sqlite3_get_autocommit(s->db) &&
	    sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static bool
store_sla_ascending(const int64_t *ids, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++) {
		if (ids[i] <= ids[i - 1])
			return false;
	}
	return true;
}

/* One statement pair for one lead (any order of ids). */
static enum store_status
store_sla_one(struct store *s, int64_t id, time_t now,
    struct store_sla_buf *b, store_sla_cb cb, void *arg, int *stop,
    char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *ev, *att;

	if ((ev = store_stmt(s, store_sql_sla_lead_events, &st, cause)) ==
	    NULL)
		return st;
	if ((att = store_stmt(s, store_sql_sla_lead_attempts, &st,
	    cause)) == NULL) {
		store_done(ev);
		return st;
	}
	store_bind_time(ev, 1, now);
	sqlite3_bind_int64(ev, 2, id);
	store_bind_time(att, 1, now);
	sqlite3_bind_int64(att, 2, id);
	st = store_sla_merge(s, ev, att, b, cb, arg, stop, cause);
	store_done(ev);
	store_done(att);
	return st;
}

/* One statement pair for ids[0..n), n <= STORE_SLA_CHUNK, ascending. */
static enum store_status
store_sla_chunk(struct store *s, const int64_t *ids, size_t n, time_t now,
    struct store_sla_buf *b, store_sla_cb cb, void *arg, int *stop,
    char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *ev, *att;
	size_t i;

	if ((ev = store_stmt(s, store_sql_sla_chunk_events, &st, cause)) ==
	    NULL)
		return st;
	if ((att = store_stmt(s, store_sql_sla_chunk_attempts, &st,
	    cause)) == NULL) {
		store_done(ev);
		return st;
	}
	store_bind_time(ev, 1, now);
	store_bind_time(att, 1, now);
	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(ev, (int)i + 2, ids[i]);
		sqlite3_bind_int64(att, (int)i + 2, ids[i]);
	}
	st = store_sla_merge(s, ev, att, b, cb, arg, stop, cause);
	store_done(ev);
	store_done(att);
	return st;
}

enum store_status
store_sla_leads(struct store *s, const int64_t *ids, size_t n, time_t now,
    store_sla_cb cb, void *arg, char **cause)
{
	enum store_status st = STORE_OK;
	struct store_sla_buf b;
	size_t i, k;
	int stop = 0;
	bool began = n > 1 && store_sla_read_begin(s);
	bool chunks = n > 1 && store_sla_ascending(ids, n);

	memset(&b, 0, sizeof b);
	for (i = 0; i < n && st == STORE_OK && stop == 0; i += k) {
		k = chunks ? n - i : 1;
		if (k > STORE_SLA_CHUNK)
			k = STORE_SLA_CHUNK;
		if (chunks)
			st = store_sla_chunk(s, ids + i, k, now, &b, cb, arg,
			    &stop, cause);
		else
			st = store_sla_one(s, ids[i], now, &b, cb, arg, &stop,
			    cause);
	}
	store_sla_buf_free(&b);
	store_sla_read_end(s, began);
	return st;
}

enum store_status
store_sla_contact(struct store *s, int64_t id, char **email, char **name,
    char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;
	int rc;

	*email = *name = NULL;
	if ((stmt = store_stmt(s, store_sql_sla_contact, &st, cause)) == NULL)
		return st;
	sqlite3_bind_int64(stmt, 1, id);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*email = store_col_text(stmt, 0);
		*name = store_col_text(stmt, 1);
	} else if (rc == SQLITE_DONE)
		st = STORE_NOTFOUND;
	else
		st = store_fail(s, rc, cause);
	store_done(stmt);
	if (st == STORE_NOTFOUND)
		store_cause(cause, "no lead %lld", (long long)id);
	return st;
}

enum store_status
store_sla_first_entries(struct store *s, const char *stage, time_t from,
    time_t to, int64_t *n, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;

	*n = 0;
	if ((stmt = store_stmt(s, store_sql_sla_first, &st, cause)) == NULL)
		return st;
	store_bind_text(stmt, 1, stage);
	store_bind_time(stmt, 2, from);
	store_bind_time(stmt, 3, to);
	return store_step_int(s, stmt, n, cause);
}

enum store_status
store_sla_rep_count(struct store *s, const char *team, const char *role,
    int64_t *n, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;

	*n = 0;
	if ((stmt = store_stmt(s, store_sql_sla_reps, &st, cause)) == NULL)
		return st;
	store_bind_text(stmt, 1, team);
	store_bind_text(stmt, 2, role);
	return store_step_int(s, stmt, n, cause);
}

/* The ids gathered so far. */
struct store_sla_ids {
	int64_t		*v;
	size_t		 n;
	size_t		 cap;
	size_t		 limit;		/* 0: none */
};

static bool
store_sla_ids_full(const struct store_sla_ids *ids)
{
	return ids->limit != 0 && ids->n > ids->limit;
}

/* Append the ids a statement (bound) returns in its first column. */
static enum store_status
store_sla_ids_add(struct store *s, sqlite3_stmt *stmt,
    struct store_sla_ids *ids, char **cause)
{
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (store_sla_ids_full(ids)) {
			rc = SQLITE_DONE;
			break;
		}
		if (ids->n == ids->cap) {
			ids->cap = ids->cap == 0 ? 1024 : ids->cap * 2;
			ids->v = xreallocarray(ids->v, ids->cap,
			    sizeof *ids->v);
		}
		ids->v[ids->n++] = sqlite3_column_int64(stmt, 0);
	}
	store_done(stmt);
	return rc == SQLITE_DONE ? STORE_OK : store_fail(s, rc, cause);
}

/*
 * The next distinct value after *value (NULL: the first), through the
 * statements first and next of one index; *value is replaced, NULL when
 * there is none left.
 */
static enum store_status
store_sla_next_value(struct store *s, const char *first, const char *next,
    const char *field, char **value, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;
	int rc;

	stmt = store_stmt(s, *value == NULL ? first : next, &st, cause);
	if (stmt == NULL)
		return st;
	if (field != NULL)
		store_bind_text(stmt, 1, field);
	if (*value != NULL)
		store_bind_text(stmt, 2, *value);
	free(*value);
	*value = NULL;
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		*value = store_col_text(stmt, 0);
	else if (rc != SQLITE_DONE)
		st = store_fail(s, rc, cause);
	store_done(stmt);
	return st;
}

/* The leads with a field's event of value at or after since. */
static enum store_status
store_sla_value_ids(struct store *s, const char *field, const char *value,
    time_t since, struct store_sla_ids *ids, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;

	if ((stmt = store_stmt(s, value != NULL ? store_sql_sla_value_since :
	    store_sql_sla_null_since, &st, cause)) == NULL)
		return st;
	store_bind_text(stmt, 1, field);
	if (value != NULL)
		store_bind_text(stmt, 2, value);
	store_bind_time(stmt, value != NULL ? 3 : 2, since);
	return store_sla_ids_add(s, stmt, ids, cause);
}

/*
 * Every value of a field's events: handoffs (want true) from since on,
 * the rest only after now. A NULL value (no owner) never hands off.
 */
static enum store_status
store_sla_field_ids(struct store *s, const struct store_sla_scope *sc,
    const char *field, bool stage, struct store_sla_ids *ids, char **cause)
{
	enum store_status st;
	char *value = NULL;
	bool want;

	st = store_sla_value_ids(s, field, NULL, sc->now + 1, ids, cause);
	while (st == STORE_OK && !store_sla_ids_full(ids)) {
		st = store_sla_next_value(s, store_sql_sla_value_first,
		    store_sql_sla_value_next, field, &value, cause);
		if (st != STORE_OK || value == NULL)
			break;
		want = !stage || sc->handoff(value, sc->arg);
		st = store_sla_value_ids(s, field, value, want ? sc->since :
		    sc->now + 1, ids, cause);
	}
	free(value);
	return st;
}

/* The leads whose row is in a stage open() accepts. */
static enum store_status
store_sla_open_ids(struct store *s, const struct store_sla_scope *sc,
    struct store_sla_ids *ids, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;
	char *stage = NULL;

	while (st == STORE_OK && !store_sla_ids_full(ids)) {
		st = store_sla_next_value(s, store_sql_sla_stage_first,
		    store_sql_sla_stage_next, NULL, &stage, cause);
		if (st != STORE_OK || stage == NULL)
			break;
		if (!sc->open(stage, sc->arg))
			continue;
		if ((stmt = store_stmt(s, store_sql_sla_stage_ids, &st,
		    cause)) == NULL)
			break;
		store_bind_text(stmt, 1, stage);
		st = store_sla_ids_add(s, stmt, ids, cause);
	}
	free(stage);
	return st;
}

static int
store_sla_cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

enum store_status
store_sla_candidates(struct store *s, const struct store_sla_scope *sc,
    int64_t **out, size_t *n, char **cause)
{
	struct store_sla_ids ids;
	enum store_status st;
	size_t i, j;

	memset(&ids, 0, sizeof ids);
	ids.limit = sc->limit;
	*out = NULL;
	*n = 0;
	st = store_sla_field_ids(s, sc, "stage", true, &ids, cause);
	if (st == STORE_OK)
		st = store_sla_field_ids(s, sc, "owner", false, &ids, cause);
	if (st == STORE_OK)
		st = store_sla_open_ids(s, sc, &ids, cause);
	if (st != STORE_OK || store_sla_ids_full(&ids)) {
		free(ids.v);
		if (st == STORE_OK)
			*n = sc->limit + 1;
		return st;
	}
	if (ids.n > 1)
		qsort(ids.v, ids.n, sizeof *ids.v, store_sla_cmp_id);
	for (i = j = 0; i < ids.n; i++)
		if (j == 0 || ids.v[i] != ids.v[j - 1])
			ids.v[j++] = ids.v[i];
	*out = ids.v;
	*n = j;
	return STORE_OK;
}

