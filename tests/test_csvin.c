/*
 * CSV import over a real SQLite file: HubSpot, Salesforce and messy
 * spreadsheet exports, every kind of bad row (message, line, nothing
 * written), skip mode and its rejects file, dry runs, re-imports that update
 * instead of duplicating, --map files, scoring on import, and the date,
 * header and delimiter readers on their own.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "testdb.h"

#include "smk/config.h"
#include "smk/csvin.h"
#include "smk/score.h"
#include "smk/store.h"
#include "smk/when.h"
#include "smk/xmalloc.h"

#ifndef TEST_DATA
#define TEST_DATA "tests/data"
#endif

#define T0 ((time_t)1795000000)	/* 2026-11-18T11:06:40Z */

static const char playbook[] =
    "[scoring]\n"
    "mql_threshold = 40\n"
    "[score.senior]\n"
    "field = title\n"
    "match = vp|director|head\n"
    "points = 30\n"
    "[score.visits]\n"
    "field = visits\n"
    "match = >= 3\n"
    "points = 15\n"
    "part = engagement\n";

struct fixture {
	struct store	*store;
	struct config	 cfg;
	char		*db;
	char		 notes[8192];	/* one line per note */
	struct csvin_stats stats;
	struct csvin_opts opts;
	char		*cause;
};

static int fixture_n;

static void
note_cb(const struct csvin_note *n, void *arg)
{
	struct fixture	*fx = arg;
	static const char *what[] = { "create", "update", "same", "reject" };
	size_t		 len = strlen(fx->notes);

	snprintf(fx->notes + len, sizeof fx->notes - len, "%s %lu %s%s%s%s%s\n",
	    what[n->what], n->line, n->email != NULL ? n->email : "-",
	    n->column != NULL ? " [" : "", n->column != NULL ? n->column : "",
	    n->column != NULL ? "]" : "", "");
	if (n->text != NULL) {
		len = strlen(fx->notes) - 1;
		snprintf(fx->notes + len, sizeof fx->notes - len, ": %s\n",
		    n->text);
	}
}

static void
add_rep(struct store *s, const char *login, const char *name,
    const char *team, const char *role)
{
	struct store_rep r = { (char *)login, (char *)name, (char *)team,
	    (char *)role, true };

	assert_int_equal(store_rep_add(s, &r, T0 - 86400 * 100, NULL),
	    STORE_OK);
}

static int
setup(void **state)
{
	struct fixture		*fx = xcalloc(1, sizeof *fx);
	struct store_open_opts	 oo = { .create = true };
	char			 name[64], *pb;

	snprintf(name, sizeof name, "t%d.db", fixture_n);
	fx->db = test_path(name);
	snprintf(name, sizeof name, "t%d.ini", fixture_n++);
	pb = test_write_file(name, playbook);
	config_defaults(&fx->cfg);
	assert_int_equal(config_load_playbook(&fx->cfg, pb, NULL, NULL, NULL),
	    0);
	free(pb);
	assert_int_equal(store_open(fx->db, &oo, &fx->store, NULL), STORE_OK);
	add_rep(fx->store, "alee", "Ann Lee", "sales", "rep");
	add_rep(fx->store, "bob", "Bob Stone", "marketing", "manager");
	fx->opts.user = "bob";
	fx->opts.now = T0;
	fx->opts.note = note_cb;
	fx->opts.arg = fx;
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	store_close(fx->store);
	config_free(&fx->cfg);
	csvin_stats_clear(&fx->stats);
	free(fx->cause);
	free(fx->db);
	free(fx);
	score_cache_clear();
	return (0);
}

static enum smk_err
import_path(struct fixture *fx, const char *path)
{
	FILE		*f;
	enum smk_err	 err;

	assert_non_null(f = fopen(path, "r"));
	if (fx->opts.name == NULL)
		fx->opts.name = strrchr(path, '/') != NULL ?
		    strrchr(path, '/') + 1 : path;
	fx->notes[0] = '\0';
	csvin_stats_clear(&fx->stats);
	free(fx->cause);
	fx->cause = NULL;
	err = csvin_import(fx->store, &fx->cfg, f, &fx->opts, &fx->stats,
	    &fx->cause);
	fclose(f);
	return (err);
}

static enum smk_err
import_data(struct fixture *fx, const char *file)
{
	char		 path[256];

	snprintf(path, sizeof path, "%s/%s", TEST_DATA, file);
	return (import_path(fx, path));
}

static enum smk_err
import_text(struct fixture *fx, const char *name, const char *text)
{
	char		*p = test_write_file(name, text);
	enum smk_err	 err;

	fx->opts.name = name;
	err = import_path(fx, p);
	free(p);
	return (err);
}

/* One value (an integer, or text or ""), through a second connection. */
static long long
q(struct fixture *fx, const char *sql)
{
	return (test_sql_int(fx->db, sql));
}

