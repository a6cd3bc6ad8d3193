/*
 * A dry-run import's stand-in for what it did not write: the leads the real
 * import would have created or changed so far, by email, so that a later
 * row with the same address is predicted as the update the real import
 * would make, not as a second create. Emails match as the store's NOCASE
 * column does (ASCII letters only). Holds only leads the run would change,
 * so a dry run of an unchanged file stays small. Never touches the store.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "smk/when.h"
#include "smk/xmalloc.h"

#include "csvin_int.h"

struct csvin_seen_slot {
	char		*key;		/* the email, ASCII folded; NULL: free */
	struct lead	 lead;
};

struct csvin_seen {
	struct csvin_seen_slot	*slots;
	size_t			 size;	/* a power of two */
	size_t			 n;
};

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

static size_t
csvin_seen_hash(const char *k)
{
	size_t	h = 2166136261U;

	for (; *k != '\0'; k++)
		h = (h ^ (unsigned char)*k) * 16777619U;
	return (h);
}

/* The slot holding key, or the free slot where it would go. */
static struct csvin_seen_slot *
csvin_seen_slot(struct csvin_seen *seen, const char *key)
{
	size_t	i = csvin_seen_hash(key) & (seen->size - 1);

	while (seen->slots[i].key != NULL &&
	    strcmp(seen->slots[i].key, key) != 0)
		i = (i + 1) & (seen->size - 1);
	return (&seen->slots[i]);
}

static void
csvin_seen_grow(struct csvin_seen *seen)
{
	struct csvin_seen_slot	*old = seen->slots, *to;
	size_t			 oldsize = seen->size, i;

	seen->size = oldsize == 0 ? 64 : oldsize * 2;
	seen->slots = xcalloc(seen->size, sizeof *seen->slots);
	for (i = 0; i < oldsize; i++) {
		if (old[i].key == NULL)
			continue;
		to = csvin_seen_slot(seen, old[i].key);
		*to = old[i];
	}
	free(old);
}

struct csvin_seen *
csvin_seen_new(void)
{
	struct csvin_seen	*seen = xcalloc(1, sizeof *seen);

	csvin_seen_grow(seen);
	return (seen);
}

void
csvin_seen_free(struct csvin_seen *seen)
{
	size_t	i;

	if (seen == NULL)
		return;
	for (i = 0; i < seen->size; i++) {
		if (seen->slots[i].key == NULL)
			continue;
		free(seen->slots[i].key);
		lead_clear(&seen->slots[i].lead);
	}
	free(seen->slots);
	free(seen);
}

struct lead *
csvin_seen_find(struct csvin_seen *seen, const char *email)
{
	struct csvin_seen_slot	*slot;
	char			*key = csvin_seen_key(email);

	slot = csvin_seen_slot(seen, key);
	free(key);
	return (slot->key != NULL ? &slot->lead : NULL);
}

void
csvin_seen_keep(struct csvin_seen *seen, struct lead *l)
{
	struct csvin_seen_slot	*slot;
	char			*key = csvin_seen_key(l->email);

	slot = csvin_seen_slot(seen, key);
	if (&slot->lead == l) {		/* kept already, changed in place */
		free(key);
		return;
	}
	if (slot->key != NULL) {
		free(key);
		lead_clear(&slot->lead);
	} else {
		slot->key = key;
		seen->n++;
	}
	slot->lead = *l;
	memset(l, 0, sizeof *l);
	if (seen->n * 2 > seen->size)
		csvin_seen_grow(seen);
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
