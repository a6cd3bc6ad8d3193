/*
 * The CSV import engine. Owns reading a CSV export (libcsv's streaming
 * parser, one record in memory at a time), turning a record into a checked
 * row, and the upsert by email inside one bulk transaction; bad rows go
 * to csvin_rejects.c. What a header or a cell means is csvin_value.c's and
 * csvin_date.c's.
 * Writes only through the store; scores through score.c; prints nothing
 * (rows are reported through a callback).
 */
#include <sys/types.h>

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "smk/csvin.h"
#include "smk/lead.h"
#include "smk/score.h"
#include "smk/when.h"
#include "smk/xmalloc.h"

#include "csvin_int.h"

#define CSVIN_CHUNK		65536
#define CSVIN_FIELDS_MAX	4096	/* cells in one record */
#define CSVIN_PROGRESS_ROWS	4096	/* rows between progress reports */

/* One row's values, pointing into csvin's value buffer. */
struct csvin_row {
	char		*v[CF_NFIELDS];		/* trimmed; NULL when empty */
	const char	*stage;			/* a playbook stage */
	const char	*owner;			/* a rep's login */
	int64_t		 amount;
	int		 visits, forms, pages;
	time_t		 created, activity;	/* 0: not given */
};

struct csvin_changes {
	struct store_change	 c[CF_NFIELDS];
	size_t			 n;
	char			 num[CF_NFIELDS][2][24];
};

struct csvin {
	struct store		*store;
	const struct config	*cfg;
	const struct csvin_opts	*o;
	struct csvin_stats	*stats;
	struct csvin_names	 names;		/* the map, stages and reps */
	struct score_set	*scores;
	struct csvin_seen	*seen;		/* a dry run's would-be writes */
	char			*reason;	/* of every event written */
	const char		*default_stage;

	struct csv_parser	 parser;
	int			 delim;
	unsigned long		 line;		/* physical line being fed */
	unsigned long		 rec_line;	/* where the record began */
	uint64_t		 bytes;

	/* The record being read: cells NUL-terminated in buf. */
	char			*buf;
	size_t			 len, size;
	size_t			*offs, *lens;
	size_t			 nf, fsize;
	bool			 toolong;
	char			*vals;		/* trimmed copies of cells */
	size_t			 valsize;

	char			**headers;
	size_t			 nheaders;
	int			 fieldcol[CF_NFIELDS];
	bool			 header_done;

	bool			 began;		/* store_begin done */
	bool			 bad;		/* a row was rejected */
	bool			 fatal;
	enum smk_err		 err;
	char			*cause;
	struct csvin_rejects	 rejects;
};

/* The record being read. */

static void
csvin_record_reset(struct csvin *ci)
{
	ci->len = 0;
	ci->nf = 0;
	ci->toolong = false;
	ci->rec_line = 0;
}

static void
csvin_cb_field(void *s, size_t len, void *arg)
{
	struct csvin	*ci = arg;

	if (ci->rec_line == 0)
		ci->rec_line = ci->line;
	if (ci->nf == CSVIN_FIELDS_MAX ||
	    ci->len + len + 1 > CSVIN_RECORD_MAX) {
		ci->toolong = true;
		return;
	}
	if (ci->nf == ci->fsize) {
		ci->fsize = ci->fsize == 0 ? 32 : ci->fsize * 2;
		ci->offs = xreallocarray(ci->offs, ci->fsize, sizeof *ci->offs);
		ci->lens = xreallocarray(ci->lens, ci->fsize, sizeof *ci->lens);
	}
	if (ci->len + len + 1 > ci->size) {
		while (ci->len + len + 1 > ci->size)
			ci->size = ci->size == 0 ? 4096 : ci->size * 2;
		ci->buf = xreallocarray(ci->buf, ci->size, 1);
	}
	if (len != 0)
		memcpy(ci->buf + ci->len, s, len);
	ci->buf[ci->len + len] = '\0';
	ci->offs[ci->nf] = ci->len;
	ci->lens[ci->nf++] = len;
	ci->len += len + 1;
}

static const char *
csvin_cell(const struct csvin *ci, size_t i)
{
	return (ci->buf + ci->offs[i]);
}

static bool
csvin_record_empty(const struct csvin *ci)
{
	size_t		 i;
	const char	*p;

	for (i = 0; i < ci->nf; i++) {
		for (p = csvin_cell(ci, i); *p != '\0'; p++) {
			if (!isspace((unsigned char)*p))
				return (false);
		}
		if (strlen(csvin_cell(ci, i)) != ci->lens[i])
			return (false);
	}
	return (!ci->toolong);
}

static void
csvin_fatal(struct csvin *ci, enum smk_err err, char *cause)
{
	if (ci->fatal) {
		free(cause);
		return;
	}
	ci->fatal = true;
	ci->err = err;
	ci->cause = cause;
}

