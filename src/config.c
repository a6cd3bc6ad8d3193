/*
 * The playbook (smk.ini) and the user's config.ini: the one option table,
 * parsing and storing one value of it, the defaults and the paths. Defaults
 * are written in the table as a user would write them and go through the
 * same parsers as the files, so the table is the documentation. Values are
 * parsed in config_value.c, files read and messages kept in config_file.c,
 * and the dictionary walked against the table in config_load.c. Never
 * prints; knows nothing of SQLite or curses.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <iniparser.h>

#include "smk/config.h"
#include "smk/when.h"
#include "smk/xmalloc.h"

#include "config_int.h"

/* iniparser stores enums through int-sized members. */
_Static_assert(sizeof(enum team) == sizeof(int), "enum size");
_Static_assert(sizeof(enum period) == sizeof(int), "enum size");
_Static_assert(sizeof(enum score_part) == sizeof(int), "enum size");

const char *const config_teams[] = {
	"marketing", "shared", "sales", NULL
};
static const char *const config_periods[] = { "week", "month", NULL };
/* In the order of enum store_lock_mode. */
static const char *const config_locks[] = { "auto", "posix", "lockdir",
	NULL };
static const char *const config_parts[] = { "fit", "engagement", NULL };
static const char *const config_fields[] = {
	"title", "company", "source", "email_domain", "country", "stage",
	"visits", "forms", "pages", "days_since_activity", NULL
};
/* The fields that hold counts; the others are text. */
static const char *const config_numeric_fields[] = {
	"visits", "forms", "pages", "days_since_activity", NULL
};
/*
 * What each well-known stage looks like when [stage.NAME] says nothing. A
 * stage of the team's own gets its name as label, the team of the stage
 * before it (sales after a shared stage) and, as an exit, sales.
 */
static const struct {
	const char	*name;
	const char	*label;
	enum team	 team;
} config_known_stages[] = {
	{ "subscriber",		"Subscriber",	TEAM_MARKETING },
	{ "lead",		"Lead",		TEAM_MARKETING },
	{ "mql",		"MQL",		TEAM_SHARED },
	{ "sql",		"SQL",		TEAM_SALES },
	{ "opportunity",	"Opportunity",	TEAM_SALES },
	{ "customer",		"Customer",	TEAM_SALES },
	{ "recycled",		"Recycled",	TEAM_MARKETING },
	{ "disqualified",	"Disqualified",	TEAM_SALES },
};

#define CFG(m) .off = offsetof(struct config, m), \
	.size = sizeof(((struct config *)0)->m)
#define STG(m) .off = offsetof(struct stage_def, m), \
	.size = sizeof(((struct stage_def *)0)->m)
#define RUL(m) .off = offsetof(struct score_rule, m), \
	.size = sizeof(((struct score_rule *)0)->m)

