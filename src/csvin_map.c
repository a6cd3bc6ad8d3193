/*
 * The --map file of smk import. Read with the playbook's own INI reader
 * (config_file.c: its line index names lines in messages, and its hook
 * keeps iniparser from printing), then every section, key and target is
 * checked against the fields, the playbook's stages and the reps. A map
 * with any problem is refused whole, before a row is read, so that a typo
 * in it cannot put a whole file in wrongly. Knows nothing of the CSV
 * itself (csvin.c) or of reading cells (csvin_value.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <iniparser.h>

#include "smk/csvin.h"
#include "smk/xmalloc.h"

#include "config_int.h"
#include "csvin_int.h"

static const char *const csvin_map_sections[] = {
	"columns", "stage", "owner", "import", NULL
};

static const char *const csvin_map_keys[] = {
	"source", "stage", "date_format", "delimiter", NULL
};

void
csvin_map_free(struct csvin_map *m)
{
	struct csvin_pair	*lists[] = { m->columns, m->stages, m->owners };
	size_t			 ns[] = { m->ncolumns, m->nstages, m->nowners };
	size_t			 i, j;

	for (i = 0; i < 3; i++) {
		for (j = 0; j < ns[i]; j++) {
			free(lists[i][j].key);
			free(lists[i][j].value);
		}
		free(lists[i]);
	}
	free(m->date_format);
	free(m->stage);
	free(m->source);
	memset(m, 0, sizeof *m);
}

/* "[sec] key = "value": why", on the line that set the key. */
static void SMK_PRINTF(5, 6)
csvin_map_bad(struct config_load *l, const char *sec, const char *key,
    const char *value, const char *fmt, ...)
{
	va_list	 ap;
	char	*why, *q = config_quote(value);

	va_start(ap, fmt);
	xvasprintf(&why, fmt, ap);
	va_end(ap);
	config_msg(l, config_line_of(l, sec, key), "[%s] %s = %s: %s", sec,
	    key, q, why);
	free(why);
	free(q);
}

/* Report the sections and [import] keys a map does not have. */
static void
csvin_map_names(struct config_load *l)
{
	const dictionary	*d = l->d;
	const char		*k, *key;
	char			*safe;
	ssize_t			 i;

	for (i = 0; i < d->size; i++) {
		if ((k = d->key[i]) == NULL)
			continue;
		if (d->val[i] == NULL) {
			if (config_in(csvin_map_sections, k))
				continue;
			safe = config_safe(k);
			config_msg(l, config_line_of(l, k, NULL), "[%s]: unknown "
			    "section (a map has [columns], [stage], [owner] "
			    "and [import])", safe);
		} else if (*k == ':') {
			safe = config_safe(k + 1);
			config_msg(l, config_line_of(l, "", k + 1), "%s: not in "
			    "any [section]", safe);
		} else if (strncmp(k, "import:", 7) == 0 &&
		    !config_in(csvin_map_keys, (key = k + 7))) {
			safe = config_safe(key);
			config_msg(l, config_line_of(l, "import", key), "[import]"
			    " %s: unknown key (the keys are source, stage, "
			    "date_format and delimiter)", safe);
		} else
			continue;
		free(safe);
	}
}

/* The playbook's stage names, for a message. */
static char *
csvin_map_stage_list(const struct config *cfg)
{
	char	*list = xstrdup(""), *more;
	size_t	 i;

	for (i = 0; i < cfg->nstages; i++) {
		xasprintf(&more, "%s%s%s", list, i == 0 ? "" : ", ",
		    cfg->stages[i].name);
		free(list);
		list = more;
	}
	return (list);
}

static void
csvin_map_stage_target(struct config_load *l, const struct csvin_names *nm,
    const char *sec, const char *key, const char *value)
{
	char	*norm = csvin_norm(value), *list;

	if (csvin_stage_named(nm->cfg, norm) == NULL) {
		list = csvin_map_stage_list(nm->cfg);
		csvin_map_bad(l, sec, key, value, "not a stage of the playbook "
		    "(%s)", list);
		free(list);
	}
	free(norm);
}

static void
csvin_map_owner_target(struct config_load *l, const struct csvin_names *nm,
    const char *key, const char *value)
{
	char	*norm;
	size_t	 i;

	for (i = 0; i < nm->nreps; i++) {
		if (strcasecmp(nm->reps[i].login, value) == 0)
			return;
	}
	norm = csvin_norm(value);
	for (i = 0; i < nm->nreps; i++) {
		if (strcmp(nm->rep_names[i], norm) == 0)
			break;
	}
	free(norm);
	if (i < nm->nreps)
		csvin_map_bad(l, "owner", key, value, "a rep's name, not a "
		    "login (write %s)", nm->reps[i].login);
	else
		csvin_map_bad(l, "owner", key, value, "not a rep's login (smk "
		    "rep list shows them; smk rep add adds one)");
}