/* The row as read, plus a reason column, into the rejects file. */
static void
csvin_rejects_write(struct csvin *ci, const char *reason)
{
	char	**cells, *c = NULL;
	size_t	  i;

	if (ci->o->rejects_path == NULL || ci->o->dry_run ||
	    ci->o->on_error != CSVIN_SKIP || ci->fatal)
		return;
	ci->rejects.path = ci->o->rejects_path;
	ci->rejects.delim = ci->delim;
	cells = xcalloc(ci->nf + 1, sizeof *cells);
	for (i = 0; i < ci->nf; i++)
		cells[i] = ci->buf + ci->offs[i];
	if (csvin_rejects_row(&ci->rejects, ci->headers, ci->nheaders, cells,
	    ci->lens, ci->nf, reason, &c) != 0)
		csvin_fatal(ci, SMK_EUSER, c);
	free(cells);
}

static void
csvin_reject(struct csvin *ci, int col, const char *email, char *why)
{
	struct csvin_note	 note;
	const char		*column = NULL;
	char			*line;

	if (col >= 0 && (size_t)col < ci->nheaders)
		column = ci->headers[col];
	ci->bad = true;
	ci->stats->rejected++;
	memset(&note, 0, sizeof note);
	note.what = CSVIN_REJECT;
	note.line = ci->rec_line;
	note.email = email;
	note.column = column;
	note.text = why;
	if (ci->o->note != NULL)
		ci->o->note(&note, ci->o->arg);
	xasprintf(&line, "line %lu: %s%s%s", ci->rec_line,
	    column != NULL ? column : "", column != NULL ? ": " : "", why);
	csvin_rejects_write(ci, line);
	free(line);
	free(why);
}

/* A row's cells to values; on a bad cell, its column and the reason. */

/* Trimmed copies of the mapped cells, so the raw row stays for rejects. */
static void
csvin_row_copy(struct csvin *ci, struct csvin_row *r)
{
	size_t		 need = 0, i, n;
	const char	*s;
	char		*p;
	int		 col;

	for (i = 0; i < CF_NFIELDS; i++) {
		col = ci->fieldcol[i];
		if (col >= 0 && (size_t)col < ci->nf)
			need += ci->lens[col] + 1;
	}
	if (need + 1 > ci->valsize) {
		ci->valsize = need + 1;
		ci->vals = xreallocarray(ci->vals, ci->valsize, 1);
	}
	p = ci->vals;
	for (i = 0; i < CF_NFIELDS; i++) {
		r->v[i] = NULL;
		col = ci->fieldcol[i];
		if (col < 0 || (size_t)col >= ci->nf || i == CF_IGNORE)
			continue;
		s = csvin_cell(ci, (size_t)col);
		while (isspace((unsigned char)*s))
			s++;
		/*
		 * The apostrophe that keeps a spreadsheet (and smk export)
		 * from running "+1 555" as a formula is not part of it.
		 */
		if (s[0] == '\'' && s[1] != '\0' && strchr("=+-@\t\r",
		    s[1]) != NULL)
			for (s++; isspace((unsigned char)*s); s++)
				;
		n = strlen(s);
		while (n > 0 && isspace((unsigned char)s[n - 1]))
			n--;
		if (n == 0)
			continue;
		memcpy(p, s, n);
		p[n] = '\0';
		r->v[i] = p;
		p += n + 1;
	}
}

/* "Ann van Lee" -> first "Ann", last "van Lee" when no separate columns. */
static void
csvin_row_name(struct csvin_row *r)
{
	char	*sp;

	if (r->v[CF_NAME] == NULL || r->v[CF_FIRST] != NULL ||
	    r->v[CF_LAST] != NULL)
		return;
	r->v[CF_FIRST] = r->v[CF_NAME];
	if ((sp = strchr(r->v[CF_NAME], ' ')) != NULL) {
		*sp++ = '\0';
		while (*sp == ' ')
			sp++;
		r->v[CF_LAST] = sp;
	}
}

static int
csvin_row_dates(struct csvin *ci, struct csvin_row *r, int *bad,
    char **why)
{
	const char	*fmt = ci->o->date_format != NULL ?
			    ci->o->date_format : ci->names.map.date_format;
	char		 iso[WHEN_ISO_LEN];

	if (r->v[CF_CREATED] != NULL) {
		*bad = CF_CREATED;
		if (csvin_date(r->v[CF_CREATED], fmt, &r->created, why) != 0)
			return (-1);
		if (r->created > ci->o->now) {
			xasprintf(why, "%s is later than the import time %s",
			    r->v[CF_CREATED], when_format(ci->o->now, iso));
			return (-1);
		}
	}
	if (r->v[CF_ACTIVITY] != NULL) {
		*bad = CF_ACTIVITY;
		if (csvin_date(r->v[CF_ACTIVITY], fmt, &r->activity, why) != 0)
			return (-1);
	}
	return (0);
}

