/*
 * The store's lead data: leads, their append-only events and activities,
 * and reading one lead back. The queries the board, export and timeline
 * read live in store_query.c. Every write is one short transaction
 * (store_write_begin) and every update checks the lead's version so that
 * no change is lost. No business rules and no text for humans beyond
 * *cause; the file may have been edited by hand, so every column read may
 * be NULL or odd, and nothing here may crash on that.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

static const char store_sql_lead_insert[] =
	"INSERT INTO leads(id, email, first_name, last_name, company, title,"
	" phone, source, country, stage, owner, notes, score, fit, engagement,"
	" amount, visits, forms, pages, created_at, updated_at,"
	" last_activity_at, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
	" ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?20, ?21,"
	" 1)";
static const char store_sql_lead_get[] =
	"SELECT " STORE_LEAD_COLS " FROM leads WHERE id = ?1";
static const char store_sql_lead_by_email[] =
	"SELECT " STORE_LEAD_COLS " FROM leads WHERE email = ?1";
static const char store_sql_lead_id_by_email[] =
	"SELECT id FROM leads WHERE email = ?1";
static const char store_sql_lead_exists[] =
	"SELECT 1 FROM leads WHERE id = ?1";
static const char store_sql_lead_count[] = "SELECT count(*) FROM leads";
static const char store_sql_lead_max_id[] =
	"SELECT coalesce(max(id), 0) FROM leads";
static const char store_sql_event_add[] =
	"INSERT INTO events(lead_id, kind, field, old_value, new_value,"
	" reason, actor, at, entered_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
/*
 * Inside a bulk, a new lead's created and assign events hold nothing its
 * row does not: its id, stage, owner and created_at, and the importing
 * user. Written row by row, between the leads, the index pages of both
 * tables fought for the cache: half of a million-row import. So they are
 * written from the rows, two statements for every lead waiting (those
 * past bulk_ev_done), at commit or before anything else changes one of
 * those leads, while its row still says what it was created as.
 */
static const char store_sql_bulk_created[] =
	"INSERT INTO events(lead_id, kind, field, new_value, actor, at,"
	" entered_at) SELECT id, 'created', 'stage', stage, ?2, created_at,"
	" coalesce(?3, created_at) FROM leads WHERE id > ?1";
static const char store_sql_bulk_assigned[] =
	"INSERT INTO events(lead_id, kind, field, new_value, actor, at,"
	" entered_at) SELECT id, 'assign', 'owner', owner, ?2, created_at,"
	" coalesce(?3, created_at) FROM leads WHERE id > ?1"
	" AND owner IS NOT NULL";
static const char store_sql_lead_version[] =
	"SELECT version FROM leads WHERE id = ?1";
static const char store_sql_last_change[] =
	"SELECT actor, entered_at, kind, field, old_value, new_value"
	" FROM events WHERE lead_id = ?1 AND kind <> 'score'"
	" ORDER BY id DESC LIMIT 1";
static const char store_sql_activity_add[] =
	"INSERT INTO activities(lead_id, kind, note, actor, at, entered_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char store_sql_activity_touch[] =
	"UPDATE leads SET last_activity_at = ?2 WHERE id = ?1"
	" AND (last_activity_at IS NULL OR last_activity_at < ?2)";
static const char store_sql_attempts[] =
	"SELECT count(*) FROM activities WHERE lead_id = ?1"
	" AND kind IN ('call', 'email', 'meeting', 'social')";

/*
 * The fields store_lead_update may change. store_sql_fields reads them in
 * this order, and an update's bit mask numbers them so.
 */
struct store_field {
	const char	*name;
	bool		 integer;
	bool		 nullable;
	bool		 derived;	/* only with kind "score" */
	bool		 time;		/* YYYY-MM-DDTHH:MM:SSZ */
};

static const struct store_field store_fields[] = {
	{ "first_name", false, true, false, false },
	{ "last_name", false, true, false, false },
	{ "company", false, true, false, false },
	{ "title", false, true, false, false },
	{ "phone", false, true, false, false },
	{ "source", false, true, false, false },
	{ "country", false, true, false, false },
	{ "stage", false, false, false, false },
	{ "owner", false, true, false, false },
	{ "amount", true, true, false, false },
	{ "notes", false, true, false, false },
	{ "visits", true, false, false, false },
	{ "forms", true, false, false, false },
	{ "pages", true, false, false, false },
	{ "score", true, false, true, false },
	{ "fit", true, false, true, false },
	{ "engagement", true, false, true, false },
	{ "last_activity_at", false, true, false, true },
};
#define STORE_NFIELDS (sizeof store_fields / sizeof *store_fields)