static const char *
qs(struct fixture *fx, const char *sql)
{
	return (test_sql_text(fx->db, sql));
}

static void
csvin_hubspot(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(import_data(fx, "hubspot_contacts.csv"), SMK_OK);
	assert_int_equal(fx->stats.rows, 4);
	assert_int_equal(fx->stats.created, 4);
	assert_int_equal(fx->stats.rejected, 0);
	assert_string_equal(fx->stats.ignored, "Lead Status, Annual Revenue");
	assert_int_equal(q(fx, "SELECT count(*) FROM leads"), 4);
	assert_string_equal(qs(fx, "SELECT first_name||' '||last_name||'|'||"
	    "company||'|'||title||'|'||phone||'|'||source||'|'||stage||'|'||"
	    "owner||'|'||visits||'|'||pages||'|'||forms||'|'||created_at||'|'"
	    "||last_activity_at FROM leads WHERE email='ann.lee@acme.com'"),
	    "Ann Lee|Acme Corp|VP Sales|+1 555 0100|Organic Search|mql|bob|"
	    "4|12|1|2026-10-01T09:15:00Z|2026-11-10T16:00:00Z");
	/* A quoted comma; an owner given by email (login "bob"). */
	assert_string_equal(qs(fx, "SELECT title||'|'||owner||'|'||stage FROM "
	    "leads WHERE email='mia.chen@initech.com'"),
	    "Head of Growth, EMEA|bob|subscriber");
	assert_string_equal(qs(fx, "SELECT last_name||'|'||owner||'|'||stage "
	    "FROM leads WHERE email='luis@umbrella.es'"), "Gómez|alee|sql");
	/* The created event is the importing user's, at Create Date. */
	assert_string_equal(qs(fx, "SELECT actor||'|'||at||'|'||new_value FROM"
	    " events e JOIN leads l ON l.id=e.lead_id WHERE l.email="
	    "'raj@globex.io' AND kind='created'"),
	    "bob|2026-10-02T11:00:00Z|lead");
	assert_int_equal(q(fx, "SELECT count(*) FROM events WHERE kind="
	    "'assign' AND actor='bob'"), 3);
}

static void
csvin_salesforce(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(import_data(fx, "salesforce_leads.csv"), SMK_OK);
	assert_int_equal(fx->stats.created, 3);
	assert_null(fx->stats.ignored);
	assert_string_equal(qs(fx, "SELECT stage||'|'||owner||'|'||source||'|'"
	    "||created_at FROM leads WHERE email='olga@stark.com'"),
	    "lead|alee|Web|2026-09-15T13:20:00Z");
	assert_string_equal(qs(fx, "SELECT last_name||'|'||stage||'|'||owner "
	    "FROM leads WHERE email='tom.obrien@wayne.com'"),
	    "O'Brien|sql|bob");
	assert_string_equal(qs(fx, "SELECT stage||'|'||coalesce(owner,'-') "
	    "FROM leads WHERE email='sara@hooli.com'"), "disqualified|-");
}

static void
csvin_messy(void **state)
{
	struct fixture	*fx = *state;

	fx->opts.map_path = TEST_DATA "/messy_map.ini";
	assert_int_equal(import_data(fx, "messy_export.csv"), SMK_OK);
	assert_int_equal(fx->stats.delimiter, ';');
	assert_int_equal(fx->stats.rows, 2);
	assert_int_equal(fx->stats.created, 2);
	/* Line numbers count the empty lines and the quoted line break. */
	assert_string_equal(fx->notes,
	    "create 3 karl@muster.de\n"
	    "create 7 pia@beispiel.de\n");
	assert_string_equal(qs(fx, "SELECT first_name||'|'||company||'|'||"
	    "title||'|'||source||'|'||created_at FROM leads WHERE email="
	    "'karl@muster.de'"),
	    "Karl|Muster; Söhne GmbH|Leiter\r\nEinkauf|spreadsheet|"
	    "2026-10-24T00:00:00Z");
	assert_string_equal(qs(fx, "SELECT created_at FROM leads WHERE email="
	    "'pia@beispiel.de'"), "2026-10-25T14:30:00Z");
}

