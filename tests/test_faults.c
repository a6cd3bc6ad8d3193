/*
 * Fault injection: every write path of the store (lead insert, the four
 * kinds of lead update, activity, rep, and a bulk CSV import) meets an I/O
 * fault at every xWrite, xSync and xLock it makes, once and sticky, through
 * the shim VFS of tests/faultvfs.c. Each time: a failure comes back as a
 * status with a message a user can act on, the file passes integrity_check
 * and holds nothing of the failed write (read through a fresh connection on
 * the real VFS, which also rolls back a hot journal), a success is really in
 * the file, and the next write on the same handle succeeds.
 */
#include "testutil.h"

#include <errno.h>
#include <sqlite3.h>

#include "faultvfs.c"
#include "smk/config.h"
#include "smk/csvin.h"
#include "smk/store.h"

#define AT	1793800000	/* 2026-11-04, a fixed instant */
#define BULK	5		/* rows of one import */

struct fx {
	struct store	*s;
	char		*path;
	struct config	 cfg;
	int		 seq;		/* makes each write's values unique */
	char		 marker[64];	/* what the last write left behind */
	int64_t		 version;	/* lead 1, by fx_load */
	char		 stage[32];
	char		 owner[32];
};

/* One write path: do it (the fault may hit), and say how to find it. */
struct path {
	const char	*name;
	int		(*write)(struct fx *, char **);	/* 0 ok, -1 failed */
	const char	*find_sql;	/* count of rows carrying ?1 */
	int		 rows;		/* what find_sql counts when it worked */
};

static int	faults_injected, faults_handled;
static int	faults_refused;		/* ... of which the write failed */

/*
 * Lead 1, which every update path changes, as the caller last saw it: read
 * before the fault is armed, as the command line and the board do.
 */
static void
fx_load(struct fx *f)
{
	struct lead l;
	char *cause = NULL;

	if (store_lead_get(f->s, 1, &l, &cause) != STORE_OK)
		fail_msg("reading lead 1: %s (seq %d)", cause, f->seq);
	f->version = l.version;
	snprintf(f->stage, sizeof f->stage, "%s", l.stage);
	snprintf(f->owner, sizeof f->owner, "%s", l.owner != NULL ? l.owner :
	    "");
	lead_clear(&l);
}

static int
w_insert(struct fx *f, char **cause)
{
	struct lead l;
	int rc;

	memset(&l, 0, sizeof l);
	snprintf(f->marker, sizeof f->marker, "n%d@x.example", f->seq);
	l.email = f->marker;
	l.stage = (char *)"lead";
	rc = store_lead_insert(f->s, &l, "boss", AT, cause) == STORE_OK ? 0 : -1;
	return rc;
}

/* One update of lead 1 with kind, field and new value. */
static int
w_update(struct fx *f, const char *kind, const char *field, const char *v,
    const char *old, int64_t version, char **cause)
{
	struct store_change ch = { field, old, v };

	snprintf(f->marker, sizeof f->marker, "why %d", f->seq);
	return store_lead_update(f->s, 1, version, kind, &ch, 1, f->marker,
	    "boss", AT, NULL, NULL, cause) == STORE_OK ? 0 : -1;
}

static int
w_move(struct fx *f, char **cause)
{
	return w_update(f, "move", "stage", strcmp(f->stage, "mql") == 0 ?
	    "sql" : "mql", f->stage, f->version, cause);
}

static int
w_assign(struct fx *f, char **cause)
{
	return w_update(f, "assign", "owner", strcmp(f->owner, "sam") == 0 ?
	    "tess" : "sam", *f->owner != '\0' ? f->owner : NULL, f->version,
	    cause);
}

static int
w_set(struct fx *f, char **cause)
{
	char title[32];

	snprintf(title, sizeof title, "title %d", f->seq);
	return w_update(f, "update", "title", title, NULL, f->version, cause);
}

static int
w_score(struct fx *f, char **cause)
{
	char score[32];

	snprintf(score, sizeof score, "%d", f->seq);
	return w_update(f, "score", "score", score, NULL, f->version, cause);
}

