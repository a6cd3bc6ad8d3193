/*
 * The lead actions of the board and the detail view: ask what is needed
 * (reason, rep, activity), run the change through lead.h, and say what
 * happened on the message line. Owns the "keep what the user typed when the
 * change was refused" rule. Must not draw views or call the store's writers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smk/text.h"
#include "smk/tui.h"
#include "smk/xmalloc.h"

/*
 * What the user typed for a change that did not go through (a conflict, a
 * refusal), offered again only to the same change, so that nothing is
 * retyped and nothing leaks into another prompt: the reason to move lead
 * id, or a new lead's fields.
 */
enum tui_retry { TUI_RETRY_NONE, TUI_RETRY_REASON, TUI_RETRY_NEW };
#define TUI_RETRY_FIELDS 4	/* a new lead: email, first, last, company */
static struct {
	enum tui_retry	 what;
	int64_t		 id;
	char		*text[TUI_RETRY_FIELDS];
} tui_lead_retry;

void
tui_lead_cleanup(void)
{
	size_t i;

	for (i = 0; i < TUI_RETRY_FIELDS; i++) {
		free(tui_lead_retry.text[i]);
		tui_lead_retry.text[i] = NULL;
	}
	tui_lead_retry.what = TUI_RETRY_NONE;
}

/* Keep text (n of them; none: forget) for change what of lead id. */
static void
tui_lead_keep(enum tui_retry what, int64_t id, const char *const *text,
    size_t n)
{
	size_t i;

	tui_lead_cleanup();
	if (n == 0 || text[0] == NULL)
		return;
	tui_lead_retry.what = what;
	tui_lead_retry.id = id;
	for (i = 0; i < n && i < TUI_RETRY_FIELDS; i++)
		tui_lead_retry.text[i] = text[i] != NULL ? xstrdup(text[i]) :
		    NULL;
}

/* Field i of what was kept for change what of lead id, or NULL. */
static const char *
tui_lead_kept(enum tui_retry what, int64_t id, size_t i)
{
	if (tui_lead_retry.what != what || tui_lead_retry.id != id)
		return NULL;
	return tui_lead_retry.text[i];
}

const char *
tui_lead_name(const struct lead *l, char *buf, size_t len)
{
	const char *f = l->first_name, *la = l->last_name;

	if ((f == NULL || *f == '\0') && (la == NULL || *la == '\0')) {
		snprintf(buf, len, "%s", l->email != NULL ? l->email : "?");
		return buf;
	}
	snprintf(buf, len, "%s%s%s", f != NULL ? f : "",
	    f != NULL && *f != '\0' && la != NULL && *la != '\0' ? " " : "",
	    la != NULL ? la : "");
	return buf;
}

static const char *
tui_lead_label(const struct config *cfg, const char *stage)
{
	int i = config_stage_index(cfg, stage);

	return i >= 0 ? cfg->stages[i].label : stage;
}

/* Report a failed change; on a conflict reload l so the next try is fresh. */
static int
tui_lead_failed(struct tui *t, struct lead *l, enum smk_err rc, char *cause,
    const char *typed)
{
	char *why = NULL;
	int64_t id = l->id;

	tui_error(t, "%s", cause != NULL ? cause : "the change failed");
	tui_lead_keep(TUI_RETRY_REASON, id, &typed, 1);
	if (rc == SMK_ECONFLICT) {
		lead_clear(l);
		if (store_lead_get(tui_store(t), id, l, &why) != STORE_OK)
			l->id = id;
		free(why);
	}
	free(cause);
	return TUI_RELOAD;
}

/*
 * Ask for a reason: the playbook's list (if any) or free text. A reason
 * kept from a try that failed goes straight back into the prompt.
 */
static char *
tui_lead_reason(struct tui *t, int64_t id, const char *to,
    char *const *list, size_t n)
{
	const char **items;
	const char *kept = tui_lead_kept(TUI_RETRY_REASON, id, 0);
	char *title, *label, *r = NULL;
	size_t i;
	int k = -1;

	xasprintf(&title, "Why move to %s?", to);
	if (n > 0 && kept == NULL) {
		items = xcalloc(n + 1, sizeof *items);
		for (i = 0; i < n; i++)
			items[i] = list[i];
		items[n] = "other (type a reason)";
		k = tui_menu(t, title, items, n + 1);
		free(items);
		if (k < 0) {
			free(title);
			return NULL;
		}
	}
	if (k >= 0 && (size_t)k < n)
		r = xstrdup(list[k]);
	else {
		xasprintf(&label, "Reason for %s", to);
		r = tui_prompt(t, label, kept);
		free(label);
		if (r != NULL && *text_trim(r) == '\0') {
			free(r);
			r = NULL;
		}
	}
	free(title);
	return r;
}