static int
csvin_row_numbers(struct csvin_row *r, int *bad, char **why)
{
	static const int	 f[] = { CF_VISITS, CF_FORMS, CF_PAGES };
	int			*out[] = { &r->visits, &r->forms, &r->pages };
	size_t			 i;

	for (i = 0; i < 3; i++) {
		if (r->v[f[i]] != NULL && csvin_count(r->v[f[i]], out[i]) != 0) {
			*bad = f[i];
			xasprintf(why, "\"%s\" is not a count (a whole number"
			    " of 0 or more)", r->v[f[i]]);
			return (-1);
		}
	}
	if (r->v[CF_AMOUNT] != NULL &&
	    csvin_amount(r->v[CF_AMOUNT], &r->amount) != 0) {
		*bad = CF_AMOUNT;
		xasprintf(why, "\"%s\" is not an amount", r->v[CF_AMOUNT]);
		return (-1);
	}
	return (0);
}

static int
csvin_row_refs(struct csvin *ci, struct csvin_row *r, int *bad, char **why)
{
	if (r->v[CF_STAGE] != NULL &&
	    (r->stage = csvin_stage(&ci->names, r->v[CF_STAGE])) == NULL) {
		*bad = CF_STAGE;
		xasprintf(why, "unknown stage \"%s\" (name it in the playbook's"
		    " [stages], or map it in --map [stage])", r->v[CF_STAGE]);
		return (-1);
	}
	if (r->v[CF_OWNER] != NULL &&
	    (r->owner = csvin_owner(&ci->names, r->v[CF_OWNER])) == NULL) {
		*bad = CF_OWNER;
		xasprintf(why, "unknown rep \"%s\" (add them with smk rep add,"
		    " or map the name in --map [owner])", r->v[CF_OWNER]);
		return (-1);
	}
	return (0);
}

static int
csvin_row_check(struct csvin *ci, struct csvin_row *r, int *bad, char **why)
{
	size_t	i;

	if (ci->toolong) {
		xasprintf(why, "the row is longer than %d bytes or %d cells",
		    CSVIN_RECORD_MAX, CSVIN_FIELDS_MAX);
		return (-1);
	}
	csvin_row_copy(ci, r);
	if (ci->nf > ci->nheaders) {
		xasprintf(why, "the row has %zu cells, the header %zu", ci->nf,
		    ci->nheaders);
		return (-1);
	}
	for (i = 0; i < ci->nf; i++) {
		if (strlen(csvin_cell(ci, i)) != ci->lens[i]) {
			*bad = -2 - (int)i;
			xasprintf(why, "contains a NUL byte");
			return (-1);
		}
	}
	*bad = CF_EMAIL;
	if (r->v[CF_EMAIL] == NULL) {
		xasprintf(why, "no email address");
		return (-1);
	}
	if (!csvin_email_ok(r->v[CF_EMAIL])) {
		xasprintf(why, "\"%s\" is not an email address",
		    r->v[CF_EMAIL]);
		return (-1);
	}
	csvin_row_name(r);
	if (csvin_row_refs(ci, r, bad, why) != 0 ||
	    csvin_row_numbers(r, bad, why) != 0 ||
	    csvin_row_dates(ci, r, bad, why) != 0)
		return (-1);
	return (0);
}

/* Read and check a row; on failure *col is the CSV column at fault or -1. */
static int
csvin_row_read(struct csvin *ci, struct csvin_row *r, int *col, char **why)
{
	int	bad = -1;

	memset(r, 0, sizeof *r);
	if (csvin_row_check(ci, r, &bad, why) == 0)
		return (0);
	if (bad <= -2)
		*col = -2 - bad;	/* a cell, not a field */
	else
		*col = bad >= 0 ? ci->fieldcol[bad] : -1;
	return (-1);
}

/* The upsert. */

static void
csvin_change(struct csvin_changes *ch, const char *field, const char *old,
    const char *new)
{
	if (new == NULL || (old != NULL && strcmp(old, new) == 0))
		return;
	ch->c[ch->n].field = field;
	ch->c[ch->n].old_value = old;
	ch->c[ch->n++].new_value = new;
}

static void
csvin_change_num(struct csvin_changes *ch, const char *field, bool given,
    int64_t old, bool had, int64_t new)
{
	if (!given || (had && old == new))
		return;
	snprintf(ch->num[ch->n][0], sizeof ch->num[0][0], "%" PRId64, old);
	snprintf(ch->num[ch->n][1], sizeof ch->num[0][1], "%" PRId64, new);
	ch->c[ch->n].field = field;
	ch->c[ch->n].old_value = had ? ch->num[ch->n][0] : NULL;
	ch->c[ch->n].new_value = ch->num[ch->n][1];
	ch->n++;
}

/*
 * A later last activity from the file. Never an earlier one: the lead may
 * have been worked in smk since the export (store_activity_add moves the
 * time forward only, too).
 */