static void
csvin_bad_rows_abort(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(import_data(fx, "bad_rows.csv"), SMK_EUSER);
	assert_string_equal(fx->cause, "bad_rows.csv: 8 bad rows; nothing was"
	    " imported (fix them, or use --on-error skip to import the rest)");
	assert_string_equal(fx->notes,
	    "create 2 good@ok.com\n"
	    "reject 3 not-an-email [email]: \"not-an-email\" is not an email"
	    " address\n"
	    "reject 4 - [email]: no email address\n"
	    "reject 5 x@ok.com [stage]: unknown stage \"limbo\" (name it in "
	    "the playbook's [stages], or map it in --map [stage])\n"
	    "reject 6 y@ok.com [owner]: unknown rep \"zed@nowhere.com\" (add "
	    "them with smk rep add, or map the name in --map [owner])\n"
	    "reject 7 z@ok.com [created_at]: \"03/04/2026\" could be "
	    "day/month or month/day; give --date-format (%d/%m/%Y or "
	    "%m/%d/%Y)\n"
	    "reject 8 w@ok.com [visits]: \"many\" is not a count (a whole "
	    "number of 0 or more)\n"
	    "reject 10 v@ok.com: the row has 7 cells, the header 6\n"
	    "reject 11 u@ok.com [created_at]: 2030-01-01 is later than the "
	    "import time 2026-11-18T11:06:40Z\n");
	assert_int_equal(q(fx, "SELECT count(*) FROM leads"), 0);
	assert_int_equal(q(fx, "SELECT count(*) FROM events"), 0);
}

static void
csvin_bad_rows_skip(void **state)
{
	struct fixture	*fx = *state;
	char		*rej = test_path("bad_rows.rejects.csv");
	char		 buf[4096];
	FILE		*f;
	size_t		 n;

	fx->opts.on_error = CSVIN_SKIP;
	fx->opts.rejects_path = rej;
	assert_int_equal(import_data(fx, "bad_rows.csv"), SMK_OK);
	assert_int_equal(fx->stats.created, 1);
	assert_int_equal(fx->stats.rejected, 8);
	assert_int_equal(q(fx, "SELECT count(*) FROM leads"), 1);
	assert_non_null(f = fopen(rej, "r"));
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_non_null(strstr(buf, "\"email\",\"first_name\",\"stage\","
	    "\"owner\",\"created_at\",\"visits\",\"reason\"\n"));
	assert_non_null(strstr(buf, "\"w@ok.com\",\"W\nmulti\",\"lead\",\"\","
	    "\"2026-10-01\",\"many\",\"line 8: visits: \"\"many\"\" is not a "
	    "count (a whole number of 0 or more)\"\n"));
	assert_non_null(strstr(buf, "\"line 4: email: no email address\""));
	free(rej);
}

static void
csvin_bad_files(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(import_data(fx, "bad_unclosed.csv"), SMK_EUSER);
	assert_string_equal(fx->cause, "bad_unclosed.csv:2: a quoted cell is "
	    "not closed before the end of the file");
	fx->opts.name = NULL;
	assert_int_equal(import_data(fx, "bad_noemail.csv"), SMK_EUSER);
	assert_string_equal(fx->cause, "bad_noemail.csv:1: no column holds "
	    "the email address; name it in --map [columns] (e.g. \"E-Mail = "
	    "email\")");
	fx->opts.name = NULL;
	assert_int_equal(import_data(fx, "bad_empty.csv"), SMK_EUSER);
	assert_string_equal(fx->cause, "bad_empty.csv: the file is empty (no "
	    "header line)");
	if (import_text(fx, "ok.csv", "email,title\na@b.co,x\n") != SMK_OK)
		fail_msg("%s", fx->cause);
	assert_int_equal(q(fx, "SELECT count(*) FROM leads"), 1);
	fx->opts.map_path = TEST_DATA "/nonexistent.ini";
	assert_int_equal(import_text(fx, "m.csv", "email\na@b.co\n"),
	    SMK_EUSER);
	assert_string_equal(fx->cause, TEST_DATA "/nonexistent.ini: No such "
	    "file or directory");
}

static void
csvin_nul_and_long(void **state)
{
	struct fixture	*fx = *state;
	char		*p = test_path("nul.csv"), *big;
	FILE		*f;

	assert_non_null(f = fopen(p, "w"));
	fwrite("email,title\nn@ul.com,a\0b\n", 1, 25, f);
	fclose(f);
	fx->opts.name = "nul.csv";
	assert_int_equal(import_path(fx, p), SMK_EUSER);
	assert_string_equal(fx->notes,
	    "reject 2 n@ul.com [title]: contains a NUL byte\n");
	free(p);

	/* An unclosed quote is stopped, not read into memory to the end. */
	big = xmalloc(CSVIN_RECORD_MAX + 64);
	memset(big, 'x', CSVIN_RECORD_MAX + 63);
	memcpy(big, "email\n\"", 7);
	big[CSVIN_RECORD_MAX + 63] = '\0';
	assert_int_equal(import_text(fx, "long.csv", big), SMK_EUSER);
	assert_string_equal(fx->cause, "long.csv:2: a cell runs past 1048576 "
	    "bytes (is a quote not closed?)");
	free(big);
	assert_int_equal(q(fx, "SELECT count(*) FROM leads"), 0);
}

