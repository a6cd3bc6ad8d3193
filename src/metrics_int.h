/*
 * Internals shared by the metrics' three files: metrics_calc.c owns rows
 * and their reasons, metrics.c one month's rows by source and its
 * rejections, metrics_job.c fills those rows from the store's walks. They
 * need the same rules for matching sources, adding up reasons and ordering
 * rows. Nothing outside src/metrics*.c includes this.
 */
#ifndef SMK_METRICS_INT_H
#define SMK_METRICS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "smk/metrics.h"

/* Accumulates one month's query results into rows by source. */
struct metrics_acc {
	struct metrics_ctx *m;
	time_t		 start;
	time_t		 end;
	struct metrics_row *rows;
	size_t		 n;
	size_t		 cap;
};

/* Same source? NULL and "" are both "no source". */
bool	 metrics_same(const char *, const char *);
/* Add n rejections for reason (NULL: none given) into r's reasons. */
void	 metrics_add_reason(struct metrics_row *r, const char *reason,
	    int64_t n);

/* The month's row for source, added (zero, owning a copy) if missing. */
struct metrics_row *metrics_acc_row(struct metrics_acc *, const char *source);
/* The rejections of one month (mql to recycled moves), by reason. */
enum store_status metrics_acc_reasons(struct metrics_ctx *,
	    struct metrics_acc *, char **cause);
/* qsort order of a month's rows: no source first, then by name. */
int	 metrics_rowcmp(const void *, const void *);

#endif