static const char store_sql_fields[] =
	"SELECT version, first_name, last_name, company, title, phone, source,"
	" country, stage, owner, amount, notes, visits, forms, pages, score,"
	" fit, engagement, last_activity_at, email FROM leads WHERE id = ?1";
/* The fields the search index holds (first_name, last_name, company). */
#define STORE_FTS_MASK 0x7U

/*
 * Inside a bulk the search index's triggers are set aside (store.c), so
 * the store indexes what it writes: one lead's words in, or its old
 * words out.
 */
static const char store_sql_fts_add[] =
	"INSERT INTO leads_fts(rowid, first_name, last_name, email, company)"
	" VALUES (?1, ?2, ?3, ?4, ?5)";
/* store.c creates temp.bulk_fts_old at store_begin. */
static const char store_sql_fts_old[] =
	"INSERT OR IGNORE INTO temp.bulk_fts_old(id, first_name, last_name,"
	" email, company) VALUES (?1, ?2, ?3, ?4, ?5)";

static const char *const store_event_kinds[] = {
	"update", "move", "assign", "score"
};
static const char *const store_activity_kinds[] = {
	"call", "email", "meeting", "social", "note"
};

static bool
store_in(const char *v, const char *const *list, size_t n)
{
	size_t i;

	if (v == NULL)
		return false;
	for (i = 0; i < n; i++) {
		if (strcmp(v, list[i]) == 0)
			return true;
	}
	return false;
}

/* Leads in memory. */

void
lead_clear(struct lead *l)
{
	free(l->email);
	free(l->first_name);
	free(l->last_name);
	free(l->company);
	free(l->title);
	free(l->phone);
	free(l->source);
	free(l->country);
	free(l->stage);
	free(l->owner);
	free(l->notes);
	memset(l, 0, sizeof *l);
}

static char *
store_dup(const char *s)
{
	return s == NULL ? NULL : xstrdup(s);
}

void
lead_copy(struct lead *dst, const struct lead *src)
{
	*dst = *src;
	dst->email = store_dup(src->email);
	dst->first_name = store_dup(src->first_name);
	dst->last_name = store_dup(src->last_name);
	dst->company = store_dup(src->company);
	dst->title = store_dup(src->title);
	dst->phone = store_dup(src->phone);
	dst->source = store_dup(src->source);
	dst->country = store_dup(src->country);
	dst->stage = store_dup(src->stage);
	dst->owner = store_dup(src->owner);
	dst->notes = store_dup(src->notes);
}

/* One row of STORE_LEAD_COLS into l (overwritten). */
void
store_lead_row(sqlite3_stmt *stmt, struct lead *l)
{
	memset(l, 0, sizeof *l);
	l->id = sqlite3_column_int64(stmt, 0);
	l->email = store_col_text(stmt, 1);
	l->first_name = store_col_text(stmt, 2);
	l->last_name = store_col_text(stmt, 3);
	l->company = store_col_text(stmt, 4);
	l->title = store_col_text(stmt, 5);
	l->phone = store_col_text(stmt, 6);
	l->source = store_col_text(stmt, 7);
	l->country = store_col_text(stmt, 8);
	l->stage = store_col_text(stmt, 9);
	l->owner = store_col_text(stmt, 10);
	l->notes = store_col_text(stmt, 11);
	l->score = sqlite3_column_int(stmt, 12);
	l->fit = sqlite3_column_int(stmt, 13);
	l->engagement = sqlite3_column_int(stmt, 14);
	l->has_amount = sqlite3_column_type(stmt, 15) != SQLITE_NULL;
	l->amount = sqlite3_column_int64(stmt, 15);
	l->visits = sqlite3_column_int(stmt, 16);
	l->forms = sqlite3_column_int(stmt, 17);
	l->pages = sqlite3_column_int(stmt, 18);
	l->created_at = store_col_time(stmt, 19);
	l->updated_at = store_col_time(stmt, 20);
	l->last_activity_at = store_col_time(stmt, 21);
	l->version = sqlite3_column_int64(stmt, 22);
}

/* Events. */

