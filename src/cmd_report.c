/*
 * smk report flow|sources: the lead-flow metrics of metrics.h as tables for
 * meetings (aligned, totals, month-over-month marks) and for scripts (CSV
 * and JSON with the contract's column names, empty for "no value"). Parses
 * arguments and prints; the numbers come from metrics.c.
 */
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>

#include "smk/cmd.h"
#include "smk/fmt.h"
#include "smk/metrics.h"
#include "smk/smk.h"
#include "smk/when.h"
#include "smk/xmalloc.h"

#define NOPTS(a)	(sizeof (a) / sizeof (a)[0])
#define REPORT_MAX_MONTHS 120
#define REPORT_CELL	64
#define REPORT_REASONS	3	/* reasons shown per source */

/* Month-over-month marks and the "no value" mark, by terminal charset. */
struct report_marks {
	const char	*up;
	const char	*down;
	const char	*none;
};

static void
report_marks(struct report_marks *mk)
{
	const char *cs = nl_langinfo(CODESET);

	if (cs != NULL && strcmp(cs, "UTF-8") == 0) {
		mk->up = "\xe2\x96\xb2";	/* U+25B2 */
		mk->down = "\xe2\x96\xbc";	/* U+25BC */
		mk->none = "\xe2\x80\x93";	/* U+2013 */
	} else {
		mk->up = "+";
		mk->down = "-";
		mk->none = "-";
	}
}

static int
report_fail(int rc, char *cause)
{
	if (cause != NULL)
		cmd_error("%s", cause);
	free(cause);
	return rc;
}

/* Column names with ":n" for fmt; cols[0..nfirst) are given. */
static const char **
report_columns(const char *first, enum metrics_col from, enum metrics_col to,
    const char *last, size_t *n)
{
	const char **cols;
	enum metrics_col c;
	size_t k = 0;

	cols = xcalloc((size_t)(to - from) + 3, sizeof *cols);
	cols[k++] = xstrdup(first);
	for (c = from; c < to; c++)
		xasprintf((char **)&cols[k++], "%s:n", metrics_col_name(c));
	if (last != NULL)
		cols[k++] = xstrdup(last);
	*n = k;
	return cols;
}

static void
report_columns_free(const char **cols, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free((char *)cols[i]);
	free(cols);
}

/* A table cell: the value, then a mark when it moved since prev. */
static void
report_marked(const struct metrics_row *r, const struct metrics_row *prev,
    enum metrics_col c, const struct report_marks *mk, char *buf,
    size_t len)
{
	char was[REPORT_CELL];
	double v, p;

	if (!metrics_value(r, c, &v)) {
		snprintf(buf, len, "%s  ", mk->none);
		return;
	}
	metrics_cell(r, c, buf, len);
	/* Compare what is shown, so 33.3 and 33.31 are no change. */
	if (prev == NULL || !metrics_value(prev, c, &p) ||
	    strcmp(metrics_cell(prev, c, was, sizeof was), buf) == 0) {
		strncat(buf, "  ", len - strlen(buf) - 1);
		return;
	}
	strncat(buf, " ", len - strlen(buf) - 1);
	strncat(buf, v > p ? mk->up : mk->down, len - strlen(buf) - 1);
}

/* Put one row: csv/json plain, table with marks. */
static void
report_put(struct fmt *f, enum fmt_kind kind, const char *first,
    const struct metrics_row *r, const struct metrics_row *prev,
    bool marks, enum metrics_col from, enum metrics_col to,
    const char *last)
{
	struct report_marks mk;
	char cells[METRICS__COUNT + 2][REPORT_CELL];
	const char *row[METRICS__COUNT + 2];
	enum metrics_col c;
	size_t k = 0;

	report_marks(&mk);
	row[k++] = first;
	for (c = from; c < to; c++, k++) {
		if (kind == FMT_TABLE && marks)
			report_marked(r, prev, c, &mk, cells[k], REPORT_CELL);
		else if (kind == FMT_TABLE && !metrics_value(r, c,
		    &(double){ 0 }))
			snprintf(cells[k], REPORT_CELL, "%s", mk.none);
		else
			metrics_cell(r, c, cells[k], REPORT_CELL);
		row[k] = cells[k];
	}
	if (last != NULL)
		row[k++] = last;
	fmt_put(f, row);
}

