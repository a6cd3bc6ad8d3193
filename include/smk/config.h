/*
 * The playbook (smk.ini, shared by the team) and the user's preferences
 * ($XDG_CONFIG_HOME/smk/config.ini). Both are read with iniparser through one
 * option table (name, type, default, limits, help) in config.c; every option
 * has a default, so smk runs with no file at all. A bad value or an unknown
 * key is reported through the warning callback, naming file, line and key,
 * and the default is used. This module knows nothing of SQLite or curses.
 */
#ifndef SMK_CONFIG_H
#define SMK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum team { TEAM_MARKETING, TEAM_SHARED, TEAM_SALES };
enum period { PERIOD_WEEK, PERIOD_MONTH };

struct stage_def {
	char		*name;		/* as stored: "mql" */
	char		*label;		/* as shown: "MQL" */
	enum team	 team;
	int		 wip;		/* 0: no limit */
	bool		 exit;		/* recycled, disqualified */
};

enum score_part { SCORE_FIT, SCORE_ENGAGEMENT };
enum score_op {
	SCORE_EQ,	/* match = value (case-insensitive) */
	SCORE_IN,	/* match = a, b, c */
	SCORE_REGEX,	/* match = /re/ or with '|': case-insensitive ERE */
	SCORE_GE, SCORE_GT, SCORE_LE, SCORE_LT	/* match = >= 3 */
};
struct score_rule {
	char		*name;		/* NAME of [score.NAME] */
	char		*field;		/* title, company, source, email_domain,
					   country, visits, forms, pages,
					   days_since_activity, ... */
	enum score_op	 op;
	char		*match;		/* the text after the operator; for
					   SCORE_REGEX the ERE without slashes */
	int		 points;
	enum score_part	 part;
	long		 number;	/* SCORE_GE..SCORE_LT; SCORE_EQ when
					   match is a number */
	char		**values;	/* SCORE_IN: the trimmed values */
	size_t		 nvalues;
};

struct keybind {
	char		*key;		/* as written: "j", "C-d", "<Down>" */
	char		*action;	/* action name: "move-down" */
};

struct config {
	/* [business_hours] */
	char		*timezone;
	unsigned	 days;		/* bit 0 = Sunday ... bit 6 = Saturday */
	int		 day_start;	/* minutes after midnight */
	int		 day_end;
	int		*holidays;	/* YYYYMMDD, sorted */
	size_t		 nholidays;

	/* [sla] */
	long		 first_touch;	/* business seconds */
	int		 attempts;
	long		 attempts_window; /* calendar seconds */
	int		 due_soon_pct;
	int		 mqls_per_rep;	/* 0 when mqls_auto */
	bool		 mqls_auto;	/* mqls_per_rep = auto */

	/* [stages], [stage.NAME]; stages[] holds the funnel then the exits */
	struct stage_def *stages;
	size_t		 nstages;	/* all of them */
	size_t		 nfunnel;	/* the first nfunnel are the funnel */

	/* [reasons] */
	char		**recycle_reasons;
	size_t		 nrecycle;
	char		**disqualify_reasons;
	size_t		 ndisqualify;

	/* [scoring], [score.NAME] */
	int		 mql_threshold;
	struct score_rule *rules;
	size_t		 nrules;

	/* [goals] */
	enum period	 period;
	long		 goal_customers;	/* 0 when revenue is the goal */
	int64_t		 goal_revenue;		/* 0 when customers is; when
						   both are set customers wins */
	int		 lookback;
	char		*currency;

	/* [security] */
	bool		 allow_user_override;

	/* [store] */
	int		 busy_timeout_ms;
	int		 store_lock;	/* enum store_lock_mode: auto, posix,
					   lockdir */

	/* user config.ini: [ui] and [keys] */
	char		*theme;
	char		*database;	/* [ui] database, or NULL */
	int		 refresh_ms;
	struct keybind	*keys;
	size_t		 nkeys;
};

/* The playbook's name beside the database. */
#define CONFIG_PLAYBOOK_NAME "smk.ini"

/* Receives one message per problem found, e.g. "smk.ini:12: [sla] ..." */
typedef void (*config_warn_cb)(const char *msg, void *arg);

/* Fill cfg with every default (cfg's old contents are not freed). */
void	 config_defaults(struct config *cfg);
/*
 * Overlay a playbook file on cfg. A missing file is not an error (returns 0);
 * a file that cannot be read, or that iniparser rejects (a syntax error, a
 * line over 1024 bytes), returns -1 with *cause set and cfg unchanged; each
 * syntax error is also passed to warn. Bad values are warned about and get
 * their defaults. warn may be NULL. Not reentrant (iniparser's error hook is
 * global).
 */
int	 config_load_playbook(struct config *cfg, const char *path,
	     config_warn_cb, void *arg, char **cause);
/* The same for the user's config.ini ([ui], [keys]). */
int	 config_load_user(struct config *cfg, const char *path,
	     config_warn_cb, void *arg, char **cause);
void	 config_free(struct config *cfg);

/* Where the files are: smk.ini beside the database; XDG for the user. */
char	*config_playbook_path(const char *db_path);
char	*config_user_path(void);

/* One line per option: "[section] key = default ; help". For docs/--help. */
void	 config_describe(void (*line)(const char *, void *), void *arg);

/* Is this [score.NAME] field a count (visits, forms, pages, days_...)? */
bool	 config_score_field_numeric(const char *field);

/* Stage lookups over cfg->stages (names are lower case); -1: not found. */
int	 config_stage_index(const struct config *, const char *name);

#endif