static enum store_status
store_event_add(struct store *s, int64_t lead_id, const char *kind,
    const char *field, const char *old_value, const char *new_value,
    const char *reason, const char *user, time_t at, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = store_stmt(s, store_sql_event_add, &st, cause)) == NULL)
		return st;
	sqlite3_bind_int64(stmt, 1, lead_id);
	store_bind_text(stmt, 2, kind);
	store_bind_text(stmt, 3, field);
	store_bind_text(stmt, 4, old_value);
	store_bind_text(stmt, 5, new_value);
	store_bind_text(stmt, 6, reason);
	store_bind_text(stmt, 7, user);
	store_bind_time(stmt, 8, at);
	/* entered_at is the real wall clock, whatever --at says. */
	store_bind_time(stmt, 9, s->backfill ? at : time(NULL));
	if ((rc = store_run(stmt)) != SQLITE_OK)
		st = store_fail(s, rc, cause);
	return st;
}

enum store_status
store_bulk_events(struct store *s, char **cause)
{
	const char *const sql[] = { store_sql_bulk_created,
	    store_sql_bulk_assigned };
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;
	size_t i;
	int rc;

	if (s->bulk_ev_user == NULL)
		return STORE_OK;
	for (i = 0; st == STORE_OK && i < sizeof sql / sizeof *sql; i++) {
		if ((stmt = store_stmt(s, sql[i], &st, cause)) == NULL)
			break;
		sqlite3_bind_int64(stmt, 1, s->bulk_ev_done);
		store_bind_text(stmt, 2, s->bulk_ev_user);
		/* entered_at: the real wall clock, as store_event_add. */
		if (!s->bulk_ev_backfill)
			store_bind_time(stmt, 3, time(NULL));
		if ((rc = store_run(stmt)) != SQLITE_OK)
			st = store_fail(s, rc, cause);
	}
	if (st == STORE_OK)
		st = store_lead_max_id(s, &s->bulk_ev_done, cause);
	if (st == STORE_OK)
		store_bulk_events_drop(s);
	else if (s->bulk)	/* half of them written: the bulk is lost */
		st = store_write_close(s, st, true, cause);
	return st;
}

void
store_bulk_events_drop(struct store *s)
{
	free(s->bulk_ev_user);
	s->bulk_ev_user = NULL;
}

/*
 * A new lead of a bulk, by user, is about to be inserted: the leads
 * waiting for their events are written first if theirs would differ.
 */
static enum store_status
store_bulk_events_for(struct store *s, const char *user, char **cause)
{
	if (s->bulk_ev_user == NULL || (strcmp(s->bulk_ev_user, user) == 0 &&
	    s->bulk_ev_backfill == s->backfill))
		return STORE_OK;
	return store_bulk_events(s, cause);
}

static enum store_status
store_fts(struct store *s, const char *sql, int64_t id, const char *first,
    const char *last, const char *email, const char *company, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = store_stmt(s, sql, &st, cause)) == NULL)
		return st;
	sqlite3_bind_int64(stmt, 1, id);
	store_bind_text(stmt, 2, first);
	store_bind_text(stmt, 3, last);
	store_bind_text(stmt, 4, email);
	store_bind_text(stmt, 5, company);
	if ((rc = store_run(stmt)) != SQLITE_OK)
		st = store_fail(s, rc, cause);
	return st;
}

/* Insert. */

/* An empty owner is no owner: the lead is unassigned. */
static const char *
store_owner(const char *owner)
{
	return owner != NULL && *owner == '\0' ? NULL : owner;
}

static enum store_status
store_lead_taken(struct store *s, const char *email, char **cause)
{
	sqlite3_stmt *stmt;
	int64_t id = 0;

	stmt = store_stmt(s, store_sql_lead_id_by_email, NULL, NULL);
	if (stmt != NULL) {
		store_bind_text(stmt, 1, email);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			id = sqlite3_column_int64(stmt, 0);
		store_done(stmt);
	}
	store_cause(cause, "a lead with email %s already exists (lead %"
	    PRId64 ")", email, id);
	return STORE_EXISTS;
}

