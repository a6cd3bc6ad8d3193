/*
 * Lead operations and the funnel's rules. The command line and the TUI call
 * these, never the store's writers directly, so that "a rep changes only
 * their own leads", "moving back needs a reason" and the version check hold
 * the same everywhere. No SQL and no curses here.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smk/lead.h"
#include "smk/score.h"
#include "smk/text.h"
#include "smk/when.h"
#include "smk/xmalloc.h"

static const char *attempt_kinds[] = { "call", "email", "meeting", "social" };

const char *
role_name(enum role role)
{
	switch (role) {
	case ROLE_REP:
		return "rep";
	case ROLE_MANAGER:
		return "manager";
	case ROLE_ADMIN:
		return "admin";
	case ROLE_NONE:
		break;
	}
	return "guest";
}

static enum role
role_parse(const char *s)
{
	if (s == NULL)
		return ROLE_NONE;
	if (strcmp(s, "admin") == 0)
		return ROLE_ADMIN;
	if (strcmp(s, "manager") == 0)
		return ROLE_MANAGER;
	if (strcmp(s, "rep") == 0)
		return ROLE_REP;
	return ROLE_NONE;
}

enum smk_err
lead_err_from_store(enum store_status st)
{
	switch (st) {
	case STORE_OK:
		return SMK_OK;
	case STORE_NOTFOUND:
	case STORE_EXISTS:
	case STORE_INVALID:
		return SMK_EUSER;
	case STORE_CONFLICT:
		return SMK_ECONFLICT;
	default:
		return SMK_EFILE;
	}
}

enum smk_err
actor_load(struct store *s, const char *login, struct actor *a, char **cause)
{
	struct store_rep rep;
	enum store_status st;

	memset(a, 0, sizeof *a);
	memset(&rep, 0, sizeof rep);
	a->login = xstrdup(login);
	st = store_rep_get(s, login, &rep, cause);
	if (st == STORE_NOTFOUND) {
		free(*cause);
		*cause = NULL;
		a->name = xstrdup(login);
		a->role = ROLE_NONE;
		return SMK_OK;
	}
	if (st != STORE_OK)
		return lead_err_from_store(st);
	a->name = xstrdup(rep.name != NULL ? rep.name : login);
	a->team = rep.team != NULL ? xstrdup(rep.team) : NULL;
	a->role = rep.active ? role_parse(rep.role) : ROLE_NONE;
	store_rep_clear(&rep);
	return SMK_OK;
}

void
actor_clear(struct actor *a)
{
	free(a->login);
	free(a->name);
	free(a->team);
	memset(a, 0, sizeof *a);
}

bool
lead_may_change(const struct actor *a, const struct lead *l, char **cause)
{
	switch (a->role) {
	case ROLE_ADMIN:
	case ROLE_MANAGER:
		return true;
	case ROLE_REP:
		if (l->owner == NULL || strcmp(l->owner, a->login) == 0)
			return true;
		xasprintf(cause, "lead %lld belongs to %s: only they or a "
		    "manager can change it", (long long)l->id, l->owner);
		return false;
	case ROLE_NONE:
		break;
	}
	xasprintf(cause, "you (%s) are not an active rep of this team, so "
	    "smk is read-only for you: ask an admin to run "
	    "'smk rep add %s --name NAME --team sales --role rep'",
	    a->login, a->login);
	return false;
}

bool
lead_may_give(const struct actor *a, const struct lead *l, const char *owner,
    char **cause)
{
	if (a->role != ROLE_REP || (owner != NULL && strcmp(owner,
	    a->login) == 0) || (owner == NULL && l->owner == NULL))
		return true;
	xasprintf(cause, "only a manager can give a lead to another rep or "
	    "take it from one; a rep can claim an unassigned lead");
	return false;
}

static bool
lead_all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
	}
	return true;
}

enum smk_err
lead_resolve(struct store *s, const char *ref, struct lead *l, char **cause)
{
	enum store_status st;
	char *inner = NULL;

	memset(l, 0, sizeof *l);
	if (lead_all_digits(ref) && strlen(ref) < 19)
		st = store_lead_get(s, strtoll(ref, NULL, 10), l, &inner);
	else if (strchr(ref, '@') != NULL)
		st = store_lead_by_email(s, ref, l, &inner);
	else {
		xasprintf(cause, "\"%s\" is not a lead: give its id or its "
		    "email address", ref);
		return SMK_EUSER;
	}
	if (st == STORE_NOTFOUND) {
		free(inner);
		xasprintf(cause, "no lead %s", ref);
		return SMK_EUSER;
	}
	if (st != STORE_OK) {
		*cause = inner;
		return lead_err_from_store(st);
	}
	return SMK_OK;
}

bool
lead_move_needs_reason(const struct config *cfg, const char *from,
    const char *to)
{
	int fi = config_stage_index(cfg, from);
	int ti = config_stage_index(cfg, to);

	if (ti < 0)
		return false;
	if (cfg->stages[ti].exit)
		return true;
	if (fi < 0 || cfg->stages[fi].exit)
		return false;
	return ti < fi;
}

const char *
lead_next_stage(const struct config *cfg, const char *stage)
{
	int i = config_stage_index(cfg, stage);

	if (i < 0 || cfg->stages[i].exit || (size_t)i + 1 >= cfg->nfunnel)
		return NULL;
	return cfg->stages[i + 1].name;
}

bool
lead_kind_is_attempt(const char *kind)
{
	size_t i;

	for (i = 0; i < sizeof attempt_kinds / sizeof attempt_kinds[0]; i++) {
		if (strcmp(kind, attempt_kinds[i]) == 0)
			return true;
	}
	return false;
}

bool
lead_kind_is_activity(const char *kind)
{
	return lead_kind_is_attempt(kind) || strcmp(kind, "note") == 0;
}

static char *
lead_stage_list(const struct config *cfg)
{
	char *list = xstrdup(""), *next;
	size_t i;

	for (i = 0; i < cfg->nstages; i++) {
		xasprintf(&next, "%s%s%s", list, i > 0 ? ", " : "",
		    cfg->stages[i].name);
		free(list);
		list = next;
	}
	return list;
}

char *const *
lead_reasons(const struct config *cfg, const char *to, size_t *n)
{
	if (strcmp(to, "disqualified") == 0) {
		*n = cfg->ndisqualify;
		return cfg->disqualify_reasons;
	}
	*n = cfg->nrecycle;
	return cfg->recycle_reasons;
}

static char *
lead_reason_hint(const struct config *cfg, const char *to)
{
	char *const *reasons;
	char *hint = xstrdup(""), *next;
	size_t n, i;

	reasons = lead_reasons(cfg, to, &n);
	for (i = 0; i < n; i++) {
		xasprintf(&next, "%s%s%s", hint, i > 0 ? ", " : "", reasons[i]);
		free(hint);
		hint = next;
	}
	return hint;
}

char *
lead_conflict_message(const struct store_conflict *c)
{
	char when[WHEN_ISO_LEN], *msg;

	when_format(c->at, when);
	if (c->user == NULL) {
		xasprintf(&msg, "someone else changed this lead (now version "
		    "%lld): reload it and try again", (long long)c->version);
		return msg;
	}
	xasprintf(&msg, "%s changed this lead at %s (%s %s: %s -> %s): "
	    "nothing was overwritten; reload it and try again", c->user, when,
	    c->kind != NULL ? c->kind : "update",
	    c->field != NULL ? c->field : "",
	    c->old_value != NULL ? c->old_value : "(none)",
	    c->new_value != NULL ? c->new_value : "(none)");
	return msg;
}

/* Remember the latest versioned change (not activities, not scores). */
static int
lead_last_change(const struct store_entry *e, void *arg)
{
	struct store_conflict *c = arg;

	if (strcmp(e->kind, "score") == 0 || lead_kind_is_activity(e->kind))
		return 0;
	store_conflict_clear(c);
	c->user = e->user != NULL ? xstrdup(e->user) : NULL;
	c->at = e->entered_at;
	c->kind = xstrdup(e->kind);
	c->field = e->field != NULL ? xstrdup(e->field) : NULL;
	c->old_value = e->from != NULL ? xstrdup(e->from) : NULL;
	c->new_value = e->to != NULL ? xstrdup(e->to) : NULL;
	return 0;
}

