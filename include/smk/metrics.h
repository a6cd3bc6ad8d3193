/*
 * Lead-flow metrics: the numbers of PRODUCT.md "Metrics", per month of the
 * team's zone, computed from the event log through the store's aggregate
 * queries (store_metrics.c) and the SLA rules (sla.h, bizcal.h). Core: no
 * SQL, no curses, no text for humans beyond column names and cells.
 *
 * Definitions, for a month M = [start, end) in the team's zone, counting only
 * what took effect at or before the report time (now, or --at):
 *
 *   new            leads created in M (their "created" event, whatever the
 *                  initial stage; a stage the playbook does not list is
 *                  not counted).
 *   mql, sql, opportunities, customers
 *                  leads whose FIRST entry ever into that stage lies in M.
 *                  Creation at a stage is an entry into it. A lead that
 *                  skips a stage never entered it. A lead recycled and
 *                  re-entering sql later counts once, in the month of its
 *                  first entry.
 *   recycled, disqualified
 *                  move events into those stages in M (a lead moved twice
 *                  counts twice; creation at an exit is not a move).
 *   worked_pct     cohort: the distinct leads with ANY entry into sql in M
 *                  (so a lead re-entering sql belongs to that month's
 *                  cohort too; the cohort may exceed the sql column), the
 *                  percentage with at least one attempt (call, email,
 *                  meeting, social) at any time up to now.
 *   close_rate     the same cohort, the percentage with an entry into
 *                  customer up to now.
 *   median_first_touch_bh
 *                  over the first_touch clocks (sla.h) started in M whose
 *                  first attempt has come (in time or late), the median of
 *                  business hours (bizcal) from the start to that attempt;
 *                  the mean of the middle two for an even count.
 *   sla_met_pct    of the SLA clocks started in M (one clock per handoff
 *                  and rule, as in `smk sla`) that are no longer running
 *                  (state met or breached), the percentage met. A clock
 *                  interrupted before its due instant ends met (sla.h).
 *
 * By source (the lead's current source; leads without one form one group):
 *   handed_off     = mql: leads whose first entry into mql lies in M.
 *   accepted       of those, the ones that entered sql at or after that
 *                  entry, up to now.
 *   acceptance_pct accepted / handed_off.
 *   rejected       moves from mql to recycled in M; their reasons counted.
 *   win_rate       of the leads whose first entry into opportunity lies in
 *                  M, the percentage with an entry into customer up to now.
 *
 * A rate with a zero denominator has no value (metrics_value returns
 * false): reports show it empty, never 0%.
 *
 * The stages: mql is the first shared stage of the funnel, sql the first
 * sales stage, customer the last funnel stage, opportunity the one before
 * it (when after sql); recycled and disqualified are the exits of those
 * names, else the first and second exit. So renamed stages keep working.
 */
#ifndef SMK_METRICS_H
#define SMK_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "smk/config.h"
#include "smk/sla.h"
#include "smk/store.h"

struct bizcal;

/* The columns of the reports, in contract order; then the source ones. */
enum metrics_col {
	METRICS_NEW,
	METRICS_MQL,
	METRICS_SQL,
	METRICS_OPPORTUNITIES,
	METRICS_CUSTOMERS,
	METRICS_RECYCLED,
	METRICS_DISQUALIFIED,
	METRICS_WORKED_PCT,
	METRICS_CLOSE_RATE,
	METRICS_MEDIAN_FIRST_TOUCH_BH,
	METRICS_SLA_MET_PCT,
	METRICS_HANDED_OFF,
	METRICS_ACCEPTED,
	METRICS_REJECTED,
	METRICS_ACCEPTANCE_PCT,
	METRICS_WIN_RATE,
	METRICS__COUNT
};
/* The flow report has the first METRICS_FLOW_COLS columns. */
#define METRICS_FLOW_COLS (METRICS_SLA_MET_PCT + 1)

struct metrics_reason {
	char		*reason;	/* NULL: none given */
	int64_t		 n;
};

/* One month, for all sources or one. Owns its strings and arrays. */
struct metrics_row {
	char		*source;	/* by-source rows; NULL: no source */
	time_t		 start;		/* the month [start, end) */
	time_t		 end;
	int64_t		 new;
	int64_t		 mql;		/* also "handed off" */
	int64_t		 sql;
	int64_t		 opportunities;
	int64_t		 customers;
	int64_t		 recycled;
	int64_t		 disqualified;
	int64_t		 cohort;	/* leads entering sql in M, any time */
	int64_t		 worked;	/* ... with an attempt */
	int64_t		 closed;	/* ... that became customers */
	int64_t		 accepted;	/* handed off, then sql */
	int64_t		 rejected;	/* mql -> recycled moves */
	int64_t		 won;		/* opportunities that became customers */
	int64_t		 clocks_done;	/* SLA clocks met or breached */
	int64_t		 clocks_met;
	double		*touch_bh;	/* business hours to the first attempt */
	size_t		 ntouch;
	bool		 touch_sorted;	/* touch_bh ascending (metrics_sum),
					   so its median costs nothing */
	struct metrics_reason *reasons;	/* most frequent first after sort */
	size_t		 nreasons;
};

/* One month's rows, one per source. */
struct metrics_month {
	time_t		 start;
	time_t		 end;
	struct metrics_row *rows;
	size_t		 n;
	bool		 reasons;	/* rejected and reasons are in */
};