static void
store_lead_bind(sqlite3_stmt *stmt, const struct lead *l, time_t at)
{
	if (l->id > 0)
		sqlite3_bind_int64(stmt, 1, l->id);
	store_bind_text(stmt, 2, l->email);
	store_bind_text(stmt, 3, l->first_name);
	store_bind_text(stmt, 4, l->last_name);
	store_bind_text(stmt, 5, l->company);
	store_bind_text(stmt, 6, l->title);
	store_bind_text(stmt, 7, l->phone);
	store_bind_text(stmt, 8, l->source);
	store_bind_text(stmt, 9, l->country);
	store_bind_text(stmt, 10, l->stage);
	store_bind_text(stmt, 11, store_owner(l->owner));
	store_bind_text(stmt, 12, l->notes);
	sqlite3_bind_int(stmt, 13, l->score);
	sqlite3_bind_int(stmt, 14, l->fit);
	sqlite3_bind_int(stmt, 15, l->engagement);
	if (l->has_amount)
		sqlite3_bind_int64(stmt, 16, l->amount);
	sqlite3_bind_int(stmt, 17, l->visits);
	sqlite3_bind_int(stmt, 18, l->forms);
	sqlite3_bind_int(stmt, 19, l->pages);
	store_bind_time(stmt, 20, at);
	if (l->last_activity_at != 0)
		store_bind_time(stmt, 21, l->last_activity_at);
}

static enum store_status
store_lead_insert_row(struct store *s, struct lead *l, time_t at,
    char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = store_stmt(s, store_sql_lead_insert, &st, cause)) == NULL)
		return st;
	store_lead_bind(stmt, l, at);
	rc = store_run(stmt);
	if (rc == SQLITE_CONSTRAINT_UNIQUE)
		return store_lead_taken(s, l->email, cause);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
		store_cause(cause, "lead %" PRId64 " already exists", l->id);
		return STORE_EXISTS;
	}
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
		store_cause(cause, "no rep with login '%s'", l->owner);
		return STORE_INVALID;
	}
	if (rc != SQLITE_OK)
		return store_fail(s, rc, cause);
	l->id = sqlite3_last_insert_rowid(s->db);
	return STORE_OK;
}

enum store_status
store_lead_insert(struct store *s, struct lead *l, const char *user,
    time_t at, char **cause)
{
	enum store_status st;
	bool wrote = false;

	if (l->email == NULL || *l->email == '\0') {
		store_cause(cause, "a lead needs an email address");
		return STORE_INVALID;
	}
	if (l->stage == NULL || *l->stage == '\0' || user == NULL) {
		store_cause(cause, "lead %s needs a stage and a user",
		    l->email);
		return STORE_INVALID;
	}
	if (s->bulk && (st = store_bulk_events_for(s, user, cause)) !=
	    STORE_OK)
		return st;
	if ((st = store_write_light(s, cause)) != STORE_OK)
		return st;
	/* Only the row can be refused (email taken, no such owner). */
	if ((st = store_lead_insert_row(s, l, at, cause)) != STORE_OK)
		goto out;
	wrote = true;
	/* A new lead of a bulk gets its words at commit (store_commit). */
	if (s->bulk && l->id <= s->bulk_last)
		st = store_fts(s, store_sql_fts_add, l->id, l->first_name,
		    l->last_name, l->email, l->company, cause);
	/* And its events from its row (store_bulk_events). */
	if (st == STORE_OK && s->bulk && l->id > s->bulk_ev_done) {
		if (s->bulk_ev_user == NULL) {
			s->bulk_ev_user = xstrdup(user);
			s->bulk_ev_backfill = s->backfill;
		}
		goto out;
	}
	if (st == STORE_OK)
		st = store_event_add(s, l->id, "created", "stage", NULL,
		    l->stage, NULL, user, at, cause);
	if (st == STORE_OK && store_owner(l->owner) != NULL)
		st = store_event_add(s, l->id, "assign", "owner", NULL,
		    l->owner, NULL, user, at, cause);
out:
	st = store_write_close(s, st, wrote, cause);
	if (st == STORE_OK) {
		l->version = 1;
		l->created_at = l->updated_at = at;
	}
	return st;
}

/* Reading one lead. */

static enum store_status
store_lead_fetch(struct store *s, sqlite3_stmt *stmt, struct lead *l,
    char **cause)
{
	int rc;

	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		store_lead_row(stmt, l);
		store_done(stmt);
		return STORE_OK;
	}
	store_done(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, cause);
	return STORE_NOTFOUND;
}