enum smk_err
lead_check_version(struct store *s, const struct lead *l, int64_t expected,
    char **cause)
{
	struct store_conflict c;
	enum store_status st;

	if (expected == l->version)
		return SMK_OK;
	memset(&c, 0, sizeof c);
	st = store_timeline(s, l->id, lead_last_change, &c, cause);
	if (st != STORE_OK)
		return lead_err_from_store(st);
	c.version = l->version;
	*cause = lead_conflict_message(&c);
	store_conflict_clear(&c);
	return SMK_ECONFLICT;
}

/*
 * Write one change through the store's version check, turning a conflict
 * into a message that names who got there first, then reload the lead.
 */
static enum smk_err
lead_write(struct store *s, struct lead *l, const char *kind,
    const struct store_change *ch, const char *reason,
    const struct actor *a, time_t at, struct store_conflict *conflict,
    char **cause)
{
	struct store_conflict local;
	struct store_conflict *c = conflict != NULL ? conflict : &local;
	enum store_status st;
	int64_t id = l->id;

	memset(&local, 0, sizeof local);
	st = store_lead_update(s, id, l->version, kind, ch, 1, reason,
	    a->login, at, NULL, c, cause);
	if (st == STORE_CONFLICT) {
		free(*cause);
		*cause = lead_conflict_message(c);
		store_conflict_clear(&local);
		return SMK_ECONFLICT;
	}
	if (st != STORE_OK)
		return lead_err_from_store(st);
	lead_clear(l);
	st = store_lead_get(s, id, l, cause);
	return lead_err_from_store(st);
}