static void
report_heading(struct cmd_ctx *ctx, const char *what)
{
	char at[WHEN_ISO_LEN];

	fprintf(ctx->out, "%s, in %s time, as of %s\n\n", what, when_zone(),
	    when_format(ctx->now, at));
}

static int
report_flow_rows(struct metrics_ctx *m, int months, const char *source,
    struct metrics_row *rows, char **cause)
{
	struct metrics_month *mm;
	time_t start;
	int i, y, mo;

	/* One walk for all the months: the table has no rejections. */
	metrics_month_of(m->now, &y, &mo);
	metrics_month_bounds(y, mo, &start, &(time_t){ 0 });
	mm = xcalloc((size_t)months, sizeof *mm);
	if (metrics_months(m, metrics_month_shift(start, months - 1), months,
	    0, mm, cause) != 0) {
		free(mm);
		return -1;
	}
	for (i = 0; i < months; i++) {
		metrics_sum(mm[i].rows, mm[i].n, source == NULL, source,
		    &rows[i]);
		rows[i].start = mm[i].start;
		rows[i].end = mm[i].end;
		metrics_month_clear(&mm[i]);
	}
	free(mm);
	return 0;
}

static void
report_flow_print(struct cmd_ctx *ctx, enum fmt_kind kind,
    struct metrics_row *rows, int months)
{
	struct metrics_row total;
	struct fmt *f;
	const char **cols;
	char label[16];
	size_t ncols;
	int i;

	cols = report_columns("month", METRICS_NEW, METRICS_FLOW_COLS, NULL,
	    &ncols);
	f = fmt_open(kind, cols, ncols, ctx->out);
	memset(&total, 0, sizeof total);
	for (i = 0; i < months; i++) {
		metrics_month_label(rows[i].start, label, sizeof label);
		report_put(f, kind, label, &rows[i], i > 0 ? &rows[i - 1] :
		    NULL, true, METRICS_NEW, METRICS_FLOW_COLS, NULL);
		metrics_add(&total, &rows[i]);
	}
	if (kind == FMT_TABLE)
		report_put(f, kind, "total", &total, NULL, true, METRICS_NEW,
		    METRICS_FLOW_COLS, NULL);
	fmt_close(f);
	metrics_row_clear(&total);
	report_columns_free(cols, ncols);
}

static int
report_flow(struct cmd_ctx *ctx, enum fmt_kind kind, const char *months_arg,
    const char *source)
{
	struct metrics_ctx m;
	struct metrics_row *rows;
	struct report_marks mk;
	char *cause = NULL, *end, *what;
	long months = 12;
	int i;

	if (months_arg != NULL) {
		months = strtol(months_arg, &end, 10);
		if (*months_arg == '\0' || *end != '\0' || months < 1 ||
		    months > REPORT_MAX_MONTHS) {
			cmd_error("report flow: --months \"%s\" must be a whole "
			    "number from 1 to %d", months_arg,
			    REPORT_MAX_MONTHS);
			return SMK_EUSER;
		}
	}
	if (metrics_init(&m, ctx->store, ctx->cfg, ctx->now, &cause) != 0)
		return report_fail(SMK_EUSER, cause);
	rows = xcalloc((size_t)months, sizeof *rows);
	if (report_flow_rows(&m, (int)months, source, rows, &cause) != 0) {
		for (i = 0; i < months; i++)
			metrics_row_clear(&rows[i]);
		free(rows);
		metrics_free(&m);
		return report_fail(SMK_EFILE, cause);
	}
	if (kind == FMT_TABLE) {
		xasprintf(&what, "Lead flow, %s", source == NULL ?
		    "all sources" : metrics_source_name(source));
		report_heading(ctx, what);
		free(what);
	}
	report_flow_print(ctx, kind, rows, (int)months);
	if (kind == FMT_TABLE) {
		report_marks(&mk);
		fprintf(ctx->out, "\n%s %s: up or down from the month before; "
		    "%s: nothing to divide by. Rates are cohorts as of the "
		    "report time.\n", mk.up, mk.down, mk.none);
	}
	for (i = 0; i < months; i++)
		metrics_row_clear(&rows[i]);
	free(rows);
	metrics_free(&m);
	return SMK_OK;
}