static int
tui_lead_move_to(struct tui *t, struct lead *l, const char *to)
{
	const struct config *cfg = tui_config(t);
	struct store_conflict c;
	char *reason = NULL, *cause = NULL, *from, name[128];
	char *const *list;
	size_t n;
	enum smk_err rc;
	int flags;

	if (lead_move_needs_reason(cfg, l->stage, to)) {
		list = lead_reasons(cfg, to, &n);
		reason = tui_lead_reason(t, l->id, tui_lead_label(cfg, to),
		    list, n);
		if (reason == NULL) {
			tui_message(t, "not moved: a reason is needed");
			return TUI_DRAW;
		}
	}
	memset(&c, 0, sizeof c);
	from = xstrdup(l->stage);
	rc = lead_move(tui_store(t), cfg, tui_actor(t), l, to, reason,
	    tui_now(t), &c, &cause);
	store_conflict_clear(&c);
	if (rc != SMK_OK)
		flags = tui_lead_failed(t, l, rc, cause, reason);
	else {
		tui_message(t, "%s: %s -> %s%s%s",
		    tui_lead_name(l, name, sizeof name),
		    tui_lead_label(cfg, from), tui_lead_label(cfg, to),
		    reason != NULL ? " because " : "",
		    reason != NULL ? reason : "");
		tui_lead_cleanup();
		flags = TUI_RELOAD;
	}
	free(from);
	free(reason);
	return flags;
}

/* From an exit, or to choose freely: pick a funnel stage. */
static int
tui_lead_pick_stage(struct tui *t, struct lead *l, const char *title)
{
	const struct config *cfg = tui_config(t);
	const char **items;
	size_t i;
	int k;

	items = xcalloc(cfg->nfunnel, sizeof *items);
	for (i = 0; i < cfg->nfunnel; i++)
		items[i] = cfg->stages[i].label;
	k = tui_menu(t, title, items, cfg->nfunnel);
	free(items);
	if (k < 0)
		return TUI_DRAW;
	return tui_lead_move_to(t, l, cfg->stages[k].name);
}

static int
tui_lead_step(struct tui *t, struct lead *l, int dir)
{
	const struct config *cfg = tui_config(t);
	int i = config_stage_index(cfg, l->stage);
	const char *to;

	if (i < 0 || cfg->stages[i].exit)
		return tui_lead_pick_stage(t, l, "Bring back to which stage?");
	if (dir > 0) {
		if ((to = lead_next_stage(cfg, l->stage)) == NULL) {
			tui_message(t, "%s is the last stage",
			    cfg->stages[i].label);
			return TUI_DRAW;
		}
		return tui_lead_move_to(t, l, to);
	}
	if (i == 0) {
		tui_message(t, "%s is the first stage", cfg->stages[i].label);
		return TUI_DRAW;
	}
	return tui_lead_move_to(t, l, cfg->stages[i - 1].name);
}

static int
tui_lead_exit(struct tui *t, struct lead *l)
{
	const struct config *cfg = tui_config(t);
	const char *items[8];
	size_t i, n = 0, idx[8];
	int k;

	for (i = cfg->nfunnel; i < cfg->nstages && n < 8; i++) {
		if (l->stage != NULL && strcmp(cfg->stages[i].name,
		    l->stage) == 0)
			continue;
		idx[n] = i;
		items[n++] = cfg->stages[i].label;
	}
	if (n == 0) {
		tui_message(t, "the playbook defines no other exit stage");
		return TUI_DRAW;
	}
	if ((k = tui_menu(t, "Take the lead out of the funnel:", items, n)) < 0)
		return TUI_DRAW;
	return tui_lead_move_to(t, l, cfg->stages[idx[k]].name);
}

static int
tui_lead_attempt(struct tui *t, struct lead *l)
{
	static const struct {
		int		 key;
		const char	*kind;
	} kinds[] = {
		{ 'c', "call" }, { 'e', "email" }, { 'm', "meeting" },
		{ 's', "social" },
	};
	char *cause = NULL, name[128];
	enum smk_err rc;
	size_t i;
	int key;

	key = tui_getkey(t, "log an attempt: c=call e=email m=meeting "
	    "s=social (Esc cancels)");
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (kinds[i].key == key)
			break;
	}
	if (i == sizeof kinds / sizeof kinds[0]) {
		tui_message(t, "nothing logged");
		return TUI_DRAW;
	}
	rc = lead_log(tui_store(t), tui_config(t), tui_actor(t), l,
	    kinds[i].kind, NULL, tui_now(t), &cause);
	if (rc != SMK_OK)
		return tui_lead_failed(t, l, rc, cause, NULL);
	tui_message(t, "logged a %s with %s", kinds[i].kind,
	    tui_lead_name(l, name, sizeof name));
	return TUI_RELOAD;
}

/* Would lead_assign let the user give l to login (NULL: nobody)? */
static bool
tui_lead_may_give(struct tui *t, const struct lead *l, const char *login)
{
	char *why = NULL;
	bool ok = lead_may_give(tui_actor(t), l, login, &why);

	free(why);
	return ok;
}