const struct config_option config_table[] = {
	{ .section = "business_hours", .key = "timezone", .type = CT_ZONE,
	  .dflt = "UTC", CFG(timezone),
	  .help = "IANA zone name of the team's clock (America/New_York)" },
	{ .section = "business_hours", .key = "days", .type = CT_WEEKDAYS,
	  .dflt = "mon,tue,wed,thu,fri", CFG(days),
	  .help = "working days: names (mon..sun) or ranges (mon-fri)" },
	{ .section = "business_hours", .key = "start", .type = CT_TIME,
	  .dflt = "09:00", .min = 0, .max = 24 * 60, CFG(day_start),
	  .help = "start of the working day, team time (HH:MM)" },
	{ .section = "business_hours", .key = "end", .type = CT_TIME,
	  .dflt = "17:00", .min = 0, .max = 24 * 60, CFG(day_end),
	  .help = "end of the working day, after start (HH:MM, 24:00 ok)" },
	{ .section = "business_hours", .key = "holidays", .type = CT_DATES,
	  .dflt = "", .max = CONFIG_MAXDATES, CFG(holidays),
	  .noff = offsetof(struct config, nholidays),
	  .help = "days off, YYYY-MM-DD, comma-separated" },

	{ .section = "sla", .key = "first_touch", .type = CT_DURATION,
	  .dflt = "4h", .min = 60, .max = 30 * DAY_S, CFG(first_touch),
	  .help = "business hours from handoff to the first attempt" },
	{ .section = "sla", .key = "attempts", .type = CT_INT,
	  .dflt = "5", .min = 1, .max = 100, CFG(attempts),
	  .help = "attempts required within attempts_window" },
	{ .section = "sla", .key = "attempts_window", .type = CT_DURATION,
	  .dflt = "14d", .min = 3600, .max = 365 * DAY_S,
	  CFG(attempts_window),
	  .help = "calendar time from handoff for those attempts" },
	{ .section = "sla", .key = "due_soon", .type = CT_PERCENT,
	  .dflt = "25%", .min = 1, .max = 99, CFG(due_soon_pct),
	  .help = "share of a window left when a clock turns due_soon" },
	{ .section = "sla", .key = "mqls_per_rep", .type = CT_MQLS,
	  .dflt = "100", .min = 1, .max = 1000000, CFG(mqls_per_rep),
	  .help = "marketing's monthly MQL promise per sales rep, or auto "
	      "(from [goals])" },

	{ .section = "stages", .key = "order", .type = CT_STAGES,
	  .dflt = "subscriber, lead, mql, sql, opportunity, customer",
	  .min = 2, .max = CONFIG_MAXSTAGES,
	  .help = "the funnel, first to last (lower-case names)" },
	{ .section = "stages", .key = "exits", .type = CT_STAGES,
	  .dflt = "recycled, disqualified", .min = 0, .max = CONFIG_MAXSTAGES,
	  .help = "side exits, where a lead leaves the funnel with a reason" },
	{ .section = "stage.*", .key = "label", .type = CT_STRING,
	  .shown = "(by stage)", .min = 1,
	  .max = CONFIG_MAXLABEL, STG(label),
	  .help = "the stage's name on screen: Subscriber, Lead, MQL, SQL, "
	      "..., or the name capitalised" },
	{ .section = "stage.*", .key = "team", .type = CT_ENUM,
	  .shown = "(by stage)", .choices = config_teams, STG(team),
	  .help = "marketing, shared or sales; subscriber, lead and recycled "
	      "are marketing, mql shared, the rest sales; a stage of your "
	      "own takes the team of the one before it" },
	{ .section = "stage.*", .key = "wip", .type = CT_INT,
	  .dflt = "0", .min = 0, .max = 1000000, STG(wip),
	  .help = "most leads the column should hold; 0: no limit" },

	{ .section = "reasons", .key = "recycle", .type = CT_LIST,
	  .dflt = "not ready to buy, no budget, wrong persona, no response",
	  .max = CONFIG_MAXITEMS, CFG(recycle_reasons),
	  .noff = offsetof(struct config, nrecycle),
	  .help = "reasons offered when sales recycles a lead" },
	{ .section = "reasons", .key = "disqualify", .type = CT_LIST,
	  .dflt = "competitor, student, spam, duplicate, lost to competitor",
	  .max = CONFIG_MAXITEMS, CFG(disqualify_reasons),
	  .noff = offsetof(struct config, ndisqualify),
	  .help = "reasons offered when a lead is disqualified" },

	{ .section = "scoring", .key = "mql_threshold", .type = CT_INT,
	  .dflt = "60", .min = 0, .max = 1000000, CFG(mql_threshold),
	  .help = "score at which a lead becomes an mql" },
	{ .section = "score.*", .key = "field", .type = CT_WORD,
	  .shown = "(required)", .choices = config_fields, RUL(field),
	  .help = "title, company, source, email_domain, country, stage, "
	      "visits, forms, pages or days_since_activity" },
	{ .section = "score.*", .key = "match", .type = CT_MATCH,
	  .shown = "(required)", RUL(match),
	  .help = ">= N, > N, <= N, < N, = N; /regex/ or a|b (ERE); a, b "
	      "(any of); else the exact value; all ignore case; ; and # "
	      "start a comment" },
	{ .section = "score.*", .key = "points", .type = CT_INT,
	  .shown = "(required)", .min = -1000, .max = 1000, RUL(points),
	  .help = "points added when the rule matches (negative subtracts)" },
	{ .section = "score.*", .key = "part", .type = CT_ENUM,
	  .shown = "(by field)", .choices = config_parts, RUL(part),
	  .help = "fit or engagement; engagement for visits, forms, pages "
	      "and days_since_activity, fit otherwise" },

	{ .section = "goals", .key = "period", .type = CT_ENUM,
	  .dflt = "month", .choices = config_periods, CFG(period),
	  .help = "week or month" },
	{ .section = "goals", .key = "customers", .type = CT_INT,
	  .dflt = "20", .min = 1, .max = 1000000000, CFG(goal_customers),
	  .help = "the shared goal: customers per period" },
	{ .section = "goals", .key = "revenue", .type = CT_INT,
	  .dflt = "0", .min = 0, .max = 1000000000000000LL,
	  CFG(goal_revenue),
	  .help = "or revenue per period instead (whole currency units); "
	      "0: none; customers wins when both are set" },
	{ .section = "goals", .key = "lookback", .type = CT_INT,
	  .dflt = "3", .min = 1, .max = 24, CFG(lookback),
	  .help = "whole periods of history behind the conversion rates" },
	{ .section = "goals", .key = "currency", .type = CT_CURRENCY,
	  .dflt = "USD", CFG(currency),
	  .help = "ISO 4217 code shown with revenue" },

	{ .section = "security", .key = "allow_user_override", .type = CT_BOOL,
	  .dflt = "no", CFG(allow_user_override),
	  .help = "when yes, --user LOGIN acts as another rep (demos, tests)" },

	{ .section = "store", .key = "busy_timeout", .type = CT_MSEC,
	  .dflt = "5s", .min = 0, .max = 600 * SEC_MS, CFG(busy_timeout_ms),
	  .help = "how long to wait for another user's lock" },

	{ .section = "store", .key = "lock", .type = CT_ENUM,
	  .dflt = "auto", .choices = config_locks, CFG(store_lock),
	  .help = "how writers lock the file: auto takes a lock directory "
	      "FILE.lock on NFS, SMB/CIFS and FUSE (sshfs) and POSIX locks "
	      "elsewhere; posix always uses POSIX locks; lockdir always uses "
	      "the lock directory" },

	{ .section = "ui", .key = "theme", .type = CT_NAME, .file = CF_USER,
	  .dflt = "default", CFG(theme),
	  .help = "colour theme: themes/NAME.ini" },
	{ .section = "ui", .key = "database", .type = CT_STRING,
	  .file = CF_USER, .dflt = "", .max = 4096, CFG(database),
	  .help = "the database when neither --db nor $SMK_DB names one" },
	{ .section = "ui", .key = "refresh", .type = CT_MSEC, .file = CF_USER,
	  .dflt = "1s", .min = 100, .max = 60 * SEC_MS, CFG(refresh_ms),
	  .help = "how often to look for changes made by others" },
	{ .section = "keys", .key = "*", .type = CT_KEYS, .file = CF_USER,
	  .shown = "KEY, KEY", .help = "bind keys (j, C-d, <Down>) to an "
	      "action; see the help screen for action names" },
};
#define CONFIG_NOPTIONS (sizeof config_table / sizeof config_table[0])
const size_t config_noptions = CONFIG_NOPTIONS;