static void
csvin_reimport(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(import_data(fx, "hubspot_contacts.csv"), SMK_OK);
	fx->opts.user = "alee";
	fx->opts.now = T0 + 3600;
	assert_int_equal(import_text(fx, "again.csv",
	    "Email,Job Title,Contact owner,Lifecycle Stage\n"
	    "ANN.LEE@ACME.COM,VP Sales,Ann Lee,Sales Qualified Lead\n"
	    "raj@globex.io,Engineer,,\n"
	    "new@lead.com,,,\n"), SMK_OK);
	assert_int_equal(fx->stats.updated, 1);
	assert_int_equal(fx->stats.unchanged, 1);
	assert_int_equal(fx->stats.created, 1);
	assert_int_equal(q(fx, "SELECT count(*) FROM leads"), 5);
	assert_string_equal(qs(fx, "SELECT stage||'|'||owner||'|'||version "
	    "FROM leads WHERE email='ann.lee@acme.com'"), "sql|alee|3");
	assert_string_equal(qs(fx, "SELECT group_concat(kind||':'||"
	    "old_value||'>'||new_value||':'||actor||':'||reason, ';') FROM "
	    "(SELECT * FROM events WHERE at='2026-11-18T12:06:40Z' AND "
	    "kind!='score' ORDER BY id)"),
	    "assign:bob>alee:alee:imported from again.csv;"
	    "move:mql>sql:alee:imported from again.csv");
}

/*
 * A later last activity in the file is an "update"; an earlier one is not
 * (the lead may have been worked in smk since the export).
 */
static void
csvin_reimport_activity(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(import_data(fx, "hubspot_contacts.csv"), SMK_OK);
	fx->opts.now = T0 + 3600;
	assert_int_equal(import_text(fx, "touched.csv",
	    "Email,Last Activity Date\n"
	    "ann.lee@acme.com,2026-11-15 10:00\n"
	    "luis@umbrella.es,2026-11-01 08:00\n"
	    "raj@globex.io,2026-11-16 12:30\n"), SMK_OK);
	assert_int_equal(fx->stats.updated, 2);
	assert_int_equal(fx->stats.unchanged, 1);
	assert_string_equal(qs(fx, "SELECT group_concat(email||'='||"
	    "last_activity_at, ' ') FROM (SELECT * FROM leads ORDER BY id)"),
	    "ann.lee@acme.com=2026-11-15T10:00:00Z "
	    "raj@globex.io=2026-11-16T12:30:00Z "
	    "luis@umbrella.es=2026-11-12T10:20:00Z");
	assert_string_equal(qs(fx, "SELECT group_concat(kind||':'||field||':'"
	    "||coalesce(old_value,'-')||'>'||new_value, ';') FROM (SELECT * "
	    "FROM events WHERE at='2026-11-18T12:06:40Z' AND kind!='score' "
	    "ORDER BY id)"),
	    "update:last_activity_at:2026-11-10T16:00:00Z>2026-11-15T10:00:00Z;"
	    "update:last_activity_at:->2026-11-16T12:30:00Z");
	/* The same file again changes nothing. */
	assert_int_equal(import_text(fx, "touched.csv",
	    "Email,Last Activity Date\n"
	    "ann.lee@acme.com,2026-11-15 10:00\n"), SMK_OK);
	assert_int_equal(fx->stats.unchanged, 1);
}

static void
csvin_dry_run(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(import_data(fx, "hubspot_contacts.csv"), SMK_OK);
	fx->opts.dry_run = true;
	assert_int_equal(import_text(fx, "dry.csv",
	    "email,title,stage,visits\n"
	    "ann.lee@acme.com,CEO,,4\n"
	    "fresh@x.org,,lead,\n"
	    "bad,,,\n"), SMK_EUSER);
	assert_string_equal(fx->notes,
	    "update 2 ann.lee@acme.com: title VP Sales -> CEO\n"
	    "create 3 fresh@x.org\n"
	    "reject 4 bad [email]: \"bad\" is not an email address\n");
	assert_string_equal(fx->cause, "dry.csv: 1 bad row; nothing would be "
	    "imported (fix it, or use --on-error skip to import the rest)");
	/* Bad rows or not, the counts are the whole file's ... */
	assert_true(fx->stats.finished);
	assert_int_equal(fx->stats.created, 1);
	/* ... but not when it stopped half way (here: interrupted). */
	{
		volatile sig_atomic_t stop = 1;

		fx->opts.stop = &stop;
		assert_int_equal(import_text(fx, "dry.csv",
		    "email\nfresh@x.org\n"), SMK_EUSER);
		assert_non_null(strstr(fx->cause, "interrupted"));
		assert_false(fx->stats.finished);
		fx->opts.stop = NULL;
	}
	fx->opts.on_error = CSVIN_SKIP;
	assert_int_equal(import_text(fx, "dry.csv",
	    "email,title\nann.lee@acme.com,CEO\nfresh@x.org,\n"), SMK_OK);
	assert_int_equal(q(fx, "SELECT count(*) FROM leads"), 4);
	assert_string_equal(qs(fx, "SELECT title FROM leads WHERE email="
	    "'ann.lee@acme.com'"), "VP Sales");
}

