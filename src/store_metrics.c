/*
 * The SQL of the metrics (see metrics.h for what they mean): counts of
 * creations, first entries, moves and cohorts over one range of effective
 * times, grouped by source, and one lead's history for the SLA replay.
 * Every query walks an index range on (field, new_value, at) or
 * (lead_id, at); nothing loads the leads. No business rules: which stage is
 * "sql" and what a month is are the caller's.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* A lead's first entry into ?1 lies in [?2, ?3); did it enter ?5 later? */
static const char store_sql_m_first[] =
	"SELECT l.source, count(*), total(f.later) FROM ("
	" SELECT e.lead_id AS lead_id, max(EXISTS (SELECT 1 FROM events w"
	"  INDEXED BY events_lead WHERE w.lead_id = e.lead_id"
	"  AND w.at >= e.at AND w.at <= ?4 AND w.field = 'stage'"
	"  AND w.new_value = ?5)) AS later"
	" FROM events e INDEXED BY events_field"
	" WHERE e.field = 'stage' AND e.new_value = ?1"
	" AND e.at >= ?2 AND e.at < ?3"
	" AND NOT EXISTS (SELECT 1 FROM events p INDEXED BY events_lead"
	"  WHERE p.lead_id = e.lead_id AND p.at < e.at"
	"  AND p.field = 'stage' AND p.new_value = ?1)"
	" GROUP BY e.lead_id) f"
	" JOIN leads l ON l.id = f.lead_id GROUP BY l.source";
/* Events of kind ?4 ('created' or 'move') into ?1 in [?2, ?3). */
static const char store_sql_m_kind[] =
	"SELECT l.source, count(*) FROM events e INDEXED BY events_field"
	" JOIN leads l ON l.id = e.lead_id"
	" WHERE e.field = 'stage' AND e.new_value = ?1"
	" AND e.at >= ?2 AND e.at < ?3 AND e.kind = ?4"
	" GROUP BY l.source";
static const char store_sql_m_cohort[] =
	"SELECT l.source, count(*),"
	" total(EXISTS (SELECT 1 FROM activities a INDEXED BY activities_lead"
	"  WHERE a.lead_id = c.lead_id AND a.at <= ?4"
	"  AND a.kind IN ('call', 'email', 'meeting', 'social'))),"
	" total(EXISTS (SELECT 1 FROM events w INDEXED BY events_lead"
	"  WHERE w.lead_id = c.lead_id AND w.at <= ?4 AND w.field = 'stage'"
	"  AND w.new_value = ?5))"
	" FROM (SELECT DISTINCT lead_id FROM events INDEXED BY events_field"
	"  WHERE field = 'stage' AND new_value = ?1 AND at >= ?2 AND at < ?3) c"
	" JOIN leads l ON l.id = c.lead_id GROUP BY l.source";
static const char store_sql_m_reasons[] =
	"SELECT l.source, e.reason, count(*) FROM events e"
	" INDEXED BY events_field JOIN leads l ON l.id = e.lead_id"
	" WHERE e.field = 'stage' AND e.new_value = ?2 AND e.old_value = ?1"
	" AND e.at >= ?3 AND e.at < ?4 AND e.kind = 'move'"
	" GROUP BY l.source, e.reason";
static const char store_sql_m_handoffs[] =
	"SELECT e.lead_id, l.source FROM events e INDEXED BY events_field"
	" JOIN leads l ON l.id = e.lead_id"
	" WHERE e.field = 'stage' AND e.new_value = ?1"
	" AND e.at >= ?2 AND e.at < ?3"
	" UNION "
	"SELECT e.lead_id, l.source FROM events e INDEXED BY events_field"
	" JOIN leads l ON l.id = e.lead_id"
	" WHERE e.field = 'owner' AND e.new_value IN (SELECT login FROM reps)"
	" AND e.at >= ?2 AND e.at < ?3";
static const char store_sql_m_history[] =
	"SELECT field, new_value, at FROM events WHERE lead_id = ?1"
	" AND field IN ('stage', 'owner')"
	" AND kind IN ('created', 'move', 'assign') ORDER BY id";
static const char store_sql_m_attempts[] =
	"SELECT at FROM activities WHERE lead_id = ?1"
	" AND kind IN ('call', 'email', 'meeting', 'social') ORDER BY at";

/*
 * A walk ended on rc: SQLITE_DONE (or a callback's stop) is success,
 * anything else the failure. The statement is released either way.
 */
