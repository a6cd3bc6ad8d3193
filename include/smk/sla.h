/*
 * SLA clocks: pure rules, no SQL and no curses. The caller feeds one lead at
 * a time (its stage and owner events and its attempt instants) and receives
 * that lead's clocks through a callback, so a million leads never sit in
 * memory at once. Also the marketing clock (MQLs per sales rep per month).
 *
 * The sales clock, per lead (PRODUCT.md, "Service level agreements"):
 *
 * - A clock starts on a handoff: when the lead enters the sales stage (sql)
 *   while it has an owner and no clock is open, or when it is assigned to a
 *   new owner while in mql or sql. The clock belongs to that owner. A lead
 *   that enters sql with no owner starts its clock when it is assigned.
 *   Moving from mql to sql under the same owner keeps the clock that the
 *   assignment in mql started (one handoff, one clock); so does moving back
 *   from sql to mql.
 * - Each clock has two rules, reported as two struct sla_clock:
 *   first_touch: an attempt within rules->first_touch BUSINESS seconds of
 *   the start; attempts: rules->attempts attempts within
 *   rules->attempts_window CALENDAR seconds of the start. An attempt exactly
 *   at the due instant is in time. A rule whose amount is 0 is off and not
 *   reported.
 * - Attempts count for a clock from its start (included) to its stop
 *   (excluded), or to now (included) while it runs; attempts made by anyone
 *   count (the store decides what is an attempt: call, email, meeting,
 *   social).
 * - A clock stops when the lead is reassigned (the new owner gets a new
 *   clock from that instant), when it goes back to a marketing stage, to an
 *   exit (recycled, disqualified), or forward past sql (opportunity,
 *   customer). Re-entering sql later starts a new clock.
 * - States, for a rule evaluated at now (or, for a stopped clock, frozen at
 *   its stop):
 *     met       satisfied by the due instant;
 *     breached  the due instant passed unsatisfied; it stays breached after
 *               a late attempt (satisfied_at then says when it came);
 *     due_soon  running, and less than rules->due_soon_pct percent of the
 *               window is left (business time for first_touch);
 *     running   otherwise.
 * - The rule for interrupted clocks, chosen as the least surprising: a clock
 *   stopped before its due instant cannot be breached any more, since
 *   nobody broke the promise (the lead was taken away, rejected or moved on,
 *   and a rep must not keep calling a recycled lead to stay compliant). Such
 *   a rule ends "met" with satisfied false and stop set, so a report that
 *   wants only decided promises can leave these out. A rule whose due
 *   instant passed before the stop ends breached; a rule satisfied in time
 *   ends met, as if nothing had stopped it.
 * - A clock that would stop at the instant it started (two assignments at
 *   the same instant) is not reported.
 * - Events and attempts after now are ignored, so an evaluation with an
 *   earlier --at sees the past as it was then.
 */
#ifndef SMK_SLA_H
#define SMK_SLA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct bizcal;
struct config;

enum sla_rule {
	SLA_FIRST_TOUCH,
	SLA_ATTEMPTS
};

enum sla_state {
	SLA_RUNNING,
	SLA_DUE_SOON,
	SLA_BREACHED,
	SLA_MET
};

/* Why a clock stopped before now. */
enum sla_stop {
	SLA_STOP_NONE,		/* still running at now */
	SLA_STOP_REASSIGNED,	/* another owner, or none, took the lead */
	SLA_STOP_RETURNED,	/* back to a marketing stage (lead, ...) */
	SLA_STOP_EXITED,	/* recycled or disqualified */
	SLA_STOP_ADVANCED	/* on to opportunity or customer */
};

/* What a stage means to the clock. */
enum sla_phase {
	SLA_PHASE_MARKETING,	/* subscriber, lead: no clock */
	SLA_PHASE_SHARED,	/* mql: an assignment hands the lead off */
	SLA_PHASE_SALES,	/* sql: entering it hands the lead off */
	SLA_PHASE_WON,		/* opportunity, customer: past the clock */
	SLA_PHASE_EXIT		/* recycled, disqualified */
};