static const char *
config_parse_choice(const struct config_option *o, const char *s,
    struct config_value *v)
{
	long long i;

	for (i = 0; o->choices[i] != NULL; i++) {
		if (strcasecmp(o->choices[i], s) == 0) {
			v->n = i;
			v->s = xstrdup(o->choices[i]);
			return NULL;
		}
	}
	return "not one of the choices";
}

static const char *
config_parse_stages(const struct config_option *o, const char *s,
    struct config_value *v)
{
	const char *why;
	size_t i, j;
	char *p;

	if ((why = config_split(s, o->max, v)) != NULL)
		return why;
	for (i = 0; i < v->count; i++) {
		config_lower(v->list[i]);
		if (strlen(v->list[i]) > CONFIG_MAXSTAGENAME)
			why = "a stage name is too long";
		for (p = v->list[i]; *p != '\0'; p++) {
			if (!isalnum((unsigned char)*p) && *p != '_' &&
			    *p != '-')
				why = "not a list of stage names (letters, "
				    "digits, - and _)";
		}
		for (j = 0; j < i; j++) {
			if (strcmp(v->list[i], v->list[j]) == 0)
				why = "names a stage twice";
		}
	}
	if (why == NULL && (long long)v->count < o->min)
		why = "needs at least two stages";
	if (why != NULL)
		config_value_free(v);
	return why;
}

/* "not one of week or month" */
static void
config_choices(const struct config_option *o, char *why, size_t len)
{
	size_t i, n = snprintf(why, len, "not one of ");

	for (i = 0; o->choices[i] != NULL && n < len; i++) {
		n += snprintf(why + n, len - n, "%s%s", i == 0 ? "" :
		    o->choices[i + 1] == NULL ? " or " : ", ", o->choices[i]);
	}
}

static bool
config_ranged(enum config_type t)
{
	return t == CT_INT || t == CT_DURATION || t == CT_MSEC ||
	    t == CT_PERCENT || t == CT_TIME || t == CT_MQLS;
}