static enum store_status
store_metrics_end(struct store *s, sqlite3_stmt *stmt, int rc, char **cause)
{
	enum store_status st = STORE_OK;

	if (rc != SQLITE_DONE)
		st = store_fail(s, rc, cause);
	store_done(stmt);
	return st;
}

/* Step through rows of (source, n...) and hand each to cb. */
static enum store_status
store_metrics_rows(struct store *s, sqlite3_stmt *stmt, size_t nv,
    store_metrics_cb cb, void *arg, char **cause)
{
	int64_t v[4];
	size_t i;
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		for (i = 0; i < nv; i++)
			v[i] = sqlite3_column_int64(stmt, (int)i + 1);
		if (cb((const char *)sqlite3_column_text(stmt, 0), v, nv,
		    arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	return store_metrics_end(s, stmt, rc, cause);
}

/* A statement with ?1 stage and [?2, ?3) bound. */
static sqlite3_stmt *
store_metrics_stmt(struct store *s, const char *sql, const char *stage,
    time_t from, time_t to, enum store_status *st, char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = store_stmt(s, sql, st, cause)) == NULL)
		return NULL;
	store_bind_text(stmt, 1, stage);
	store_bind_time(stmt, 2, from);
	store_bind_time(stmt, 3, to);
	return stmt;
}

/* Creations and moves differ only in the event kind they count. */
static enum store_status
store_metrics_kind(struct store *s, const char *kind, const char *stage,
    time_t from, time_t to, store_metrics_cb cb, void *arg, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;

	stmt = store_metrics_stmt(s, store_sql_m_kind, stage, from, to, &st,
	    cause);
	if (stmt == NULL)
		return st;
	store_bind_text(stmt, 4, kind);
	return store_metrics_rows(s, stmt, 1, cb, arg, cause);
}

enum store_status
store_metrics_created(struct store *s, const char *stage, time_t from,
    time_t to, store_metrics_cb cb, void *arg, char **cause)
{
	return store_metrics_kind(s, "created", stage, from, to, cb, arg,
	    cause);
}

/*
 * First entries and the cohort both count leads of the range and, of those,
 * the ones that reached ?5 later at or before ?4 now; nv counts a row.
 */
static enum store_status
store_metrics_later(struct store *s, const char *sql, size_t nv,
    const char *stage, const char *later, time_t from, time_t to, time_t now,
    store_metrics_cb cb, void *arg, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;

	if ((stmt = store_metrics_stmt(s, sql, stage, from, to, &st,
	    cause)) == NULL)
		return st;
	store_bind_time(stmt, 4, now);
	store_bind_text(stmt, 5, later);
	return store_metrics_rows(s, stmt, nv, cb, arg, cause);
}

enum store_status
store_metrics_first(struct store *s, const char *stage, const char *then,
    time_t from, time_t to, time_t now, store_metrics_cb cb, void *arg,
    char **cause)
{
	return store_metrics_later(s, store_sql_m_first, 2, stage, then, from,
	    to, now, cb, arg, cause);
}

enum store_status
store_metrics_moves(struct store *s, const char *stage, time_t from,
    time_t to, store_metrics_cb cb, void *arg, char **cause)
{
	return store_metrics_kind(s, "move", stage, from, to, cb, arg, cause);
}

enum store_status
store_metrics_cohort(struct store *s, const char *stage, const char *won,
    time_t from, time_t to, time_t now, store_metrics_cb cb, void *arg,
    char **cause)
{
	return store_metrics_later(s, store_sql_m_cohort, 3, stage, won, from,
	    to, now, cb, arg, cause);
}