/* The [sla] rules; see config.h for units. */
struct sla_rules {
	long		 first_touch;	/* business seconds; 0: rule off */
	int		 attempts;	/* 0: rule off */
	long		 attempts_window; /* calendar seconds; 0: rule off */
	int		 due_soon_pct;	/* 0..100 */
};

enum sla_event_kind {
	SLA_EV_STAGE,		/* created or move: phase is the new stage's */
	SLA_EV_OWNER		/* assign: owner is the new owner */
};

/*
 * One stage or owner event of a lead, from the events table (kind created or
 * move with field 'stage'; kind assign with field 'owner'). Give them in id
 * order; sla_eval orders them by at, keeping id order for equal instants
 * (creation writes the stage event before the assignment).
 */
struct sla_event {
	time_t		 at;
	enum sla_event_kind kind;
	enum sla_phase	 phase;		/* SLA_EV_STAGE */
	const char	*owner;		/* SLA_EV_OWNER; NULL: unassigned */
};

/*
 * One rule of one clock. rep points into the caller's events and is valid
 * only during the callback; copy it to keep it.
 */
struct sla_clock {
	int64_t		 lead_id;
	const char	*rep;
	enum sla_rule	 rule;
	enum sla_state	 state;
	time_t		 started_at;	/* the handoff */
	time_t		 due_at;	/* start + window (business or calendar) */
	int		 attempts;	/* attempts on this clock so far, in
					   time or late */
	bool		 satisfied;
	time_t		 satisfied_at;	/* first_touch: the first attempt;
					   attempts: the Nth; even when late */
	enum sla_stop	 stop;
	time_t		 stopped_at;	/* 0 when stop is SLA_STOP_NONE */
	long		 left;		/* running, due_soon: seconds to due
					   at now (business for first_touch,
					   calendar for attempts); else 0 */
};

typedef void (*sla_emit_cb)(const struct sla_clock *, void *arg);

/* The [sla] rules of a loaded playbook. */
void		 sla_rules_from_config(struct sla_rules *,
		     const struct config *);
/*
 * The phase of a stage by name. With a config: exits are SLA_PHASE_EXIT,
 * team marketing stages MARKETING, shared stages SHARED, the first sales
 * stage of the funnel SALES and the later ones WON, so renamed stages work.
 * A name the config does not know (or cfg NULL) falls back to the default
 * names: mql, sql, opportunity, customer, recycled, disqualified; anything
 * else is MARKETING.
 */
enum sla_phase	 sla_stage_phase(const struct config *, const char *stage);

/*
 * Evaluate one lead at now and call emit once per clock rule, oldest clock
 * first, first_touch before attempts. ev and attempts are borrowed, need not
 * be sorted (backdated entries arrive out of order) and are not modified;
 * when they are unsorted a sorted copy is made. cal is the team's calendar
 * (its cache is updated, hence not const). Uses no other state: safe to call
 * for one lead after another with the same rules and calendar.
 */
void		 sla_eval(const struct sla_rules *, struct bizcal *,
		     int64_t lead_id, const struct sla_event *ev, size_t nev,
		     const time_t *attempts, size_t natt, time_t now,
		     sla_emit_cb emit, void *arg);

/* "running", "due_soon", "breached", "met"; "first_touch", "attempts". */
const char	*sla_state_name(enum sla_state);
const char	*sla_rule_name(enum sla_rule);
/* "", "reassigned", "returned", "exited", "advanced". */
const char	*sla_stop_name(enum sla_stop);
/* The state by name, for filters; -1 when unknown. */
int		 sla_state_parse(const char *);

/*
 * The marketing clock. target is mqls_per_rep * active_sales_reps for the
 * month [month_start, month_end); pace is the pro-rated target at now, by
 * calendar time (MQLs arrive from forms on weekends too, and calendar time
 * needs no calendar to agree on), rounded to the nearest MQL: 0 at the start
 * of the month, target at its end.
 */
struct sla_mql {
	long		 target;
	long		 pace;
};
void		 sla_mql_target(int mqls_per_rep, int active_sales_reps,
		     time_t month_start, time_t month_end, time_t now,
		     struct sla_mql *);
/* The team-zone month holding t: [*start, *end). */
void		 sla_month(time_t t, time_t *start, time_t *end);

#endif
