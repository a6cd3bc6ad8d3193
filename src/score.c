/*
 * Lead scoring. Owns the meaning of the [score.NAME] rules: which lead value
 * each field names, how each operator compares, how a score and its
 * explanation are built, and when a score hands a lead to marketing-qualified.
 * Writes only through store_lead_update; never formats for a screen beyond
 * the explanation lines, never calls curses.
 */
#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "smk/score.h"
#include "smk/xmalloc.h"

#define SCORE_DAY 86400
#define SCORE_VALUE_MAX 40	/* characters of a lead's value in a line */

enum score_field {
	SF_TITLE, SF_COMPANY, SF_SOURCE, SF_EMAIL_DOMAIN, SF_COUNTRY, SF_STAGE,
	SF_EMAIL, SF_FIRST_NAME, SF_LAST_NAME, SF_PHONE, SF_OWNER,
	SF_VISITS, SF_FORMS, SF_PAGES, SF_DAYS_SINCE_ACTIVITY, SF_AMOUNT
};
#define SF_FIRST_NUMERIC SF_VISITS

static const char *const score_field_names[] = {
	"title", "company", "source", "email_domain", "country", "stage",
	"email", "first_name", "last_name", "phone", "owner",
	"visits", "forms", "pages", "days_since_activity", "amount"
};

struct score_crule {
	const struct score_rule	*rule;
	enum score_field	 field;
	bool			 has_re;
	regex_t			 re;
	bool			 has_number;
	long			 number;
};

struct score_set {
	struct score_crule	*rules;
	size_t			 n;
};

/* The value of one field of a lead: text, and a number when it has one. */
struct score_value {
	const char	*text;
	char		 buf[32];
	bool		 has_number;
	long		 number;
};

static int
score_field_find(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof score_field_names / sizeof *score_field_names;
	    i++) {
		if (strcasecmp(name, score_field_names[i]) == 0)
			return ((int)i);
	}
	return (-1);
}

static int
score_parse_long(const char *s, long *out)
{
	char	*end;
	long	 v;

	if (s == NULL)
		return (-1);
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0')
		return (-1);
	errno = 0;
	v = strtol(s, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	if (errno != 0 || *end != '\0')
		return (-1);
	*out = v;
	return (0);
}

static int
score_compile_rule(const struct score_rule *r, struct score_crule *cr,
    char **cause)
{
	char	 err[128];
	int	 f, rc;

	memset(cr, 0, sizeof *cr);
	cr->rule = r;
	if (r->field == NULL || (f = score_field_find(r->field)) < 0) {
		xasprintf(cause, "[score.%s]: unknown field \"%s\"", r->name,
		    r->field != NULL ? r->field : "");
		return (-1);
	}
	cr->field = (enum score_field)f;
	if (r->op == SCORE_REGEX) {
		rc = regcomp(&cr->re, r->match != NULL ? r->match : "",
		    REG_EXTENDED | REG_ICASE | REG_NOSUB);
		if (rc != 0) {
			regerror(rc, &cr->re, err, sizeof err);
			xasprintf(cause, "[score.%s]: bad pattern \"%s\": %s",
			    r->name, r->match, err);
			return (-1);
		}
		cr->has_re = true;
	}
	if (score_parse_long(r->match, &cr->number) == 0)
		cr->has_number = true;
	else if (r->op >= SCORE_GE) {
		xasprintf(cause, "[score.%s]: \"%s\" is not a number", r->name,
		    r->match != NULL ? r->match : "");
		return (-1);
	}
	return (0);
}

struct score_set *
score_compile(const struct config *cfg, char **cause)
{
	struct score_set	*set;
	size_t			 i;

	set = xcalloc(1, sizeof *set);
	if (cfg->nrules != 0)
		set->rules = xcalloc(cfg->nrules, sizeof *set->rules);
	for (i = 0; i < cfg->nrules; i++) {
		if (score_compile_rule(&cfg->rules[i], &set->rules[i],
		    cause) != 0) {
			score_free(set);
			return (NULL);
		}
		set->n++;
	}
	return (set);
}

void
score_free(struct score_set *set)
{
	size_t	i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++) {
		if (set->rules[i].has_re)
			regfree(&set->rules[i].re);
	}
	free(set->rules);
	free(set);
}

long
score_days_since_activity(const struct lead *l, time_t now)
{
	time_t	since;

	since = l->last_activity_at != 0 ? l->last_activity_at : l->created_at;
	if (since == 0 || now <= since)
		return (0);
	return ((long)((now - since) / SCORE_DAY));
}

static void
score_number(struct score_value *v, long n)
{
	v->has_number = true;
	v->number = n;
	snprintf(v->buf, sizeof v->buf, "%ld", n);
	v->text = v->buf;
}

