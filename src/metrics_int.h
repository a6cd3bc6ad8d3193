/*
 * Internals shared by the metrics' two files: metrics_calc.c owns rows and
 * their reasons, metrics.c fills rows from the store and needs the same
 * rules for matching sources and adding up reasons. Nothing outside
 * src/metrics*.c includes this.
 */
#ifndef SMK_METRICS_INT_H
#define SMK_METRICS_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "smk/metrics.h"

/* Same source? NULL and "" are both "no source". */
bool	 metrics_same(const char *, const char *);
/* Add n rejections for reason (NULL: none given) into r's reasons. */
void	 metrics_add_reason(struct metrics_row *r, const char *reason,
	    int64_t n);

#endif
