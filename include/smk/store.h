/*
 * The store: the only module that speaks SQL. One interface over the shared
 * database file, so that a second backend can be added without touching the
 * core or the TUI. The SQLite backend opens the file network-safe (rollback
 * journal, never WAL; synchronous=FULL; foreign_keys; busy_timeout), migrates
 * through PRAGMA user_version, runs every write as one short BEGIN IMMEDIATE
 * transaction (or inside the caller's bulk transaction), and checks each
 * lead's version column so that no update is lost. It never formats text for
 * humans beyond the messages in *cause, and knows no business rules.
 *
 * Times cross this interface as time_t (UTC) and are stored as ISO-8601 text
 * ("2026-11-23T09:30:00Z") so that the file stays readable with sqlite3.
 */
#ifndef SMK_STORE_H
#define SMK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define STORE_SCHEMA_VERSION 6

enum store_status {
	STORE_OK = 0,
	STORE_NOTFOUND,		/* no such lead, rep, ... */
	STORE_EXISTS,		/* unique key taken (email, login) */
	STORE_CONFLICT,		/* version check failed: someone else changed it */
	STORE_INVALID,		/* a value the schema refuses */
	STORE_BUSY,		/* locked by another user past busy_timeout */
	STORE_READONLY,		/* file or folder not writable */
	STORE_MISSING,		/* the file does not exist */
	STORE_NOTADB,		/* not an SQLite database, or damaged */
	STORE_TOONEW,		/* schema newer than this binary */
	STORE_FULL,		/* disk full */
	STORE_IOERR		/* any other I/O or SQLite error */
};

struct store;

/*
 * How writers lock the file. POSIX locks do not reach other clients of a
 * network drive, so "auto" takes a lock directory (FILE.lock) on NFS,
 * SMB/CIFS and FUSE (sshfs), and SQLite's own locks elsewhere.
 */
enum store_lock_mode { STORE_LOCK_AUTO, STORE_LOCK_POSIX, STORE_LOCK_LOCKDIR };

struct store_open_opts {
	int	 busy_timeout_ms;	/* default 5000 when 0 */
	bool	 create;		/* create the file if missing (init) */
	bool	 readonly;		/* open read-only */
	enum store_lock_mode lock;	/* STORE_LOCK_AUTO when 0 */
};

/*
 * Open (and migrate, when writable) the database at path. When the file is
 * writable by nobody here, it is opened read-only and store_readonly() says
 * so; the caller decides whether that is acceptable.
 */
enum store_status store_open(const char *path, const struct store_open_opts *,
	    struct store **, char **cause);
void	 store_close(struct store *);
bool	 store_readonly(const struct store *);
const char *store_path(const struct store *);
/* How this handle locks for writes, in words; caller frees. */
char	*store_lock_describe(const struct store *);
/* The network filesystem holding path ("NFS", ...), or NULL when local. */
const char *store_network_fs(const char *path);
int	 store_schema_version(struct store *);
/* PRAGMA data_version: changes when another connection commits. */
int64_t	 store_data_version(struct store *);
/* PRAGMA integrity_check; 0 when "ok", else -1 with the report in *cause. */
int	 store_integrity_check(struct store *, char **cause);
/* The journal mode actually in force ("delete"). */
char	*store_journal_mode(struct store *);

/*
 * A bulk transaction (import, generators): every write made until commit
 * joins it instead of opening its own. Not nestable.
 */
enum store_status store_begin(struct store *, char **cause);
enum store_status store_commit(struct store *, char **cause);
void	 store_rollback(struct store *);

/*
 * A scratch file (store_scratch.c): a private temporary database, deleted
 * when closed, holding values by key, so that work whose memory would grow
 * with its input (a dry-run import's would-be writes) stays small. _get
 * gives STORE_NOTFOUND for a key never put; its *value (caller frees) is
 * NUL-terminated for convenience.
 */
struct store_scratch;
enum store_status store_scratch_open(struct store_scratch **, char **cause);
void	 store_scratch_close(struct store_scratch *);
enum store_status store_scratch_put(struct store_scratch *, const char *key,
	    const void *value, size_t len, char **cause);