enum store_status
store_lead_get(struct store *s, int64_t id, struct lead *l, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;

	memset(l, 0, sizeof *l);
	if ((stmt = store_stmt(s, store_sql_lead_get, &st, cause)) == NULL)
		return st;
	sqlite3_bind_int64(stmt, 1, id);
	st = store_lead_fetch(s, stmt, l, cause);
	if (st == STORE_NOTFOUND)
		store_cause(cause, "no lead with id %" PRId64, id);
	return st;
}

enum store_status
store_lead_by_email(struct store *s, const char *email, struct lead *l,
    char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;

	memset(l, 0, sizeof *l);
	if ((stmt = store_stmt(s, store_sql_lead_by_email, &st, cause)) ==
	    NULL)
		return st;
	store_bind_text(stmt, 1, email);
	st = store_lead_fetch(s, stmt, l, cause);
	if (st == STORE_NOTFOUND)
		store_cause(cause, "no lead with email %s",
		    email != NULL ? email : "");
	return st;
}

int64_t
store_lead_count(struct store *s)
{
	return store_int_query(s, store_sql_lead_count);
}

enum store_status
store_lead_max_id(struct store *s, int64_t *id, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;

	*id = 0;
	if ((stmt = store_stmt(s, store_sql_lead_max_id, &st, cause)) == NULL)
		return st;
	return store_step_int(s, stmt, id, cause);
}

/* Updates. */

void
store_conflict_clear(struct store_conflict *c)
{
	free(c->user);
	free(c->kind);
	free(c->field);
	free(c->old_value);
	free(c->new_value);
	memset(c, 0, sizeof *c);
}

static const struct store_field *
store_field_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof store_fields / sizeof *store_fields; i++) {
		if (name != NULL && strcmp(store_fields[i].name, name) == 0)
			return &store_fields[i];
	}
	return NULL;
}

static bool
store_parse_int(const char *v, int64_t *out)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0)
		return false;
	*out = n;
	return true;
}

/* Check the changes before touching the file, for plain messages. */
static enum store_status
store_changes_valid(const char *kind, const struct store_change *ch,
    size_t n, const char *user, char **cause)
{
	const struct store_field *f;
	bool score = strcmp(kind, "score") == 0;
	int64_t v;
	size_t i;

	if (n == 0 || user == NULL) {
		store_cause(cause, "nothing to change, or no user");
		return STORE_INVALID;
	}
	for (i = 0; i < n; i++) {
		if ((f = store_field_find(ch[i].field)) == NULL ||
		    f->derived != score) {
			store_cause(cause, "a %s cannot change field '%s'",
			    kind, ch[i].field != NULL ? ch[i].field : "");
			return STORE_INVALID;
		}
		if (!f->nullable && (ch[i].new_value == NULL ||
		    *ch[i].new_value == '\0')) {
			store_cause(cause, "%s cannot be empty", f->name);
			return STORE_INVALID;
		}
		if (ch[i].new_value != NULL && f->integer &&
		    !store_parse_int(ch[i].new_value, &v)) {
			store_cause(cause, "%s must be a whole number, not '%s'",
			    f->name, ch[i].new_value);
			return STORE_INVALID;
		}
		if (ch[i].new_value != NULL && f->time &&
		    store_time_parse(ch[i].new_value) == 0) {
			store_cause(cause, "%s must be a time (YYYY-MM-DDTHH:"
			    "MM:SSZ), not '%s'", f->name, ch[i].new_value);
			return STORE_INVALID;
		}
	}
	return STORE_OK;
}

/* Who changed the lead last, for the conflict message. */
static void
store_conflict_fill(struct store *s, int64_t id, int64_t version,
    struct store_conflict *c)
{
	sqlite3_stmt *stmt;

	memset(c, 0, sizeof *c);
	c->version = version;
	if ((stmt = store_stmt(s, store_sql_last_change, NULL, NULL)) == NULL)
		return;
	sqlite3_bind_int64(stmt, 1, id);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		c->user = store_col_text(stmt, 0);
		c->at = store_col_time(stmt, 1);
		c->kind = store_col_text(stmt, 2);
		c->field = store_col_text(stmt, 3);
		c->old_value = store_col_text(stmt, 4);
		c->new_value = store_col_text(stmt, 5);
	}
	store_done(stmt);
}