/* What is wrong with one [columns], [stage] or [owner] entry, if anything. */
static void
csvin_map_target(struct config_load *l, const struct csvin_names *nm,
    const char *sec, const char *key, const char *value)
{
	if (strcmp(sec, "stage") == 0)
		csvin_map_stage_target(l, nm, sec, key, value);
	else if (strcmp(sec, "owner") == 0)
		csvin_map_owner_target(l, nm, key, value);
	else if (csvin_field_by_name(value) < 0)
		csvin_map_bad(l, sec, key, value, "not a field (email, "
		    "first_name, last_name, name, company, title, phone, "
		    "source, country, stage, owner, amount, visits, forms, "
		    "pages, last_activity_at, created_at or ignore)");
}

static void
csvin_map_section(struct config_load *l, const struct csvin_names *nm,
    const char *sec, struct csvin_pair **out, size_t *n)
{
	const char	**keys, *k, *v;
	int		  nk, i;

	if ((nk = iniparser_getsecnkeys(l->d, sec)) <= 0)
		return;
	keys = xcalloc((size_t)nk, sizeof *keys);
	iniparser_getseckeys(l->d, sec, keys);
	*out = xcalloc((size_t)nk, sizeof **out);
	for (i = 0; i < nk; i++) {
		k = keys[i] + strlen(sec) + 1;	/* past "section:" */
		v = iniparser_getstring(l->d, keys[i], "");
		csvin_map_target(l, nm, sec, k, v);
		(*out)[*n].key = csvin_norm(k);
		(*out)[(*n)++].value = xstrdup(v);
	}
	free(keys);
}

static char *
csvin_map_opt(dictionary *d, const char *key)
{
	const char	*v = iniparser_getstring(d, key, NULL);

	return (v != NULL && *v != '\0' ? xstrdup(v) : NULL);
}

int
csvin_delimiter(const char *v, int *out)
{
	if (strcmp(v, "\\t") == 0 || strcasecmp(v, "tab") == 0)
		*out = '\t';
	else if (strlen(v) == 1 && v[0] != '"' && v[0] != '\n' &&
	    v[0] != '\r')
		*out = (unsigned char)v[0];
	else
		return (-1);
	return (0);
}

/* [import]; after [stage], which its stage is read through. */
static void
csvin_map_import(struct config_load *l, struct csvin_names *nm)
{
	struct csvin_map	*m = &nm->map;
	const char		*v;
	char			*list;

	m->date_format = csvin_map_opt(l->d, "import:date_format");
	m->source = csvin_map_opt(l->d, "import:source");
	if ((m->stage = csvin_map_opt(l->d, "import:stage")) != NULL &&
	    csvin_stage(nm, m->stage) == NULL) {
		list = csvin_map_stage_list(nm->cfg);
		csvin_map_bad(l, "import", "stage", m->stage, "not a stage of "
		    "the playbook (%s), nor a value [stage] maps", list);
		free(list);
	}
	if ((v = iniparser_getstring(l->d, "import:delimiter", NULL)) == NULL)
		return;
	/* A bare ; or # starts a comment: iniparser reads an empty value. */
	if (*v == '\0')
		config_msg(l, config_line_of(l, "import", "delimiter"),
		    "[import] delimiter is empty: write ; and # in quotes "
		    "(delimiter = \";\"), as INI reads them as a comment");
	else if (csvin_delimiter(v, &m->delimiter) != 0)
		csvin_map_bad(l, "import", "delimiter", v, "takes one "
		    "character, or tab");
}

static void
csvin_map_first(const char *msg, void *arg)
{
	char	**first = arg;

	if (*first == NULL)
		*first = xstrdup(msg);
}

/* 0 when nothing was said about the file; else -1 with the first thing. */
static int
csvin_map_verdict(struct config_load *l, char **cause)
{
	size_t	 n = l->nmsgs;
	char	*first = NULL;

	if (n == 0)
		return (0);
	config_emit(l, csvin_map_first, &first);
	if (n == 1)
		*cause = first;
	else {
		xasprintf(cause, "%s (and %zu more problem%s in %s)", first,
		    n - 1, n == 2 ? "" : "s", l->path);
		free(first);
	}
	return (-1);
}

int
csvin_map_load(struct csvin_names *nm, const char *path, char **cause)
{
	struct config_load	 l = { .path = path, .file = CF_USER };
	int			 rv;

	if ((rv = config_read(&l, cause)) <= 0) {
		if (rv == 0)	/* no such file: fine for smk.ini, not here */
			xasprintf(cause, "%s: %s", path, strerror(errno));
		rv = -1;
		goto out;
	}
	config_scan(&l);
	config_index(&l);
	config_emit(&l, NULL, NULL);	/* a key set twice: the last counts */
	if ((l.d = config_ini_load(&l)) != NULL) {
		csvin_map_names(&l);
		csvin_map_section(&l, nm, "columns", &nm->map.columns,
		    &nm->map.ncolumns);
		csvin_map_section(&l, nm, "stage", &nm->map.stages,
		    &nm->map.nstages);
		csvin_map_section(&l, nm, "owner", &nm->map.owners,
		    &nm->map.nowners);
		csvin_map_import(&l, nm);
	}
	if ((rv = csvin_map_verdict(&l, cause)) == 0 && l.d == NULL) {
		xasprintf(cause, "%s: not a readable INI file", path);
		rv = -1;
	}
out:
	config_release(&l);
	return (rv);
}
