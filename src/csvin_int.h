/*
 * Internals shared by the CSV importer's files: the fields a column can
 * feed, the --map file (csvin_map.c), and the readers that turn a cell's text into a lead
 * value (csvin_value.c) or a time (csvin_date.c), and what a dry run
 * remembers (csvin_dry.c), and the rejects file (csvin_rejects.c). The import engine
 * (csvin.c) streams the file and does the upsert. Nothing outside
 * src/csvin*.c includes this.
 */
#ifndef SMK_CSVIN_INT_H
#define SMK_CSVIN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "smk/config.h"
#include "smk/smk.h"
#include "smk/store.h"

#define CSVIN_EMAIL_MAX		254	/* RFC 5321 path limit */
#define CSVIN_AMOUNT_DIGITS	15	/* before the point, as smk set */

enum csvin_field {
	CF_EMAIL, CF_FIRST, CF_LAST, CF_NAME, CF_COMPANY, CF_TITLE, CF_PHONE,
	CF_SOURCE, CF_COUNTRY, CF_STAGE, CF_OWNER, CF_AMOUNT, CF_VISITS,
	CF_FORMS, CF_PAGES, CF_ACTIVITY, CF_CREATED, CF_IGNORE, CF_NFIELDS
};

struct csvin_pair {
	char	*key;		/* normalised */
	char	*value;
};

/* A --map file. */
struct csvin_map {
	struct csvin_pair *columns, *stages, *owners;
	size_t		 ncolumns, nstages, nowners;
	char		*date_format;
	char		*stage;		/* default stage of new leads */
	char		*source;	/* default source of new leads */
	int		 delimiter;
};

/* What stage and owner cells are read against. Owns everything but cfg. */
struct csvin_names {
	const struct config	*cfg;
	struct csvin_map	 map;
	struct store_rep	*reps;
	size_t			 nreps;
	char			**rep_names;	/* normalised */
};

/* Lower case, ASCII letters and digits only; other bytes (UTF-8) kept. */
char	*csvin_norm(const char *);

/*
 * Load the map (map_path may be NULL) and the reps. -1 with *cause; *err
 * says whose fault it was (SMK_EUSER: the map; SMK_EFILE: the database).
 */
int	 csvin_names_load(struct csvin_names *, struct store *,
	    const struct config *, const char *map_path, enum smk_err *err,
	    char **cause);
void	 csvin_names_free(struct csvin_names *);

/*
 * Read the map at path into nm->map, checking every section, key and
 * target against nm->cfg and nm->reps (load those first). -1 with *cause
 * naming the file and line of the first problem (csvin_map.c).
 */
int	 csvin_map_load(struct csvin_names *, const char *path, char **cause);
void	 csvin_map_free(struct csvin_map *);

/* The field a map's [columns] value names, ignoring case; -1 if none. */
int	 csvin_field_by_name(const char *);
/* Field and priority (lower wins) of a header; -1 when unknown. */
int	 csvin_header_lookup(const struct csvin_map *, const char *header,
	    int *prio);

/* The playbook stage whose normalised name or label is norm, or NULL. */
const char *csvin_stage_named(const struct config *, const char *norm);
/* A playbook stage name or a rep's login for a cell, or NULL. */
const char *csvin_stage(const struct csvin_names *, const char *);
const char *csvin_owner(const struct csvin_names *, const char *);
/* Is login (one csvin_owner gave) an active rep? */
bool	 csvin_rep_active(const struct csvin_names *, const char *login);

/*
 * The rejects file (csvin_rejects.c): opened at the first bad row, written
 * to path.tmp, renamed to path by csvin_rejects_close when keep is true and
 * removed otherwise. Both return -1 with *cause on an I/O error.
 */
struct csvin_rejects {
	const char	*path;
	int		 delim;
	FILE		*f;
	char		*tmp;
};
int	 csvin_rejects_row(struct csvin_rejects *, char *const *headers,
	    size_t nheaders, char *const *cells, const size_t *lens, size_t n,
	    const char *reason, char **cause);
int	 csvin_rejects_close(struct csvin_rejects *, bool keep, char **cause);
void	 csvin_rejects_free(struct csvin_rejects *);

/*
 * A dry run's memory of the leads it would have written (csvin_dry.c), in
 * a scratch file. csvin_seen_find gives the lead remembered for an email
 * (*l NULL when none), which may be changed in place and kept again until
 * the next find; csvin_seen_keep remembers l and clears it unless l is the
 * one find gave. Each returns -1 with *cause when the scratch file fails.
 */
struct csvin_seen;
int	 csvin_seen_new(struct csvin_seen **, char **cause);
void	 csvin_seen_free(struct csvin_seen *);
int	 csvin_seen_find(struct csvin_seen *, const char *email,
	    struct lead **l, char **cause);
int	 csvin_seen_keep(struct csvin_seen *, struct lead *l, char **cause);
void	 csvin_seen_apply(struct lead *, const struct store_change *,
	    size_t);

bool	 csvin_email_ok(const char *);
/* A whole number of 0 or more; an amount rounded to a whole. 0 or -1. */
int	 csvin_count(const char *, int *);
int	 csvin_amount(const char *, int64_t *);

#endif