static void
csvin_scores_on_import(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(import_text(fx, "s.csv",
	    "email,title,visits,stage\n"
	    "hot@x.com,VP Marketing,5,lead\n"
	    "warm@x.com,VP Marketing,0,lead\n"
	    "cust@x.com,Director,9,customer\n"), SMK_OK);
	assert_int_equal(fx->stats.mql, 1);
	assert_string_equal(qs(fx, "SELECT stage||'|'||score||'|'||fit||'|'||"
	    "engagement FROM leads WHERE email='hot@x.com'"), "mql|45|30|15");
	assert_string_equal(qs(fx, "SELECT stage||'|'||score FROM leads WHERE "
	    "email='warm@x.com'"), "lead|30");
	assert_string_equal(qs(fx, "SELECT stage||'|'||score FROM leads WHERE "
	    "email='cust@x.com'"), "customer|45");
	assert_string_equal(qs(fx, "SELECT actor||'|'||old_value||'|'||"
	    "new_value||'|'||reason FROM events e JOIN leads l ON "
	    "l.id=e.lead_id WHERE email='hot@x.com' AND kind='move'"),
	    "system|lead|mql|score 45 reached the MQL threshold 40: "
	    "senior +30, visits +15");
	/* Created scored: the created event stands for the first score. */
	assert_string_equal(qs(fx, "SELECT group_concat(kind||':'||actor, ',')"
	    " FROM (SELECT e.* FROM events e JOIN leads l ON l.id=e.lead_id "
	    "WHERE email='hot@x.com' ORDER BY e.id)"),
	    "created:bob,move:system");
	assert_int_equal(q(fx, "SELECT count(*) FROM events WHERE "
	    "kind='score'"), 0);
	/* A re-import that changes a score is a change: score events. */
	assert_int_equal(import_text(fx, "s2.csv",
	    "email,visits\nwarm@x.com,5\n"), SMK_OK);
	assert_int_equal(fx->stats.mql, 1);
	assert_string_equal(qs(fx, "SELECT group_concat(field||'='||"
	    "old_value||'>'||new_value) FROM events e JOIN leads l ON "
	    "l.id=e.lead_id WHERE email='warm@x.com' AND kind='score'"),
	    "score=30>45,engagement=0>15");
}

static void
csvin_dates(void **state)
{
	time_t	 t;
	char	*cause = NULL, iso[WHEN_ISO_LEN];

	(void)state;
#define OK_DATE(s, fmt, want) do {					\
	assert_int_equal(csvin_date(s, fmt, &t, &cause), 0);		\
	assert_string_equal(when_format(t, iso), want);			\
} while (0)
	OK_DATE("2026-11-23", NULL, "2026-11-23T00:00:00Z");
	OK_DATE("2026-11-23 09:30", NULL, "2026-11-23T09:30:00Z");
	OK_DATE("2026-11-23T09:30:00Z", NULL, "2026-11-23T09:30:00Z");
	OK_DATE("2026-11-23T09:30:00.000+0100", NULL, "2026-11-23T08:30:00Z");
	OK_DATE("2026-11-23T09:30:00-05:00", NULL, "2026-11-23T14:30:00Z");
	OK_DATE("11/23/2026", NULL, "2026-11-23T00:00:00Z");
	OK_DATE("23/11/2026 9:05 PM", NULL, "2026-11-23T21:05:00Z");
	OK_DATE("3/15/2026 12:00 AM", NULL, "2026-03-15T00:00:00Z");
	OK_DATE("23.11.2026", NULL, "2026-11-23T00:00:00Z");
	OK_DATE("03.04.2026", NULL, "2026-04-03T00:00:00Z");
	OK_DATE("05/05/2026", NULL, "2026-05-05T00:00:00Z");
	OK_DATE("2026/11/23", NULL, "2026-11-23T00:00:00Z");
	OK_DATE("03/04/2026", "%m/%d/%Y", "2026-03-04T00:00:00Z");
	OK_DATE("03/04/2026", "%d/%m/%Y", "2026-04-03T00:00:00Z");