/* Range check; fills why with the limits as a user would write them. */
static bool
config_in_range(const struct config_option *o, long long n, char *why,
    size_t len)
{
	char lo[32], hi[32];
	long long scale = 1;

	if (o->min == 0 && o->max == 0)
		return true;
	if (n >= o->min && n <= o->max)
		return true;
	switch (o->type) {
	case CT_DURATION:
		scale = SEC_MS;
		/* FALLTHROUGH */
	case CT_MSEC:
		config_fmt_duration(o->min * scale, lo, sizeof lo);
		config_fmt_duration(o->max * scale, hi, sizeof hi);
		break;
	case CT_TIME:
		snprintf(lo, sizeof lo, "00:00");
		snprintf(hi, sizeof hi, "24:00");
		break;
	default:
		snprintf(lo, sizeof lo, "%lld%s", o->min,
		    o->type == CT_PERCENT ? "%" : "");
		snprintf(hi, sizeof hi, "%lld%s", o->max,
		    o->type == CT_PERCENT ? "%" : "");
		break;
	}
	snprintf(why, len, "out of range (%s to %s)", lo, hi);
	return false;
}

/*
 * Parse text for option o into v. Returns 0, or -1 with why filled in; v
 * holds nothing to free after a failure.
 */
int
config_parse(const struct config_option *o, const char *text,
    struct config_value *v, char *why, size_t len)
{
	char *s = config_trimdup(text);
	const char *err = NULL;
	long long n = 0;

	memset(v, 0, sizeof *v);
	switch (o->type) {
	case CT_INT:
		if (config_number(s, &n) != 0)
			err = "not a whole number";
		break;
	case CT_DURATION:
		if ((err = config_parse_duration(s, &n)) == NULL) {
			if (n % SEC_MS != 0)
				err = "not a whole number of seconds";
			n /= SEC_MS;
		}
		break;
	case CT_MSEC:
		err = config_parse_duration(s, &n);
		break;
	case CT_PERCENT:
		if (*s != '\0' && s[strlen(s) - 1] == '%')
			s[strlen(s) - 1] = '\0';
		if (config_number(s, &n) != 0)
			err = "not a percentage (like 25%)";
		break;
	case CT_BOOL:
		err = config_parse_bool(s, &n);
		break;
	case CT_STRING:
		if (*s == '\0' && o->dflt != NULL && *o->dflt == '\0')
			v->s = NULL;	/* an optional text: empty is none */
		else if (*s == '\0')
			err = "empty";
		else if (strlen(s) > (size_t)o->max)
			err = "too long";
		else if (config_has_ctrl(s))
			err = "contains control characters";
		else
			v->s = xstrdup(s);
		break;
	case CT_NAME:
		err = config_parse_name(s, v);
		break;
	case CT_CURRENCY:
		err = config_parse_currency(s, v);
		break;
	case CT_WORD:
	case CT_ENUM:
		if (config_parse_choice(o, s, v) != NULL) {
			config_choices(o, why, len);
			err = why;
		}
		n = v->n;
		break;
	case CT_LIST:
		err = config_split(s, o->max, v);
		break;
	case CT_TIME:
		err = config_parse_time(s, &n);
		break;
	case CT_WEEKDAYS:
		err = config_parse_weekdays(s, &n);
		break;
	case CT_DATES:
		err = config_parse_dates(s, o->max, v);
		break;
	case CT_ZONE:
		err = config_parse_zone(s, v);
		break;
	case CT_MQLS:
		if (strcasecmp(s, "auto") == 0)
			n = -1;
		else if (config_number(s, &n) != 0)
			err = "not a number or auto";
		break;
	case CT_STAGES:
		err = config_parse_stages(o, s, v);
		break;
	case CT_MATCH:
		if (*s == '\0')
			err = "empty";
		else
			v->s = xstrdup(s);
		break;
	case CT_KEYS:
		err = config_split(s, CONFIG_MAXITEMS, v);
		break;
	}
	free(s);
	if (err == NULL && config_ranged(o->type) && !(o->type == CT_MQLS &&
	    n == -1) && !config_in_range(o, n, why, len))
		err = why;
	if (err != NULL) {
		if (err != why)
			snprintf(why, len, "%s", err);
		config_value_free(v);
		return -1;
	}
	v->n = n;
	return 0;
}

/* ---- Storing parsed values. ---- */