enum store_status store_scratch_get(struct store_scratch *, const char *key,
	    void **value, size_t *len, char **cause);

/* Reps. */
struct store_rep {
	char	*login;
	char	*name;
	char	*team;		/* "sales" | "marketing" */
	char	*role;		/* "rep" | "manager" | "admin" */
	bool	 active;
};
enum store_status store_rep_add(struct store *, const struct store_rep *,
	    time_t at, char **cause);
/* Change a rep's name, team, role or active flag (by login). */
enum store_status store_rep_update(struct store *, const struct store_rep *,
	    char **cause);
enum store_status store_rep_get(struct store *, const char *login,
	    struct store_rep *, char **cause);
/* Fills *reps (caller frees with store_reps_free) ordered by login. */
enum store_status store_rep_list(struct store *, struct store_rep **,
	    size_t *, char **cause);
void	 store_rep_clear(struct store_rep *);
void	 store_reps_free(struct store_rep *, size_t);
/* Number of reps (any role). */
int64_t	 store_rep_count(struct store *);

/* Leads. Every string may be NULL; lead_clear frees them. */
struct lead {
	int64_t	 id;
	char	*email;
	char	*first_name;
	char	*last_name;
	char	*company;
	char	*title;
	char	*phone;
	char	*source;
	char	*country;
	char	*stage;
	char	*owner;		/* login, or NULL when unassigned */
	char	*notes;
	int	 score;		/* fit + engagement */
	int	 fit;
	int	 engagement;
	int64_t	 amount;
	bool	 has_amount;
	int	 visits;
	int	 forms;
	int	 pages;
	time_t	 created_at;
	time_t	 updated_at;
	time_t	 last_activity_at;	/* 0 when none */
	int64_t	 version;
};
void	 lead_clear(struct lead *);
/* Deep copy; dst is overwritten, not freed first. */
void	 lead_copy(struct lead *dst, const struct lead *src);

/*
 * Insert a lead and its "created" event (by user, effective at). Sets
 * l->id, l->version and the timestamps. STORE_EXISTS when the email is
 * taken (compared case-insensitively).
 */
enum store_status store_lead_insert(struct store *, struct lead *l,
	    const char *user, time_t at, char **cause);
enum store_status store_lead_get(struct store *, int64_t id, struct lead *,
	    char **cause);
enum store_status store_lead_by_email(struct store *, const char *email,
	    struct lead *, char **cause);

/*
 * One field change of a lead. Fields: first_name, last_name, company, title,
 * phone, source, country, stage, owner, amount, notes, visits, forms, pages,
 * last_activity_at (a time, "YYYY-MM-DDTHH:MM:SSZ"). new_value NULL clears
 * the field.
 */
struct store_change {
	const char *field;
	const char *old_value;
	const char *new_value;
};

/* Who changed a lead last, for the message after a conflict. */
struct store_conflict {
	char	*user;
	time_t	 at;		/* entered_at of their change */
	char	*kind;		/* "move", "assign", "update", ... */
	char	*field;
	char	*old_value;
	char	*new_value;
	int64_t	 version;	/* the version now in the file */
};
void	 store_conflict_clear(struct store_conflict *);

/*
 * Apply changes to lead id if its version is still expected_version, in one
 * transaction with one event per change (kind: "update", "move", "assign"
 * or "score"; reason may be NULL). Bumps the version (except for kind
 * "score", which is derived data) and updated_at. On STORE_CONFLICT fills
 * *conflict (may be NULL) with the last change made by someone else.
 * Writes the new version to *new_version when not NULL.
 */
enum store_status store_lead_update(struct store *, int64_t id,
	    int64_t expected_version, const char *kind,
	    const struct store_change *, size_t nchanges, const char *reason,
	    const char *user, time_t at, int64_t *new_version,
	    struct store_conflict *conflict, char **cause);

/* Append an activity (call, email, meeting, social, note). */
enum store_status store_activity_add(struct store *, int64_t lead_id,
	    const char *kind, const char *note, const char *user, time_t at,
	    char **cause);