/* The version check failed: is the lead gone, or changed? */
static enum store_status
store_lead_lost(struct store *s, int64_t id, int64_t expected,
    struct store_conflict *conflict, char **cause)
{
	struct store_conflict c;
	sqlite3_stmt *stmt;
	int64_t version;
	int rc;

	if ((stmt = store_stmt(s, store_sql_lead_version, NULL, cause)) ==
	    NULL)
		return STORE_IOERR;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	version = sqlite3_column_int64(stmt, 0);
	store_done(stmt);
	if (rc == SQLITE_DONE) {
		store_cause(cause, "no lead with id %" PRId64, id);
		return STORE_NOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return store_fail(s, rc, cause);
	store_conflict_fill(s, id, version, &c);
	store_cause(cause, "lead %" PRId64 " was changed by %s in the "
	    "meantime (version %" PRId64 ", you had %" PRId64 "); nothing was "
	    "saved", id, c.user != NULL ? c.user : "someone else", version,
	    expected);
	if (conflict != NULL)
		*conflict = c;
	else
		store_conflict_clear(&c);
	return STORE_CONFLICT;
}

/*
 * The lead's values as text while an update is worked out: cur[k] is
 * store_fields[k]'s value, mask the fields written. Owns its strings.
 */
struct store_upd_row {
	char		*cur[STORE_NFIELDS];
	char		*email;
	char		*words[3];	/* first_name, last_name, company before */
	char		**ev_old;	/* per change, its old value */
	uint32_t	 mask;
};

static void
store_upd_row_clear(struct store_upd_row *r, size_t nold)
{
	size_t i;

	for (i = 0; i < STORE_NFIELDS; i++)
		free(r->cur[i]);
	for (i = 0; r->ev_old != NULL && i < nold; i++)
		free(r->ev_old[i]);
	free(r->ev_old);
	free(r->email);
	for (i = 0; i < 3; i++)
		free(r->words[i]);
}

/*
 * Read the lead's fields if it is still at expected_version. One read of
 * the row, rather than one per field.
 */
static enum store_status
store_lead_claim(struct store *s, int64_t id, int64_t expected,
    struct store_upd_row *r, struct store_conflict *conflict, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;
	size_t i;
	int rc;

	if ((stmt = store_stmt(s, store_sql_fields, &st, cause)) == NULL)
		return st;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW && sqlite3_column_int64(stmt, 0) == expected) {
		for (i = 0; i < STORE_NFIELDS; i++)
			r->cur[i] = store_col_text(stmt, (int)i + 1);
		r->email = store_col_text(stmt, (int)STORE_NFIELDS + 1);
		for (i = 0; i < 3; i++)
			r->words[i] = store_col_text(stmt, (int)i + 1);
		store_done(stmt);
		return STORE_OK;
	}
	store_done(stmt);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_fail(s, rc, cause);
	return store_lead_lost(s, id, expected, conflict, cause);
}

/* "UPDATE leads SET a = ?3, b = ?4, ... WHERE id = ?1", in field order. */
static char *
store_upd_sql(uint32_t mask, bool bump)
{
	char *sql, *next;
	size_t i;
	int n = 3;

	sql = xstrdup(bump ? "version = version + 1, updated_at = ?2" : "");
	for (i = 0; i < STORE_NFIELDS; i++) {
		if ((mask & (1U << i)) == 0)
			continue;
		xasprintf(&next, "%s%s%s = ?%d", sql, *sql != '\0' ? ", " : "",
		    store_fields[i].name, n++);
		free(sql);
		sql = next;
	}
	xasprintf(&next, "UPDATE leads SET %s WHERE id = ?1", sql);
	free(sql);
	return next;
}

/*
 * The cached UPDATE for one set of fields. Its text is built from the
 * fixed field names only, never from values.
 */
static sqlite3_stmt *
store_upd_stmt(struct store *s, uint32_t mask, bool bump,
    enum store_status *st, char **cause)
{
	uint32_t key = mask | (bump ? 1U << 31 : 0);
	sqlite3_stmt *stmt;
	char *sql;
	size_t i;
	int rc;

	for (i = 0; i < s->nupd; i++) {
		if (s->upd[i].key == key) {
			sqlite3_reset(s->upd[i].stmt);
			sqlite3_clear_bindings(s->upd[i].stmt);
			return s->upd[i].stmt;
		}
	}
	sql = store_upd_sql(mask, bump);
	rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &stmt, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		*st = store_fail(s, rc, cause);
		return NULL;
	}
	s->upd = xreallocarray(s->upd, s->nupd + 1, sizeof *s->upd);
	s->upd[s->nupd].key = key;
	s->upd[s->nupd++].stmt = stmt;
	return stmt;
}

