/*
 * The CSV importer's value readers: which lead field a column header names
 * (built-in synonyms for HubSpot, Salesforce and smk's own export, or the
 * --map file's, which csvin_map.c reads), the delimiter of a header line,
 * and a cell's text as an email, a stage, an owner, a count or an amount.
 * Pure text work against the playbook and the rep list; no file
 * streaming, no writes (csvin.c).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "smk/csvin.h"
#include "smk/xmalloc.h"

#include "csvin_int.h"

/* As written in a map's [columns] section and returned to callers. */
static const char *const csvin_field_names[CF_NFIELDS] = {
	"email", "first_name", "last_name", "name", "company", "title",
	"phone", "source", "country", "stage", "owner", "amount", "visits",
	"forms", "pages", "last_activity_at", "created_at", "ignore"
};

/*
 * Header names, normalised (csvin_norm). When two columns name the same
 * field, the one earlier in this table wins: HubSpot's "Lifecycle Stage"
 * beats its "Lead Status".
 */
static const struct {
	const char		*norm;
	enum csvin_field	 field;
} csvin_synonyms[] = {
	{ "email", CF_EMAIL }, { "emailaddress", CF_EMAIL },
	{ "firstname", CF_FIRST }, { "givenname", CF_FIRST },
	{ "lastname", CF_LAST }, { "surname", CF_LAST },
	{ "familyname", CF_LAST },
	{ "name", CF_NAME }, { "fullname", CF_NAME },
	{ "contactname", CF_NAME }, { "leadname", CF_NAME },
	{ "company", CF_COMPANY }, { "companyname", CF_COMPANY },
	{ "account", CF_COMPANY }, { "accountname", CF_COMPANY },
	{ "organization", CF_COMPANY }, { "organisation", CF_COMPANY },
	{ "title", CF_TITLE }, { "jobtitle", CF_TITLE },
	{ "position", CF_TITLE },
	{ "phone", CF_PHONE }, { "phonenumber", CF_PHONE },
	{ "telephone", CF_PHONE }, { "mobilephone", CF_PHONE },
	{ "mobilephonenumber", CF_PHONE },
	{ "source", CF_SOURCE }, { "leadsource", CF_SOURCE },
	{ "originalsource", CF_SOURCE },
	{ "country", CF_COUNTRY }, { "countryregion", CF_COUNTRY },
	{ "stage", CF_STAGE }, { "lifecyclestage", CF_STAGE },
	{ "status", CF_STAGE }, { "leadstatus", CF_STAGE },
	{ "owner", CF_OWNER }, { "contactowner", CF_OWNER },
	{ "leadowner", CF_OWNER }, { "ownername", CF_OWNER },
	{ "owneremail", CF_OWNER }, { "hubspotowner", CF_OWNER },
	{ "amount", CF_AMOUNT },
	{ "visits", CF_VISITS }, { "numberofsessions", CF_VISITS },
	{ "sessions", CF_VISITS }, { "numberofvisits", CF_VISITS },
	{ "forms", CF_FORMS }, { "numberofformsubmissions", CF_FORMS },
	{ "formsubmissions", CF_FORMS },
	{ "pages", CF_PAGES }, { "numberofpageviews", CF_PAGES },
	{ "pageviews", CF_PAGES }, { "pagesviewed", CF_PAGES },
	{ "lastactivityat", CF_ACTIVITY }, { "lastactivitydate", CF_ACTIVITY },
	{ "lastactivity", CF_ACTIVITY },
	{ "createdat", CF_CREATED }, { "createdate", CF_CREATED },
	{ "createddate", CF_CREATED }, { "created", CF_CREATED },
	{ "createdon", CF_CREATED }, { "datecreated", CF_CREATED },
	/* Our own export's derived columns: known, not imported. */
	{ "id", CF_IGNORE }, { "recordid", CF_IGNORE },
	{ "score", CF_IGNORE }, { "fit", CF_IGNORE },
	{ "engagement", CF_IGNORE }, { "updatedat", CF_IGNORE },
};

/*
 * Stage values of the CRMs we read, for playbooks that keep the default
 * stage names. A --map [stage] entry for the same value wins.
 */
static const struct {
	const char	*norm;
	const char	*stage;
} csvin_stage_synonyms[] = {
	{ "marketingqualifiedlead", "mql" },
	{ "salesqualifiedlead", "sql" },
	{ "evangelist", "customer" },
	{ "opennotcontacted", "lead" },
	{ "workingcontacted", "sql" },
	{ "closedconverted", "opportunity" },
	{ "closednotconverted", "disqualified" },
};