static void
config_store_int(void *p, size_t size, long long n)
{
	int i = (int)n;
	int64_t l = n;

	if (size == sizeof i)
		memcpy(p, &i, sizeof i);
	else
		memcpy(p, &l, sizeof l);
}

static void
config_store_string(void *p, struct config_value *v)
{
	char **sp = p;

	free(*sp);
	*sp = v->s;
	v->s = NULL;
}

static void
config_stage_init(struct stage_def *sd, const char *name,
    const struct stage_def *prev, bool exit)
{
	size_t i;

	memset(sd, 0, sizeof *sd);
	sd->name = xstrdup(name);
	sd->exit = exit;
	for (i = 0; i < sizeof config_known_stages /
	    sizeof config_known_stages[0]; i++) {
		if (strcmp(config_known_stages[i].name, name) == 0) {
			sd->label = xstrdup(config_known_stages[i].label);
			sd->team = config_known_stages[i].team;
			return;
		}
	}
	sd->label = xstrdup(name);
	sd->label[0] = toupper((unsigned char)sd->label[0]);
	if (exit || (prev != NULL && prev->team == TEAM_SHARED))
		sd->team = TEAM_SALES;
	else
		sd->team = prev != NULL ? prev->team : TEAM_MARKETING;
}

static void
config_stage_free(struct stage_def *sd)
{
	free(sd->name);
	free(sd->label);
}

static bool
config_listed(char **list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(list[i], s) == 0)
			return true;
	}
	return false;
}

/*
 * Replace the funnel (or the exits) with names, keeping the other part.
 * A name in both is kept in the funnel; returns how many exits were dropped.
 */
static size_t
config_set_stages(struct config *cfg, bool exits, char **names, size_t n)
{
	struct stage_def *st, *old = cfg->stages, *prev = NULL;
	size_t i, count = 0, dropped = 0, nfunnel;

	st = xcalloc(cfg->nstages + n + 1, sizeof *st);
	for (i = 0; i < cfg->nfunnel && exits; i++)
		st[count++] = old[i];
	for (i = 0; i < n; i++) {
		if (exits && config_stage_index(cfg, names[i]) >= 0 &&
		    (size_t)config_stage_index(cfg, names[i]) < cfg->nfunnel) {
			dropped++;
			continue;
		}
		config_stage_init(&st[count], names[i], prev, exits);
		prev = &st[count++];
	}
	nfunnel = exits ? cfg->nfunnel : count;
	for (i = cfg->nfunnel; i < cfg->nstages && !exits; i++) {
		if (config_listed(names, n, old[i].name)) {
			config_stage_free(&old[i]);
			dropped++;
		} else
			st[count++] = old[i];
	}
	for (i = exits ? cfg->nfunnel : 0; i < (exits ? cfg->nstages :
	    cfg->nfunnel); i++)
		config_stage_free(&old[i]);
	free(old);
	cfg->stages = st;
	cfg->nstages = count;
	cfg->nfunnel = nfunnel;
	return dropped;
}

/* Store v (taking what it holds) into base, which is cfg or inside it. */
size_t
config_store(const struct config_option *o, struct config *cfg, void *base,
    struct config_value *v)
{
	char *p = (char *)base + o->off;
	size_t dropped = 0, *np = (size_t *)((char *)base + o->noff);

	switch (o->type) {
	case CT_BOOL:
		*(bool *)p = v->n != 0;
		break;
	case CT_INT:
	case CT_DURATION:
	case CT_MSEC:
	case CT_PERCENT:
	case CT_TIME:
	case CT_WEEKDAYS:
	case CT_ENUM:
		config_store_int(p, o->size, v->n);
		break;
	case CT_STRING:
	case CT_NAME:
	case CT_CURRENCY:
	case CT_WORD:
	case CT_ZONE:
	case CT_MATCH:
		config_store_string(p, v);
		break;
	case CT_LIST:
		config_free_list(*(char ***)p, *np);
		*(char ***)p = v->list;
		*np = v->count;
		v->list = NULL;
		v->count = 0;
		break;
	case CT_DATES:
		free(*(int **)p);
		*(int **)p = v->dates;
		*np = v->count;
		v->dates = NULL;
		v->count = 0;
		break;
	case CT_MQLS:
		cfg->mqls_auto = v->n < 0;
		cfg->mqls_per_rep = v->n < 0 ? 0 : (int)v->n;
		break;
	case CT_STAGES:
		dropped = config_set_stages(cfg, strcmp(o->key, "exits") == 0,
		    v->list, v->count);
		break;
	case CT_KEYS:
		break;
	}
	config_value_free(v);
	return dropped;
}