/* Bind the new values of the fields in r->mask as ?3, ?4, ... */
static void
store_upd_bind(sqlite3_stmt *stmt, const struct store_upd_row *r)
{
	int64_t v;
	size_t i;
	int n = 3;

	for (i = 0; i < STORE_NFIELDS; i++) {
		if ((r->mask & (1U << i)) == 0)
			continue;
		if (r->cur[i] != NULL && store_fields[i].integer &&
		    store_parse_int(r->cur[i], &v))
			sqlite3_bind_int64(stmt, n++, v);
		else
			store_bind_text(stmt, n++, r->cur[i]);
	}
}

/*
 * Work the changes through in order, as if applied one by one: each
 * change's old value is what the one before left. Integers are written in
 * their plain decimal form.
 */
static void
store_upd_plan(const struct store_change *ch, size_t n,
    struct store_upd_row *r, char **newv)
{
	const struct store_field *f;
	const char *value;
	char num[32];
	int64_t v;
	size_t i, k;

	for (i = 0; i < n; i++) {
		f = store_field_find(ch[i].field);
		k = (size_t)(f - store_fields);
		value = ch[i].new_value;
		if (strcmp(f->name, "owner") == 0)
			value = store_owner(value);
		if (value != NULL && f->integer && store_parse_int(value, &v)) {
			snprintf(num, sizeof num, "%" PRId64, v);
			value = num;
		}
		/* One spelling, so that times compare as strings. */
		if (value != NULL && f->time)
			value = store_time_format(store_time_parse(value), num);
		r->ev_old[i] = r->cur[k];
		r->cur[k] = value != NULL ? xstrdup(value) : NULL;
		newv[i] = r->cur[k];
		r->mask |= 1U << k;
	}
}

/* The one UPDATE of the row; only it can be refused. */
static enum store_status
store_upd_run(struct store *s, int64_t id, bool bump, time_t at,
    const struct store_upd_row *r, char **cause)
{
	enum store_status st = STORE_OK;
	const char *owner;
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = store_upd_stmt(s, r->mask, bump, &st, cause)) == NULL)
		return st;
	sqlite3_bind_int64(stmt, 1, id);
	if (bump)
		store_bind_time(stmt, 2, at);
	store_upd_bind(stmt, r);
	if ((rc = store_run(stmt)) == SQLITE_CONSTRAINT_FOREIGNKEY) {
		owner = r->cur[store_field_find("owner") - store_fields];
		store_cause(cause, "no rep with login '%s'",
		    owner != NULL ? owner : "");
		return STORE_INVALID;
	}
	if (rc != SQLITE_OK)
		return store_fail(s, rc, cause);
	return STORE_OK;
}

/*
 * The lead's words changed inside a bulk. The words the index has for it
 * are set aside (the first change since the last flush wins); a flush
 * (store.c, every batch and at commit) takes them out of the index and
 * puts the lead's words as they are then in, in two statements.
 */
static enum store_status
store_upd_fts(struct store *s, int64_t id, const struct store_upd_row *r,
    char **cause)
{
	enum store_status st;
	int rc;

	st = store_fts(s, store_sql_fts_old, id, r->words[0], r->words[1],
	    r->email, r->words[2], cause);
	if (st == STORE_OK && (rc = store_bulk_fts_note(s)) != SQLITE_OK)
		st = store_fail(s, rc, cause);
	return st;
}

enum store_status
store_lead_update(struct store *s, int64_t id, int64_t expected_version,
    const char *kind, const struct store_change *changes, size_t nchanges,
    const char *reason, const char *user, time_t at, int64_t *new_version,
    struct store_conflict *conflict, char **cause)
{
	struct store_upd_row r;
	enum store_status st;
	char **newv = NULL;
	bool bump, wrote = false;
	size_t i;

