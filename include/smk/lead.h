/*
 * Lead operations with the funnel's rules: who may change what, which moves
 * need a reason, what "the next stage" is. The command line and the TUI both
 * act through these functions, so a rule holds the same everywhere. Sits on
 * the store; never calls curses, never writes SQL.
 */
#ifndef SMK_LEAD_H
#define SMK_LEAD_H

#include <stdbool.h>
#include <time.h>

#include "smk/config.h"
#include "smk/smk.h"
#include "smk/store.h"

enum role { ROLE_NONE, ROLE_REP, ROLE_MANAGER, ROLE_ADMIN };

/* Who is acting: the OS login, looked up in the reps table. */
struct actor {
	char	*login;
	char	*name;
	char	*team;		/* NULL when unknown */
	enum role role;		/* ROLE_NONE: not in the reps table */
};
/* Fills a; an unknown login is ROLE_NONE, not an error. */
enum smk_err actor_load(struct store *, const char *login, struct actor *a,
	    char **cause);
void	 actor_clear(struct actor *);
const char *role_name(enum role);

/* May a change lead l?  Sets *cause to the refusal in plain words. */
bool	 lead_may_change(const struct actor *, const struct lead *,
	    char **cause);
/*
 * May actor a leave lead l (as it is now; zeroed for a new lead) owned by
 * owner (NULL: nobody)? A rep gives no lead to another rep, nor takes one
 * from them: they keep theirs or claim an unassigned one. Managers and
 * admins may. Ask lead_may_change first.
 */
bool	 lead_may_give(const struct actor *, const struct lead *,
	    const char *owner, char **cause);

/* "42" or "ann@example.com" to a lead. */
enum smk_err lead_resolve(struct store *, const char *ref, struct lead *,
	    char **cause);

/* Does moving from -> to need a reason (back, or into an exit)? */
bool	 lead_move_needs_reason(const struct config *, const char *from,
	    const char *to);
/*
 * The playbook's reasons to offer for a move to "to" that needs one: the
 * disqualify list into disqualified, else the recycle list (recycling, or
 * moving back: sales hands the lead back for the same reasons).
 */
char *const *lead_reasons(const struct config *, const char *to, size_t *n);
/* The next funnel stage after stage, or NULL at the end or for an exit. */
const char *lead_next_stage(const struct config *, const char *stage);

/* Is email an address no lead has yet? SMK_EUSER with *cause if not. */
enum smk_err lead_email_free(struct store *, const char *email,
	    char **cause);
/*
 * Each operation takes the lead as the caller last saw it (l, with its
 * version); on success l is reloaded. On SMK_ECONFLICT, *conflict says who
 * changed it (may be NULL). *cause always gets a message on failure.
 */
enum smk_err lead_add(struct store *, const struct config *,
	    const struct actor *, struct lead *l, time_t at, char **cause);
enum smk_err lead_move(struct store *, const struct config *,
	    const struct actor *, struct lead *l, const char *stage,
	    const char *reason, time_t at, struct store_conflict *conflict,
	    char **cause);
enum smk_err lead_assign(struct store *, const struct config *,
	    const struct actor *, struct lead *l, const char *login, time_t at,
	    struct store_conflict *conflict, char **cause);
enum smk_err lead_set(struct store *, const struct config *,
	    const struct actor *, struct lead *l, const char *field,
	    const char *value, time_t at, struct store_conflict *conflict,
	    char **cause);
enum smk_err lead_log(struct store *, const struct config *,
	    const struct actor *, struct lead *l, const char *kind,
	    const char *note, time_t at, char **cause);

/* Activity kinds that count as an attempt: call, email, meeting, social. */
bool	 lead_kind_is_attempt(const char *kind);
bool	 lead_kind_is_activity(const char *kind);

/* "Ann Lee (ann@x.com) was changed by bob at 10:02: stage mql -> sql". */
char	*lead_conflict_message(const struct store_conflict *);

/*
 * A caller that saw version expected of lead l (freshly loaded): SMK_OK when
 * it is still current, else SMK_ECONFLICT naming who changed it since.
 */
enum smk_err lead_check_version(struct store *, const struct lead *l,
	    int64_t expected, char **cause);

/* Map a store status to an exit code. */
enum smk_err lead_err_from_store(enum store_status);

#endif
