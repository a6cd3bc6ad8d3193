/*
 * Tests for the pure parts of the metrics module (src/metrics_calc.c):
 * team-zone months (a boundary that is another day in UTC, DST, the
 * year's turn), the arithmetic of
 * rates and medians (a zero denominator has no value), cells, summing rows
 * by source, sorting sources and reasons, and the stages a playbook names;
 * and, on a real SQLite file with a random history, that the sliced job
 * (the Flow screen's) gives exactly what metrics_months gives (smk report
 * flow's), and that the paged sources walk reads every lead once. The
 * numbers themselves are checked end to end by tests/it_flow.sh.
 */
#include <stdbool.h>
#include <time.h>

#include "testutil.h"
#include "smk/config.h"
#include "smk/metrics.h"
#include "smk/store.h"
#include "smk/when.h"
#include "smk/xmalloc.h"

static int
setup_ny(void **state)
{
	char *cause = NULL;

	(void)state;
	if (when_set_zone("America/New_York", &cause) != 0) {
		print_error("%s\n", cause);
		free(cause);
		return -1;
	}
	return 0;
}

/* September in New York starts at 04:00Z (EDT), December at 05:00Z. */
static void
test_month_bounds(void **state)
{
	time_t s, e;

	(void)state;
	metrics_month_bounds(2026, 9, &s, &e);
	assert_int_equal(s, test_at("2026-09-01T04:00:00Z"));
	assert_int_equal(e, test_at("2026-10-01T04:00:00Z"));
	metrics_month_bounds(2026, 11, &s, &e);
	assert_int_equal(s, test_at("2026-11-01T04:00:00Z"));
	assert_int_equal(e, test_at("2026-12-01T05:00:00Z"));
	metrics_month_bounds(2026, 12, &s, &e);
	assert_int_equal(e, test_at("2027-01-01T05:00:00Z"));
}

/* 2026-10-01T02:00Z is 22:00 on 30 September in New York. */
static void
test_month_of_boundary(void **state)
{
	char buf[16];
	int y, m;

	(void)state;
	metrics_month_of(test_at("2026-10-01T02:00:00Z"), &y, &m);
	assert_int_equal(y, 2026);
	assert_int_equal(m, 9);
	metrics_month_of(test_at("2026-10-01T04:00:00Z"), &y, &m);
	assert_int_equal(m, 10);
	assert_string_equal(metrics_month_label(test_at("2027-01-01T04:59:59Z"),
	    buf, sizeof buf), "2026-12");
}

static void
test_month_shift(void **state)
{
	time_t s, e;
	char buf[16];

	(void)state;
	metrics_month_bounds(2026, 2, &s, &e);
	assert_string_equal(metrics_month_label(metrics_month_shift(s, 2),
	    buf, sizeof buf), "2025-12");
	assert_string_equal(metrics_month_label(metrics_month_shift(s, 14),
	    buf, sizeof buf), "2024-12");
	assert_string_equal(metrics_month_label(metrics_month_shift(s, -11),
	    buf, sizeof buf), "2027-01");
	assert_int_equal(metrics_month_shift(s, 0), s);
}