static const char *
score_domain(const char *email)
{
	const char	*at;

	if (email == NULL || (at = strrchr(email, '@')) == NULL)
		return (NULL);
	return (at + 1);
}

static void
score_value_of(enum score_field f, const struct lead *l, time_t now,
    struct score_value *v)
{
	memset(v, 0, sizeof *v);
	switch (f) {
	case SF_TITLE:		v->text = l->title; break;
	case SF_COMPANY:	v->text = l->company; break;
	case SF_SOURCE:		v->text = l->source; break;
	case SF_EMAIL_DOMAIN:	v->text = score_domain(l->email); break;
	case SF_COUNTRY:	v->text = l->country; break;
	case SF_STAGE:		v->text = l->stage; break;
	case SF_EMAIL:		v->text = l->email; break;
	case SF_FIRST_NAME:	v->text = l->first_name; break;
	case SF_LAST_NAME:	v->text = l->last_name; break;
	case SF_PHONE:		v->text = l->phone; break;
	case SF_OWNER:		v->text = l->owner; break;
	case SF_VISITS:		score_number(v, l->visits); break;
	case SF_FORMS:		score_number(v, l->forms); break;
	case SF_PAGES:		score_number(v, l->pages); break;
	case SF_DAYS_SINCE_ACTIVITY:
		score_number(v, score_days_since_activity(l, now));
		break;
	case SF_AMOUNT:
		if (l->has_amount)
			score_number(v, (long)l->amount);
		break;
	}
	if (v->text == NULL)
		v->text = "";
	else if (!v->has_number && score_parse_long(v->text, &v->number) == 0)
		v->has_number = true;
}

/* Case-insensitive equality, ignoring white space around the lead's value. */
static bool
score_text_eq(const char *value, const char *want)
{
	size_t	n;

	while (isspace((unsigned char)*value))
		value++;
	n = strlen(value);
	while (n > 0 && isspace((unsigned char)value[n - 1]))
		n--;
	return (strlen(want) == n && strncasecmp(value, want, n) == 0);
}

static bool
score_eq(const struct score_crule *cr, const struct score_value *v)
{
	if (cr->field >= SF_FIRST_NUMERIC && cr->has_number)
		return (v->has_number && v->number == cr->number);
	return (score_text_eq(v->text, cr->rule->match != NULL ?
	    cr->rule->match : ""));
}

static bool
score_in(const struct score_crule *cr, const struct score_value *v)
{
	size_t	i;

	for (i = 0; i < cr->rule->nvalues; i++) {
		if (score_text_eq(v->text, cr->rule->values[i]))
			return (true);
	}
	return (false);
}

static bool
score_matches(const struct score_crule *cr, const struct score_value *v)
{
	switch (cr->rule->op) {
	case SCORE_EQ:
		return (score_eq(cr, v));
	case SCORE_IN:
		return (score_in(cr, v));
	case SCORE_REGEX:
		/* An empty value never matches, even a pattern like "x*". */
		return (*v->text != '\0' &&
		    regexec(&cr->re, v->text, 0, NULL, 0) == 0);
	case SCORE_GE:
		return (v->has_number && v->number >= cr->number);
	case SCORE_GT:
		return (v->has_number && v->number > cr->number);
	case SCORE_LE:
		return (v->has_number && v->number <= cr->number);
	case SCORE_LT:
		return (v->has_number && v->number < cr->number);
	}
	return (false);
}

static bool
score_rule_hits(const struct score_crule *cr, const struct lead *l,
    time_t now, struct score_value *v)
{
	score_value_of(cr->field, l, now, v);
	return (score_matches(cr, v));
}

void
score_compute(const struct score_set *set, const struct lead *l, time_t now,
    struct score_result *res)
{
	struct score_value	 v;
	size_t			 i;

	memset(res, 0, sizeof *res);
	for (i = 0; i < set->n; i++) {
		if (!score_rule_hits(&set->rules[i], l, now, &v))
			continue;
		if (set->rules[i].rule->part == SCORE_FIT)
			res->fit += set->rules[i].rule->points;
		else
			res->engagement += set->rules[i].rule->points;
	}
	res->score = res->fit + res->engagement;
}

static const char *
score_op_words(enum score_op op)
{
	switch (op) {
	case SCORE_EQ:		return ("is");
	case SCORE_IN:		return ("in");
	case SCORE_REGEX:	return ("matches");
	case SCORE_GE:		return (">=");
	case SCORE_GT:		return (">");
	case SCORE_LE:		return ("<=");
	case SCORE_LT:		return ("<");
	}
	return ("?");
}

