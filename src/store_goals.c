/*
 * The SQL of the shared goals (see goals.h): the lookback cohort of a stage
 * (first entries in a range, and how many of those went further down the
 * funnel) and the amounts of the customers won in a range. Index walks on
 * (field, new_value, at) and (lead_id, at), as the metrics queries do. No
 * business rules: which stages come later and what a period is are the
 * caller's.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/*
 * A lead's first entry into ?1 lies in [?2, ?3); did it enter one of the
 * stages of ?5 (",a,b,": stage names hold no commas) at or after that
 * entry and at or before ?4?
 */
static const char store_sql_goals_cohort[] =
	"SELECT count(*), total(f.later) FROM ("
	" SELECT e.lead_id AS lead_id, max(EXISTS (SELECT 1 FROM events w"
	"  INDEXED BY events_lead WHERE w.lead_id = e.lead_id"
	"  AND w.at >= e.at AND w.at <= ?4 AND w.field = 'stage'"
	"  AND instr(?5, ',' || w.new_value || ',') > 0)) AS later"
	" FROM events e INDEXED BY events_field"
	" WHERE e.field = 'stage' AND e.new_value = ?1"
	" AND e.at >= ?2 AND e.at < ?3"
	" AND NOT EXISTS (SELECT 1 FROM events p INDEXED BY events_lead"
	"  WHERE p.lead_id = e.lead_id AND p.at < e.at"
	"  AND p.field = 'stage' AND p.new_value = ?1)"
	" GROUP BY e.lead_id) f";
static const char store_sql_goals_amounts[] =
	"SELECT count(*), count(l.amount), coalesce(sum(l.amount), 0) FROM ("
	" SELECT DISTINCT e.lead_id AS lead_id FROM events e"
	" INDEXED BY events_field"
	" WHERE e.field = 'stage' AND e.new_value = ?1"
	" AND e.at >= ?2 AND e.at < ?3"
	" AND NOT EXISTS (SELECT 1 FROM events p INDEXED BY events_lead"
	"  WHERE p.lead_id = e.lead_id AND p.at < e.at"
	"  AND p.field = 'stage' AND p.new_value = ?1)) f"
	" JOIN leads l ON l.id = f.lead_id";

/* Step a one-row query into v[0..n). */
static enum store_status
store_goals_row(struct store *s, sqlite3_stmt *stmt, int64_t *v, int n,
    char **cause)
{
	enum store_status st = STORE_OK;
	int rc, i;

	for (i = 0; i < n; i++)
		v[i] = 0;
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		for (i = 0; i < n; i++)
			v[i] = sqlite3_column_int64(stmt, i);
	} else if (rc != SQLITE_DONE)
		st = store_fail(s, rc, cause);
	store_done(stmt);
	return st;
}

static char *
store_goals_list(const char *const *stages, size_t n)
{
	size_t i, len = 2;
	char *list;

	for (i = 0; i < n; i++)
		len += strlen(stages[i]) + 1;
	list = xmalloc(len);
	strcpy(list, ",");
	for (i = 0; i < n; i++) {
		strcat(list, stages[i]);
		strcat(list, ",");
	}
	return list;
}

enum store_status
store_goals_cohort(struct store *s, const char *stage,
    const char *const *later, size_t nlater, time_t from, time_t to,
    time_t now, int64_t *entered, int64_t *advanced, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;
	int64_t v[2];
	char *list;

	*entered = *advanced = 0;
	if ((stmt = store_stmt(s, store_sql_goals_cohort, &st, cause)) == NULL)
		return st;
	list = store_goals_list(later, nlater);
	store_bind_text(stmt, 1, stage);
	store_bind_time(stmt, 2, from);
	store_bind_time(stmt, 3, to);
	store_bind_time(stmt, 4, now);
	store_bind_text(stmt, 5, list);
	st = store_goals_row(s, stmt, v, 2, cause);
	free(list);
	*entered = v[0];
	*advanced = v[1];
	return st;
}

enum store_status
store_goals_amounts(struct store *s, const char *stage, time_t from,
    time_t to, int64_t *n, int64_t *valued, int64_t *sum, char **cause)
{
	enum store_status st = STORE_OK;
	sqlite3_stmt *stmt;
	int64_t v[3];

	*n = *valued = *sum = 0;
	if ((stmt = store_stmt(s, store_sql_goals_amounts, &st, cause)) ==
	    NULL)
		return st;
	store_bind_text(stmt, 1, stage);
	store_bind_time(stmt, 2, from);
	store_bind_time(stmt, 3, to);
	st = store_goals_row(s, stmt, v, 3, cause);
	*n = v[0];
	*valued = v[1];
	*sum = v[2];
	return st;
}