/* Set an option from built-in text, which must parse. */
void
config_set_text(struct config *cfg, void *base, const struct config_option *o,
    const char *text)
{
	struct config_value v;
	char why[256];

	if (config_parse(o, text, &v, why, sizeof why) != 0)
		fatal("built-in default [%s] %s = %s: %s", o->section, o->key,
		    text, why);
	config_store(o, cfg, base, &v);
}

const struct config_option *
config_option(const char *section, const char *key)
{
	size_t i;

	for (i = 0; i < CONFIG_NOPTIONS; i++) {
		if (strcmp(config_table[i].section, section) == 0 &&
		    strcmp(config_table[i].key, key) == 0)
			return &config_table[i];
	}
	fatal("no option [%s] %s", section, key);
}

void
config_set_default(struct config *cfg, const char *section, const char *key)
{
	const struct config_option *o = config_option(section, key);

	config_set_text(cfg, cfg, o, o->dflt);
}

void
config_defaults(struct config *cfg)
{
	const struct config_option *o;
	size_t i;

	memset(cfg, 0, sizeof *cfg);
	for (i = 0; i < CONFIG_NOPTIONS; i++) {
		o = &config_table[i];
		if (o->dflt != NULL && strchr(o->section, '*') == NULL)
			config_set_text(cfg, cfg, o, o->dflt);
	}
}

void
config_rule_free(struct score_rule *r)
{
	free(r->name);
	free(r->field);
	free(r->match);
	config_free_list(r->values, r->nvalues);
	memset(r, 0, sizeof *r);
}

void
config_free(struct config *cfg)
{
	size_t i;

	free(cfg->timezone);
	free(cfg->holidays);
	for (i = 0; i < cfg->nstages; i++)
		config_stage_free(&cfg->stages[i]);
	free(cfg->stages);
	config_free_list(cfg->recycle_reasons, cfg->nrecycle);
	config_free_list(cfg->disqualify_reasons, cfg->ndisqualify);
	for (i = 0; i < cfg->nrules; i++)
		config_rule_free(&cfg->rules[i]);
	free(cfg->rules);
	free(cfg->currency);
	free(cfg->theme);
	free(cfg->database);
	for (i = 0; i < cfg->nkeys; i++) {
		free(cfg->keys[i].key);
		free(cfg->keys[i].action);
	}
	free(cfg->keys);
	memset(cfg, 0, sizeof *cfg);
}

int
config_stage_index(const struct config *cfg, const char *name)
{
	size_t i;

	if (name == NULL)
		return -1;
	for (i = 0; i < cfg->nstages; i++) {
		if (strcasecmp(cfg->stages[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

bool
config_score_field_numeric(const char *field)
{
	return field != NULL && config_in(config_numeric_fields, field);
}

/* ---- Paths and documentation. ---- */

char *
config_playbook_path(const char *db_path)
{
	const char *slash;
	char *path;

	if (db_path == NULL || (slash = strrchr(db_path, '/')) == NULL)
		return xstrdup(CONFIG_PLAYBOOK_NAME);
	xasprintf(&path, "%.*s/%s", (int)(slash - db_path), db_path,
	    CONFIG_PLAYBOOK_NAME);
	return path;
}

char *
config_user_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *path;

	/* The XDG spec says to ignore a relative XDG_CONFIG_HOME. */
	if (xdg != NULL && *xdg == '/')
		xasprintf(&path, "%s/smk/config.ini", xdg);
	else if (home != NULL && *home != '\0')
		xasprintf(&path, "%s/.config/smk/config.ini", home);
	else
		return NULL;
	return path;
}

void
config_describe(void (*line)(const char *, void *), void *arg)
{
	const struct config_option *o;
	char *text, section[32];
	const char *star;
	size_t i;

	for (i = 0; i < CONFIG_NOPTIONS; i++) {
		o = &config_table[i];
		if ((star = strchr(o->section, '*')) != NULL)
			snprintf(section, sizeof section, "%.*sNAME",
			    (int)(star - o->section), o->section);
		else
			snprintf(section, sizeof section, "%s", o->section);
		xasprintf(&text, "[%s] %s = %s ; %s%s", section,
		    strcmp(o->key, "*") == 0 ? "ACTION" : o->key,
		    o->dflt == NULL ? o->shown : *o->dflt == '\0' ? "(none)" :
		    o->dflt, o->help,
		    o->file == CF_USER ? " (config.ini)" : "");
		line(text, arg);
		free(text);
	}
}
