/*
 * The SLA clocks of the whole team at an instant: runs the store's stream of
 * lead histories (store_sla_each) through the pure rules of sla.h, keeps the
 * clocks a manager wants to see now, and sums them per rep; plus marketing's
 * monthly MQL promise. Core: no SQL, no curses, no text for humans beyond
 * *cause. One lead's history is in memory at a time, so a million leads cost
 * time, not memory.
 *
 * Which clocks are listed (smk sla, the SLA screen, the status line), for the
 * team-zone month M holding now:
 *   running, due_soon   every one: these are the promises still open;
 *   breached            when it broke in M (due_at in M), or when its clock
 *                       is still open and still unsatisfied (the rep owes
 *                       the lead a touch now, however old the breach);
 *   met                 when it was kept in M (satisfied_at in M). A clock
 *                       interrupted before it came due (reassigned,
 *                       recycled, moved on) ends met with nothing done; it
 *                       is not listed, as nobody kept or broke a promise.
 * The status line's breach count is the number of listed breached clocks.
 *
 * So only two kinds of leads can have a listed clock: those handed off
 * recently (a clock due in M or later started at most attempts_window, or
 * first_touch in business time, before M began), and those whose clock is
 * still open (now in mql or sql). The walk replays just those, found through
 * the indexes (store_sla_candidates), so a million leads cost what the last
 * weeks and the open pipeline cost; the clocks are the same as replaying
 * every lead (slaview_set_mode).
 *
 * Per rep (struct slaview_rep), for the reps with a listed clock or a clock
 * started in M, besides the listed counts: compliance is
 * metrics' sla_met_pct for M (clocks started in M that are no longer
 * running: met / (met + breached), interrupted ones counting met), and the
 * median business hours to first touch over first_touch clocks started in M
 * that have had their first attempt.
 */
#ifndef SMK_SLAVIEW_H
#define SMK_SLAVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "smk/config.h"
#include "smk/sla.h"
#include "smk/store.h"

/* One listed rule of one clock; strings owned by the container. */
struct slaview_clock {
	int64_t		 lead_id;
	char		*email;
	char		*name;		/* "First Last", or NULL */
	char		*rep;
	enum sla_rule	 rule;
	enum sla_state	 state;
	time_t		 started_at;
	time_t		 due_at;
	int		 attempts;
	bool		 satisfied;
	time_t		 satisfied_at;
	enum sla_stop	 stop;
	long		 left;		/* to due, as in sla_clock */
};

struct slaview_rep {
	char		*login;
	int		 running;	/* listed, by state */
	int		 due_soon;
	int		 breached;
	int		 met;
	int		 done;		/* started in M, not running */
	int		 done_met;	/* of those, met */
	double		*touch_bh;	/* first touches, clocks of M */
	size_t		 ntouch;
};

/* Which clocks to keep. */
struct slaview_filter {
	const char	*rep;		/* NULL: everyone */
	bool		 breached;	/* only breached ones */
};

/* Everything at one instant (the SLA screen). */
struct slaview_result {
	time_t		 now;
	time_t		 month_start;
	time_t		 month_end;
	struct slaview_clock *clocks;	/* by lead id, then clock, rule */
	size_t		 nclocks;
	struct slaview_rep *reps;	/* worst first */
	size_t		 nreps;
	int64_t		 breached;	/* listed breached clocks */
};

struct slaview;

/* A context for one playbook: its rules and calendar. -1 with *cause. */
int	 slaview_new(const struct config *, struct slaview **, char **cause);
void	 slaview_free(struct slaview *);
/*
 * Which leads a walk replays: by default (AUTO) the recent and open ones,
 * or every lead when those are most of the file anyway (an --at far in the
 * past); tests force either to compare them.
 */
enum slaview_mode {
	SLAVIEW_AUTO,
	SLAVIEW_FULL,		/* every lead's history */
	SLAVIEW_BOUNDED		/* only the candidates, however many */
};
void	 slaview_set_mode(struct slaview *, enum slaview_mode);

/*
 * Walk the leads at now and call cb for each listed clock passing f (f may
 * be NULL), lead by lead in id order; the clock is borrowed for the call.
 * Per-rep sums go to reps when not NULL (unsorted; clear with
 * slaview_result_clear). Returns a store status.
 */