enum store_status
store_metrics_reasons(struct store *s, const char *old, const char *new,
    time_t from, time_t to, store_metrics_reason_cb cb, void *arg,
    char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = store_stmt(s, store_sql_m_reasons, &st, cause)) == NULL)
		return st;
	store_bind_text(stmt, 1, old);
	store_bind_text(stmt, 2, new);
	store_bind_time(stmt, 3, from);
	store_bind_time(stmt, 4, to);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (cb((const char *)sqlite3_column_text(stmt, 0),
		    (const char *)sqlite3_column_text(stmt, 1),
		    sqlite3_column_int64(stmt, 2), arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	return store_metrics_end(s, stmt, rc, cause);
}

/* Step (lead_id, text) rows into cb. */
static enum store_status
store_metrics_id_rows(struct store *s, sqlite3_stmt *stmt,
    int (*cb)(int64_t, const char *, void *), void *arg, char **cause)
{
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (cb(sqlite3_column_int64(stmt, 0),
		    (const char *)sqlite3_column_text(stmt, 1), arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	return store_metrics_end(s, stmt, rc, cause);
}

enum store_status
store_metrics_handoffs(struct store *s, const char *stage, time_t from,
    time_t to, int (*cb)(int64_t, const char *, void *), void *arg,
    char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;

	stmt = store_metrics_stmt(s, store_sql_m_handoffs, stage, from, to,
	    &st, cause);
	if (stmt == NULL)
		return st;
	return store_metrics_id_rows(s, stmt, cb, arg, cause);
}

static enum store_status
store_metrics_events(struct store *s, int64_t lead_id,
    struct store_metrics_history *h, char **cause)
{
	enum store_status st = STORE_OK;
	struct store_metrics_event *e;
	const unsigned char *field;
	sqlite3_stmt *stmt;
	size_t cap = 0;
	int rc;

	if ((stmt = store_stmt(s, store_sql_m_history, &st, cause)) == NULL)
		return st;
	sqlite3_bind_int64(stmt, 1, lead_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (h->nev == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			h->ev = xreallocarray(h->ev, cap, sizeof *h->ev);
		}
		e = &h->ev[h->nev++];
		field = sqlite3_column_text(stmt, 0);
		e->owner = field != NULL &&
		    strcmp((const char *)field, "owner") == 0;
		e->value = store_col_text(stmt, 1);
		e->at = store_col_time(stmt, 2);
	}
	return store_metrics_end(s, stmt, rc, cause);
}

static enum store_status
store_metrics_attempts(struct store *s, int64_t lead_id,
    struct store_metrics_history *h, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;
	size_t cap = 0;
	int rc;

	if ((stmt = store_stmt(s, store_sql_m_attempts, &st, cause)) == NULL)
		return st;
	sqlite3_bind_int64(stmt, 1, lead_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (h->natt == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			h->att = xreallocarray(h->att, cap, sizeof *h->att);
		}
		h->att[h->natt++] = store_col_time(stmt, 0);
	}
	return store_metrics_end(s, stmt, rc, cause);
}

enum store_status
store_metrics_history(struct store *s, int64_t lead_id,
    struct store_metrics_history *h, char **cause)
{
	enum store_status st;

	memset(h, 0, sizeof *h);
	if ((st = store_metrics_events(s, lead_id, h, cause)) == STORE_OK)
		st = store_metrics_attempts(s, lead_id, h, cause);
	if (st != STORE_OK)
		store_metrics_history_clear(h);
	return st;
}

void
store_metrics_history_clear(struct store_metrics_history *h)
{
	size_t i;

	for (i = 0; i < h->nev; i++)
		free(h->ev[i].value);
	free(h->ev);
	free(h->att);
	memset(h, 0, sizeof *h);
}

/*
 * Rows for bucketing by the caller. Each walks one covering index range
 * (events_field, events_created, leads_source), so a year of a million
 * leads reads index pages in order instead of a table row per event.
 */
static const char store_sql_m_sources[] =
	"SELECT id, source FROM leads INDEXED BY leads_source";
/*
 * The same a page at a time, in the index's order: the leads without a
 * source first, then (source, stage, id) after the last row read.
 */
static const char store_sql_m_sources_null[] =
	"SELECT id, source, stage FROM leads INDEXED BY leads_source"
	" WHERE source IS NULL AND (stage, id) > (?1, ?2)"
	" ORDER BY stage, id LIMIT ?3";
static const char store_sql_m_sources_named[] =
	"SELECT id, source, stage FROM leads INDEXED BY leads_source"
	" WHERE (source, stage, id) > (?1, ?2, ?3)"
	" ORDER BY source, stage, id LIMIT ?4";
static const char store_sql_m_first_at[] =
	"SELECT min(at) FROM events INDEXED BY events_field"
	" WHERE field = 'stage' AND new_value = ?1";
static const char store_sql_m_entries[] =
	"SELECT lead_id, at FROM events INDEXED BY events_field"
	" WHERE field = 'stage' AND new_value = ?1 AND at >= ?2 AND at < ?3"
	" ORDER BY at";
/*
 * events_created (schema v4) when the file has it: the planner would take
 * events_field and read every row. A read-only older file has none.
 */
static const char store_sql_m_creations[] =
	"SELECT lead_id, at, new_value FROM events INDEXED BY events_created"
	" WHERE kind = 'created' AND field = 'stage'"
	" AND at >= ?1 AND at < ?2";
static const char store_sql_m_creations_old[] =
	"SELECT lead_id, at, new_value FROM events"
	" WHERE kind = 'created' AND field = 'stage'"
	" AND at >= ?1 AND at < ?2";
static const char store_sql_m_has_created[] =
	"SELECT 1 FROM sqlite_master WHERE type = 'index'"
	" AND name = 'events_created'";
static const char store_sql_m_assigns[] =
	"SELECT lead_id, at FROM events INDEXED BY events_field"
	" WHERE field = 'owner' AND new_value IN (SELECT login FROM reps)"
	" AND at >= ?1 AND at < ?2";
static const char store_sql_m_attempted[] =
	"SELECT 1 FROM activities INDEXED BY activities_lead"
	" WHERE lead_id = ?1 AND at <= ?2"
	" AND kind IN ('call', 'email', 'meeting', 'social') LIMIT 1";

/*
 * "YYYY-MM-DDTHH:MM:SSZ" without timegm: a walk over a million rows pays
 * for every call. Anything else goes to the general parser.
 */
time_t
store_col_utc(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);
	int64_t y, m, d, era, yoe, doy, doe;
	int i;

	if (s == NULL || sqlite3_column_bytes(stmt, col) != 20 ||
	    s[19] != 'Z')
		return store_col_time(stmt, col);
	for (i = 0; i < 19; i++) {
		if ((i == 4 || i == 7) ? s[i] != '-' : i == 10 ? s[i] != 'T' :
		    (i == 13 || i == 16) ? s[i] != ':' : (s[i] < '0' ||
		    s[i] > '9'))
			return store_col_time(stmt, col);
	}
#define D2(p)	((int64_t)((p)[0] - '0') * 10 + ((p)[1] - '0'))
	y = D2(s) * 100 + D2(s + 2);
	m = D2(s + 5);
	d = D2(s + 8);
	/* Out of range: whatever the general parser makes of it. */
	if (m < 1 || m > 12 || d < 1 || d > 31 || D2(s + 11) > 23 ||
	    D2(s + 14) > 59 || D2(s + 17) > 60)
		return store_col_time(stmt, col);
	/* Days from 1970-01-01 (H. Hinnant's days_from_civil). */
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (time_t)((era * 146097 + doe - 719468) * 86400 +
	    D2(s + 11) * 3600 + D2(s + 14) * 60 + D2(s + 17));
#undef D2
}

/* Step (lead_id, at) rows into cb. */
static enum store_status
store_metrics_at_rows(struct store *s, sqlite3_stmt *stmt,
    store_metrics_at_cb cb, void *arg, char **cause)
{
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (cb(sqlite3_column_int64(stmt, 0), store_col_utc(stmt,
		    1), arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	return store_metrics_end(s, stmt, rc, cause);
}

enum store_status
store_metrics_sources(struct store *s,
    int (*cb)(int64_t, const char *, void *), void *arg, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;

	if ((stmt = store_stmt(s, store_sql_m_sources, &st, cause)) == NULL)
		return st;
	return store_metrics_id_rows(s, stmt, cb, arg, cause);
}

/* Bind the page's position from column first on; "" and INT64_MIN first. */
static int
store_metrics_page_bind(sqlite3_stmt *stmt, const struct store_metrics_page *p,
    int first)
{
	if (p->started && p->named)
		store_bind_text(stmt, first++, p->source);
	else if (p->named)
		store_bind_text(stmt, first++, "");
	store_bind_text(stmt, first++, p->started ? p->stage : "");
	sqlite3_bind_int64(stmt, first++, p->started ? p->id : INT64_MIN);
	return first;
}

enum store_status
store_metrics_sources_page(struct store *s, struct store_metrics_page *p,
    size_t limit, int (*cb)(int64_t, const char *, void *), void *arg,
    char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;
	size_t got = 0;
	int rc;

	if (p->done)
		return STORE_OK;
	stmt = store_stmt(s, p->named ? store_sql_m_sources_named :
	    store_sql_m_sources_null, &st, cause);
	if (stmt == NULL)
		return st;
	sqlite3_bind_int64(stmt, store_metrics_page_bind(stmt, p, 1),
	    (sqlite3_int64)limit);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		got++;
		free(p->source);
		free(p->stage);
		p->id = sqlite3_column_int64(stmt, 0);
		p->source = store_col_text(stmt, 1);
		p->stage = store_col_text(stmt, 2);
		p->started = true;
		if (cb(p->id, p->source, arg) != 0) {
			rc = SQLITE_DONE;
			got = limit;	/* stopped: the next page goes on */
			break;
		}
	}
	if (rc == SQLITE_DONE && got < limit) {
		/* This part is read: on to the next, from its start. */
		p->done = p->named;
		p->named = true;
		p->started = false;
	}
	return store_metrics_end(s, stmt, rc, cause);
}

void
store_metrics_page_clear(struct store_metrics_page *p)
{
	free(p->source);
	free(p->stage);
	memset(p, 0, sizeof *p);
}

enum store_status
store_metrics_first_at(struct store *s, const char *stage, time_t *at,
    bool *found, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;
	int rc;

	*at = 0;
	*found = false;
	if ((stmt = store_stmt(s, store_sql_m_first_at, &st, cause)) == NULL)
		return st;
	store_bind_text(stmt, 1, stage);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW &&
	    sqlite3_column_type(stmt, 0) != SQLITE_NULL) {
		*at = store_col_utc(stmt, 0);
		*found = true;
	}
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	return store_metrics_end(s, stmt, rc, cause);
}

enum store_status
store_metrics_entries(struct store *s, const char *stage, time_t from,
    time_t to, store_metrics_at_cb cb, void *arg, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;

	stmt = store_metrics_stmt(s, store_sql_m_entries, stage, from, to,
	    &st, cause);
	if (stmt == NULL)
		return st;
	return store_metrics_at_rows(s, stmt, cb, arg, cause);
}

enum store_status
store_metrics_creations(struct store *s, time_t from, time_t to,
    int (*cb)(int64_t, time_t, const char *, void *), void *arg,
    char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = store_stmt(s, store_sql_m_has_created, &st,
	    cause)) == NULL)
		return st;
	rc = sqlite3_step(stmt);
	store_done(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, rc, cause);
	stmt = store_stmt(s, rc == SQLITE_ROW ? store_sql_m_creations :
	    store_sql_m_creations_old, &st, cause);
	if (stmt == NULL)
		return st;
	store_bind_time(stmt, 1, from);
	store_bind_time(stmt, 2, to);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (cb(sqlite3_column_int64(stmt, 0), store_col_utc(stmt,
		    1), (const char *)sqlite3_column_text(stmt, 2), arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	return store_metrics_end(s, stmt, rc, cause);
}

enum store_status
store_metrics_assigns(struct store *s, time_t from, time_t to,
    store_metrics_at_cb cb, void *arg, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;

	if ((stmt = store_stmt(s, store_sql_m_assigns, &st, cause)) == NULL)
		return st;
	store_bind_time(stmt, 1, from);
	store_bind_time(stmt, 2, to);
	return store_metrics_at_rows(s, stmt, cb, arg, cause);
}

enum store_status
store_metrics_attempted(struct store *s, int64_t lead_id, time_t now,
    bool *yes, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;
	int64_t one = 0;

	*yes = false;
	if ((stmt = store_stmt(s, store_sql_m_attempted, &st, cause)) == NULL)
		return st;
	sqlite3_bind_int64(stmt, 1, lead_id);
	store_bind_time(stmt, 2, now);
	st = store_step_int(s, stmt, &one, cause);
	*yes = one != 0;
	return st;
}

/*
 * One read transaction around a gathering's many small queries (a history
 * and an attempt lookup per lead): in autocommit each would take and drop
 * the file lock and check the page cache again, which at a million leads
 * costs more than the reading; it also makes them one snapshot. Nothing is
 * begun when a transaction is already open.
 */
enum store_status
store_metrics_hold(struct store *s, bool *held, char **cause)
{
	int rc;

	*held = false;
	if (!sqlite3_get_autocommit(s->db))
		return STORE_OK;
	if ((rc = sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL)) != SQLITE_OK)
		return store_fail(s, rc, cause);
	*held = true;
	return STORE_OK;
}

void
store_metrics_release(struct store *s, bool held)
{
	if (held && !sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
}
