/*
 * A dry-run import's stand-in for what it did not write: the leads the real
 * import would have created or changed so far, by email, so that a later
 * row with the same address is predicted as the update the real import
 * would make, not as a second create. Emails match as the store's NOCASE
 * column does (ASCII letters only). Holds only leads the run would change,
 * encoded in a scratch file (store_scratch.c), so a dry run of a million
 * new leads costs disk in the temporary directory, not memory. Never
 * touches the shared file.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "smk/when.h"
#include "smk/xmalloc.h"

#include "csvin_int.h"

struct csvin_seen {
	struct store_scratch	*scratch;
	struct lead		 cur;	/* the lead csvin_seen_find gave */
	char			*buf;	/* a lead, encoded */
	size_t			 len, size;
};

/*
 * A lead, encoded: its numbers as int64_t, in this order, then its texts,
 * each a presence byte and a C string.
 */
#define CSVIN_SEEN_NUMBERS(X) X(id) X(score) X(fit) X(engagement) \
	X(amount) X(has_amount) X(visits) X(forms) X(pages) X(created_at) \
	X(updated_at) X(last_activity_at) X(version)
#define CSVIN_SEEN_COUNT(f)	+ 1
#define CSVIN_SEEN_NUMS		(0 CSVIN_SEEN_NUMBERS(CSVIN_SEEN_COUNT))
#define CSVIN_SEEN_TEXTS	11

static char **
csvin_seen_texts(struct lead *l, size_t i)
{
	char	**t[CSVIN_SEEN_TEXTS] = { &l->email, &l->first_name,
	    &l->last_name, &l->company, &l->title, &l->phone, &l->source,
	    &l->country, &l->stage, &l->owner, &l->notes };

	return (t[i]);
}

static void
csvin_seen_put(struct csvin_seen *seen, const void *p, size_t n)
{
	if (seen->len + n > seen->size) {
		while (seen->len + n > seen->size)
			seen->size = seen->size == 0 ? 512 : seen->size * 2;
		seen->buf = xreallocarray(seen->buf, seen->size, 1);
	}
	memcpy(seen->buf + seen->len, p, n);
	seen->len += n;
}

static void
csvin_seen_encode(struct csvin_seen *seen, struct lead *l)
{
	int64_t	 v[CSVIN_SEEN_NUMS];
	char	*t;
	size_t	 i, n = 0;

#define CSVIN_SEEN_GET(f)	v[n++] = (int64_t)l->f;
	CSVIN_SEEN_NUMBERS(CSVIN_SEEN_GET)
#undef CSVIN_SEEN_GET
	seen->len = 0;
	csvin_seen_put(seen, v, sizeof v);
	for (i = 0; i < CSVIN_SEEN_TEXTS; i++) {
		t = *csvin_seen_texts(l, i);
		csvin_seen_put(seen, t != NULL ? "\1" : "", 1);
		if (t != NULL)
			csvin_seen_put(seen, t, strlen(t) + 1);
	}
}

/* What csvin_seen_encode wrote; -1 when it is not that (never expected). */
static int
csvin_seen_decode(struct lead *l, const char *p, size_t len)
{
	const char	*end = p + len, *nul;
	int64_t		 v[CSVIN_SEEN_NUMS];
	size_t		 i, n = 0;

	memset(l, 0, sizeof *l);
	if (len < sizeof v)
		return (-1);
	memcpy(v, p, sizeof v);
	p += sizeof v;
	for (i = 0; i < CSVIN_SEEN_TEXTS; i++) {
		if (p == end)
			return (-1);
		if (*p++ == '\0')
			continue;
		if ((nul = memchr(p, '\0', (size_t)(end - p))) == NULL)
			return (-1);
		*csvin_seen_texts(l, i) = xstrdup(p);
		p = nul + 1;
	}
	/* Each number back into its own type (bool, int, time_t, int64_t). */
#define CSVIN_SEEN_SET(f)	l->f = v[n++];
	CSVIN_SEEN_NUMBERS(CSVIN_SEEN_SET)
#undef CSVIN_SEEN_SET
	return (0);
}