/* Append one explanation line to *buf (of length *len). */
static void
score_explain_line(char **buf, size_t *len, const struct score_crule *cr,
    const struct score_value *v)
{
	const struct score_rule	*r = cr->rule;
	char			*line;
	int			 n;

	n = xasprintf(&line, "%s%+d %s  %s %s %s (%.*s)", *len != 0 ? "\n" : "",
	    r->points, r->part == SCORE_FIT ? "fit" : "engagement", r->field,
	    score_op_words(r->op), r->match != NULL ? r->match : "",
	    SCORE_VALUE_MAX, v->text);
	*buf = xreallocarray(*buf, *len + (size_t)n + 1, 1);
	memcpy(*buf + *len, line, (size_t)n + 1);
	*len += (size_t)n;
	free(line);
}

char *
score_explain(const struct score_set *set, const struct lead *l, time_t now)
{
	struct score_value	 v;
	char			*buf;
	size_t			 i, len = 0;

	buf = xstrdup("");
	for (i = 0; i < set->n; i++) {
		if (score_rule_hits(&set->rules[i], l, now, &v))
			score_explain_line(&buf, &len, &set->rules[i], &v);
	}
	return (buf);
}

/* "title_vp +15, visits -5": the matching rules, for an event's reason. */
static char *
score_reason(const struct score_set *set, const struct lead *l, time_t now)
{
	struct score_value	 v;
	char			*s = NULL, *next;
	size_t			 i;

	for (i = 0; i < set->n; i++) {
		if (!score_rule_hits(&set->rules[i], l, now, &v))
			continue;
		xasprintf(&next, "%s%s%s %+d", s != NULL ? s : "",
		    s != NULL ? ", " : "", set->rules[i].rule->name,
		    set->rules[i].rule->points);
		free(s);
		s = next;
	}
	return (s != NULL ? s : xstrdup("no rule matches"));
}

/* Is stage a funnel stage before mql (when the playbook has an mql)? */
static bool
score_before_mql(const struct config *cfg, const char *stage)
{
	size_t	i;

	if (stage == NULL)
		return (false);
	for (i = 0; i < cfg->nfunnel; i++) {
		if (strcmp(cfg->stages[i].name, "mql") == 0)
			return (false);
		if (strcmp(cfg->stages[i].name, stage) == 0)
			break;
	}
	if (i == cfg->nfunnel)
		return (false);
	for (i++; i < cfg->nfunnel; i++) {
		if (strcmp(cfg->stages[i].name, "mql") == 0)
			return (true);
	}
	return (false);
}

static int
score_update(struct store *s, const char *kind, const struct store_change *c,
    size_t n, const char *reason, struct lead *l, time_t now, char **cause)
{
	enum store_status	 st;
	int64_t			 version;
	char			*why = NULL;

	st = store_lead_update(s, l->id, l->version, kind, c, n, reason,
	    SCORE_USER, now, &version, NULL, &why);
	if (st != STORE_OK) {
		xasprintf(cause, "%s: cannot record the %s: %s",
		    l->email != NULL ? l->email : "lead", kind,
		    why != NULL ? why : store_strerror(st));
		free(why);
		return (-1);
	}
	l->version = version;
	return (0);
}

static int
score_write(struct store *s, struct lead *l, const struct score_result *r,
    const char *reason, time_t now, char **cause)
{
	struct store_change	 c[3];
	char			 o[3][16], nv[3][16];
	int			 oldv[3] = { l->score, l->fit, l->engagement };
	int			 newv[3] = { r->score, r->fit, r->engagement };
	const char		*names[3] = { "score", "fit", "engagement" };
	size_t			 i, n = 0;

	for (i = 0; i < 3; i++) {
		if (oldv[i] == newv[i] && i != 0)
			continue;
		snprintf(o[n], sizeof o[n], "%d", oldv[i]);
		snprintf(nv[n], sizeof nv[n], "%d", newv[i]);
		c[n].field = names[i];
		c[n].old_value = o[n];
		c[n].new_value = nv[n];
		n++;
	}
	if (score_update(s, "score", c, n, reason, l, now, cause) != 0)
		return (-1);
	l->score = r->score;
	l->fit = r->fit;
	l->engagement = r->engagement;
	return (0);
}

static int
score_move_mql(struct store *s, const struct config *cfg, struct lead *l,
    const char *rules, time_t now, char **cause)
{
	struct store_change	 c;
	char			*reason;
	int			 rc;

	c.field = "stage";
	c.old_value = l->stage;
	c.new_value = "mql";
	xasprintf(&reason, "score %d reached the MQL threshold %d: %s",
	    l->score, cfg->mql_threshold, rules);
	rc = score_update(s, "move", &c, 1, reason, l, now, cause);
	free(reason);
	if (rc != 0)
		return (-1);
	free(l->stage);
	l->stage = xstrdup("mql");
	l->updated_at = now;
	return (0);
}