static void
csvin_change_time(struct csvin_changes *ch, const char *field, time_t old,
    time_t new)
{
	if (new == 0 || new <= old)
		return;
	ch->c[ch->n].field = field;
	ch->c[ch->n].old_value = old != 0 ? when_format(old,
	    ch->num[ch->n][0]) : NULL;
	ch->c[ch->n].new_value = when_format(new, ch->num[ch->n][1]);
	ch->n++;
}

/* Plain field edits of an existing lead (kind "update"). */
static void
csvin_diff(const struct csvin_row *r, const struct lead *l,
    struct csvin_changes *ch)
{
	static const struct {
		int		 f;
		const char	*name;
		size_t		 off;
	} text[] = {
		{ CF_FIRST, "first_name", offsetof(struct lead, first_name) },
		{ CF_LAST, "last_name", offsetof(struct lead, last_name) },
		{ CF_COMPANY, "company", offsetof(struct lead, company) },
		{ CF_TITLE, "title", offsetof(struct lead, title) },
		{ CF_PHONE, "phone", offsetof(struct lead, phone) },
		{ CF_SOURCE, "source", offsetof(struct lead, source) },
		{ CF_COUNTRY, "country", offsetof(struct lead, country) },
	};
	size_t	i;

	memset(ch, 0, sizeof *ch);
	for (i = 0; i < sizeof text / sizeof *text; i++) {
		csvin_change(ch, text[i].name, *(char *const *)(const void *)
		    ((const char *)l + text[i].off), r->v[text[i].f]);
	}
	csvin_change_num(ch, "amount", r->v[CF_AMOUNT] != NULL, l->amount,
	    l->has_amount, r->amount);
	csvin_change_num(ch, "visits", r->v[CF_VISITS] != NULL, l->visits,
	    true, r->visits);
	csvin_change_num(ch, "forms", r->v[CF_FORMS] != NULL, l->forms, true,
	    r->forms);
	csvin_change_num(ch, "pages", r->v[CF_PAGES] != NULL, l->pages, true,
	    r->pages);
	csvin_change_time(ch, "last_activity_at", l->last_activity_at,
	    r->activity);
}

static void
csvin_store_fail(struct csvin *ci, const char *email, enum store_status st,
    char *why)
{
	char	*c;

	xasprintf(&c, "%s:%lu: %s: %s", ci->o->name, ci->rec_line, email,
	    why != NULL ? why : store_strerror(st));
	free(why);
	csvin_fatal(ci, st == STORE_INVALID ? SMK_EUSER : SMK_EFILE, c);
}

static int
csvin_apply(struct csvin *ci, struct lead *l, const char *kind,
    const struct csvin_changes *ch)
{
	enum store_status	 st;
	int64_t			 version;
	char			*why = NULL;

	if (ch->n == 0)
		return (0);
	st = store_lead_update(ci->store, l->id, l->version, kind, ch->c,
	    ch->n, ci->reason, ci->o->user, ci->o->now, &version, NULL, &why);
	if (st != STORE_OK) {
		csvin_store_fail(ci, l->email, st, why);
		return (-1);
	}
	l->version = version;
	return (0);
}

static void
csvin_score(struct csvin *ci, struct lead *l)
{
	bool	 moved;
	char	*why = NULL, *c;

	if (score_apply_set(ci->store, ci->cfg, ci->scores, l, ci->o->now,
	    &moved, &why) != 0) {
		xasprintf(&c, "%s:%lu: %s", ci->o->name, ci->rec_line, why);
		free(why);
		csvin_fatal(ci, SMK_EFILE, c);
		return;
	}
	if (moved)
		ci->stats->mql++;
}

static void
csvin_notify(struct csvin *ci, enum csvin_what what, const char *email,
    const char *text)
{
	struct csvin_note	note;

	if (ci->o->note == NULL)
		return;
	memset(&note, 0, sizeof note);
	note.what = what;
	note.line = ci->rec_line;
	note.email = email;
	note.text = text;
	ci->o->note(&note, ci->o->arg);
}

/* "title CTO -> VP Sales, owner - -> alee" for a dry run. */
static char *
csvin_describe(const struct csvin_changes *const *chs, size_t n)
{
	char	*s = NULL, *next;
	size_t	 i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < chs[i]->n; j++) {
			const struct store_change *c = &chs[i]->c[j];

			xasprintf(&next, "%s%s%s %s -> %s", s != NULL ? s : "",
			    s != NULL ? ", " : "", c->field,
			    c->old_value != NULL ? c->old_value : "-",
			    c->new_value);
			free(s);
			s = next;
		}
	}
	return (s);
}

/* Remember l as a dry run's write; l is cleared unless it is the seen one. */
static void
csvin_dry_keep(struct csvin *ci, struct lead *l)
{
	char	*why = NULL;

	if (csvin_seen_keep(ci->seen, l, &why) != 0)
		csvin_fatal(ci, SMK_EFILE, why);
}

