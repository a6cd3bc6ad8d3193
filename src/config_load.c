/*
 * Loading a config file: walking iniparser's dictionary against the option
 * table in config.c, reporting names the table does not know, storing each
 * value and the [stage.NAME], [score.NAME] and [keys] sections. The table,
 * parsing and storing one value live in config.c; reading the file and
 * keeping messages in config_file.c. Never prints; knows nothing of SQLite
 * or curses.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iniparser.h>

#include "smk/config.h"
#include "smk/xmalloc.h"

#include "config_int.h"

static bool
config_section_is(const char *pattern, const char *section)
{
	const char *star = strchr(pattern, '*');

	if (star == NULL)
		return strcmp(pattern, section) == 0;
	return strncmp(pattern, section, star - pattern) == 0 &&
	    section[star - pattern] != '\0';
}

static bool
config_section_known(enum config_file file, const char *section)
{
	size_t i;

	for (i = 0; i < config_noptions; i++) {
		if (config_table[i].file == file &&
		    config_section_is(config_table[i].section, section))
			return true;
	}
	return false;
}

static const struct config_option *
config_find(enum config_file file, const char *section, const char *key)
{
	const struct config_option *o;
	size_t i;

	for (i = 0; i < config_noptions; i++) {
		o = &config_table[i];
		if (o->file == file && config_section_is(o->section, section) &&
		    (strcmp(o->key, key) == 0 || strcmp(o->key, "*") == 0))
			return o;
	}
	return NULL;
}

/* Edit distance, for "did you mean"; large when either is long. */
static size_t
config_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev, cur, d[65];

	if (la > 64 || lb > 64)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		d[j] = j;
	for (i = 1; i <= la; i++) {
		prev = d[0];
		d[0] = i;
		for (j = 1; j <= lb; j++) {
			cur = d[j];
			d[j] = prev + (a[i - 1] != b[j - 1]);
			if (d[j - 1] + 1 < d[j])
				d[j] = d[j - 1] + 1;
			if (cur + 1 < d[j])
				d[j] = cur + 1;
			prev = cur;
		}
	}
	return d[lb];
}

static void
config_unknown_key(struct config_load *l, const char *section,
    const char *key)
{
	const struct config_option *o, *best = NULL;
	size_t i, dist, bestd = 3;
	char *s = config_safe(section), *k = config_safe(key);
	int lineno = config_line_of(l, section, key);

	for (i = 0; i < config_noptions; i++) {
		o = &config_table[i];
		if (o->file != l->file || !config_section_is(o->section,
		    section))
			continue;
		if ((dist = config_distance(o->key, key)) < bestd) {
			bestd = dist;
			best = o;
		}
	}
	if (best != NULL)
		config_msg(l, lineno, "[%s] %s: unknown key, did you mean %s? "
		    "ignored", s, k, best->key);
	else
		config_msg(l, lineno, "[%s] %s: unknown key; ignored", s, k);
	free(s);
	free(k);
}

static void
config_unknown_section(struct config_load *l, const char *section)
{
	char *s = config_safe(section);
	int lineno = config_line_of(l, section, NULL);

	if (config_section_known(!l->file, section))
		config_msg(l, lineno, "[%s]: belongs in %s, not here; ignored",
		    s, l->file == CF_USER ? "the team's playbook (smk.ini)" :
		    "your own config.ini");
	else
		config_msg(l, lineno, "[%s]: unknown section; ignored", s);
	free(s);
}

/* Report every section and key that the table does not know. */
static void
config_check_names(struct config_load *l)
{
	const dictionary *d = l->d;
	const char *k, *colon;
	char *sec, *safe;
	ssize_t i;

	for (i = 0; i < d->size; i++) {
		if ((k = d->key[i]) == NULL)
			continue;
		if (d->val[i] == NULL) {
			if (!config_section_known(l->file, k))
				config_unknown_section(l, k);
			continue;
		}
		if ((colon = strchr(k, ':')) == NULL)
			continue;
		sec = xstrndup(k, colon - k);
		if (*sec == '\0') {
			safe = config_safe(colon + 1);
			config_msg(l, config_line_of(l, "", colon + 1), "%s: "
			    "not in any [section]; ignored", safe);
			free(safe);
		} else if (config_section_known(l->file, sec) &&
		    config_find(l->file, sec, colon + 1) == NULL)
			config_unknown_key(l, sec, colon + 1);
		free(sec);
	}
}

/*
 * Parse and store one value from the file. On a bad value, say why and
 * what is used instead (instead: "using 4h", "rule skipped"); when reset,
 * put the option's default back.
 */
static int
config_apply(struct config_load *l, const struct config_option *o,
    struct config *cfg, void *base, const char *section, const char *text,
    const char *instead, bool reset)
{
	struct config_value v;
	char why[256], *s, *q;
	size_t dropped;

	if (config_parse(o, text, &v, why, sizeof why) != 0) {
		s = config_safe(section);
		q = config_quote(text);
		config_msg(l, config_line_of(l, section, o->key),
		    "[%s] %s = %s: %s; %s", s, o->key, q, why, instead);
		free(q);
		free(s);
		if (reset)
			config_set_text(cfg, base, o, o->dflt);
		return -1;
	}
	if ((dropped = config_store(o, cfg, base, &v)) != 0)
		config_msg(l, config_line_of(l, section, o->key),
		    "[%s] %s: %zu stage%s also in the other list; kept in the "
		    "funnel", section, o->key, dropped, dropped == 1 ? "" : "s");
	return 0;
}