/* Number of attempts (call, email, meeting, social) for a lead; -1 on error. */
int64_t	 store_attempt_count(struct store *, int64_t lead_id);

/* Filters for the board and export; NULL members match everything. */
struct store_filter {
	const char *stage;
	const char *owner;	/* login; "" matches unassigned */
	const char *source;
	/*
	 * Words: a lead matches when each word of text starts a word of its
	 * name, email or company ("ann glo" finds Ann Lee of Globex; case
	 * and accents do not matter; punctuation separates words).
	 */
	const char *text;
};

/*
 * Count leads per stage for the names given; counts[i] for stages[i]. A
 * NULL name counts the leads of every stage not named (none the playbook
 * knows: left by an edited playbook or by hand).
 */
enum store_status store_stage_counts(struct store *,
	    const struct store_filter *, const char *const *stages, size_t n,
	    int64_t *counts, char **cause);
/*
 * One page of a stage's leads, best first (score descending, then oldest
 * first, then id). Fills out[0..*n) (caller clears each with lead_clear).
 */
enum store_status store_lead_page(struct store *, const char *stage,
	    const struct store_filter *, int64_t offset, size_t limit,
	    struct lead *out, size_t *n, char **cause);
/* Every lead matching f, by id; cb returns non-zero to stop. */
enum store_status store_lead_each(struct store *, const struct store_filter *,
	    int (*cb)(const struct lead *, void *), void *arg, char **cause);

/* A lead's history, oldest first, events and activities merged. */
struct store_entry {
	time_t	 at;
	time_t	 entered_at;
	const char *user;
	const char *kind;	/* created, update, move, assign, score, call,
				   email, meeting, social, note */
	const char *field;
	const char *from;
	const char *to;
	const char *note;	/* reason or activity note */
};
enum store_status store_timeline(struct store *, int64_t lead_id,
	    int (*cb)(const struct store_entry *, void *), void *arg,
	    char **cause);

/* Number of leads in the file; -1 on error. */
int64_t	 store_lead_count(struct store *);
/* The highest lead id (0: none): how many leads there are, roughly. */
enum store_status store_lead_max_id(struct store *, int64_t *id,
	    char **cause);

/*
 * Small named settings kept in the file (table meta). store_meta_get sets
 * *value (caller frees) or returns STORE_NOTFOUND with *value NULL.
 */
enum store_status store_meta_get(struct store *, const char *key,
	    char **value, char **cause);
enum store_status store_meta_set(struct store *, const char *key,
	    const char *value, char **cause);

/*
 * Move every stored timestamp (leads, events, activities, reps) by seconds,
 * in one transaction. Only for bringing the demo file to today: it briefly
 * lifts the guard that keeps events append-only.
 */
enum store_status store_shift_times(struct store *, long seconds,
	    char **cause);

/*
 * Backfill mode, for generators that replay a simulated history: each
 * change's entered_at is its at, instead of the wall clock.
 */
void	 store_backfill(struct store *, bool on);

/*
 * For doctor: cb gets each stage the leads are in (any text a hand edit
 * left) with its count; *orphans the leads owned by a login not in reps.
 */
enum store_status store_census(struct store *,
	    int (*cb)(const char *stage, int64_t n, void *), void *arg,
	    int64_t *orphans, char **cause);

/* Human-readable message for a status (no file context). */
const char *store_strerror(enum store_status);

/*
 * Metrics queries (store_metrics.c). Aggregates over the events and
 * activities indexes for one range of effective times [from, to) (the
 * caller clamps to to the report time), grouped by the lead's source (NULL:
 * no source). Rows arrive through cb with the numbers in v[0..nv); a
 * non-zero return stops the query.
 */
typedef int (*store_metrics_cb)(const char *source, const int64_t *v,
	    size_t nv, void *arg);
/* v[0]: leads created in the range at stage (created events). */
enum store_status store_metrics_created(struct store *, const char *stage,
	    time_t from, time_t to, store_metrics_cb, void *, char **cause);
/*
 * v[0]: leads whose first entry ever into stage lies in the range; v[1]: of
 * those, the ones that entered then (may be NULL) at or after that entry
 * and at or before now.
 */