/* Whether a new score hands the lead over to mql. */
static bool
score_crosses(const struct config *cfg, int old, const struct score_result *r,
    const char *stage)
{
	return (old < cfg->mql_threshold && r->score >= cfg->mql_threshold &&
	    score_before_mql(cfg, stage));
}

bool
score_initial(const struct config *cfg, const struct score_set *set,
    struct lead *l, time_t now)
{
	struct score_result	r;

	score_compute(set, l, now, &r);
	l->score = r.score;
	l->fit = r.fit;
	l->engagement = r.engagement;
	return (score_crosses(cfg, 0, &r, l->stage));
}

int
score_handoff(struct store *s, const struct config *cfg,
    const struct score_set *set, struct lead *l, time_t now, char **cause)
{
	char	*reason;
	int	 rc;

	reason = score_reason(set, l, now);
	rc = score_move_mql(s, cfg, l, reason, now, cause);
	free(reason);
	return (rc);
}

void
score_apply_dry(const struct config *cfg, const struct score_set *set,
    struct lead *l, time_t now, bool *changed, bool *moved)
{
	struct score_result	r;
	int			old = l->score;

	*changed = *moved = false;
	score_compute(set, l, now, &r);
	if (r.score == l->score && r.fit == l->fit &&
	    r.engagement == l->engagement)
		return;
	*changed = true;
	l->score = r.score;
	l->fit = r.fit;
	l->engagement = r.engagement;
	if (score_crosses(cfg, old, &r, l->stage)) {
		free(l->stage);
		l->stage = xstrdup("mql");
		*moved = true;
	}
}

int
score_apply_set(struct store *s, const struct config *cfg,
    const struct score_set *set, struct lead *l, time_t now, bool *moved,
    char **cause)
{
	struct score_result	 r;
	char			*reason;
	int			 old = l->score, rc = 0;

	if (moved != NULL)
		*moved = false;
	score_compute(set, l, now, &r);
	if (r.score == l->score && r.fit == l->fit &&
	    r.engagement == l->engagement)
		return (0);
	reason = score_reason(set, l, now);
	if (score_write(s, l, &r, reason, now, cause) != 0)
		rc = -1;
	else if (score_crosses(cfg, old, &r, l->stage)) {
		rc = score_move_mql(s, cfg, l, reason, now, cause);
		if (rc == 0 && moved != NULL)
			*moved = true;
	}
	free(reason);
	return (rc);
}

/* The process-wide cache behind score_apply. */
static struct score_set	*score_cached;
static uint64_t		 score_cached_key;

static uint64_t
score_hash(uint64_t h, const char *s)
{
	if (s == NULL)
		return (h * 1099511628211ULL);
	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return ((h ^ 0xff) * 1099511628211ULL);
}

/* A fingerprint of the rules, so that a changed playbook is noticed. */
static uint64_t
score_key(const struct config *cfg)
{
	uint64_t	h = 14695981039346656037ULL;
	size_t		i;
	char		num[64];

	for (i = 0; i < cfg->nrules; i++) {
		const struct score_rule *r = &cfg->rules[i];

		snprintf(num, sizeof num, "%d/%d/%d", (int)r->op, r->points,
		    (int)r->part);
		h = score_hash(score_hash(score_hash(h, r->field), r->match),
		    num);
	}
	/*
	 * The set points into cfg->rules, so the array's address is part of
	 * the key: a reloaded playbook gets a fresh set.
	 */
	snprintf(num, sizeof num, "%p", (const void *)cfg->rules);
	return (score_hash(h, num));
}

const struct score_set *
score_set_cfg(const struct config *cfg, char **cause)
{
	uint64_t		 key = score_key(cfg);
	struct score_set	*set;

	if (score_cached != NULL && key == score_cached_key)
		return (score_cached);
	if ((set = score_compile(cfg, cause)) == NULL)
		return (NULL);
	score_free(score_cached);
	score_cached = set;
	score_cached_key = key;
	return (set);
}

int
score_apply(struct store *s, const struct config *cfg, struct lead *l,
    time_t now, char **cause)
{
	const struct score_set	*set;

	if ((set = score_set_cfg(cfg, cause)) == NULL)
		return (-1);
	return (score_apply_set(s, cfg, set, l, now, NULL, cause));
}

char *
score_explain_cfg(const struct config *cfg, const struct lead *l, time_t now,
    char **cause)
{
	const struct score_set	*set;

	if ((set = score_set_cfg(cfg, cause)) == NULL)
		return (NULL);
	return (score_explain(set, l, now));
}

void
score_cache_clear(void)
{
	score_free(score_cached);
	score_cached = NULL;
	score_cached_key = 0;
}
