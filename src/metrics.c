/*
 * Lead-flow metrics (definitions in metrics.h): the context, one month's
 * rows by source as the store's queries fill them, and the entry points
 * that run a gathering to its end and add a month's rejection reasons.
 * Gathering the months (the by-lead walks, the SLA replay, the slices) is
 * metrics_job.c's; months, cells and the arithmetic of rates and medians
 * are metrics_calc.c's. Core: must not speak SQL or curses, and must not
 * reimplement SLA clock rules (sla.c owns them).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "smk/bizcal.h"
#include "smk/metrics.h"
#include "smk/xmalloc.h"

#include "metrics_int.h"

int
metrics_init(struct metrics_ctx *m, struct store *s,
    const struct config *cfg, time_t now, char **cause)
{
	memset(m, 0, sizeof *m);
	m->store = s;
	m->cfg = cfg;
	m->now = now;
	metrics_stages_from_config(&m->stages, cfg);
	sla_rules_from_config(&m->rules, cfg);
	/* Without business time there is no SLA clock: those columns empty. */
	if ((m->cal = metrics_calendar(cfg, cause)) == NULL) {
		free(*cause);
		*cause = NULL;
	}
	return 0;
}

void
metrics_free(struct metrics_ctx *m)
{
	if (m->cal != NULL)
		bizcal_free(m->cal);
	m->cal = NULL;
}

struct metrics_row *
metrics_acc_row(struct metrics_acc *a, const char *source)
{
	struct metrics_row *r;
	size_t i;

	for (i = 0; i < a->n; i++) {
		if (metrics_same(a->rows[i].source, source))
			return &a->rows[i];
	}
	if (a->n == a->cap) {
		a->cap = a->cap == 0 ? 8 : a->cap * 2;
		a->rows = xreallocarray(a->rows, a->cap, sizeof *a->rows);
	}
	r = &a->rows[a->n++];
	memset(r, 0, sizeof *r);
	r->source = source != NULL && *source != '\0' ? xstrdup(source) :
	    NULL;
	r->start = a->start;
	r->end = a->end;
	return r;
}

static int
metrics_acc_reason(const char *source, const char *reason, int64_t n,
    void *arg)
{
	struct metrics_row *r = metrics_acc_row(arg, source);

	r->rejected += n;
	metrics_add_reason(r, reason, n);
	return 0;
}

int
metrics_rowcmp(const void *a, const void *b)
{
	const struct metrics_row *x = a, *y = b;

	if (x->source == NULL || y->source == NULL)
		return (x->source != NULL) - (y->source != NULL);
	return strcmp(x->source, y->source);
}

/* The rejections of one month (mql to recycled moves), by reason. */
enum store_status
metrics_acc_reasons(struct metrics_ctx *m, struct metrics_acc *a,
    char **cause)
{
	const struct metrics_stages *ms = &m->stages;
	time_t to = a->end <= m->now ? a->end : m->now + 1;

	if (ms->mql == NULL || ms->recycled == NULL || a->start >= to)
		return STORE_OK;
	return store_metrics_reasons(m->store, ms->mql, ms->recycled,
	    a->start, to, metrics_acc_reason, a, cause);
}

int
metrics_months(struct metrics_ctx *m, time_t first, int n, int flags,
    struct metrics_month *out, char **cause)
{
	struct metrics_job *j;
	bool held;
	int rc;

	if (n <= 0)
		return 0;
	/* One snapshot for the whole gathering. */
	if (store_metrics_hold(m->store, &held, cause) != STORE_OK)
		return -1;
	j = metrics_job_start(m, first, n, flags);
	rc = metrics_job_step(j, -1, cause);
	store_metrics_release(m->store, held);
	if (rc == 1)
		metrics_job_take(j, out);
	metrics_job_free(j);
	return rc == 1 ? 0 : -1;
}

int
metrics_month(struct metrics_ctx *m, time_t start, struct metrics_month *out,
    char **cause)
{
	return metrics_months(m, start, 1, METRICS_REASONS, out, cause);
}

int
metrics_month_reasons(struct metrics_ctx *m, struct metrics_month *mm,
    char **cause)
{
	struct metrics_acc a;
	size_t i;

	if (mm->reasons)
		return 0;
	memset(&a, 0, sizeof a);
	a.m = m;
	a.start = mm->start;
	a.end = mm->end;
	a.rows = mm->rows;
	a.n = a.cap = mm->n;
	if (metrics_acc_reasons(m, &a, cause) != STORE_OK) {
		mm->rows = a.rows;
		mm->n = a.n;
		return -1;
	}
	for (i = 0; i < a.n; i++)
		metrics_sort_reasons(&a.rows[i]);
	if (a.n > mm->n && a.n > 1)
		qsort(a.rows, a.n, sizeof *a.rows, metrics_rowcmp);
	mm->rows = a.rows;
	mm->n = a.n;
	mm->reasons = true;
	return 0;
}

void
metrics_month_clear(struct metrics_month *mm)
{
	size_t i;

	for (i = 0; i < mm->n; i++)
		metrics_row_clear(&mm->rows[i]);
	free(mm->rows);
	memset(mm, 0, sizeof *mm);
}