static void
test_month_parse(void **state)
{
	char *cause = NULL;
	time_t s;

	(void)state;
	assert_int_equal(metrics_month_parse("2026-09", &s, &cause), 0);
	assert_int_equal(s, test_at("2026-09-01T04:00:00Z"));
	assert_int_equal(metrics_month_parse("2026-13", &s, &cause), -1);
	assert_non_null(strstr(cause, "YYYY-MM"));
	free(cause);
	cause = NULL;
	assert_int_equal(metrics_month_parse("2026-9", &s, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(metrics_month_parse("2026-09x", &s, &cause), -1);
	free(cause);
}

static void
test_pct_zero_denominator(void **state)
{
	double v = -1;

	(void)state;
	assert_false(metrics_pct(0, 0, &v));
	assert_true(v == -1);		/* untouched */
	assert_true(metrics_pct(1, 3, &v));
	assert_true(v > 33.33 && v < 33.34);
	assert_true(metrics_pct(0, 5, &v));
	assert_true(v == 0.0);
}

static void
test_median(void **state)
{
	double odd[] = { 7, 2, 5 }, even[] = { 7, 5 }, v;

	(void)state;
	assert_true(metrics_median(odd, 3, &v));
	assert_true(v == 5.0);
	assert_true(metrics_median(even, 2, &v));
	assert_true(v == 6.0);		/* (5 + 7) / 2 */
	assert_false(metrics_median(NULL, 0, &v));
}

/* A row with cohort 4: worked 3, closed 1; no clocks; two touches. */
static void
fill_row(struct metrics_row *r, const char *source)
{
	memset(r, 0, sizeof *r);
	r->source = source != NULL ? xstrdup(source) : NULL;
	r->new = 10;
	r->mql = 4;
	r->accepted = 3;
	r->sql = 3;
	r->cohort = 4;
	r->worked = 3;
	r->closed = 1;
	r->touch_bh = xcalloc(2, sizeof *r->touch_bh);
	r->touch_bh[0] = 7;
	r->touch_bh[1] = 2;
	r->ntouch = 2;
}

static void
test_cells(void **state)
{
	struct metrics_row r;
	char buf[32];
	double v;

	(void)state;
	fill_row(&r, "ads");
	assert_string_equal(metrics_cell(&r, METRICS_NEW, buf, sizeof buf),
	    "10");
	assert_string_equal(metrics_cell(&r, METRICS_WORKED_PCT, buf,
	    sizeof buf), "75.0");
	assert_string_equal(metrics_cell(&r, METRICS_CLOSE_RATE, buf,
	    sizeof buf), "25.0");
	assert_string_equal(metrics_cell(&r, METRICS_MEDIAN_FIRST_TOUCH_BH,
	    buf, sizeof buf), "4.5");
	/* The median does not reorder the row's own touches. */
	assert_true(r.touch_bh[0] == 7);
	/* No clock decided, no opportunity: no value, an empty cell. */
	assert_false(metrics_value(&r, METRICS_SLA_MET_PCT, &v));
	assert_string_equal(metrics_cell(&r, METRICS_SLA_MET_PCT, buf,
	    sizeof buf), "");
	assert_string_equal(metrics_cell(&r, METRICS_WIN_RATE, buf,
	    sizeof buf), "");
	assert_string_equal(metrics_cell(&r, METRICS_ACCEPTANCE_PCT, buf,
	    sizeof buf), "75.0");
	assert_string_equal(metrics_col_name(METRICS_MEDIAN_FIRST_TOUCH_BH),
	    "median_first_touch_bh");
	assert_true(metrics_col_is_rate(METRICS_CLOSE_RATE));
	assert_false(metrics_col_is_rate(METRICS_CUSTOMERS));
	metrics_row_clear(&r);
}

static void
test_sum_by_source(void **state)
{
	struct metrics_row rows[3], out;
	char buf[32];

	(void)state;
	fill_row(&rows[0], NULL);
	fill_row(&rows[1], "ads");
	fill_row(&rows[2], "webinar");
	rows[2].new = 1;
	metrics_sum(rows, 3, true, NULL, &out);
	assert_int_equal(out.new, 21);
	assert_int_equal(out.cohort, 12);
	assert_int_equal(out.ntouch, 6);
	assert_string_equal(metrics_cell(&out, METRICS_MEDIAN_FIRST_TOUCH_BH,
	    buf, sizeof buf), "4.5");
	metrics_row_clear(&out);
	metrics_sum(rows, 3, false, "webinar", &out);
	assert_int_equal(out.new, 1);
	assert_string_equal(out.source, "webinar");
	metrics_row_clear(&out);
	/* "" and NULL both pick the leads without a source. */
	metrics_sum(rows, 3, false, "", &out);
	assert_int_equal(out.new, 10);
	assert_null(out.source);
	metrics_row_clear(&out);
	metrics_sum(rows, 3, false, "nowhere", &out);
	assert_int_equal(out.new, 0);
	assert_false(metrics_value(&out, METRICS_WORKED_PCT, &(double){ 0 }));
	metrics_row_clear(&out);
	for (size_t i = 0; i < 3; i++)
		metrics_row_clear(&rows[i]);
}

static void
test_sort_sources(void **state)
{
	struct metrics_row rows[4];
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++)
		memset(&rows[i], 0, sizeof rows[i]);
	rows[0].source = xstrdup("none-handed");	/* no acceptance */
	rows[1].source = xstrdup("half");
	rows[1].mql = 4;
	rows[1].accepted = 2;
	rows[2].source = xstrdup("all");
	rows[2].mql = 1;
	rows[2].accepted = 1;
	rows[3].source = xstrdup("half-big");
	rows[3].mql = 10;
	rows[3].accepted = 5;
	metrics_sort_sources(rows, 4);
	assert_string_equal(rows[0].source, "all");
	assert_string_equal(rows[1].source, "half-big");	/* more mqls */
	assert_string_equal(rows[2].source, "half");
	assert_string_equal(rows[3].source, "none-handed");
	for (i = 0; i < 4; i++)
		metrics_row_clear(&rows[i]);
}

static void
test_reasons(void **state)
{
	struct metrics_row a, b, out;
	char buf[128];

	(void)state;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	a.reasons = xcalloc(2, sizeof *a.reasons);
	a.reasons[0].reason = xstrdup("wrong persona");
	a.reasons[0].n = 1;
	a.reasons[1].reason = NULL;
	a.reasons[1].n = 1;
	a.nreasons = 2;
	b.reasons = xcalloc(1, sizeof *b.reasons);
	b.reasons[0].reason = xstrdup("no budget");
	b.reasons[0].n = 2;
	b.nreasons = 1;
	struct metrics_row rows[2] = { a, b };
	metrics_sum(rows, 2, true, NULL, &out);
	assert_string_equal(metrics_reasons_text(&out, 3, buf, sizeof buf),
	    "no budget 2, (no reason) 1, wrong persona 1");
	assert_string_equal(metrics_reasons_text(&out, 1, buf, sizeof buf),
	    "no budget 2");
	metrics_row_clear(&out);
	metrics_row_clear(&rows[0]);
	metrics_row_clear(&rows[1]);
}

static void
test_stages_default(void **state)
{
	struct metrics_stages ms;
	struct config cfg;

	(void)state;
	config_defaults(&cfg);
	metrics_stages_from_config(&ms, &cfg);
	assert_string_equal(ms.mql, "mql");
	assert_string_equal(ms.sql, "sql");
	assert_string_equal(ms.opportunity, "opportunity");
	assert_string_equal(ms.customer, "customer");
	assert_string_equal(ms.recycled, "recycled");
	assert_string_equal(ms.disqualified, "disqualified");
	config_free(&cfg);
}

/* Renamed stages: found by team and position, not by name. */
static void
test_stages_renamed(void **state)
{
	struct metrics_stages ms;
	struct config cfg;
	char *path, *cause = NULL;

	(void)state;
	path = test_write_file("renamed.ini",
	    "[stages]\norder = visitor, prospect, handoff, qualified, deal, "
	    "won\nexits = returned, lost\n"
	    "[stage.handoff]\nteam = shared\n"
	    "[stage.qualified]\nteam = sales\n[stage.deal]\nteam = sales\n"
	    "[stage.won]\nteam = sales\n");
	config_defaults(&cfg);
	assert_int_equal(config_load_playbook(&cfg, path, NULL, NULL, &cause),
	    0);
	metrics_stages_from_config(&ms, &cfg);
	assert_string_equal(ms.mql, "handoff");
	assert_string_equal(ms.sql, "qualified");
	assert_string_equal(ms.opportunity, "deal");
	assert_string_equal(ms.customer, "won");
	assert_string_equal(ms.recycled, "returned");
	assert_string_equal(ms.disqualified, "lost");
	config_free(&cfg);
	free(path);
}

/* A random history on a real file, for the job tests. */

static unsigned long job_seed = 2026;

static unsigned long
job_gen(unsigned long n)
{
	return test_rand(&job_seed, n);
}

static struct store *
job_store(const char *name)
{
	struct store_open_opts opts = { .create = true };
	struct store_rep reps[] = {
		{ (char *)"sam", (char *)"Sam", (char *)"sales",
		    (char *)"rep", true },
		{ (char *)"tess", (char *)"Tess", (char *)"sales",
		    (char *)"rep", true },
		{ (char *)"boss", (char *)"Boss", (char *)"sales",
		    (char *)"manager", true },
	};
	struct store *s = NULL;
	char *path, *cause = NULL;
	size_t i;

	path = test_path(name);
	assert_int_equal(store_open(path, &opts, &s, &cause), STORE_OK);
	free(path);
	for (i = 0; i < sizeof reps / sizeof reps[0]; i++)
		assert_int_equal(store_rep_add(s, &reps[i],
		    test_at("2025-01-01T00:00:00Z"), &cause), STORE_OK);
	return s;
}

static void
job_change(struct store *s, int64_t id, const char *field, const char *value,
    time_t at)
{
	struct store_change c;
	struct lead l;
	char *cause = NULL;

	assert_int_equal(store_lead_get(s, id, &l, &cause), STORE_OK);
	c.field = field;
	c.old_value = strcmp(field, "stage") == 0 ? l.stage : l.owner;
	c.new_value = value;
	assert_int_equal(store_lead_update(s, id, l.version,
	    strcmp(field, "stage") == 0 ? "move" : "assign", &c, 1,
	    strcmp(field, "stage") == 0 && job_gen(2) ? "no budget" : NULL,
	    "boss", at, NULL, NULL, &cause), STORE_OK);
	lead_clear(&l);
}

/* One lead's life from t: moves, assignments and attempts. */
static void
job_lead(struct store *s, int i, time_t t)
{
	static const char *stages[] = { "subscriber", "lead", "mql", "sql",
	    "opportunity", "customer", "recycled", "disqualified" };
	static const char *owners[] = { "sam", "tess", NULL };
	static const char *sources[] = { "webinar", "ads", "", NULL };
	char email[64], *cause = NULL;
	struct lead l;
	int k, n;

	memset(&l, 0, sizeof l);
	snprintf(email, sizeof email, "j%d@x.example", i);
	l.email = email;
	l.stage = (char *)stages[job_gen(5)];
	l.owner = (char *)owners[job_gen(3)];
	l.source = (char *)sources[job_gen(4)];
	assert_int_equal(store_lead_insert(s, &l, "boss", t, &cause),
	    STORE_OK);
	n = (int)job_gen(8);
	for (k = 0; k < n; k++) {
		t += (time_t)(1800 + job_gen(20 * 86400));
		switch (job_gen(4)) {
		case 0:
		case 1:
			job_change(s, l.id, "stage", stages[job_gen(8)], t);
			break;
		case 2:
			job_change(s, l.id, "owner", owners[job_gen(3)], t);
			break;
		default:
			assert_int_equal(store_activity_add(s, l.id,
			    job_gen(2) ? "call" : "note", NULL, "sam", t,
			    &cause), STORE_OK);
			break;
		}
	}
}

static void
job_same_row(const struct metrics_row *x, const struct metrics_row *y)
{
	size_t i;

	if (x->source == NULL || y->source == NULL)
		assert_ptr_equal(x->source, y->source);
	else
		assert_string_equal(x->source, y->source);
	assert_int_equal(x->new, y->new);
	assert_int_equal(x->mql, y->mql);
	assert_int_equal(x->sql, y->sql);
	assert_int_equal(x->opportunities, y->opportunities);
	assert_int_equal(x->customers, y->customers);
	assert_int_equal(x->recycled, y->recycled);
	assert_int_equal(x->disqualified, y->disqualified);
	assert_int_equal(x->cohort, y->cohort);
	assert_int_equal(x->worked, y->worked);
	assert_int_equal(x->closed, y->closed);
	assert_int_equal(x->accepted, y->accepted);
	assert_int_equal(x->won, y->won);
	assert_int_equal(x->rejected, y->rejected);
	assert_int_equal(x->clocks_done, y->clocks_done);
	assert_int_equal(x->clocks_met, y->clocks_met);
	assert_int_equal(x->ntouch, y->ntouch);
	for (i = 0; i < x->ntouch; i++)
		assert_true(x->touch_bh[i] == y->touch_bh[i]);
}

/* The months of a job stepped with budget_ms, counting the steps. */
static int
job_run(struct metrics_ctx *m, time_t first, long budget_ms,
    struct metrics_month *out)
{
	struct metrics_job *j;
	char *cause = NULL;
	int rc, steps = 0;

	j = metrics_job_start(m, first, 12, METRICS_REASONS);
	while ((rc = metrics_job_step(j, budget_ms, &cause)) == 0)
		steps++;
	assert_int_equal(rc, 1);
	metrics_job_take(j, out);
	metrics_job_free(j);
	return steps;
}

/*
 * A job in the smallest slices (one time piece, page or chunk per step,
 * each in its own snapshot) ends with the numbers of metrics_months, at an
 * instant inside the history and after it; and the history does have
 * clocks, cohorts, first touches and rejections to compare.
 */
static void
test_job_slices(void **state)
{
	struct metrics_month whole[12], sliced[12];
	struct metrics_ctx m;
	struct config cfg;
	struct store *s;
	const char *instants[] = { "2026-05-20T15:00:00Z",
	    "2026-11-02T14:00:00Z" };
	char *cause = NULL;
	int64_t clocks = 0, touches = 0, worked = 0, rejected = 0;
	time_t t = test_at("2025-09-01T13:00:00Z"), start, end, now;
	size_t i, r, k;
	int y, mo, steps;

	(void)state;
	config_defaults(&cfg);
	s = job_store("slices.db");
	assert_int_equal(store_begin(s, &cause), STORE_OK);
	for (i = 0; i < 300; i++) {
		job_lead(s, (int)i, t);
		t += (time_t)job_gen(86400);
	}
	assert_int_equal(store_commit(s, &cause), STORE_OK);
	for (k = 0; k < 2; k++) {
		now = test_at(instants[k]);
		assert_int_equal(metrics_init(&m, s, &cfg, now, &cause), 0);
		assert_non_null(m.cal);
		metrics_month_of(now, &y, &mo);
		metrics_month_bounds(y, mo, &start, &end);
		start = metrics_month_shift(start, 11);
		assert_int_equal(metrics_months(&m, start, 12,
		    METRICS_REASONS, whole, &cause), 0);
		steps = job_run(&m, start, 0, sliced);
		assert_true(steps > 20);
		for (i = 0; i < 12; i++) {
			assert_int_equal(whole[i].start, sliced[i].start);
			assert_int_equal(whole[i].n, sliced[i].n);
			for (r = 0; r < whole[i].n; r++) {
				job_same_row(&whole[i].rows[r],
				    &sliced[i].rows[r]);
				clocks += whole[i].rows[r].clocks_done;
				touches += (int64_t)whole[i].rows[r].ntouch;
				worked += whole[i].rows[r].worked;
				rejected += whole[i].rows[r].rejected;
			}
			metrics_month_clear(&whole[i]);
			metrics_month_clear(&sliced[i]);
		}
		metrics_free(&m);
	}
	assert_true(clocks > 10 && touches > 5 && worked > 5 &&
	    rejected > 0);
	store_close(s);
	config_free(&cfg);
}

static int
job_collect(int64_t id, const char *source, void *arg)
{
	char ***v = arg;
	size_t n = 0;

	while ((*v)[n] != NULL)
		n++;
	*v = xreallocarray(*v, n + 2, sizeof **v);
	xasprintf(&(*v)[n], "%lld %s", (long long)id, source != NULL ?
	    source : "(null)");
	(*v)[n + 1] = NULL;
	return 0;
}

/* Pages of 7 leads read the leads_source index as the one walk does. */
static void
test_sources_pages(void **state)
{
	struct store_metrics_page p;
	struct store *s;
	char **all, **paged, *cause = NULL;
	size_t i, pages = 0;

	(void)state;
	s = job_store("pages.db");
	for (i = 0; i < 40; i++)
		job_lead(s, 1000 + (int)i, test_at("2026-03-02T14:00:00Z"));
	all = xcalloc(1, sizeof *all);
	paged = xcalloc(1, sizeof *paged);
	assert_int_equal(store_metrics_sources(s, job_collect, &all, &cause),
	    STORE_OK);
	memset(&p, 0, sizeof p);
	while (!p.done) {
		assert_int_equal(store_metrics_sources_page(s, &p, 7,
		    job_collect, &paged, &cause), STORE_OK);
		assert_true(++pages < 100);
	}
	assert_true(pages > 6);
	for (i = 0; all[i] != NULL; i++) {
		assert_non_null(paged[i]);
		assert_string_equal(all[i], paged[i]);
		free(all[i]);
		free(paged[i]);
	}
	assert_int_equal(i, 40);
	assert_null(paged[i]);
	free(all);
	free(paged);
	store_metrics_page_clear(&p);
	store_close(s);
}

/*
 * The median first touch: the same from a row as gathered (unsorted) and
 * from a sum, which sorts once so that a screen can ask at every repaint.
 */
static void
test_median_sorted_once(void **state)
{
	double raw[] = { 5, 1, 4, 2 }, more[] = { 9 };
	struct metrics_row a, b, rows[2], sum;
	double v;

	(void)state;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	a.touch_bh = raw;
	a.ntouch = 4;
	b.touch_bh = more;
	b.ntouch = 1;
	assert_true(metrics_value(&a, METRICS_MEDIAN_FIRST_TOUCH_BH, &v));
	assert_true(v == 3.0);
	assert_true(raw[0] == 5);		/* the row is left as it was */
	rows[0] = a;
	rows[1] = b;
	metrics_sum(rows, 2, true, NULL, &sum);
	assert_true(sum.touch_sorted);
	assert_true(sum.touch_bh[0] == 1 && sum.touch_bh[4] == 9);
	assert_true(metrics_value(&sum, METRICS_MEDIAN_FIRST_TOUCH_BH, &v));
	assert_true(v == 4.0);
	metrics_row_clear(&sum);
	memset(&sum, 0, sizeof sum);
	assert_false(metrics_value(&sum, METRICS_MEDIAN_FIRST_TOUCH_BH, &v));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_median_sorted_once),
		cmocka_unit_test(test_month_bounds),
		cmocka_unit_test(test_month_of_boundary),
		cmocka_unit_test(test_month_shift),
		cmocka_unit_test(test_month_parse),
		cmocka_unit_test(test_pct_zero_denominator),
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_sum_by_source),
		cmocka_unit_test(test_sort_sources),
		cmocka_unit_test(test_reasons),
		cmocka_unit_test(test_stages_default),
		cmocka_unit_test(test_stages_renamed),
		cmocka_unit_test(test_job_slices),
		cmocka_unit_test(test_sources_pages),
	};
	int rc;

	setenv("TZ", "UTC", 1);
	rc = cmocka_run_group_tests(tests, setup_ny, NULL);
	test_cleanup();
	return rc;
}