enum store_status store_metrics_first(struct store *, const char *stage,
	    const char *then, time_t from, time_t to, time_t now,
	    store_metrics_cb, void *, char **cause);
/* v[0]: move events into stage in the range. */
enum store_status store_metrics_moves(struct store *, const char *stage,
	    time_t from, time_t to, store_metrics_cb, void *, char **cause);
/*
 * A cohort: v[0] leads with any entry into stage in the range; v[1] of
 * those with an attempt at or before now; v[2] of those that entered won
 * (may be NULL) at or before now.
 */
enum store_status store_metrics_cohort(struct store *, const char *stage,
	    const char *won, time_t from, time_t to, time_t now,
	    store_metrics_cb, void *, char **cause);
/* Moves from stage old to stage new in the range, counted per reason. */
typedef int (*store_metrics_reason_cb)(const char *source,
	    const char *reason, int64_t n, void *arg);
enum store_status store_metrics_reasons(struct store *, const char *old,
	    const char *new, time_t from, time_t to, store_metrics_reason_cb,
	    void *, char **cause);
/*
 * Leads that may have had an SLA handoff in the range: an entry into stage
 * or an assignment to a rep. Each lead once.
 */
enum store_status store_metrics_handoffs(struct store *, const char *stage,
	    time_t from, time_t to,
	    int (*cb)(int64_t lead_id, const char *source, void *), void *,
	    char **cause);
/* One lead's stage and owner changes (id order) and attempt instants. */
struct store_metrics_event {
	time_t		 at;
	bool		 owner;		/* owner change, else stage change */
	char		*value;		/* new stage or login; may be NULL */
};
struct store_metrics_history {
	struct store_metrics_event *ev;
	size_t		 nev;
	time_t		*att;
	size_t		 natt;
};
enum store_status store_metrics_history(struct store *, int64_t lead_id,
	    struct store_metrics_history *, char **cause);
void	 store_metrics_history_clear(struct store_metrics_history *);
/*
 * The same facts as rows for the caller to bucket by month, so that many
 * months cost one walk of each index range: nothing joins the leads per
 * row. Rows arrive through cb; a non-zero return stops the walk.
 */
typedef int (*store_metrics_at_cb)(int64_t lead_id, time_t at, void *arg);
/* Every lead's source (NULL: none), sorted by source, from leads_source. */
enum store_status store_metrics_sources(struct store *,
	    int (*cb)(int64_t lead_id, const char *source, void *), void *,
	    char **cause);
/*
 * The same a page of at most limit leads at a time (p zeroed first), so
 * that a sliced gathering reads a million leads in pieces; p says where the
 * next page starts, p->done when all are read. Clear p with
 * store_metrics_page_clear.
 */
struct store_metrics_page {
	char		*source;	/* the last row read */
	char		*stage;
	int64_t		 id;
	bool		 started;	/* a row of this part was read */
	bool		 named;		/* past the leads without a source */
	bool		 done;
};
enum store_status store_metrics_sources_page(struct store *,
	    struct store_metrics_page *, size_t limit,
	    int (*cb)(int64_t lead_id, const char *source, void *), void *,
	    char **cause);
void	 store_metrics_page_clear(struct store_metrics_page *);
/* The first entry ever into stage (*found false when there is none). */
enum store_status store_metrics_first_at(struct store *, const char *stage,
	    time_t *at, bool *found, char **cause);
/* Entries (created or move) into stage in [from, to), in time order. */
enum store_status store_metrics_entries(struct store *, const char *stage,
	    time_t from, time_t to, store_metrics_at_cb, void *, char **cause);
/* Created events in [from, to) with their initial stage. */
enum store_status store_metrics_creations(struct store *, time_t from,
	    time_t to, int (*cb)(int64_t lead_id, time_t at, const char *stage,
	    void *), void *, char **cause);
/* Assignments to a login of the reps table in [from, to). */
enum store_status store_metrics_assigns(struct store *, time_t from,
	    time_t to, store_metrics_at_cb, void *, char **cause);
/* Has the lead an attempt at or before now? */
enum store_status store_metrics_attempted(struct store *, int64_t lead_id,
	    time_t now, bool *yes, char **cause);