#undef OK_DATE
#define BAD_DATE(s, fmt, msg) do {					\
	assert_int_equal(csvin_date(s, fmt, &t, &cause), -1);		\
	assert_string_equal(cause, msg);				\
	free(cause);							\
} while (0)
	BAD_DATE("03/04/2026", NULL, "\"03/04/2026\" could be day/month or "
	    "month/day; give --date-format (%d/%m/%Y or %m/%d/%Y)");
	BAD_DATE("13/13/2026", NULL, "cannot read \"13/13/2026\" as a date "
	    "(use YYYY-MM-DD, or give --date-format)");
	BAD_DATE("31.02.2026", NULL, "cannot read \"31.02.2026\" as a date "
	    "(use YYYY-MM-DD, or give --date-format)");
	BAD_DATE("2026-02-30", NULL, "cannot read \"2026-02-30\" as a date "
	    "(use YYYY-MM-DD, or give --date-format)");
	BAD_DATE("yesterday", NULL, "cannot read \"yesterday\" as a date "
	    "(use YYYY-MM-DD, or give --date-format)");
	BAD_DATE("1/2/26", NULL, "cannot read \"1/2/26\" as a date "
	    "(use YYYY-MM-DD, or give --date-format)");
	BAD_DATE("23/11/2026 25:00", NULL, "cannot read \"23/11/2026 25:00\" "
	    "as a date (use YYYY-MM-DD, or give --date-format)");
	BAD_DATE("31/02/2026", "%d/%m/%Y", "\"31/02/2026\" does not match the "
	    "date format \"%d/%m/%Y\"");
	BAD_DATE("2026-01-01", "%d/%m/%Y", "\"2026-01-01\" does not match the "
	    "date format \"%d/%m/%Y\"");
#undef BAD_DATE
}

/*
 * A file that names a lead twice (in any case): the dry run must say
 * exactly what the real import then does, row by row and in its counts,
 * the second row being an update of the lead the first row creates.
 */
static void
csvin_dry_run_repeats(void **state)
{
	struct fixture		*fx = *state;
	struct csvin_stats	 dry;
	char			 notes[sizeof fx->notes], *p;

	assert_int_equal(import_data(fx, "hubspot_contacts.csv"), SMK_OK);
	fx->opts.now = T0 + 3600;
	fx->opts.on_error = CSVIN_SKIP;
	fx->opts.dry_run = true;
	fx->opts.name = NULL;
	assert_int_equal(import_data(fx, "dup_emails.csv"), SMK_OK);
	assert_string_equal(fx->notes,
	    "create 2 a@dup.com\n"
	    "update 3 a@dup.com: title Engineer -> VP Sales\n"
	    "update 4 a@dup.com: visits 1 -> 5\n"
	    "update 5 a@dup.com: stage mql -> lead\n"
	    "create 6 b@dup.com\n"
	    "reject 7 not-an-email [Email]: \"not-an-email\" is not an "
	    "email address\n"
	    "same 8 b@dup.com\n"
	    "update 9 ann.lee@acme.com: title VP Sales -> Engineer\n"
	    "same 10 ann.lee@acme.com\n");
	assert_int_equal(q(fx, "SELECT count(*) FROM leads"), 4);
	dry = fx->stats;
	fx->stats.ignored = NULL;
	/* The real run's notes are the same, less what an update changes. */
	notes[0] = '\0';
	for (p = strtok(fx->notes, "\n"); p != NULL; p = strtok(NULL, "\n")) {
		if (strncmp(p, "update ", 7) == 0)
			p[strcspn(p, ":")] = '\0';
		strcat(notes, p);
		strcat(notes, "\n");
	}

	fx->opts.dry_run = false;
	assert_int_equal(import_data(fx, "dup_emails.csv"), SMK_OK);
	assert_string_equal(fx->notes, notes);
	assert_int_equal(fx->stats.rows, dry.rows);
	assert_int_equal(fx->stats.created, dry.created);
	assert_int_equal(fx->stats.updated, dry.updated);
	assert_int_equal(fx->stats.unchanged, dry.unchanged);
	assert_int_equal(fx->stats.rejected, dry.rejected);
	assert_int_equal(fx->stats.mql, dry.mql);
	assert_int_equal(dry.created, 2);
	assert_int_equal(dry.updated, 4);
	assert_int_equal(dry.unchanged, 2);
	assert_int_equal(dry.mql, 1);
	csvin_stats_clear(&dry);
	assert_int_equal(q(fx, "SELECT count(*) FROM leads"), 6);
	assert_string_equal(qs(fx, "SELECT email||'|'||title||'|'||visits||'|'"
	    "||stage FROM leads WHERE email='a@dup.com'"),
	    "a@dup.com|VP Sales|5|lead");
}

/*
 * Amounts as spreadsheets write them; what strtold also reads ("nan" has no
 * int64_t: it came out as INT64_MIN) rejects the row.
 */