static const char *
config_get(const struct config_load *l, const char *section, const char *key)
{
	char *name;
	const char *v;

	xasprintf(&name, "%s:%s", section, key);
	v = iniparser_getstring(l->d, name, NULL);
	free(name);
	return v;
}

static void
config_apply_fixed(struct config_load *l, struct config *cfg)
{
	const struct config_option *o;
	const char *text;
	char *instead;
	size_t i;

	for (i = 0; i < config_noptions; i++) {
		o = &config_table[i];
		if (o->file != l->file || o->dflt == NULL ||
		    strchr(o->section, '*') != NULL)
			continue;
		if ((text = config_get(l, o->section, o->key)) == NULL)
			continue;
		xasprintf(&instead, "using %s", *o->dflt != '\0' ? o->dflt :
		    "none");
		config_apply(l, o, cfg, cfg, o->section, text, instead, true);
		free(instead);
	}
}

/* Checks between options, once each has its own value. */
static void
config_check_playbook(struct config_load *l, struct config *cfg)
{
	bool customers = config_get(l, "goals", "customers") != NULL;

	if (cfg->day_start >= cfg->day_end) {
		config_msg(l, config_line_of(l, "business_hours", "end"),
		    "[business_hours] end %02d:%02d is not after start "
		    "%02d:%02d; using 09:00 to 17:00", cfg->day_end / 60,
		    cfg->day_end % 60, cfg->day_start / 60,
		    cfg->day_start % 60);
		config_set_default(cfg, "business_hours", "start");
		config_set_default(cfg, "business_hours", "end");
	}
	if (cfg->goal_revenue == 0)
		return;
	if (customers) {
		config_msg(l, config_line_of(l, "goals", "revenue"),
		    "[goals] both customers and revenue are set; using "
		    "customers = %ld", cfg->goal_customers);
		cfg->goal_revenue = 0;
	} else
		cfg->goal_customers = 0;
}

static void
config_apply_stage(struct config_load *l, struct config *cfg,
    const char *section)
{
	const struct config_option *o;
	struct stage_def *sd;
	const char *text;
	char *instead, *s;
	size_t i;
	int idx;

	if ((idx = config_stage_index(cfg, section + 6)) < 0) {
		s = config_safe(section);
		config_msg(l, config_line_of(l, section, NULL), "[%s]: no "
		    "stage %s in [stages] order or exits; ignored", s, s + 6);
		free(s);
		return;
	}
	sd = &cfg->stages[idx];
	for (i = 0; i < config_noptions; i++) {
		o = &config_table[i];
		if (strcmp(o->section, "stage.*") != 0 ||
		    (text = config_get(l, section, o->key)) == NULL)
			continue;
		if (o->type == CT_STRING)
			xasprintf(&instead, "keeping %s", sd->label);
		else if (o->type == CT_ENUM)
			xasprintf(&instead, "keeping %s",
			    config_teams[sd->team]);
		else
			xasprintf(&instead, "using %s", o->dflt);
		config_apply(l, o, cfg, sd, section, text, instead,
		    o->dflt != NULL);
		free(instead);
	}
}

static bool
config_rule_name_ok(const char *name)
{
	const char *p;

	if (*name == '\0' || strlen(name) > 64)
		return false;
	for (p = name; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && strchr("_-.", *p) == NULL)
			return false;
	}
	return true;
}

/* Read [score.NAME] into a rule; a rule with any problem is skipped. */
static void
config_apply_rule(struct config_load *l, struct config *cfg,
    const char *section)
{
	const struct config_option *o;
	struct score_rule r = { 0 };
	const char *text, *err;
	char why[256], *s = config_safe(section), *q;
	bool ok = true, part = false;
	size_t i;

	if (!config_rule_name_ok(section + 6)) {
		config_msg(l, config_line_of(l, section, NULL), "[%s]: a rule "
		    "name is letters, digits, -, _ and .; rule skipped", s);
		free(s);
		return;
	}
	for (i = 0; i < config_noptions; i++) {
		o = &config_table[i];
		if (strcmp(o->section, "score.*") != 0)
			continue;
		if ((text = config_get(l, section, o->key)) == NULL) {
			if (o->off == offsetof(struct score_rule, part))
				continue;
			config_msg(l, config_line_of(l, section, NULL), "[%s]: "
			    "no %s; rule skipped", s, o->key);
			ok = false;
		} else if (config_apply(l, o, cfg, &r, section, text,
		    "rule skipped", false) != 0)
			ok = false;
		else if (o->off == offsetof(struct score_rule, part))
			part = true;
	}
	if (ok && (err = config_compile_match(&r, why, sizeof why)) != NULL) {
		q = config_quote(config_get(l, section, "match"));
		config_msg(l, config_line_of(l, section, "match"), "[%s] match "
		    "= %s: %s; rule skipped", s, q, err);
		free(q);
		ok = false;
	}
	if (ok && cfg->nrules >= CONFIG_MAXRULES) {
		config_msg(l, config_line_of(l, section, NULL), "[%s]: more "
		    "than %d rules; rule skipped", s, CONFIG_MAXRULES);
		ok = false;
	}
	free(s);
	if (!ok) {
		config_rule_free(&r);
		return;
	}
	if (!part)
		r.part = config_score_field_numeric(r.field) ?
		    SCORE_ENGAGEMENT : SCORE_FIT;
	r.name = xstrdup(section + 6);
	cfg->rules = xreallocarray(cfg->rules, cfg->nrules + 1,
	    sizeof *cfg->rules);
	cfg->rules[cfg->nrules++] = r;
}