/*
 * A dry run: what the real import would do to an existing l (the changes,
 * then the score) done in memory instead, and l remembered when the real import
 * would have written it, so that a later row for the same email sees it.
 */
static void
csvin_dry_apply(struct csvin *ci, struct lead *l,
    const struct csvin_changes *const *chs, size_t n)
{
	bool	changed, moved, wrote = false;
	size_t	i;

	for (i = 0; i < n; i++) {
		csvin_seen_apply(l, chs[i]->c, chs[i]->n);
		wrote = wrote || chs[i]->n != 0;
	}
	score_apply_dry(ci->cfg, ci->scores, l, ci->o->now, &changed, &moved);
	if (moved)
		ci->stats->mql++;
	if (wrote || changed)
		csvin_dry_keep(ci, l);
}

/* A dry run's new lead, scored by score_initial: remembered as created. */
static void
csvin_dry_create(struct csvin *ci, const struct lead *l, bool handoff)
{
	struct lead	kept;

	lead_copy(&kept, l);
	if (handoff) {
		free(kept.stage);
		kept.stage = xstrdup("mql");
		ci->stats->mql++;
	}
	csvin_dry_keep(ci, &kept);
}

/* A new lead's initial score hands it to mql. */
static void
csvin_handoff(struct csvin *ci, struct lead *l)
{
	char	*why = NULL, *c;

	if (score_handoff(ci->store, ci->cfg, ci->scores, l, ci->o->now,
	    &why) != 0) {
		xasprintf(&c, "%s:%lu: %s", ci->o->name, ci->rec_line, why);
		free(why);
		csvin_fatal(ci, SMK_EFILE, c);
		return;
	}
	ci->stats->mql++;
}

/*
 * The importing rep's rights, as for any other change (lead.h): may they
 * change l (zeroed: a new lead) and, when gives, leave it to owner, who
 * must be an active rep? -1 after rejecting the row.
 */
static int
csvin_may(struct csvin *ci, const char *email, const struct lead *l,
    bool gives, const char *owner)
{
	const struct actor	*a = ci->o->actor;
	char			*why = NULL;
	int			 col;

	if (a != NULL && !lead_may_change(a, l, &why))
		col = -1;
	else if (a != NULL && gives && !lead_may_give(a, l, owner, &why))
		col = ci->fieldcol[CF_OWNER];
	else if (gives && owner != NULL && !csvin_rep_active(&ci->names,
	    owner)) {
		/* As lead_check_owner: a lead goes only to an active rep. */
		xasprintf(&why, "%s is not an active rep", owner);
		col = ci->fieldcol[CF_OWNER];
	} else
		return (0);
	csvin_reject(ci, col, email, why);
	return (-1);
}

static void
csvin_row_update(struct csvin *ci, const struct csvin_row *r, struct lead *l)
{
	struct csvin_changes		 upd, asg, mov;
	const struct csvin_changes	*all[] = { &upd, &asg, &mov };
	enum store_status		 st;
	char				*text = NULL, *why = NULL;
	int64_t				 id;

	csvin_diff(r, l, &upd);
	memset(&asg, 0, sizeof asg);
	csvin_change(&asg, "owner", l->owner, r->owner);
	memset(&mov, 0, sizeof mov);
	csvin_change(&mov, "stage", l->stage, r->stage);
	if (upd.n + asg.n + mov.n != 0 && csvin_may(ci, l->email, l,
	    asg.n != 0, r->owner) != 0)
		return;
	if (upd.n + asg.n + mov.n == 0) {
		ci->stats->unchanged++;
		csvin_notify(ci, CSVIN_SAME, l->email, NULL);
	} else {
		ci->stats->updated++;
		if (ci->o->dry_run)
			text = csvin_describe(all, 3);
		csvin_notify(ci, CSVIN_UPDATE, l->email, text);
		free(text);
	}
	if (ci->o->dry_run) {
		csvin_dry_apply(ci, l, all, 3);
		return;
	}
	if (upd.n + asg.n + mov.n != 0) {
		if (csvin_apply(ci, l, "update", &upd) != 0 ||
		    csvin_apply(ci, l, "assign", &asg) != 0 ||
		    csvin_apply(ci, l, "move", &mov) != 0)
			return;
		/* Reload: the score reads every field. */
		id = l->id;
		lead_clear(l);
		st = store_lead_get(ci->store, id, l, &why);
		if (st != STORE_OK) {
			csvin_store_fail(ci, r->v[CF_EMAIL], st, why);
			return;
		}
	}
	csvin_score(ci, l);
}