	if (conflict != NULL)
		memset(conflict, 0, sizeof *conflict);
	if (!store_in(kind, store_event_kinds, sizeof store_event_kinds /
	    sizeof *store_event_kinds)) {
		store_cause(cause, "unknown change kind '%s'",
		    kind != NULL ? kind : "");
		return STORE_INVALID;
	}
	if ((st = store_changes_valid(kind, changes, nchanges, user, cause)) !=
	    STORE_OK)
		return st;
	/* A lead this bulk created gets its events before it changes. */
	if (s->bulk && id > s->bulk_ev_done &&
	    (st = store_bulk_events(s, cause)) != STORE_OK)
		return st;
	if ((st = store_write_light(s, cause)) != STORE_OK)
		return st;
	memset(&r, 0, sizeof r);
	bump = strcmp(kind, "score") != 0;
	if ((st = store_lead_claim(s, id, expected_version, &r, conflict,
	    cause)) != STORE_OK)
		goto out;
	newv = xcalloc(nchanges, sizeof *newv);
	r.ev_old = xcalloc(nchanges, sizeof *r.ev_old);
	store_upd_plan(changes, nchanges, &r, newv);
	if ((st = store_upd_run(s, id, bump, at, &r, cause)) != STORE_OK)
		goto out;
	wrote = true;
	if (s->bulk && id <= s->bulk_last && (r.mask & STORE_FTS_MASK) != 0)
		st = store_upd_fts(s, id, &r, cause);
	for (i = 0; st == STORE_OK && i < nchanges; i++)
		st = store_event_add(s, id, kind,
		    store_field_find(changes[i].field)->name, r.ev_old[i],
		    newv[i], reason, user, at, cause);
out:
	st = store_write_close(s, st, wrote, cause);
	if (st == STORE_OK && new_version != NULL)
		*new_version = expected_version + (bump ? 1 : 0);
	store_upd_row_clear(&r, nchanges);
	free(newv);
	return st;
}

/* Activities. */

enum store_status
store_lead_exists(struct store *s, int64_t id, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = store_stmt(s, store_sql_lead_exists, &st, cause)) == NULL)
		return st;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	store_done(stmt);
	if (rc == SQLITE_ROW)
		return STORE_OK;
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, cause);
	store_cause(cause, "no lead with id %" PRId64, id);
	return STORE_NOTFOUND;
}

static enum store_status
store_activity_insert(struct store *s, int64_t lead_id, const char *kind,
    const char *note, const char *user, time_t at, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = store_stmt(s, store_sql_activity_add, &st, cause)) == NULL)
		return st;
	sqlite3_bind_int64(stmt, 1, lead_id);
	store_bind_text(stmt, 2, kind);
	store_bind_text(stmt, 3, note);
	store_bind_text(stmt, 4, user);
	store_bind_time(stmt, 5, at);
	store_bind_time(stmt, 6, s->backfill ? at : time(NULL));
	if ((rc = store_run(stmt)) != SQLITE_OK)
		return store_fail(s, rc, cause);
	if ((stmt = store_stmt(s, store_sql_activity_touch, &st, cause)) ==
	    NULL)
		return st;
	sqlite3_bind_int64(stmt, 1, lead_id);
	store_bind_time(stmt, 2, at);
	if ((rc = store_run(stmt)) != SQLITE_OK)
		return store_fail(s, rc, cause);
	return STORE_OK;
}

enum store_status
store_activity_add(struct store *s, int64_t lead_id, const char *kind,
    const char *note, const char *user, time_t at, char **cause)
{
	enum store_status st;

	if (!store_in(kind, store_activity_kinds, sizeof store_activity_kinds /
	    sizeof *store_activity_kinds)) {
		store_cause(cause, "unknown activity '%s'; use call, email, "
		    "meeting, social or note", kind != NULL ? kind : "");
		return STORE_INVALID;
	}
	if (user == NULL) {
		store_cause(cause, "an activity needs a user");
		return STORE_INVALID;
	}
	if ((st = store_write_begin(s, cause)) != STORE_OK)
		return st;
	if ((st = store_lead_exists(s, lead_id, cause)) == STORE_OK)
		st = store_activity_insert(s, lead_id, kind, note, user, at,
		    cause);
	return store_write_end(s, st, cause);
}

int64_t
store_attempt_count(struct store *s, int64_t lead_id)
{
	sqlite3_stmt *stmt;
	int64_t n = -1;

	if ((stmt = store_stmt(s, store_sql_attempts, NULL, NULL)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, lead_id);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int64(stmt, 0);
	store_done(stmt);
	return n;
}

void
store_backfill(struct store *s, bool on)
{
	s->backfill = on;
}