static void
csvin_amounts(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(import_text(fx, "bad_amounts.csv",
	    "email,amount\n"
	    "a@x.com,nan\n"
	    "b@x.com,inf\n"
	    "c@x.com,0x10\n"
	    "d@x.com,1e3\n"
	    "e@x.com,-5\n"
	    "f@x.com,\"1,200\"\n"
	    "g@x.com,1200.\n"
	    "h@x.com,.5\n"
	    "i@x.com,1234567890123456\n"
	    "j@x.com,12 000\n"
	    "k@x.com,1200\n"), SMK_EUSER);
	assert_string_equal(fx->notes,
	    "reject 2 a@x.com [amount]: \"nan\" is not an amount\n"
	    "reject 3 b@x.com [amount]: \"inf\" is not an amount\n"
	    "reject 4 c@x.com [amount]: \"0x10\" is not an amount\n"
	    "reject 5 d@x.com [amount]: \"1e3\" is not an amount\n"
	    "reject 6 e@x.com [amount]: \"-5\" is not an amount\n"
	    "reject 7 f@x.com [amount]: \"1,200\" is not an amount\n"
	    "reject 8 g@x.com [amount]: \"1200.\" is not an amount\n"
	    "reject 9 h@x.com [amount]: \".5\" is not an amount\n"
	    "reject 10 i@x.com [amount]: \"1234567890123456\" is not an "
	    "amount\n"
	    "reject 11 j@x.com [amount]: \"12 000\" is not an amount\n");
	assert_int_equal(q(fx, "SELECT count(*) FROM leads"), 0);

	assert_int_equal(import_text(fx, "amounts.csv",
	    "email,amount\n"
	    "a@x.com,1200\n"
	    "b@x.com,1200.50\n"
	    "c@x.com,0.49\n"
	    "d@x.com,007\n"
	    "e@x.com,999999999999999.9\n"
	    "f@x.com,\n"), SMK_OK);
	assert_string_equal(qs(fx, "SELECT group_concat(coalesce(amount, '-'),"
	    " ' ') FROM (SELECT amount FROM leads ORDER BY id)"),
	    "1200 1201 0 7 1000000000000000 -");
}

/* A map with a problem stops the import before anything is written. */
static void
map_refused(struct fixture *fx, const char *ini, const char *want)
{
	char	*path = test_write_file("refused.ini", ini), *msg;

	fx->opts.map_path = path;
	assert_int_equal(import_text(fx, "m.csv", "email,stage\n"
	    "a@x.com,lead\n"), SMK_EUSER);
	xasprintf(&msg, "%s%s", path, want);
	assert_string_equal(fx->cause, msg);
	assert_string_equal(fx->notes, "");
	assert_int_equal(q(fx, "SELECT count(*) FROM leads"), 0);
	assert_int_equal(q(fx, "SELECT count(*) FROM events"), 0);
	fx->opts.map_path = NULL;
	free(msg);
	free(path);
}

#define STAGES "subscriber, lead, mql, sql, opportunity, customer, " \
	"recycled, disqualified"

static void
csvin_map_targets(void **state)
{
	struct fixture	*fx = *state;

	map_refused(fx, "[import]\nsource = web\nstage = foo\n",
	    ":3: [import] stage = \"foo\": not a stage of the playbook ("
	    STAGES "), nor a value [stage] maps");
	map_refused(fx, "; ours\n[stage]\nhot = mql\ncold = frozen\n",
	    ":4: [stage] cold = \"frozen\": not a stage of the playbook ("
	    STAGES ")");
	map_refused(fx, "[owner]\nAnn L. = Ann Lee\n",
	    ":2: [owner] ann l. = \"Ann Lee\": a rep's name, not a login "
	    "(write alee)");
	map_refused(fx, "[owner]\nZed = zed\n",
	    ":2: [owner] zed = \"zed\": not a rep's login (smk rep list "
	    "shows them; smk rep add adds one)");
	map_refused(fx, "[columns]\nVorname = first_name\nVisits = visit\n",
	    ":3: [columns] visits = \"visit\": not a field (email, "
	    "first_name, last_name, name, company, title, phone, source, "
	    "country, stage, owner, amount, visits, forms, pages, "
	    "last_activity_at, created_at or ignore)");
	/* Through [stage], and a login in any case: both fine. */
	fx->opts.map_path = test_write_file("fine.ini", "[stage]\nwarm = MQL\n"
	    "[owner]\nAnn L. = ALEE\n[import]\nstage = warm\n");
	assert_int_equal(import_text(fx, "m.csv", "email,owner\n"
	    "a@x.com,Ann L.\n"), SMK_OK);
	assert_string_equal(qs(fx, "SELECT stage||'|'||owner FROM leads"),
	    "mql|alee");
	free((char *)fx->opts.map_path);
}

