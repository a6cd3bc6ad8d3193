/*
 * Inside the config module (config.c, config_value.c, config_file.c,
 * config_load.c): the option table, the parsed value, the state of one file
 * being read, and the functions the four files share. Nothing outside
 * src/config*.c includes this, but for csvin_map.c, which reads smk
 * import's --map files with config_file.c's reader and line index.
 */
#ifndef SMK_CONFIG_INT_H
#define SMK_CONFIG_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <iniparser.h>

#include "smk/config.h"
#include "smk/xmalloc.h"

#define CONFIG_MAXFILE		(4 * 1024 * 1024)
#define CONFIG_MAXWARN		50	/* then one "and N more" line */
#define CONFIG_MAXITEMS		100	/* in one list */
#define CONFIG_MAXITEM		200	/* bytes in one list item */
#define CONFIG_MAXLABEL		64
#define CONFIG_MAXSTAGES	32
#define CONFIG_MAXSTAGENAME	32
#define CONFIG_MAXRULES		500
#define CONFIG_MAXREGEX		256
#define CONFIG_MAXBINDS		500
#define CONFIG_MAXKEYNAME	32
#define CONFIG_MAXDATES		1000

#define SEC_MS		1000LL
#define MIN_MS		(60 * SEC_MS)
#define HOUR_MS		(60 * MIN_MS)
#define DAY_MS		(24 * HOUR_MS)
#define DAY_S		(24 * 3600LL)

enum config_file { CF_PLAYBOOK, CF_USER };

enum config_type {
	CT_INT,		/* decimal; stored as int, long or int64_t by size */
	CT_DURATION,	/* "4h", "90m", "14d": stored in seconds */
	CT_MSEC,	/* "5s", "500ms": stored in milliseconds */
	CT_PERCENT,	/* "25%" */
	CT_BOOL,
	CT_STRING,	/* free text without control characters */
	CT_NAME,	/* a file-name-safe word, lower-cased */
	CT_CURRENCY,	/* three letters, upper-cased */
	CT_WORD,	/* one of choices, stored as a string */
	CT_ENUM,	/* one of choices, stored as its index */
	CT_LIST,	/* "a, b, c" */
	CT_TIME,	/* "09:00": minutes after midnight */
	CT_WEEKDAYS,	/* "mon-fri", "mon,tue": bit 0 is Sunday */
	CT_DATES,	/* "2026-11-26, 2026-12-25": sorted YYYYMMDD */
	CT_ZONE,	/* IANA zone name */
	CT_MQLS,	/* N or auto */
	CT_STAGES,	/* [stages] order, exits */
	CT_MATCH,	/* [score.NAME] match: compiled once the rule is whole */
	CT_KEYS		/* [keys] ACTION = KEY, KEY */
};

/* One row of the option table (config_table in config.c). */
struct config_option {
	const char	*section;	/* "stage.*" stands for each [stage.NAME] */
	const char	*key;		/* "*": any key */
	enum config_type type;
	enum config_file file;
	const char	*dflt;		/* as a user writes it; NULL: see shown */
	const char	*shown;		/* the default as documented when NULL */
	long long	 min, max;	/* in the stored unit, or items in a list */
	const char *const *choices;
	size_t		 off, size;	/* in struct config, stage_def, score_rule */
	size_t		 noff;		/* CT_LIST, CT_DATES: where the count goes */
	const char	*help;
};

/* A parsed value before it is stored. */
struct config_value {
	long long	 n;
	char		*s;
	char		**list;
	int		*dates;
	size_t		 count;
};

/* One line of the file as iniparser will see it; for messages only. */
struct config_line {
	char		*section;
	char		*key;		/* NULL for a [section] line */
	int		 lineno;
};

struct config_msg {
	int		 lineno;
	size_t		 seq;
	char		*text;
};

struct config_load {
	const char	*path;
	enum config_file file;
	char		*text;
	size_t		 len;
	struct config_line *lines;	/* in file order */
	struct config_line **sorted;	/* by section, key, line */
	size_t		 nlines;
	struct config_msg *msgs;
	size_t		 nmsgs;
	unsigned	 nsyntax;
	char		*syntax;	/* the first syntax error */
	dictionary	*d;
};

/* config_value.c: text to values. Parsers return NULL or why they failed. */
bool	 config_in(const char *const *set, const char *);
char	*config_trim(char *);			/* in place */
char	*config_trimdup(const char *);
void	 config_lower(char *);
bool	 config_has_ctrl(const char *);
char	*config_quote(const char *);		/* "escaped", cut short */
char	*config_safe(const char *);		/* the same without quotes */
void	 config_free_list(char **, size_t);
void	 config_value_free(struct config_value *);
void	 config_fmt_duration(long long ms, char *, size_t);
int	 config_number(const char *, long long *);
const char *config_parse_duration(const char *, long long *ms);
const char *config_parse_bool(const char *, long long *);
const char *config_parse_time(const char *, long long *minutes);
const char *config_split(const char *, size_t max, struct config_value *);
const char *config_parse_weekdays(const char *, long long *bits);
const char *config_parse_dates(const char *, size_t max,
	     struct config_value *);
const char *config_parse_zone(const char *, struct config_value *);
const char *config_parse_name(const char *, struct config_value *);
const char *config_parse_currency(const char *, struct config_value *);
/* Fill op, number and values of r from r->match, read against r->field. */
const char *config_compile_match(struct score_rule *r, char *why, size_t);

/* config_file.c: the file, its line index and the messages about it. */
void	 config_msg(struct config_load *, int lineno, const char *, ...)
	     SMK_PRINTF(3, 4);
void	 config_emit(struct config_load *, config_warn_cb, void *);
int	 config_read(struct config_load *, char **cause); /* 1, 0: none, -1 */
void	 config_scan(struct config_load *);
void	 config_release(struct config_load *);
int	 config_line_of(const struct config_load *, const char *section,
	     const char *key);
void	 config_index(struct config_load *);	/* after config_scan */
dictionary *config_ini_load(struct config_load *);

/* config.c: the option table, and parsing and storing one value of it. */
extern const struct config_option config_table[];
extern const size_t config_noptions;
extern const char *const config_teams[];	/* by enum team */
const struct config_option *config_option(const char *section,
	     const char *key);			/* fatal when not in the table */
int	 config_parse(const struct config_option *, const char *,
	     struct config_value *, char *why, size_t);
size_t	 config_store(const struct config_option *, struct config *,
	     void *base, struct config_value *);
void	 config_set_text(struct config *, void *base,
	     const struct config_option *, const char *);
void	 config_set_default(struct config *, const char *section,
	     const char *key);
void	 config_rule_free(struct score_rule *);

#endif