static void
csvin_row_create(struct csvin *ci, const struct csvin_row *r)
{
	struct lead		 l;
	enum store_status	 st;
	char			*why = NULL;
	time_t			 at = r->created != 0 ? r->created : ci->o->now;
	bool			 handoff;

	memset(&l, 0, sizeof l);
	if (csvin_may(ci, r->v[CF_EMAIL], &l, r->owner != NULL, r->owner) != 0)
		return;
	l.email = r->v[CF_EMAIL];
	l.first_name = r->v[CF_FIRST];
	l.last_name = r->v[CF_LAST];
	l.company = r->v[CF_COMPANY];
	l.title = r->v[CF_TITLE];
	l.phone = r->v[CF_PHONE];
	l.source = r->v[CF_SOURCE] != NULL ? r->v[CF_SOURCE] :
	    ci->names.map.source;
	l.country = r->v[CF_COUNTRY];
	/* Owned: scoring may move the lead and replace its stage. */
	l.stage = xstrdup(r->stage != NULL ? r->stage : ci->default_stage);
	l.owner = (char *)r->owner;
	l.amount = r->amount;
	l.has_amount = r->v[CF_AMOUNT] != NULL;
	l.visits = r->visits;
	l.forms = r->forms;
	l.pages = r->pages;
	l.last_activity_at = r->activity;
	l.created_at = l.updated_at = at;
	/*
	 * Scored before the insert, as of the import's time (as a re-import
	 * scores), so the row goes in scored and no score event follows its
	 * created event.
	 */
	handoff = score_initial(ci->cfg, ci->scores, &l, ci->o->now);
	ci->stats->created++;
	csvin_notify(ci, CSVIN_CREATE, l.email, NULL);
	if (ci->o->dry_run)
		csvin_dry_create(ci, &l, handoff);
	else {
		st = store_lead_insert(ci->store, &l, ci->o->user, at, &why);
		if (st != STORE_OK)
			csvin_store_fail(ci, l.email, st, why);
		else if (handoff)
			csvin_handoff(ci, &l);
	}
	free(l.stage);
}

static void
csvin_row(struct csvin *ci)
{
	struct csvin_row	 r;
	struct lead		 old, *seen;
	enum store_status	 st;
	char			*why = NULL;
	int			 col;

	if (csvin_row_read(ci, &r, &col, &why) != 0) {
		csvin_reject(ci, col, r.v[CF_EMAIL], why);
		return;
	}
	/* After a bad row in abort mode nothing will be kept: only check. */
	if (ci->bad && ci->o->on_error == CSVIN_ABORT && !ci->o->dry_run)
		return;
	/* An email an earlier row of this dry run would have written. */
	if (ci->seen != NULL) {
		if (csvin_seen_find(ci->seen, r.v[CF_EMAIL], &seen, &why) != 0) {
			csvin_fatal(ci, SMK_EFILE, why);
			return;
		}
		if (seen != NULL) {
			csvin_row_update(ci, &r, seen);
			return;
		}
	}
	memset(&old, 0, sizeof old);
	st = store_lead_by_email(ci->store, r.v[CF_EMAIL], &old, &why);
	if (st == STORE_NOTFOUND) {
		free(why);
		csvin_row_create(ci, &r);
	} else if (st == STORE_OK)
		csvin_row_update(ci, &r, &old);
	else
		csvin_store_fail(ci, r.v[CF_EMAIL], st, why);
	lead_clear(&old);
}

/* The header: which column gives which field. */

static void
csvin_header_ignored(struct csvin *ci, const int *colf)
{
	char	*s = NULL, *next;
	size_t	 i;

	for (i = 0; i < ci->nheaders; i++) {
		if (*ci->headers[i] == '\0' || (colf[i] >= 0 &&
		    (colf[i] == CF_IGNORE || ci->fieldcol[colf[i]] == (int)i)))
			continue;
		xasprintf(&next, "%s%s%s", s != NULL ? s : "",
		    s != NULL ? ", " : "", ci->headers[i]);
		free(s);
		s = next;
	}
	ci->stats->ignored = s;
}

static void
csvin_header(struct csvin *ci)
{
	int	 prio[CF_NFIELDS], *colf, p, f;
	size_t	 i;
	char	*c;

	if (ci->toolong) {
		xasprintf(&c, "%s:%lu: the header is longer than %d bytes or "
		    "%d columns", ci->o->name, ci->rec_line, CSVIN_RECORD_MAX,
		    CSVIN_FIELDS_MAX);
		csvin_fatal(ci, SMK_EUSER, c);
		return;
	}
	ci->nheaders = ci->nf;
	ci->headers = xcalloc(ci->nf + 1, sizeof *ci->headers);
	colf = xcalloc(ci->nf + 1, sizeof *colf);
	for (f = 0; f < CF_NFIELDS; f++)
		prio[f] = INT_MAX;
	for (i = 0; i < ci->nf; i++) {
		ci->headers[i] = xstrdup(csvin_cell(ci, i));
		colf[i] = f = csvin_header_lookup(&ci->names.map,
		    ci->headers[i], &p);
		if (f >= 0 && p < prio[f]) {
			prio[f] = p;
			ci->fieldcol[f] = (int)i;
		}
	}
	csvin_header_ignored(ci, colf);
	free(colf);
	if (ci->fieldcol[CF_EMAIL] < 0) {
		xasprintf(&c, "%s:%lu: no column holds the email address; name "
		    "it in --map [columns] (e.g. \"E-Mail = email\")",
		    ci->o->name, ci->rec_line);
		csvin_fatal(ci, SMK_EUSER, c);
	}
}