enum smk_err
lead_move(struct store *s, const struct config *cfg, const struct actor *a,
    struct lead *l, const char *stage, const char *reason, time_t at,
    struct store_conflict *conflict, char **cause)
{
	struct store_change ch = { "stage", l->stage, stage };
	char *list;

	if (config_stage_index(cfg, stage) < 0) {
		list = lead_stage_list(cfg);
		xasprintf(cause, "unknown stage \"%s\" (stages: %s)", stage,
		    list);
		free(list);
		return SMK_EUSER;
	}
	if (l->stage != NULL && strcmp(l->stage, stage) == 0) {
		xasprintf(cause, "lead %lld is already in %s", (long long)l->id,
		    stage);
		return SMK_EUSER;
	}
	if (!lead_may_change(a, l, cause))
		return SMK_EUSER;
	if (lead_move_needs_reason(cfg, l->stage, stage) &&
	    (reason == NULL || *reason == '\0')) {
		list = lead_reason_hint(cfg, stage);
		xasprintf(cause, "moving lead %lld from %s to %s needs a reason: "
		    "--reason TEXT (for example: %s)", (long long)l->id,
		    l->stage, stage, list);
		free(list);
		return SMK_EUSER;
	}
	return lead_write(s, l, "move", &ch, reason, a, at, conflict, cause);
}

/* A lead may be given only to an active rep of the team. */
static enum smk_err
lead_check_owner(struct store *s, const char *login, char **cause)
{
	struct store_rep rep;
	enum store_status st;
	bool active;

	memset(&rep, 0, sizeof rep);
	st = store_rep_get(s, login, &rep, cause);
	if (st == STORE_NOTFOUND) {
		free(*cause);
		xasprintf(cause, "no rep with login \"%s\" (see 'smk rep "
		    "list')", login);
		return SMK_EUSER;
	}
	if (st != STORE_OK)
		return lead_err_from_store(st);
	active = rep.active;
	store_rep_clear(&rep);
	if (!active) {
		xasprintf(cause, "%s is not an active rep", login);
		return SMK_EUSER;
	}
	return SMK_OK;
}

