/*
 * The rejects file of `import --on-error skip`: every bad row as it was
 * read, in the input's delimiter, plus a "reason" column. It is written to
 * PATH.tmp and put in place only when the import is kept, so a failed or
 * interrupted import leaves no rejects file that describes rows which were
 * never imported. Knows nothing of leads or the store.
 */
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "smk/xmalloc.h"

#include "csvin_int.h"

static void
csvin_rejects_cells(struct csvin_rejects *rj, char *const *cells,
    const size_t *lens, size_t n, const char *last)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (i != 0)
			fputc(rj->delim, rj->f);
		csv_fwrite(rj->f, cells[i], lens[i]);
	}
	if (n != 0)
		fputc(rj->delim, rj->f);
	csv_fwrite(rj->f, last, strlen(last));
	fputc('\n', rj->f);
}

/* Create PATH.tmp with the header line; -1 with *cause when it can't. */
static int
csvin_rejects_open(struct csvin_rejects *rj, char *const *headers,
    size_t nheaders, char **cause)
{
	size_t	*lens, i;

	xasprintf(&rj->tmp, "%s.tmp", rj->path);
	if ((rj->f = fopen(rj->tmp, "w")) == NULL) {
		xasprintf(cause, "cannot write the rejects file %s: %s; nothing "
		    "was imported", rj->tmp, strerror(errno));
		return (-1);
	}
	lens = xcalloc(nheaders + 1, sizeof *lens);
	for (i = 0; i < nheaders; i++)
		lens[i] = strlen(headers[i]);
	csvin_rejects_cells(rj, headers, lens, nheaders, "reason");
	free(lens);
	return (0);
}

int
csvin_rejects_row(struct csvin_rejects *rj, char *const *headers,
    size_t nheaders, char *const *cells, const size_t *lens, size_t n,
    const char *reason, char **cause)
{
	if (rj->f == NULL &&
	    csvin_rejects_open(rj, headers, nheaders, cause) != 0)
		return (-1);
	csvin_rejects_cells(rj, cells, lens, n, reason);
	return (0);
}

int
csvin_rejects_close(struct csvin_rejects *rj, bool keep, char **cause)
{
	int	rv = 0;

	if (rj->f == NULL)
		return (0);
	if (fclose(rj->f) != 0 && keep) {
		xasprintf(cause, "%s: %s", rj->tmp, strerror(errno));
		rv = -1;
	} else if (keep && rename(rj->tmp, rj->path) != 0) {
		xasprintf(cause, "imported, but %s: %s", rj->path,
		    strerror(errno));
		rv = -1;
	}
	rj->f = NULL;
	unlink(rj->tmp);
	return (rv);
}

void
csvin_rejects_free(struct csvin_rejects *rj)
{
	if (rj->f != NULL) {
		fclose(rj->f);
		unlink(rj->tmp);
	}
	free(rj->tmp);
}