char *
csvin_norm(const char *s)
{
	char	*n = xmalloc(strlen(s) + 1), *p = n;

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x80 || isalnum(c))
			*p++ = (char)tolower(c);
	}
	*p = '\0';
	return (n);
}

static const char *
csvin_pair_find(const struct csvin_pair *p, size_t n, const char *norm)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(p[i].key, norm) == 0)
			return (p[i].value);
	}
	return (NULL);
}

int
csvin_field_by_name(const char *name)
{
	int	i;

	for (i = 0; i < CF_NFIELDS; i++) {
		if (strcasecmp(name, csvin_field_names[i]) == 0)
			return (i);
	}
	return (-1);
}

int
csvin_header_lookup(const struct csvin_map *map, const char *header,
    int *prio)
{
	const char	*v;
	char		*norm = csvin_norm(header);
	size_t		 i;
	int		 f = -1;

	if (map != NULL && (v = csvin_pair_find(map->columns, map->ncolumns,
	    norm)) != NULL) {
		f = csvin_field_by_name(v);
		*prio = -1;
	}
	for (i = 0; f < 0 && i < sizeof csvin_synonyms /
	    sizeof *csvin_synonyms; i++) {
		if (strcmp(csvin_synonyms[i].norm, norm) == 0) {
			f = (int)csvin_synonyms[i].field;
			*prio = (int)i;
		}
	}
	free(norm);
	return (f);
}

const char *
csvin_header_field(const char *header)
{
	int	prio, f;

	f = csvin_header_lookup(NULL, header, &prio);
	return (f < 0 ? NULL : csvin_field_names[f]);
}

int
csvin_sniff(const char *line, size_t len)
{
	static const char cands[] = { ',', ';', '\t', '|' };
	size_t	 count[sizeof cands] = { 0 }, i, j, best = 0;
	bool	 quoted = false;

	for (i = 0; i < len && (quoted || line[i] != '\n'); i++) {
		if (line[i] == '"')
			quoted = !quoted;
		for (j = 0; !quoted && j < sizeof cands; j++) {
			if (line[i] == cands[j])
				count[j]++;
		}
	}
	for (j = 1; j < sizeof cands; j++) {
		if (count[j] > count[best])
			best = j;
	}
	return (cands[best]);
}

/* What stage and owner cells are read against. */

int
csvin_names_load(struct csvin_names *nm, struct store *store,
    const struct config *cfg, const char *map_path, enum smk_err *err,
    char **cause)
{
	size_t	i;

	memset(nm, 0, sizeof *nm);
	nm->cfg = cfg;
	if (store_rep_list(store, &nm->reps, &nm->nreps, cause) != STORE_OK) {
		*err = SMK_EFILE;
		return (-1);
	}
	nm->rep_names = xcalloc(nm->nreps + 1, sizeof *nm->rep_names);
	for (i = 0; i < nm->nreps; i++)
		nm->rep_names[i] = csvin_norm(nm->reps[i].name);
	/* After the reps: the map's [owner] logins are checked against them. */
	*err = SMK_EUSER;
	if (map_path != NULL && csvin_map_load(nm, map_path, cause) != 0)
		return (-1);
	return (0);
}

void
csvin_names_free(struct csvin_names *nm)
{
	size_t	i;

	csvin_map_free(&nm->map);
	if (nm->reps != NULL)
		store_reps_free(nm->reps, nm->nreps);
	for (i = 0; nm->rep_names != NULL && i < nm->nreps; i++)
		free(nm->rep_names[i]);
	free(nm->rep_names);
	memset(nm, 0, sizeof *nm);
}

/* Cells. */

bool
csvin_email_ok(const char *e)
{
	const char	*at = strchr(e, '@'), *p;

	if (at == NULL || at == e || strchr(at + 1, '@') != NULL ||
	    strchr(at + 1, '.') == NULL || at[1] == '.' ||
	    e[strlen(e) - 1] == '.' || strlen(e) > CSVIN_EMAIL_MAX)
		return (false);
	for (p = e; *p != '\0'; p++) {
		if ((unsigned char)*p <= ' ' || strchr(",;<>()[]\"\\", *p))
			return (false);
	}
	return (true);
}