static int
tui_lead_reassign(struct tui *t, struct lead *l)
{
	struct store_rep *reps = NULL;
	struct store_conflict c;
	char **items, *cause = NULL, name[128];
	size_t n = 0, i, m = 0;
	enum smk_err rc;
	bool unassign;
	int k, flags = TUI_DRAW;

	/*
	 * Offer only what the rules allow (tui_lead_action has checked that
	 * the user may change l): a rep is offered themselves.
	 */
	if (store_rep_list(tui_store(t), &reps, &n, &cause) != STORE_OK) {
		tui_error(t, "%s", cause);
		free(cause);
		return TUI_DRAW;
	}
	items = xcalloc(n + 1, sizeof *items);
	for (i = 0; i < n; i++) {
		if (reps[i].active && tui_lead_may_give(t, l, reps[i].login))
			xasprintf(&items[m++], "%s  %s (%s %s)", reps[i].login,
			    reps[i].name, reps[i].team, reps[i].role);
	}
	if ((unassign = tui_lead_may_give(t, l, NULL)))
		items[m] = xstrdup("(unassigned)");
	if (m == 0 && !unassign) {
		tui_error(t, "there is no active rep to give it to");
		k = -1;
	} else
		k = tui_menu(t, "Give the lead to:", (const char *const *)items,
		    m + (unassign ? 1 : 0));
	if (k >= 0) {
		const char *login = NULL;

		if ((size_t)k < m) {
			items[k][strcspn(items[k], " ")] = '\0';
			login = items[k];
		}
		memset(&c, 0, sizeof c);
		rc = lead_assign(tui_store(t), tui_config(t), tui_actor(t), l,
		    login, tui_now(t), &c, &cause);
		store_conflict_clear(&c);
		if (rc != SMK_OK)
			flags = tui_lead_failed(t, l, rc, cause, NULL);
		else {
			tui_message(t, "%s now belongs to %s",
			    tui_lead_name(l, name, sizeof name),
			    login != NULL ? login : "nobody");
			flags = TUI_RELOAD;
		}
	}
	for (i = 0; i <= m; i++)
		free(items[i]);
	free(items);
	store_reps_free(reps, n);
	return flags;
}

int
tui_lead_action(struct tui *t, enum action_id a, struct lead *l)
{
	char *cause = NULL;

	if (l == NULL || l->id == 0) {
		tui_message(t, "no lead selected");
		return TUI_DRAW;
	}
	if (!lead_may_change(tui_actor(t), l, &cause)) {
		tui_error(t, "%s", cause);
		free(cause);
		return TUI_DRAW;
	}
	switch (a) {
	case ACTION_STAGE_NEXT:
		return tui_lead_step(t, l, 1);
	case ACTION_STAGE_BACK:
		return tui_lead_step(t, l, -1);
	case ACTION_STAGE_EXIT:
		return tui_lead_exit(t, l);
	case ACTION_LOG_ATTEMPT:
		return tui_lead_attempt(t, l);
	case ACTION_REASSIGN:
		return tui_lead_reassign(t, l);
	default:
		return TUI_NONE;
	}
}

/* Ask one field of a new lead; false when the user cancelled. */
static bool
tui_lead_ask(struct tui *t, const char *label, const char *initial,
    char **out)
{
	char *s = tui_prompt(t, label, initial);

	if (s == NULL)
		return false;
	if (*text_trim(s) == '\0') {
		free(s);
		s = NULL;
	}
	*out = s;
	return true;
}

int
tui_lead_new(struct tui *t)
{
	struct lead l;
	char *cause = NULL, name[128];
	enum smk_err rc;

	memset(&l, 0, sizeof l);
	if (!tui_lead_ask(t, "New lead: email", tui_lead_kept(TUI_RETRY_NEW,
	    0, 0), &l.email) || l.email == NULL) {
		tui_message(t, "no lead added");
		lead_clear(&l);
		return TUI_DRAW;
	}
	/* A bad or taken address is said now, not after three more. */
	if ((rc = lead_email_free(tui_store(t), l.email, &cause)) == SMK_OK &&
	    (!tui_lead_ask(t, "First name", tui_lead_kept(TUI_RETRY_NEW, 0, 1),
	    &l.first_name) ||
	    !tui_lead_ask(t, "Last name", tui_lead_kept(TUI_RETRY_NEW, 0, 2),
	    &l.last_name) ||
	    !tui_lead_ask(t, "Company", tui_lead_kept(TUI_RETRY_NEW, 0, 3),
	    &l.company))) {
		tui_message(t, "no lead added");
		lead_clear(&l);
		return TUI_DRAW;
	}
	if (rc == SMK_OK)
		rc = lead_add(tui_store(t), tui_config(t), tui_actor(t), &l,
		    tui_now(t), &cause);
	if (rc != SMK_OK) {
		tui_error(t, "%s", cause != NULL ? cause : "not added");
		tui_lead_keep(TUI_RETRY_NEW, 0, (const char *const []){ l.email,
		    l.first_name, l.last_name, l.company }, TUI_RETRY_FIELDS);
		free(cause);
		lead_clear(&l);
		return TUI_DRAW;
	}
	tui_message(t, "added lead %lld: %s (%s)", (long long)l.id,
	    tui_lead_name(&l, name, sizeof name), l.stage);
	tui_lead_cleanup();
	lead_clear(&l);
	return TUI_RELOAD;
}