enum smk_err
lead_assign(struct store *s, const struct config *cfg,
    const struct actor *a, struct lead *l, const char *login, time_t at,
    struct store_conflict *conflict, char **cause)
{
	struct store_change ch = { "owner", l->owner, login };
	enum smk_err rc;

	(void)cfg;
	if (!lead_may_change(a, l, cause) || !lead_may_give(a, l, login,
	    cause))
		return SMK_EUSER;
	if (login != NULL && (rc = lead_check_owner(s, login, cause)) !=
	    SMK_OK)
		return rc;
	if ((l->owner == NULL && login == NULL) || (l->owner != NULL &&
	    login != NULL && strcmp(l->owner, login) == 0))
		return SMK_OK;
	return lead_write(s, l, "assign", &ch, NULL, a, at, conflict, cause);
}

/* The editable fields: the name a user types, and the store's field. */
static const struct {
	const char	*name;
	const char	*field;
} lead_fields[] = {
	{ "first", "first_name" }, { "last", "last_name" },
	{ "company", "company" }, { "title", "title" },
	{ "phone", "phone" }, { "source", "source" },
	{ "country", "country" }, { "amount", "amount" },
	{ "notes", "notes" }
};

static const char *
lead_current(const struct lead *l, const char *field, char *buf, size_t len)
{
	if (strcmp(field, "first_name") == 0)
		return l->first_name;
	if (strcmp(field, "last_name") == 0)
		return l->last_name;
	if (strcmp(field, "company") == 0)
		return l->company;
	if (strcmp(field, "title") == 0)
		return l->title;
	if (strcmp(field, "phone") == 0)
		return l->phone;
	if (strcmp(field, "source") == 0)
		return l->source;
	if (strcmp(field, "country") == 0)
		return l->country;
	if (strcmp(field, "notes") == 0)
		return l->notes;
	if (!l->has_amount)
		return NULL;
	snprintf(buf, len, "%lld", (long long)l->amount);
	return buf;
}

static int
lead_check_amount(const char *value, char **cause)
{
	const char *p = value;

	if (*p == '\0' || strlen(p) > 15)
		goto bad;
	for (; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p))
			goto bad;
	}
	return 0;
bad:
	xasprintf(cause, "amount \"%s\" is not a whole number (like 12000)",
	    value);
	return -1;
}

/* Read l again (a write changed it) and score it as of at. */
static enum smk_err
lead_rescore(struct store *s, const struct config *cfg, struct lead *l,
    time_t at, char **cause)
{
	enum store_status st;
	int64_t id = l->id;

	lead_clear(l);
	if ((st = store_lead_get(s, id, l, cause)) != STORE_OK)
		return lead_err_from_store(st);
	return score_apply(s, cfg, l, at, cause) == 0 ? SMK_OK : SMK_EFILE;
}

enum smk_err
lead_set(struct store *s, const struct config *cfg, const struct actor *a,
    struct lead *l, const char *name, const char *value, time_t at,
    struct store_conflict *conflict, char **cause)
{
	struct store_change ch;
	const char *field = NULL, *old;
	char buf[32];
	enum smk_err rc;
	size_t i;

	for (i = 0; i < sizeof lead_fields / sizeof lead_fields[0]; i++) {
		if (strcmp(name, lead_fields[i].name) == 0 ||
		    strcmp(name, lead_fields[i].field) == 0)
			field = lead_fields[i].field;
	}
	if (field == NULL) {
		xasprintf(cause, "cannot set \"%s\": the fields are first, "
		    "last, company, title, phone, source, country and amount",
		    name);
		return SMK_EUSER;
	}
	if (value != NULL && *value == '\0')
		value = NULL;
	if (strcmp(field, "amount") == 0 && value != NULL &&
	    lead_check_amount(value, cause) != 0)
		return SMK_EUSER;
	if (!lead_may_change(a, l, cause))
		return SMK_EUSER;
	old = lead_current(l, field, buf, sizeof buf);
	if ((old == NULL && value == NULL) ||
	    (old != NULL && value != NULL && strcmp(old, value) == 0))
		return SMK_OK;
	ch.field = field;
	ch.old_value = old;
	ch.new_value = value;
	rc = lead_write(s, l, "update", &ch, NULL, a, at, conflict, cause);
	/* A scoring rule may read the field: the score follows it. */
	return rc == SMK_OK ? lead_rescore(s, cfg, l, at, cause) : rc;
}