/* Feeding the parser, one physical line at a time, to know line numbers. */

static void
csvin_cb_record(int c, void *arg)
{
	struct csvin	*ci = arg;

	(void)c;
	if (ci->rec_line == 0)
		ci->rec_line = ci->line;
	if (ci->fatal || csvin_record_empty(ci)) {
		csvin_record_reset(ci);
		return;
	}
	if (!ci->header_done) {
		csvin_header(ci);
		ci->header_done = true;
	} else {
		ci->stats->rows++;
		csvin_row(ci);
		if (ci->o->progress != NULL &&
		    ci->stats->rows % CSVIN_PROGRESS_ROWS == 0)
			ci->o->progress(ci->bytes, ci->stats->rows, ci->o->arg);
	}
	csvin_record_reset(ci);
}

static bool
csvin_blank(const char *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (p[i] != '\r' && p[i] != '\n')
			return (false);
	}
	return (true);
}

static void
csvin_feed(struct csvin *ci, const char *p, size_t len)
{
	const char	*nl;
	size_t		 n;
	char		*c;

	while (len > 0 && !ci->fatal) {
		nl = memchr(p, '\n', len);
		n = nl != NULL ? (size_t)(nl - p) + 1 : len;
		/* Empty lines between records: skip, but count them. */
		if (ci->rec_line == 0 && csvin_blank(p, n))
			goto next;
		if (ci->rec_line == 0)
			ci->rec_line = ci->line;
		if (csv_parse(&ci->parser, p, n, csvin_cb_field,
		    csvin_cb_record, ci) != n) {
			xasprintf(&c, "%s:%lu: %s", ci->o->name, ci->rec_line,
			    csv_strerror(csv_error(&ci->parser)));
			csvin_fatal(ci, SMK_EUSER, c);
		} else if (csv_get_buffer_size(&ci->parser) > CSVIN_RECORD_MAX) {
			xasprintf(&c, "%s:%lu: a cell runs past %d bytes (is a "
			    "quote not closed?)", ci->o->name, ci->rec_line,
			    CSVIN_RECORD_MAX);
			csvin_fatal(ci, SMK_EUSER, c);
		}
next:
		if (nl != NULL)
			ci->line++;
		ci->bytes += n;
		p += n;
		len -= n;
		if (ci->o->stop != NULL && *ci->o->stop) {
			xasprintf(&c, "%s: interrupted at line %lu; nothing was"
			    " imported", ci->o->name, ci->line);
			csvin_fatal(ci, SMK_EUSER, c);
		}
	}
}

static int
csvin_space(unsigned char c)
{
	return (c == ' ');
}

static void
csvin_start(struct csvin *ci, char **p, size_t *n)
{
	int	mapped = ci->names.map.delimiter;

	if (*n >= 3 && memcmp(*p, "\xef\xbb\xbf", 3) == 0) {
		*p += 3;
		*n -= 3;
		ci->bytes += 3;
	}
	ci->delim = ci->o->delimiter != 0 ? ci->o->delimiter :
	    mapped != 0 ? mapped : csvin_sniff(*p, *n);
	csv_set_delim(&ci->parser, (unsigned char)ci->delim);
	ci->stats->delimiter = ci->delim;
}

static void
csvin_read(struct csvin *ci, FILE *in)
{
	char	*chunk = xmalloc(CSVIN_CHUNK), *p, *c;
	size_t	 n;
	bool	 first = true;

	while (!ci->fatal && (n = fread(chunk, 1, CSVIN_CHUNK, in)) > 0) {
		p = chunk;
		if (first)
			csvin_start(ci, &p, &n);
		first = false;
		csvin_feed(ci, p, n);
	}
	free(chunk);
	if (!ci->fatal && ferror(in)) {
		xasprintf(&c, "%s: %s", ci->o->name, strerror(errno));
		csvin_fatal(ci, SMK_EUSER, c);
	}
	/*
	 * Lenient while reading (stray quotes in exports are common), strict
	 * at the end: libcsv reports an unclosed quote only with both flags.
	 */
	csv_set_opts(&ci->parser, CSV_STRICT | CSV_STRICT_FINI);
	if (!ci->fatal && csv_fini(&ci->parser, csvin_cb_field,
	    csvin_cb_record, ci) != 0) {
		xasprintf(&c, "%s:%lu: a quoted cell is not closed before the "
		    "end of the file", ci->o->name, ci->rec_line);
		csvin_fatal(ci, SMK_EUSER, c);
	}
	if (!ci->fatal && !ci->header_done) {
		xasprintf(&c, "%s: the file is empty (no header line)",
		    ci->o->name);
		csvin_fatal(ci, SMK_EUSER, c);
	}
}

