/*
 * Shared goals: the reverse funnel of PRODUCT.md "Shared goals". From the
 * [goals] target (customers, or revenue, per week or month) and the team's
 * own conversion rates over the lookback periods, how many leads each funnel
 * stage needs this period, how many have arrived, and where today's pace
 * says they should be. Core: no SQL (store_goals.c, store_metrics.c), no
 * curses, no text for humans beyond *cause and labels.
 *
 * Definitions, for the current period P = [start, end) of the team's zone
 * (a month, or an ISO week from Monday 00:00), and the lookback window
 * L = the cfg->lookback whole periods just before P:
 *
 *   rate(s)     of the leads whose first entry ever into stage s lies in L,
 *               the share that entered any later funnel stage at or after
 *               that entry, up to now. The last stage has no rate.
 *   needed(c)   for the last stage c: the customers goal, or the revenue
 *               goal divided by the mean amount of the leads whose first
 *               entry into c lies in L (those with an amount), rounded up.
 *   needed(s)   ceil(needed(next) * entered(s) / advanced(s)), from the
 *               counts, never from rounded percentages.
 *   actual(s)   leads whose first entry ever into s lies in P, up to now
 *               (the flow metrics' count, store_metrics_first).
 *   pace(s)     needed(s) * past / total, to the nearest lead (halves
 *               up), where total is the number of business days in P
 *               (bizcal: working days, holidays are not) and past the
 *               number of them whose business hours are all behind now.
 *   gap(s)      actual(s) - pace(s).
 *
 * A rate without history (nobody entered s in L) or of zero (nobody
 * advanced) has no value, and then neither has needed nor pace of s or of
 * any stage above it: they are "no data", never zero or infinite. So has a
 * revenue goal with no valued customer in L.
 */
#ifndef SMK_GOALS_H
#define SMK_GOALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "smk/config.h"
#include "smk/store.h"

struct bizcal;

/* One funnel stage of the plan. */
struct goals_row {
	const char	*stage;		/* borrowed from the config */
	int64_t		 entered;	/* first entries in the lookback */
	int64_t		 advanced;	/* ... that reached a later stage */
	bool		 has_rate;
	bool		 has_needed;	/* false: no data */
	int64_t		 needed;
	int64_t		 actual;
	int64_t		 pace;		/* valid when has_needed */
};

/* What the plan is asked for; zero members take the playbook's. */
struct goals_opts {
	bool		 period_set;
	enum period	 period;
	int64_t		 customers;	/* a what-if goal; 0: none */
	int64_t		 revenue;	/* a what-if goal; 0: none */
};

struct goals_plan {
	enum period	 period;
	time_t		 now;
	time_t		 start;		/* P = [start, end) */
	time_t		 end;
	time_t		 lookback_start; /* L = [lookback_start, start) */
	int		 lookback;
	int64_t		 goal_customers; /* one of these two is 0 */
	int64_t		 goal_revenue;
	bool		 goal_scaled;	/* the playbook's, set per the other
					   period: its share of this one */
	int64_t		 won;		/* customers in L */
	int64_t		 won_valued;	/* ... with an amount */
	int64_t		 won_sum;	/* ... their amounts */
	int		 days_past;	/* business days of P behind now */
	int		 days_total;
	struct goals_row *rows;		/* the funnel, first stage first */
	size_t		 n;
	size_t		 behind;	/* the row furthest behind; n: none */
};

/* Period arithmetic in the team's zone. */
void	 goals_period_bounds(enum period, time_t t, time_t *start,
	    time_t *end);
/* The start of the period n periods before (n < 0: after) start. */
time_t	 goals_period_shift(enum period, time_t start, int n);
/* "2026-W45" or "2026-11" into buf (at least 9 bytes). */
char	*goals_period_label(enum period, time_t start, char *buf,
	    size_t len);
/* "YYYY-Www" (ISO week) to its Monday 00:00; -1 with *cause. */
int	 goals_week_parse(const char *, time_t *start, char **cause);
/* "week" or "month" */
const char *goals_period_name(enum period);
int	 goals_period_parse(const char *, enum period *, char **cause);

/* Business days of [start, end): all of them, and those over by now. */
void	 goals_business_days(struct bizcal *, time_t start, time_t end,
	    time_t now, int *past, int *total);

/*
 * The arithmetic, on counts. Each returns false when there is no value
 * (a zero divisor); results too large for int64_t saturate.
 */
bool	 goals_needed_before(int64_t needed_next, int64_t entered,
	    int64_t advanced, int64_t *out);
bool	 goals_customers_for(int64_t revenue, int64_t valued, int64_t sum,
	    int64_t *out);
int64_t	 goals_pace(int64_t needed, int past, int total);
/*
 * Fill needed, pace and behind from the counts already in p (rows'
 * entered, advanced, actual; the goal; won_*; days_*).
 */
void	 goals_compute(struct goals_plan *);

/*
 * Build the plan at now: read the counts through the store, then compute.
 * -1 with *cause (the calendar, or a store error in *st when st is not
 * NULL).
 */
int	 goals_plan_build(struct store *, const struct config *,
	    const struct goals_opts *, time_t now, struct goals_plan *,
	    enum store_status *st, char **cause);
/*
 * The same a stage at a time, for a screen that must not hold keys back:
 * goals_plan_start (NULL with *cause), then goals_plan_step until it
 * returns 1 (done: goals_plan_take gives the plan) or -1 (*cause set;
 * goals_job_status says whose fault). Each step reads a week of one
 * stage's counts.
 */
struct goals_job;
struct goals_job *goals_plan_start(struct store *, const struct config *,
	    const struct goals_opts *, time_t now, char **cause);
int	 goals_plan_step(struct goals_job *, char **cause);
enum store_status goals_job_status(const struct goals_job *);
void	 goals_plan_take(struct goals_job *, struct goals_plan *);
void	 goals_job_free(struct goals_job *);
void	 goals_plan_clear(struct goals_plan *);
/* The row of a stage, or NULL. */
const struct goals_row *goals_row_of(const struct goals_plan *,
	    const char *stage);
/* The rate in percent; false when it has none. */
bool	 goals_rate_pct(const struct goals_row *, double *);

/*
 * The marketing promise that follows from the goal: the MQLs (first shared
 * stage) needed in the month holding now, divided by the active sales reps,
 * rounded up. A weekly goal is scaled to the month by its calendar days
 * (needed per week * days in month / 7, rounded up). *has is false when the
 * plan has no data for that stage. Suits slaview_set_mqls_provider through
 * goals_mqls_provider, which falls back to SLAVIEW_MQLS_DEFAULT then.
 */
int	 goals_mqls_per_rep(struct store *, const struct config *, time_t now,
	    bool *has, int64_t *per_rep, int64_t *month_needed, char **cause);
/* The same from a plan already built (the Goals screen has one). */
int	 goals_mqls_of_plan(struct store *, const struct config *,
	    const struct goals_plan *, bool *has, int64_t *per_rep,
	    int64_t *month_needed, char **cause);
int	 goals_mqls_provider(struct store *, const struct config *,
	    time_t now, int *per_rep, char **cause);
/* The stage whose monthly arrivals marketing promises (mql), or NULL. */
const char *goals_mql_stage(const struct config *);

#endif