static int
lead_check_email(const char *email, char **cause)
{
	const char *at = strchr(email, '@');
	const char *p;

	for (p = email; *p != '\0'; p++) {
		if (isspace((unsigned char)*p) || iscntrl((unsigned char)*p))
			break;
	}
	if (at == NULL || at == email || at[1] == '\0' || *p != '\0' ||
	    strchr(at + 1, '@') != NULL || strlen(email) > 254) {
		xasprintf(cause, "\"%s\" is not an email address", email);
		return -1;
	}
	return 0;
}

enum smk_err
lead_email_free(struct store *s, const char *email, char **cause)
{
	enum store_status st;
	struct lead l;
	char *why = NULL;

	if (lead_check_email(email, cause) != 0)
		return SMK_EUSER;
	memset(&l, 0, sizeof l);
	st = store_lead_by_email(s, email, &l, &why);
	if (st == STORE_NOTFOUND) {
		free(why);
		return SMK_OK;
	}
	if (st != STORE_OK) {
		*cause = why;
		return lead_err_from_store(st);
	}
	xasprintf(cause, "a lead with email %s already exists (lead %lld)",
	    email, (long long)l.id);
	lead_clear(&l);
	return SMK_EUSER;
}

enum smk_err
lead_add(struct store *s, const struct config *cfg, const struct actor *a,
    struct lead *l, time_t at, char **cause)
{
	const struct score_set *set;
	struct lead none;
	enum store_status st;
	enum smk_err rc;
	bool handoff;

	if (lead_check_email(l->email, cause) != 0)
		return SMK_EUSER;
	if (l->stage == NULL) {
		l->stage = xstrdup(config_stage_index(cfg, "lead") >= 0 ?
		    "lead" : cfg->stages[0].name);
	} else if (config_stage_index(cfg, l->stage) < 0) {
		char *list = lead_stage_list(cfg);

		xasprintf(cause, "unknown stage \"%s\" (stages: %s)", l->stage,
		    list);
		free(list);
		return SMK_EUSER;
	}
	memset(&none, 0, sizeof none);
	if (!lead_may_change(a, &none, cause) || !lead_may_give(a, &none,
	    l->owner, cause))
		return SMK_EUSER;
	if (l->owner != NULL && (rc = lead_check_owner(s, l->owner, cause)) !=
	    SMK_OK)
		return rc;
	/* Scored as it is created, so no score event follows its creation. */
	if ((set = score_set_cfg(cfg, cause)) == NULL)
		return SMK_EUSER;
	l->created_at = at;
	handoff = score_initial(cfg, set, l, at);
	st = store_lead_insert(s, l, a->login, at, cause);
	if (st != STORE_OK)
		return lead_err_from_store(st);
	if (handoff && score_handoff(s, cfg, set, l, at, cause) != 0)
		return SMK_EFILE;
	return SMK_OK;
}

enum smk_err
lead_log(struct store *s, const struct config *cfg, const struct actor *a,
    struct lead *l, const char *kind, const char *note, time_t at,
    char **cause)
{
	enum store_status st;
	int64_t id = l->id;

	if (!lead_kind_is_activity(kind)) {
		xasprintf(cause, "unknown activity \"%s\" (use call, email, "
		    "meeting, social or note)", kind);
		return SMK_EUSER;
	}
	if (!lead_may_change(a, l, cause))
		return SMK_EUSER;
	st = store_activity_add(s, id, kind, note, a->login, at, cause);
	if (st != STORE_OK)
		return lead_err_from_store(st);
	return lead_rescore(s, cfg, l, at, cause);
}