/* Setting up and finishing. */

static int
csvin_setup(struct csvin *ci, char **cause)
{
	const struct csvin_map	*map = &ci->names.map;
	const char		*base;

	if (csvin_names_load(&ci->names, ci->store, ci->cfg, ci->o->map_path,
	    &ci->err, cause) != 0)
		return (-1);
	if ((ci->scores = score_compile(ci->cfg, cause)) == NULL)
		return (-1);
	ci->default_stage = csvin_stage(&ci->names,
	    map->stage != NULL ? map->stage : "lead");
	if (ci->default_stage == NULL && ci->cfg->nstages != 0)
		ci->default_stage = ci->cfg->stages[0].name;
	if (ci->default_stage == NULL) {
		xasprintf(cause, "the playbook has no stages");
		return (-1);
	}
	base = strrchr(ci->o->name, '/');
	xasprintf(&ci->reason, "imported from %s",
	    base != NULL ? base + 1 : ci->o->name);
	if (csv_init(&ci->parser, 0) != 0)
		fatal("csv_init: out of memory");
	csv_set_space_func(&ci->parser, csvin_space);
	return (0);
}

static void
csvin_free(struct csvin *ci)
{
	size_t	i;

	csv_free(&ci->parser);
	csvin_names_free(&ci->names);
	csvin_seen_free(ci->seen);
	score_free(ci->scores);
	for (i = 0; i < ci->nheaders; i++)
		free(ci->headers[i]);
	free(ci->headers);
	free(ci->buf);
	free(ci->offs);
	free(ci->lens);
	free(ci->vals);
	free(ci->reason);
	free(ci->cause);
	csvin_rejects_free(&ci->rejects);
}

static enum store_status
csvin_commit(struct csvin *ci, char **cause)
{
	if (ci->o->saving != NULL)
		ci->o->saving(ci->o->arg);
	return (store_commit(ci->store, cause));
}

/* Commit (or roll back) and put the rejects file in place. */
static enum smk_err
csvin_finish(struct csvin *ci, char **cause)
{
	enum smk_err	 err = SMK_OK;
	const char	*would = ci->o->dry_run ? "would be" : "was";

	ci->stats->finished = !ci->fatal;
	if (ci->fatal) {
		err = ci->err;
		*cause = ci->cause;
		ci->cause = NULL;
	} else if (ci->bad && ci->o->on_error == CSVIN_ABORT) {
		err = SMK_EUSER;
		xasprintf(cause, "%s: %" PRIu64 " bad row%s; nothing %s "
		    "imported (fix %s, or use --on-error skip to import the "
		    "rest)", ci->o->name, ci->stats->rejected,
		    ci->stats->rejected == 1 ? "" : "s", would,
		    ci->stats->rejected == 1 ? "it" : "them");
	} else if (ci->began && csvin_commit(ci, cause) != STORE_OK)
		err = SMK_EFILE;
	else
		ci->began = false;
	if (ci->began)
		store_rollback(ci->store);
	if (csvin_rejects_close(&ci->rejects, err == SMK_OK, cause) != 0)
		err = SMK_EUSER;
	return (err);
}

enum smk_err
csvin_import(struct store *store, const struct config *cfg, FILE *in,
    const struct csvin_opts *o, struct csvin_stats *stats, char **cause)
{
	struct csvin	 ci;
	enum smk_err	 err;
	int		 f;

	memset(stats, 0, sizeof *stats);
	memset(&ci, 0, sizeof ci);
	ci.store = store;
	ci.cfg = cfg;
	ci.o = o;
	ci.stats = stats;
	ci.line = 1;
	ci.err = SMK_EUSER;
	for (f = 0; f < CF_NFIELDS; f++)
		ci.fieldcol[f] = -1;
	if (csvin_setup(&ci, cause) != 0) {
		err = ci.err;
		goto out;
	}
	if (o->dry_run) {
		if (csvin_seen_new(&ci.seen, cause) != 0) {
			err = SMK_EFILE;
			goto out;
		}
	} else {
		if (store_begin(store, cause) != STORE_OK) {
			err = SMK_EFILE;
			goto out;
		}
		ci.began = true;
	}
	csvin_read(&ci, in);
	if (o->progress != NULL)
		o->progress(ci.bytes, stats->rows, o->arg);
	err = csvin_finish(&ci, cause);
out:
	csvin_free(&ci);
	return (err);
}

void
csvin_stats_clear(struct csvin_stats *stats)
{
	free(stats->ignored);
	stats->ignored = NULL;
}