/*
 * Hold one read snapshot across a gathering's queries (*held: one was
 * begun); release ends it. Reads only: no write may come in between.
 */
enum store_status store_metrics_hold(struct store *, bool *held,
	    char **cause);
void	 store_metrics_release(struct store *, bool held);
/* End of the metrics queries. */

/* SLA queries (store_sla.c). */
/*
 * One lead's stage and owner events (kind created, move or assign; ordered
 * by instant, then as written) and its attempt instants (call, email,
 * meeting, social; ordered), both up to now included. Borrowed: valid only
 * during the callback.
 */
struct store_sla_event {
	time_t		 at;
	bool		 owner;		/* owner change, else stage change */
	const char	*value;		/* new stage or login; NULL: none */
};
struct store_sla_lead {
	int64_t		 id;
	const struct store_sla_event *ev;
	size_t		 nev;
	const time_t	*att;
	size_t		 natt;
};
/* Receives one lead; a non-zero return stops the walk. */
typedef int (*store_sla_cb)(const struct store_sla_lead *, void *arg);
/*
 * Every lead with an event, in id order, one at a time: two index walks
 * (events, activities) merged by lead, so memory holds one lead's history.
 */
enum store_status store_sla_each(struct store *, time_t now, store_sla_cb,
	    void *arg, char **cause);
/* The same for the leads ids[0..n) only, in that order (visible cards). */
enum store_status store_sla_leads(struct store *, const int64_t *ids,
	    size_t n, time_t now, store_sla_cb, void *arg, char **cause);
/*
 * The leads whose clocks can matter at now, so that a million leads need
 * not all be replayed (slaview.h says which; the rules are the caller's):
 * every lead with a stage event into a stage handoff() accepts, or with an
 * owner event, at or after since; every lead with a stage or owner event
 * after now (its state at now is not its row's); and every lead whose row
 * is in a stage open() accepts. Distinct stage and owner values are found
 * by seeking the events_field index, then each value's range is read, so
 * the work follows the recent events, not the history. Sorted by id, no
 * duplicates; the caller frees *ids. Past limit rows (0: no limit) it gives
 * up: *ids NULL and *n = limit + 1, for the caller to walk every lead.
 */
struct store_sla_scope {
	time_t		 since;
	time_t		 now;
	size_t		 limit;
	bool		(*handoff)(const char *stage, void *arg);
	bool		(*open)(const char *stage, void *arg);
	void		*arg;
};
enum store_status store_sla_candidates(struct store *,
	    const struct store_sla_scope *, int64_t **ids, size_t *n,
	    char **cause);
/*
 * A lead's email and name ("First Last", NULL when both are empty); the
 * caller frees both. STORE_NOTFOUND when there is no such lead.
 */
enum store_status store_sla_contact(struct store *, int64_t id,
	    char **email, char **name, char **cause);
/* *n: leads whose first entry ever into stage lies in [from, to). */
enum store_status store_sla_first_entries(struct store *, const char *stage,
	    time_t from, time_t to, int64_t *n, char **cause);
/* *n: active reps of team ("sales") with role ("rep"). */
enum store_status store_sla_rep_count(struct store *, const char *team,
	    const char *role, int64_t *n, char **cause);
/* End of the SLA queries. */

/* Goals queries (store_goals.c). */
/*
 * *entered: leads whose first entry ever into stage lies in [from, to);
 * *advanced: of those, the ones that entered one of later[0..nlater) at or
 * after that entry and at or before now.
 */
enum store_status store_goals_cohort(struct store *, const char *stage,
	    const char *const *later, size_t nlater, time_t from, time_t to,
	    time_t now, int64_t *entered, int64_t *advanced, char **cause);
/*
 * Of the leads whose first entry ever into stage lies in [from, to): *n,
 * *valued the ones with an amount, *sum their amounts.
 */
enum store_status store_goals_amounts(struct store *, const char *stage,
	    time_t from, time_t to, int64_t *n, int64_t *valued, int64_t *sum,
	    char **cause);
/* End of the goals queries. */

#endif