/* The store compares emails with NOCASE, which folds only A-Z. */
static char *
csvin_seen_key(const char *email)
{
	char	*k = xstrdup(email), *p;

	for (p = k; *p != '\0'; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	}
	return (k);
}

int
csvin_seen_new(struct csvin_seen **out, char **cause)
{
	struct csvin_seen	*seen = xcalloc(1, sizeof *seen);

	if (store_scratch_open(&seen->scratch, cause) != STORE_OK) {
		free(seen);
		*out = NULL;
		return (-1);
	}
	*out = seen;
	return (0);
}

void
csvin_seen_free(struct csvin_seen *seen)
{
	if (seen == NULL)
		return;
	store_scratch_close(seen->scratch);
	lead_clear(&seen->cur);
	free(seen->buf);
	free(seen);
}

int
csvin_seen_find(struct csvin_seen *seen, const char *email, struct lead **l,
    char **cause)
{
	enum store_status	 st;
	char			*key = csvin_seen_key(email);
	void			*v;
	size_t			 len;

	*l = NULL;
	st = store_scratch_get(seen->scratch, key, &v, &len, cause);
	free(key);
	if (st == STORE_NOTFOUND)
		return (0);
	if (st != STORE_OK)
		return (-1);
	lead_clear(&seen->cur);
	if (csvin_seen_decode(&seen->cur, v, len) != 0) {
		free(v);
		lead_clear(&seen->cur);
		xasprintf(cause, "temporary file: a remembered lead for %s "
		    "is damaged", email);
		return (-1);
	}
	free(v);
	*l = &seen->cur;
	return (0);
}

int
csvin_seen_keep(struct csvin_seen *seen, struct lead *l, char **cause)
{
	enum store_status	 st;
	char			*key = csvin_seen_key(l->email);

	csvin_seen_encode(seen, l);
	st = store_scratch_put(seen->scratch, key, seen->buf, seen->len,
	    cause);
	free(key);
	if (l != &seen->cur)
		lead_clear(l);
	return (st == STORE_OK ? 0 : -1);
}

/*
 * csvin's changes, as store_lead_update would make them. csvin never
 * clears a field, so a number's new value is never NULL.
 */
void
csvin_seen_apply(struct lead *l, const struct store_change *c, size_t n)
{
	static const struct {
		const char	*name;
		size_t		 off;
	} text[] = {
		{ "first_name", offsetof(struct lead, first_name) },
		{ "last_name", offsetof(struct lead, last_name) },
		{ "company", offsetof(struct lead, company) },
		{ "title", offsetof(struct lead, title) },
		{ "phone", offsetof(struct lead, phone) },
		{ "source", offsetof(struct lead, source) },
		{ "country", offsetof(struct lead, country) },
		{ "stage", offsetof(struct lead, stage) },
		{ "owner", offsetof(struct lead, owner) },
	};
	size_t	 i, j;
	char	**sp, *why = NULL;

	for (i = 0; i < n; i++) {
		for (j = 0; j < sizeof text / sizeof *text; j++) {
			if (strcmp(c[i].field, text[j].name) != 0)
				continue;
			sp = (char **)(void *)((char *)l + text[j].off);
			free(*sp);
			*sp = c[i].new_value != NULL ?
			    xstrdup(c[i].new_value) : NULL;
		}
		if (strcmp(c[i].field, "amount") == 0) {
			l->amount = strtoll(c[i].new_value, NULL, 10);
			l->has_amount = true;
		} else if (strcmp(c[i].field, "visits") == 0)
			l->visits = atoi(c[i].new_value);
		else if (strcmp(c[i].field, "forms") == 0)
			l->forms = atoi(c[i].new_value);
		else if (strcmp(c[i].field, "pages") == 0)
			l->pages = atoi(c[i].new_value);
		else if (strcmp(c[i].field, "last_activity_at") == 0 &&
		    when_parse(c[i].new_value, &l->last_activity_at, &why) != 0)
			free(why);
	}
}