static bool
config_key_ok(const char *key)
{
	const char *p;

	if (*key == '\0' || strlen(key) > CONFIG_MAXKEYNAME)
		return false;
	for (p = key; *p != '\0'; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return false;
	}
	return true;
}

/* [keys] ACTION = KEY, KEY: the TUI judges the names, not us. */
static void
config_apply_keys(struct config_load *l, struct config *cfg,
    const char *action, const char *text)
{
	const struct config_option *o = config_option("keys", "*");
	struct config_value v;
	char why[256], *a = config_safe(action), *q;
	size_t i;
	int lineno = config_line_of(l, "keys", action);

	if (config_parse(o, text, &v, why, sizeof why) != 0 || v.count == 0) {
		q = config_quote(text);
		config_msg(l, lineno, "[keys] %s = %s: %s; ignored", a, q,
		    v.count == 0 ? "no key given" : why);
		free(q);
	}
	for (i = 0; i < v.count; i++) {
		if (!config_key_ok(v.list[i])) {
			q = config_quote(v.list[i]);
			config_msg(l, lineno, "[keys] %s: %s is not a key "
			    "name; skipped", a, q);
			free(q);
		} else if (cfg->nkeys >= CONFIG_MAXBINDS) {
			config_msg(l, lineno, "[keys] %s: more than %d "
			    "bindings; skipped", a, CONFIG_MAXBINDS);
			break;
		} else {
			cfg->keys = xreallocarray(cfg->keys, cfg->nkeys + 1,
			    sizeof *cfg->keys);
			cfg->keys[cfg->nkeys].key = xstrdup(v.list[i]);
			cfg->keys[cfg->nkeys++].action = xstrdup(action);
		}
	}
	config_value_free(&v);
	free(a);
}

/* The [stage.NAME], [score.NAME] and [keys] sections, in file order. */
static void
config_apply_sections(struct config_load *l, struct config *cfg)
{
	const dictionary *d = l->d;
	const char *k;
	ssize_t i;

	for (i = 0; i < d->size; i++) {
		if ((k = d->key[i]) == NULL)
			continue;
		if (d->val[i] == NULL && l->file == CF_PLAYBOOK &&
		    strncmp(k, "stage.", 6) == 0)
			config_apply_stage(l, cfg, k);
		else if (d->val[i] == NULL && l->file == CF_PLAYBOOK &&
		    strncmp(k, "score.", 6) == 0)
			config_apply_rule(l, cfg, k);
		else if (d->val[i] != NULL && l->file == CF_USER &&
		    strncmp(k, "keys:", 5) == 0)
			config_apply_keys(l, cfg, k + 5, d->val[i]);
	}
}

static int
config_load(struct config *cfg, const char *path, enum config_file file,
    config_warn_cb warn, void *arg, char **cause)
{
	struct config_load l = { .path = path, .file = file };
	int rv = -1;

	if ((rv = config_read(&l, cause)) <= 0)
		goto out;
	rv = -1;
	config_scan(&l);
	config_index(&l);
	if ((l.d = config_ini_load(&l)) == NULL) {
		if (l.syntax != NULL)
			xasprintf(cause, "%s: %u problem%s that iniparser cannot "
			    "read past (first: %s); nothing in it was used",
			    path, l.nsyntax, l.nsyntax == 1 ? "" : "s",
			    l.syntax);
		else
			xasprintf(cause, "%s: iniparser could not read it", path);
		goto out;
	}
	config_check_names(&l);
	config_apply_fixed(&l, cfg);
	if (file == CF_PLAYBOOK)
		config_check_playbook(&l, cfg);
	config_apply_sections(&l, cfg);
	rv = 0;
out:
	config_emit(&l, warn, arg);
	config_release(&l);
	return rv;
}

int
config_load_playbook(struct config *cfg, const char *path,
    config_warn_cb warn, void *arg, char **cause)
{
	return config_load(cfg, path, CF_PLAYBOOK, warn, arg, cause);
}

int
config_load_user(struct config *cfg, const char *path, config_warn_cb warn,
    void *arg, char **cause)
{
	return config_load(cfg, path, CF_USER, warn, arg, cause);
}