const char *
csvin_stage_named(const struct config *cfg, const char *norm)
{
	char	*n2;
	size_t	 i;
	bool	 hit;

	for (i = 0; i < cfg->nstages; i++) {
		n2 = csvin_norm(cfg->stages[i].name);
		hit = strcmp(n2, norm) == 0;
		free(n2);
		if (!hit && cfg->stages[i].label != NULL) {
			n2 = csvin_norm(cfg->stages[i].label);
			hit = strcmp(n2, norm) == 0;
			free(n2);
		}
		if (hit)
			return (cfg->stages[i].name);
	}
	return (NULL);
}

/*
 * The map first (its targets were checked when it loaded), then the
 * playbook's names and labels, then the CRMs' values; each target is read
 * against the playbook only, never through the map again.
 */
const char *
csvin_stage(const struct csvin_names *nm, const char *v)
{
	const struct config	*cfg = nm->cfg;
	const char		*to, *stage;
	char			*norm;
	size_t			 i;

	/* The common case (our own export) without mallocs. */
	for (i = 0; nm->map.nstages == 0 && i < cfg->nstages; i++) {
		if (strcmp(cfg->stages[i].name, v) == 0)
			return (cfg->stages[i].name);
	}
	norm = csvin_norm(v);
	if ((to = csvin_pair_find(nm->map.stages, nm->map.nstages, norm)) !=
	    NULL) {
		free(norm);
		norm = csvin_norm(to);
	} else if ((stage = csvin_stage_named(cfg, norm)) != NULL) {
		free(norm);
		return (stage);
	} else {
		for (i = 0; i < sizeof csvin_stage_synonyms /
		    sizeof *csvin_stage_synonyms; i++) {
			if (strcmp(csvin_stage_synonyms[i].norm, norm) != 0)
				continue;
			free(norm);
			norm = xstrdup(csvin_stage_synonyms[i].stage);
			break;
		}
	}
	stage = csvin_stage_named(cfg, norm);
	free(norm);
	return (stage);
}

const char *
csvin_owner(const struct csvin_names *nm, const char *v)
{
	const char	*login = v, *at;
	char		*norm, *local = NULL;
	size_t		 i;

	for (i = 0; nm->map.nowners == 0 && i < nm->nreps; i++) {
		if (strcasecmp(nm->reps[i].login, v) == 0)
			return (nm->reps[i].login);
	}
	norm = csvin_norm(v);
	if ((at = csvin_pair_find(nm->map.owners, nm->map.nowners, norm)) !=
	    NULL)
		login = at;
	else if ((at = strchr(v, '@')) != NULL)
		login = local = xstrndup(v, (size_t)(at - v));
	for (i = 0; i < nm->nreps; i++) {
		if (strcasecmp(nm->reps[i].login, login) == 0 ||
		    strcmp(nm->rep_names[i], norm) == 0)
			break;
	}
	free(norm);
	free(local);
	return (i < nm->nreps ? nm->reps[i].login : NULL);
}

bool
csvin_rep_active(const struct csvin_names *nm, const char *login)
{
	size_t	i;

	for (i = 0; i < nm->nreps; i++)
		if (strcmp(nm->reps[i].login, login) == 0)
			return (nm->reps[i].active);
	return (false);
}

int
csvin_count(const char *v, int *out)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (end == v || *end != '\0' || errno != 0 || n < 0 || n > INT_MAX)
		return (-1);
	*out = (int)n;
	return (0);
}

/*
 * A plain decimal number, as a spreadsheet writes one: digits, then
 * perhaps a point and more digits. Not strtold, which also reads "nan"
 * (no int64_t has its value), "inf", "0x10" and "1e3". At most as many
 * digits as smk set takes, so that sums stay far from overflow.
 */
int
csvin_amount(const char *v, int64_t *out)
{
	const char	*p = v;
	int64_t		 n = 0;

	for (; isdigit((unsigned char)*p); p++) {
		if (p - v >= CSVIN_AMOUNT_DIGITS)
			return (-1);
		n = n * 10 + (*p - '0');
	}
	if (p == v)
		return (-1);
	if (*p == '.') {
		if (!isdigit((unsigned char)p[1]))
			return (-1);
		if (p[1] >= '5')
			n++;
		for (p++; isdigit((unsigned char)*p); p++)
			;
	}
	if (*p != '\0')
		return (-1);
	*out = n;
	return (0);
}