typedef void (*slaview_cb)(const struct slaview_clock *, void *arg);
enum store_status slaview_walk(struct slaview *, struct store *,
	    const struct slaview_filter *, time_t now, slaview_cb, void *arg,
	    struct slaview_result *reps, char **cause);
/*
 * Fill r with the listed clocks passing f and every rep's sums, worst rep
 * first (most breached, then due soon, then lowest compliance). Active
 * sales reps appear even without clocks. Clear with slaview_result_clear.
 */
enum store_status slaview_collect(struct slaview *, struct store *,
	    const struct slaview_filter *, time_t now, struct slaview_result *,
	    char **cause);
void	 slaview_result_clear(struct slaview_result *);
/* Number of listed breached clocks passing f; -1 with *cause. */
int64_t	 slaview_breaches(struct slaview *, struct store *,
	    const struct slaview_filter *, time_t now, char **cause);

/*
 * The same count a slice at a time, so that the board's status line never
 * holds a key back: slaview_count_start finds the leads to replay (tens of
 * milliseconds at a million leads), each slaview_count_step replays them
 * for about budget_ms. The data must not change between steps: when it
 * does, free the count and start again. The filter is copied.
 */
struct slaview_count;
struct slaview_count *slaview_count_start(struct slaview *, struct store *,
	    const struct slaview_filter *, time_t now, char **cause);
/* 1: done, *n is the count; 0: call again; -1 with *cause. */
int	 slaview_count_step(struct slaview_count *, long budget_ms,
	    int64_t *n, char **cause);
void	 slaview_count_free(struct slaview_count *);
/*
 * slaview_collect a slice at a time, as the count: 1 when done, with *out
 * filled (slaview_result_clear it); 0: call again; -1 with *cause. Free
 * with slaview_count_free.
 */
struct slaview_count *slaview_collect_start(struct slaview *, struct store *,
	    const struct slaview_filter *, time_t now, char **cause);
int	 slaview_collect_step(struct slaview_count *, long budget_ms,
	    struct slaview_result *out, char **cause);

/*
 * The clocks of a few leads only (the board's visible cards): the worst
 * state among the open clock's rules of lead_id, and its time left.
 * Returns false when the lead has no open clock.
 */
struct slaview_badge {
	enum sla_state	 state;
	long		 left;		/* running, due_soon: seconds */
	enum sla_rule	 rule;		/* the rule that decided */
};
bool	 slaview_badge(struct slaview *, struct store *, int64_t lead_id,
	    time_t now, struct slaview_badge *);

/*
 * A listed clock's state and time left (*left, seconds as in sla_clock) at
 * a later instant, without reading the file again: the SLA screen ticks
 * between reloads. Only running and due_soon clocks change with time.
 */
enum sla_state slaview_tick(struct slaview *, const struct slaview_clock *,
	    time_t now, long *left);

/* A rep's compliance in percent; false when nothing is decided yet. */
bool	 slaview_compliance(const struct slaview_rep *, double *pct);
/* A rep's median business hours to first touch; false when none. */
bool	 slaview_median_touch(const struct slaview_rep *, double *hours);

/*
 * The marketing clock for the month holding now: MQLs delivered (leads whose
 * first entry into the first shared stage, mql, lies in the month up to now)
 * against mqls_per_rep x active sales reps (team sales, role rep), and the
 * pro-rated target at now (sla_mql_target).
 */
struct slaview_mql {
	int64_t		 delivered;
	int		 per_rep;
	bool		 per_rep_auto;	/* mqls_per_rep = auto */
	int64_t		 reps;
	struct sla_mql	 target;	/* target and pace */
};
enum store_status slaview_mql(struct store *, const struct config *,
	    time_t now, struct slaview_mql *, char **cause);

/*
 * The per-rep MQL promise. With mqls_per_rep = auto it comes from the
 * provider installed with slaview_set_mqls_provider (the goals module
 * derives it from [goals]); without one, it falls back to the documented
 * default (SLAVIEW_MQLS_DEFAULT) until that module exists.
 */
#define SLAVIEW_MQLS_DEFAULT 100
typedef int (*slaview_mqls_fn)(struct store *, const struct config *,
	    time_t now, int *per_rep, char **cause);
void	 slaview_set_mqls_provider(slaview_mqls_fn);
int	 slaview_mqls_per_rep(struct store *, const struct config *,
	    time_t now, int *per_rep, char **cause);

#endif