static int
w_activity(struct fx *f, char **cause)
{
	snprintf(f->marker, sizeof f->marker, "note %d", f->seq);
	return store_activity_add(f->s, 1, "call", f->marker, "boss", AT,
	    cause) == STORE_OK ? 0 : -1;
}

static int
w_rep(struct fx *f, char **cause)
{
	struct store_rep r = { f->marker, (char *)"New Rep", (char *)"sales",
	    (char *)"rep", true };

	snprintf(f->marker, sizeof f->marker, "rep%d", f->seq);
	return store_rep_add(f->s, &r, AT, cause) == STORE_OK ? 0 : -1;
}

static int
w_import(struct fx *f, char **cause)
{
	struct csvin_opts o;
	struct csvin_stats stats;
	char csv[1024];
	size_t len;
	FILE *in;
	int k, rc;

	snprintf(f->marker, sizeof f->marker, "b%d-", f->seq);
	len = (size_t)snprintf(csv, sizeof csv,
	    "email,first_name,last_name,company\n");
	for (k = 1; k <= BULK; k++)
		len += (size_t)snprintf(csv + len, sizeof csv - len,
		    "%s%d@x.example,Bulk,%d,Acme\n", f->marker, k, k);
	assert_non_null(in = fmemopen(csv, len, "r"));
	memset(&o, 0, sizeof o);
	o.name = "faults.csv";
	o.on_error = CSVIN_ABORT;
	o.user = "boss";
	o.now = AT;
	rc = csvin_import(f->s, &f->cfg, in, &o, &stats, cause) == SMK_OK ?
	    0 : -1;
	csvin_stats_clear(&stats);
	fclose(in);
	return rc;
}

static const struct path paths[] = {
	{ "lead insert", w_insert,
	    "SELECT count(*) FROM leads WHERE email = ?1", 1 },
	{ "move", w_move,
	    "SELECT count(*) FROM events WHERE kind = 'move' AND reason = ?1",
	    1 },
	{ "assign", w_assign,
	    "SELECT count(*) FROM events WHERE kind = 'assign' AND reason = ?1",
	    1 },
	{ "update", w_set,
	    "SELECT count(*) FROM events WHERE kind = 'update' AND reason = ?1",
	    1 },
	{ "score", w_score,
	    "SELECT count(*) FROM events WHERE kind = 'score' AND reason = ?1",
	    1 },
	{ "activity", w_activity,
	    "SELECT count(*) FROM activities WHERE note = ?1", 1 },
	{ "rep add", w_rep, "SELECT count(*) FROM reps WHERE login = ?1", 1 },
	{ "bulk import", w_import,
	    "SELECT count(*) FROM leads WHERE email LIKE ?1 || '%'", BULK },
};

/*
 * The file as a new user would see it: through the real VFS, read-write so
 * that a hot journal is rolled back. *state gets every count and lead 1;
 * returns the rows carrying the marker, or -1 when the file is damaged.
 */
