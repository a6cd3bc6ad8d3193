/*
 * Lead scoring: the playbook's [score.NAME] rules applied to a lead, giving a
 * fit part (who they are) and an engagement part (what they did), an
 * explanation rule by rule, and the lead -> mql handoff when the total
 * crosses [scoring] mql_threshold. Regexes are compiled once per rule set,
 * never per lead. Sits on the store; never calls curses, never writes SQL.
 */
#ifndef SMK_SCORE_H
#define SMK_SCORE_H

#include <stdbool.h>
#include <time.h>

#include "smk/config.h"
#include "smk/store.h"

/* The user recorded on events that scoring makes by itself. */
#define SCORE_USER "system"

/* The rules of one config, compiled. */
struct score_set;

struct score_result {
	int	 fit;
	int	 engagement;
	int	 score;		/* fit + engagement */
};

/*
 * Compile cfg's rules. NULL with *cause naming the rule when a rule has an
 * unknown field or a regex that does not compile. The set borrows cfg's
 * rules: keep cfg alive and unchanged while the set is used.
 */
struct score_set *score_compile(const struct config *cfg, char **cause);
void	 score_free(struct score_set *);

/* Days since the last activity, or since creation when there is none. */
long	 score_days_since_activity(const struct lead *, time_t now);

/* Score a lead (pure: nothing is written). */
void	 score_compute(const struct score_set *, const struct lead *,
	    time_t now, struct score_result *);

/*
 * One line per matching rule, joined by '\n' (caller frees; "" when no rule
 * matches): "+15 fit  title matches vp|director|head (VP Sales)".
 */
char	*score_explain(const struct score_set *, const struct lead *,
	    time_t now);

/*
 * Recompute l's score and write it when it changed (one store_lead_update
 * of kind "score" by SCORE_USER, the reason naming the matching rules). When
 * the total crosses mql_threshold from below while l is in a funnel stage
 * before mql, also move l to mql (kind "move", by SCORE_USER, the reason
 * naming the rules). l is updated in place (score, fit, engagement, stage,
 * version). *moved (may be NULL) says whether it was moved. 0, or -1 with
 * *cause.
 */
int	 score_apply_set(struct store *, const struct config *,
	    const struct score_set *, struct lead *l, time_t now, bool *moved,
	    char **cause);

/*
 * A lead about to be created is scored before it is inserted: l's score,
 * fit and engagement are set from the rules as of now (l->created_at must
 * already be the creation time, for days_since_activity), so the row goes
 * in scored and no score event is written: the lead's created event stands
 * for its initial state, and score_explain still explains it rule by rule.
 * True when that initial score hands l to mql (the rule score_apply_set
 * follows, counting from the 0 a lead starts at): insert l, then call
 * score_handoff. Pure: nothing is written, l's stage is not changed.
 */
bool	 score_initial(const struct config *, const struct score_set *,
	    struct lead *l, time_t now);

/*
 * Move l, just inserted with score_initial's score, to mql (kind "move", by
 * SCORE_USER, the reason naming the rules, as score_apply_set does). l's
 * stage and version are updated. 0, or -1 with *cause.
 */
int	 score_handoff(struct store *, const struct config *,
	    const struct score_set *, struct lead *l, time_t now, char **cause);

/*
 * What score_apply_set would do to l, without writing anything (a dry-run
 * import): l's score, fit, engagement and stage are updated in place.
 * *changed says whether the score changed, *moved whether l went to mql.
 */
void	 score_apply_dry(const struct config *, const struct score_set *,
	    struct lead *l, time_t now, bool *changed, bool *moved);

/*
 * The same with cfg's rules compiled once and cached for the process (the
 * cache is rebuilt when cfg's rules change). For lead.c after an activity.
 */
int	 score_apply(struct store *, const struct config *, struct lead *l,
	    time_t now, char **cause);
/* cfg's rules, compiled and cached; NULL with *cause on a bad rule. */
const struct score_set *score_set_cfg(const struct config *, char **cause);
/* score_explain over the cached set; NULL with *cause on a bad rule. */
char	*score_explain_cfg(const struct config *, const struct lead *,
	    time_t now, char **cause);
/* Free the cached set (tests, and before freeing a config at exit). */
void	 score_cache_clear(void);

#endif