static void
report_sources_print(struct cmd_ctx *ctx, enum fmt_kind kind,
    struct metrics_month *mm)
{
	struct metrics_row total;
	struct fmt *f;
	const char **cols;
	char reasons[256];
	size_t ncols, i;

	cols = report_columns("source", METRICS_NEW, METRICS__COUNT,
	    "top_reasons", &ncols);
	f = fmt_open(kind, cols, ncols, ctx->out);
	metrics_sort_sources(mm->rows, mm->n);
	for (i = 0; i < mm->n; i++) {
		metrics_reasons_text(&mm->rows[i], REPORT_REASONS, reasons,
		    sizeof reasons);
		report_put(f, kind, metrics_source_name(mm->rows[i].source),
		    &mm->rows[i], NULL, false, METRICS_NEW, METRICS__COUNT,
		    reasons);
	}
	if (kind == FMT_TABLE) {
		metrics_sum(mm->rows, mm->n, true, NULL, &total);
		metrics_reasons_text(&total, REPORT_REASONS, reasons,
		    sizeof reasons);
		report_put(f, kind, "total", &total, NULL, false, METRICS_NEW,
		    METRICS__COUNT, reasons);
		metrics_row_clear(&total);
	}
	fmt_close(f);
	report_columns_free(cols, ncols);
}

static int
report_sources(struct cmd_ctx *ctx, enum fmt_kind kind,
    const char *month_arg)
{
	struct metrics_ctx m;
	struct metrics_month mm;
	time_t start, end;
	char *cause = NULL, *what, label[16];
	int y, mo;

	if (month_arg != NULL) {
		if (metrics_month_parse(month_arg, &start, &cause) != 0)
			return report_fail(SMK_EUSER, cause);
	} else {
		metrics_month_of(ctx->now, &y, &mo);
		metrics_month_bounds(y, mo, &start, &end);
	}
	if (metrics_init(&m, ctx->store, ctx->cfg, ctx->now, &cause) != 0)
		return report_fail(SMK_EUSER, cause);
	if (metrics_month(&m, start, &mm, &cause) != 0) {
		metrics_free(&m);
		return report_fail(SMK_EFILE, cause);
	}
	if (kind == FMT_TABLE) {
		xasprintf(&what, "Sources, %s, best SQL acceptance first",
		    metrics_month_label(start, label, sizeof label));
		report_heading(ctx, what);
		free(what);
	}
	report_sources_print(ctx, kind, &mm);
	metrics_month_clear(&mm);
	metrics_free(&m);
	return SMK_OK;
}

int
cmd_report(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *format = NULL, *months = NULL, *month = NULL;
	const char *source = NULL;
	const struct cmd_opt opts[] = {
		{ "format", true, &format }, { "months", true, &months },
		{ "month", true, &month }, { "source", true, &source },
	};
	enum fmt_kind kind = FMT_TABLE;
	char *cause = NULL;
	int i;

	if (cmd_report_is_meeting(argc, argv))
		return cmd_report_meeting(ctx, argc, argv);
	i = cmd_parse_opts(argc, argv, opts, NOPTS(opts));
	if (i < 0)
		return SMK_EUSER;
	if (format != NULL && fmt_parse(format, &kind, &cause) != 0)
		return report_fail(SMK_EUSER, cause);
	if (argc - i != 1) {
		cmd_error("report: expected flow, sources or meeting (see smk "
		    "report --help)");
		return SMK_EUSER;
	}
	if (strcmp(argv[i], "flow") == 0) {
		if (month != NULL) {
			cmd_error("report flow: use --months N (--month is "
			    "for report sources)");
			return SMK_EUSER;
		}
		return report_flow(ctx, kind, months, source);
	}
	if (strcmp(argv[i], "sources") == 0) {
		if (months != NULL || source != NULL) {
			cmd_error("report sources: takes --month YYYY-MM and "
			    "--format only");
			return SMK_EUSER;
		}
		return report_sources(ctx, kind, month);
	}
	cmd_error("report: unknown report \"%s\" (use flow, sources or "
	    "meeting)", argv[i]);
	return SMK_EUSER;
}
