/*
 * The SQL of the SLA clocks (see slaview.h): each lead's stage and owner
 * events and its attempt instants, streamed lead by lead in id order from
 * two index walks merged here, so that a million leads never sit in memory
 * at once; the same for a handful of leads (the board's visible cards); and
 * the two counts of the marketing clock. No business rules: which stage
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
static const char store_sql_sla_email[] =
	"SELECT email FROM leads WHERE id = ?1";
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
	e->at = store_col_time(stmt, 3);
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
			store_sla_add_attempt(b, store_col_time(att, 1));
		*rc = sqlite3_step(att);
	}
}

/* Walk both statements (bound and reset) and merge them by lead. */
static enum store_status
store_sla_merge(struct store *s, sqlite3_stmt *ev, sqlite3_stmt *att,
    store_sla_cb cb, void *arg, char **cause)
{
	struct store_sla_buf b;
	int64_t id;
	int rc, arc, stop = 0;

	memset(&b, 0, sizeof b);
	arc = sqlite3_step(att);
	rc = sqlite3_step(ev);
	while (rc == SQLITE_ROW && stop == 0) {
		store_sla_buf_reset(&b, sqlite3_column_int64(ev, 0));
		do {
			store_sla_add_event(&b, ev);
			rc = sqlite3_step(ev);
			id = rc == SQLITE_ROW ? sqlite3_column_int64(ev, 0) : 0;
		} while (rc == SQLITE_ROW && id == b.lead.id);
		store_sla_attempts_to(&b, att, &arc, b.lead.id);
		if (arc != SQLITE_ROW && arc != SQLITE_DONE)
			rc = arc;
		else
			stop = store_sla_emit(&b, cb, arg);
	}
	store_sla_buf_free(&b);
	if (stop != 0)
		rc = SQLITE_DONE;
	return rc == SQLITE_DONE ? STORE_OK : store_fail(s, rc, cause);
}

enum store_status
store_sla_each(struct store *s, time_t now, store_sla_cb cb, void *arg,
    char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *ev, *att;

	if ((ev = store_stmt(s, store_sql_sla_events, &st, cause)) == NULL)
		return st;
	if ((att = store_stmt(s, store_sql_sla_attempts, &st, cause)) ==
	    NULL) {
		store_done(ev);
		return st;
	}
	store_bind_time(ev, 1, now);
	store_bind_time(att, 1, now);
	st = store_sla_merge(s, ev, att, cb, arg, cause);
	store_done(ev);
	store_done(att);
	return st;
}

enum store_status
store_sla_leads(struct store *s, const int64_t *ids, size_t n, time_t now,
    store_sla_cb cb, void *arg, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *ev, *att;
	size_t i;

	for (i = 0; i < n && st == STORE_OK; i++) {
		if ((ev = store_stmt(s, store_sql_sla_lead_events, &st,
		    cause)) == NULL)
			break;
		if ((att = store_stmt(s, store_sql_sla_lead_attempts, &st,
		    cause)) == NULL) {
			store_done(ev);
			break;
		}
		store_bind_time(ev, 1, now);
		sqlite3_bind_int64(ev, 2, ids[i]);
		store_bind_time(att, 1, now);
		sqlite3_bind_int64(att, 2, ids[i]);
		st = store_sla_merge(s, ev, att, cb, arg, cause);
		store_done(ev);
		store_done(att);
	}
	return st;
}

enum store_status
store_sla_email(struct store *s, int64_t id, char **email, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;
	int rc;

	*email = NULL;
	if ((stmt = store_stmt(s, store_sql_sla_email, &st, cause)) == NULL)
		return st;
	sqlite3_bind_int64(stmt, 1, id);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		*email = store_col_text(stmt, 0);
	else if (rc == SQLITE_DONE)
		st = STORE_NOTFOUND;
	else
		st = store_fail(s, rc, cause);
	store_done(stmt);
	if (st == STORE_NOTFOUND)
		store_cause(cause, "no lead %lld", (long long)id);
	return st;
}

/* Run a statement returning one count. */
static enum store_status
store_sla_count(struct store *s, sqlite3_stmt *stmt, int64_t *n,
    char **cause)
{
	enum store_status st = STORE_OK;
	int rc;

	*n = 0;
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		*n = sqlite3_column_int64(stmt, 0);
	else if (rc != SQLITE_DONE)
		st = store_fail(s, rc, cause);
	store_done(stmt);
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
	return store_sla_count(s, stmt, n, cause);
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
	return store_sla_count(s, stmt, n, cause);
}