/* The stage names the metrics use (borrowed from the config). */
struct metrics_stages {
	const char	*mql;
	const char	*sql;
	const char	*opportunity;
	const char	*customer;
	const char	*recycled;
	const char	*disqualified;
};

struct metrics_ctx {
	struct store	*store;
	const struct config *cfg;
	struct bizcal	*cal;		/* NULL: no business time, no SLA */
	struct sla_rules rules;
	struct metrics_stages stages;
	time_t		 now;		/* the report time */
};

/*
 * Set up for reports at now. A playbook without business time leaves cal
 * NULL (the SLA columns stay empty); returns 0, or -1 with *cause.
 */
int	 metrics_init(struct metrics_ctx *, struct store *,
	    const struct config *, time_t now, char **cause);
void	 metrics_free(struct metrics_ctx *);
/*
 * The playbook's business calendar ([business_hours]), or NULL with *cause
 * when it has no business time. Free with bizcal_free.
 */
struct bizcal *metrics_calendar(const struct config *, char **cause);
void	 metrics_stages_from_config(struct metrics_stages *,
	    const struct config *);

/*
 * Local midnight in the team's zone of year-mon-day; mon and day may run
 * outside their range (mktime carries them: month 13 is next January).
 */
time_t	 metrics_midnight(int year, int mon, int day);
/* Months of the team's zone. mon is 1..12. */
void	 metrics_month_bounds(int year, int mon, time_t *start, time_t *end);
void	 metrics_month_of(time_t, int *year, int *mon);
/* The month n months before (n < 0: after) the month starting at start. */
time_t	 metrics_month_shift(time_t start, int n);
/* "2026-09" into buf (at least 8 bytes). */
char	*metrics_month_label(time_t start, char *buf, size_t len);
/* "YYYY-MM" to the month's start; -1 with *cause. */
int	 metrics_month_parse(const char *, time_t *start, char **cause);

/*
 * Compute the month starting at start, one row per source (sorted by
 * source name, no source first). -1 with *cause on a store error.
 */
int	 metrics_month(struct metrics_ctx *, time_t start,
	    struct metrics_month *, char **cause);
/*
 * The n months from the one starting at first into out[0..n), the same
 * numbers as n calls of metrics_month but one walk of each index range.
 * Without METRICS_REASONS, rejected and the reasons stay empty (they read a
 * row per rejection) until metrics_month_reasons adds them.
 */
#define METRICS_REASONS	0x1
int	 metrics_months(struct metrics_ctx *, time_t first, int n, int flags,
	    struct metrics_month *out, char **cause);
int	 metrics_month_reasons(struct metrics_ctx *, struct metrics_month *,
	    char **cause);
/*
 * The same gathering a slice at a time, so that a screen can read keys in
 * between (metrics_months is one job run to its end). Starting reads
 * nothing; each step works for about budget_ms (negative: to the end),
 * at least one piece, in a read snapshot of its own, so that others can
 * commit between steps. The numbers are those of metrics_months only if
 * the file did not change between steps: when it does, free the job and
 * start another. The context is borrowed and must outlive the job.
 */
struct metrics_job;
struct metrics_job *metrics_job_start(struct metrics_ctx *, time_t first,
	    int n, int flags);
/* 1: done; 0: call again; -1 with *cause (then only free the job). */
int	 metrics_job_step(struct metrics_job *, long budget_ms, char **cause);
/* A done job's months into out[0..n), which then owns them. */
void	 metrics_job_take(struct metrics_job *, struct metrics_month *out);
void	 metrics_job_free(struct metrics_job *);
void	 metrics_month_clear(struct metrics_month *);

/*
 * Add rows into out (cleared first, then given start and end of the
 * first row): all of them when all is true, else those of source (NULL or
 * "": leads without a source).
 */
void	 metrics_sum(const struct metrics_row *, size_t, bool all,
	    const char *source, struct metrics_row *out);
/* Add one row into another (counts, touches and reasons). */
void	 metrics_add(struct metrics_row *into, const struct metrics_row *);
void	 metrics_row_clear(struct metrics_row *);

/*
 * A column's value; false when it has none (a zero denominator, or no
 * first touch for the median). Percentages are 0..100.
 */
bool	 metrics_value(const struct metrics_row *, enum metrics_col,
	    double *);
/* The contract's name: "new", "worked_pct", ... */
const char *metrics_col_name(enum metrics_col);
/* Is the column a rate or a median (not a count)? */
bool	 metrics_col_is_rate(enum metrics_col);
/* num / den as a percentage; false when den is 0. */
bool	 metrics_pct(int64_t num, int64_t den, double *);
/* Median of v (sorted in place); false when n is 0. */
bool	 metrics_median(double *v, size_t n, double *);
/*
 * The cell text: counts as integers, rates and the median with one
 * decimal; "" when there is no value. Returns buf.
 */
char	*metrics_cell(const struct metrics_row *, enum metrics_col, char *buf,
	    size_t len);

/* Sort a month's source rows: acceptance first (none last), then mql. */
void	 metrics_sort_sources(struct metrics_row *, size_t);
/* Sort reasons most frequent first, then by name. */
void	 metrics_sort_reasons(struct metrics_row *);
/* "no budget 3, wrong persona 1" for the first max reasons, into buf. */
char	*metrics_reasons_text(const struct metrics_row *, size_t max,
	    char *buf, size_t len);
/* The source as shown: "(none)" for NULL or "". */
const char *metrics_source_name(const char *);

#endif