static int
fx_inspect(struct fx *f, const struct path *p, char *state, size_t len)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int n = -1;

	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READWRITE,
	    "unix"), SQLITE_OK);
	sqlite3_busy_timeout(db, 1000);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1,
	    &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0)
		goto out;
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT"
	    " (SELECT count(*) FROM leads) || ' ' ||"
	    " (SELECT count(*) FROM events) || ' ' ||"
	    " (SELECT count(*) FROM activities) || ' ' ||"
	    " (SELECT count(*) FROM reps) || ' ' ||"
	    " (SELECT version || ' ' || stage || ' ' || coalesce(owner, '-') ||"
	    "  ' ' || coalesce(title, '-') || ' ' || score FROM leads"
	    "  WHERE id = 1)", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(state, len, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, p->find_sql, -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, f->marker, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int(st, 0);
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void
fx_open(struct fx *f, const char *name)
{
	struct store_open_opts opts = { .busy_timeout_ms = 20, .create = true };
	struct store_rep r = { NULL, (char *)"Someone", (char *)"sales",
	    (char *)"manager", true };
	static const char *const logins[] = { "boss", "sam", "tess" };
	struct lead l;
	char *cause = NULL;
	size_t i;

	faultvfs_install();
	faultvfs_disarm();
	memset(f, 0, sizeof *f);
	f->path = test_path(name);
	assert_int_equal(store_open(f->path, &opts, &f->s, &cause), STORE_OK);
	for (i = 0; i < sizeof logins / sizeof *logins; i++) {
		r.login = (char *)logins[i];
		assert_int_equal(store_rep_add(f->s, &r, AT, &cause), STORE_OK);
	}
	memset(&l, 0, sizeof l);
	l.email = (char *)"one@x.example";
	l.stage = (char *)"mql";
	assert_int_equal(store_lead_insert(f->s, &l, "boss", AT, &cause),
	    STORE_OK);
	l.email = l.stage = NULL;
	lead_clear(&l);
	config_defaults(&f->cfg);
}

static void
fx_close(struct fx *f)
{
	faultvfs_disarm();
	store_close(f->s);
	config_free(&f->cfg);
	free(f->path);
}

/* Is cause a message a user can act on, naming what happened? */
static int
fault_message_ok(int rc, const char *cause)
{
	if (cause == NULL)
		return 0;
	switch (rc & 0xff) {
	case SQLITE_FULL:
		return strstr(cause, "disk full") != NULL;
	case SQLITE_BUSY:
		return strstr(cause, "locked") != NULL;
	default:
		return strstr(cause, "input/output error") != NULL ||
		    strstr(cause, "rolled back") != NULL;
	}
}

/* One write of p with the fault armed; 0 when everything held. */
static int
fault_case(struct fx *f, const struct path *p, enum faultvfs_op op, int nth,
    int rc, int sticky)
{
	static const char *const ops[] = { "xWrite", "xSync", "xLock" };
	char before[256], after[256], *cause = NULL;
	int failed, n, bad = 0;

	f->seq++;
	assert_int_equal(fx_inspect(f, p, before, sizeof before) >= 0, 1);
	fx_load(f);
	faultvfs_arm(op, nth, rc, sticky);
	failed = p->write(f, &cause) != 0;
	faultvfs_disarm();
	if (faultvfs.fired == 0) {
		free(cause);
		return failed ? -1 : 1;	/* the path has no call nth */
	}
	faults_injected++;
	n = fx_inspect(f, p, after, sizeof after);
	if (n < 0)
		bad = fprintf(stderr, "damaged file");
	else if (failed && !fault_message_ok(rc, cause))
		bad = fprintf(stderr, "unclear message \"%s\"",
		    cause != NULL ? cause : "(none)");
	else if (failed && (n != 0 || strcmp(before, after) != 0))
		bad = fprintf(stderr, "half-written: %d rows, %s -> %s", n,
		    before, after);
	else if (!failed && n != p->rows)
		bad = fprintf(stderr, "acknowledged but %d of %d rows kept", n,
		    p->rows);
	free(cause);
	cause = NULL;
	/* The next write, fault gone, must work on the same handle. */
	f->seq++;
	fx_load(f);
	if (!bad && (p->write(f, &cause) != 0 || fx_inspect(f, p, after,
	    sizeof after) != p->rows))
		bad = fprintf(stderr, "next write failed: %s",
		    cause != NULL ? cause : "(not in the file)");
	free(cause);
	if (bad) {
		fprintf(stderr, " (%s: %s %d of %s, rc %d%s)\n", p->name,
		    ops[op], nth, ops[op], rc, sticky ? ", sticky" : "");
		return -1;
	}
	faults_handled++;
	faults_refused += failed;
	return 0;
}

/* Every fault at every call of the path, until a call number is past it. */
static void
fault_path(const struct path *p, const char *file)
{
	static const struct { enum faultvfs_op op; int rc; } kinds[] = {
		{ FAULTVFS_WRITE, SQLITE_IOERR_WRITE },
		{ FAULTVFS_WRITE, SQLITE_FULL },
		{ FAULTVFS_SYNC, SQLITE_IOERR_FSYNC },
		{ FAULTVFS_SYNC, SQLITE_FULL },
		{ FAULTVFS_LOCK, SQLITE_IOERR_LOCK },
		{ FAULTVFS_LOCK, SQLITE_BUSY },
	};
	struct fx f;
	size_t k;
	int nth, sticky, r, failures = 0, cases = 0;
	int refused = faults_refused;

	fx_open(&f, file);
	for (k = 0; k < sizeof kinds / sizeof *kinds; k++) {
		for (sticky = 0; sticky <= 1; sticky++) {
			for (nth = 1; nth < 100; nth++) {
				r = fault_case(&f, p, kinds[k].op, nth,
				    kinds[k].rc, sticky);
				if (r == 1)
					break;
				cases++;
				failures += r != 0;
			}
		}
	}
	fx_close(&f);
	fprintf(stderr, "# %s: %d faults (%d refused the write, the rest "
	    "were retried), %d not handled\n", p->name, cases,
	    faults_refused - refused, failures);
	assert_int_not_equal(cases, 0);
	assert_int_equal(failures, 0);
}

static void
t_insert(void **state)
{
	(void)state;
	fault_path(&paths[0], "insert.db");
}

static void
t_move(void **state)
{
	(void)state;
	fault_path(&paths[1], "move.db");
}

static void
t_assign(void **state)
{
	(void)state;
	fault_path(&paths[2], "assign.db");
}

static void
t_update(void **state)
{
	(void)state;
	fault_path(&paths[3], "update.db");
}

static void
t_score(void **state)
{
	(void)state;
	fault_path(&paths[4], "score.db");
}

static void
t_activity(void **state)
{
	(void)state;
	fault_path(&paths[5], "activity.db");
}

static void
t_rep(void **state)
{
	(void)state;
	fault_path(&paths[6], "rep.db");
}

static void
t_import(void **state)
{
	(void)state;
	fault_path(&paths[7], "import.db");
}

/*
 * A failed read is no failed write: its message says neither "disk full"
 * (though errno still holds an earlier ENOSPC, which SQLite hands back for
 * a fault that set none) nor "nothing was saved". A failed write says both
 * what happened and that nothing was saved.
 */
static void
t_read_error(void **state)
{
	struct store_open_opts opts = { .busy_timeout_ms = 20 };
	struct fx f;
	struct lead l, n;
	char *cause = NULL;

	(void)state;
	fx_open(&f, "read.db");
	store_close(f.s);
	/* A new handle, so lead 1 is not in its page cache. */
	assert_int_equal(store_open(f.path, &opts, &f.s, &cause), STORE_OK);
	errno = ENOSPC;
	faultvfs_arm(FAULTVFS_READ, 1, SQLITE_IOERR_READ, 1);
	assert_int_equal(store_lead_get(f.s, 1, &l, &cause), STORE_IOERR);
	faultvfs_disarm();
	assert_non_null(cause);
	assert_non_null(strstr(cause, "input/output error"));
	assert_null(strstr(cause, "disk full"));
	assert_null(strstr(cause, "nothing was saved"));
	free(cause);
	cause = NULL;
	/* The handle reads again once the fault is gone. */
	assert_int_equal(store_lead_get(f.s, 1, &l, &cause), STORE_OK);
	assert_string_equal(l.email, "one@x.example");
	lead_clear(&l);
	memset(&n, 0, sizeof n);
	n.email = (char *)"two@x.example";
	n.stage = (char *)"lead";
	faultvfs_arm(FAULTVFS_WRITE, 1, SQLITE_IOERR_WRITE, 1);
	assert_int_equal(store_lead_insert(f.s, &n, "boss", AT, &cause),
	    STORE_IOERR);
	faultvfs_disarm();
	assert_non_null(cause);
	assert_non_null(strstr(cause, "input/output error"));
	assert_non_null(strstr(cause, "nothing was saved"));
	free(cause);
	fx_close(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_insert),
		cmocka_unit_test(t_move),
		cmocka_unit_test(t_assign),
		cmocka_unit_test(t_update),
		cmocka_unit_test(t_score),
		cmocka_unit_test(t_activity),
		cmocka_unit_test(t_rep),
		cmocka_unit_test(t_import),
		cmocka_unit_test(t_read_error),
	};
	int rc;

	rc = cmocka_run_group_tests(tests, NULL, NULL);
	printf("# figures: faults injected=%d handled=%d\n", faults_injected,
	    faults_handled);
	test_cleanup();
	return rc;
}