static void
csvin_map_names(void **state)
{
	struct fixture	*fx = *state;
	char		*path = test_path("refused.ini"), *want;

	map_refused(fx, "[colums]\nVorname = first_name\n",
	    ":1: [colums]: unknown section (a map has [columns], [stage], "
	    "[owner] and [import])");
	xasprintf(&want, ":2: [import] date-format: unknown key (the keys "
	    "are source, stage, date_format and delimiter) (and 1 more "
	    "problem in %s)", path);
	map_refused(fx, "[import]\ndate-format = %d.%m.%Y\nsorce = web\n",
	    want);
	free(want);
	free(path);
	map_refused(fx, "source = web\n[import]\n",
	    ":1: source: not in any [section]");
	map_refused(fx, "[columns]\nVorname first_name\n",
	    ":2: \"Vorname first_name\" is neither [section] nor key = value");
}

static void
csvin_map_delimiter(void **state)
{
	struct fixture	*fx = *state;

	map_refused(fx, "[import]\ndelimiter = pipe\n",
	    ":2: [import] delimiter = \"pipe\": takes one character, or tab");
	map_refused(fx, "[import]\ndelimiter = \"\n",
	    ":2: [import] delimiter = \"\\\"\": takes one character, or tab");
	map_refused(fx, "[import]\ndelimiter = ;\n",
	    ":2: [import] delimiter is empty: write ; and # in quotes "
	    "(delimiter = \";\"), as INI reads them as a comment");
	fx->opts.map_path = test_write_file("semi.ini",
	    "[import]\ndelimiter = \";\"\n");
	assert_int_equal(import_text(fx, "m.csv", "email;title\n"
	    "a@x.com;CEO, EMEA\n"), SMK_OK);
	assert_int_equal(fx->stats.delimiter, ';');
	free((char *)fx->opts.map_path);
	fx->opts.map_path = test_write_file("tab.ini",
	    "[import]\ndelimiter = tab\n");
	assert_int_equal(import_text(fx, "m.csv", "email\ttitle\n"
	    "b@x.com\tCEO\n"), SMK_OK);
	assert_int_equal(fx->stats.delimiter, '\t');
	free((char *)fx->opts.map_path);
}

/* A map's [stage] adds to the CRMs' values; on a conflict the map wins. */
static void
csvin_map_stage_synonyms(void **state)
{
	struct fixture	*fx = *state;

	fx->opts.map_path = test_write_file("syn.ini", "[stage]\n"
	    "Interessent = lead\nSales Qualified Lead = opportunity\n"
	    "lead = mql\n");
	assert_int_equal(import_text(fx, "m.csv", "email,stage\n"
	    "a@x.com,Interessent\n"
	    "b@x.com,Marketing Qualified Lead\n"
	    "c@x.com,Sales Qualified Lead\n"
	    "d@x.com,LEAD\n"
	    "e@x.com,Evangelist\n"), SMK_OK);
	assert_string_equal(qs(fx, "SELECT group_concat(stage, ' ') FROM "
	    "(SELECT stage FROM leads ORDER BY id)"),
	    "lead mql opportunity mql customer");
	free((char *)fx->opts.map_path);
}

static void
csvin_headers_and_sniff(void **state)
{
	(void)state;
	assert_string_equal(csvin_header_field("Company Name"), "company");
	assert_string_equal(csvin_header_field("E-Mail"), "email");
	assert_string_equal(csvin_header_field("first_name"), "first_name");
	assert_string_equal(csvin_header_field("LeadSource"), "source");
	assert_string_equal(csvin_header_field("Lifecycle Stage"), "stage");
	assert_string_equal(csvin_header_field("Number of Pageviews"),
	    "pages");
	assert_string_equal(csvin_header_field("CreatedDate"), "created_at");
	assert_string_equal(csvin_header_field("score"), "ignore");
	assert_null(csvin_header_field("Annual Revenue"));
	assert_int_equal(csvin_sniff("a,b,c\n", 6), ',');
	assert_int_equal(csvin_sniff("a;b;\"c,d,e\"\n", 12), ';');
	assert_int_equal(csvin_sniff("a\tb\tc,d", 7), '\t');
	assert_int_equal(csvin_sniff("email\n", 6), ',');
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(csvin_hubspot),
		T(csvin_salesforce),
		T(csvin_messy),
		T(csvin_bad_rows_abort),
		T(csvin_bad_rows_skip),
		T(csvin_bad_files),
		T(csvin_nul_and_long),
		T(csvin_reimport),
		T(csvin_reimport_activity),
		T(csvin_dry_run),
		T(csvin_dry_run_repeats),
		T(csvin_scores_on_import),
		T(csvin_amounts),
		T(csvin_map_targets),
		T(csvin_map_names),
		T(csvin_map_delimiter),
		T(csvin_map_stage_synonyms),
		cmocka_unit_test(csvin_dates),
		cmocka_unit_test(csvin_headers_and_sniff),
	};
#undef T
	int	rc;

	setenv("TZ", "UTC", 1);
	tzset();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	test_cleanup();
	return (rc);
}
