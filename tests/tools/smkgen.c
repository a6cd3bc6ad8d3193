/*
 * smkgen: builds believable demo and benchmark databases through the store,
 * deterministically (its own PRNG, a fixed anchor instant, entered_at equal
 * to the simulated time), and moves a copy's clock to today for `make run`.
 *
 *   smkgen --out FILE [--seed N] [--anchor TIME] [--leads N] [--months N]
 *   smkgen --shift-to-now FILE
 *
 * It simulates each lead's life: created by marketing, maybe promoted to MQL,
 * handed to a sales rep, accepted or recycled, worked with calls and emails,
 * won or lost. Nothing happens after the anchor, so the leads in flight at
 * the anchor carry the running, due-soon and breached SLA clocks of the demo.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "smk/config.h"
#include "smk/score.h"
#include "smk/store.h"
#include "smk/when.h"
#include "smk/xmalloc.h"

#define DAY	86400L
#define HOUR	3600L

static uint64_t rng_state;

static uint64_t
rng(void)
{
	/* xorshift64*: the same sequence on every machine */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static long
rnd(long lo, long hi)		/* uniform in [lo, hi] */
{
	return lo + (long)(rng() % (uint64_t)(hi - lo + 1));
}

static int
chance(int pct)
{
	return rnd(0, 99) < pct;
}

#define PICK(a) ((a)[rnd(0, (long)(sizeof (a) / sizeof (a)[0]) - 1)])

static const struct gen_rep {
	const char *login, *name, *team, *role;
} reps[] = {
	{ "mgarcia", "María García", "sales", "manager" },
	{ "jchen", "Jordan Chen", "marketing", "manager" },
	{ "pnovak", "Petra Novák", "marketing", "rep" },
	{ "lokafor", "Lola Okafor", "marketing", "rep" },
	{ "rsilva", "Rui Silva", "marketing", "rep" },
	{ "ebrandt", "Émile Brandt", "marketing", "rep" },
	{ "akim", "Alex Kim", "sales", "rep" },
	{ "bwright", "Bea Wright", "sales", "rep" },
	{ "cdiaz", "Carlos Díaz", "sales", "rep" },
	{ "dpatel", "Dev Patel", "sales", "rep" },
	{ "eolsen", "Erik Olsen", "sales", "rep" },
	{ "fmoreau", "Fanny Moreau", "sales", "rep" },
	{ "gnakamura", "Gen Nakamura", "sales", "rep" },
	{ "hlindqvist", "Hanna Lindqvist", "sales", "rep" },
};
#define FIRST_SALES_REP 6
#define NREPS (sizeof reps / sizeof reps[0])

/* Sources, with how good their leads are: % to MQL, % accepted, % won. */
static const struct gen_source {
	const char	*name;
	int		 mql, accept, win;
} sources[] = {
	{ "webinar", 45, 70, 30 },
	{ "organic search", 35, 65, 28 },
	{ "paid search", 30, 50, 18 },
	{ "linkedin ads", 25, 45, 15 },
	{ "referral", 60, 85, 45 },
	{ "trade show", 40, 55, 22 },
	{ "content download", 28, 40, 12 },
	{ "partner", 50, 75, 35 },
	{ "cold outbound", 20, 35, 10 },
	{ "email campaign", 30, 50, 16 },
};

static const char *firsts[] = {
	"Ana", "Ben", "Chloé", "Daniel", "Eva", "Farid", "Grace", "Hiro",
	"Ines", "Jonas", "Kofi", "Lena", "Marco", "Nadia", "Oskar", "Priya",
	"Quinn", "Rosa", "Søren", "Tomás", "Uma", "Victor", "Wen", "Ximena",
	"Yusuf", "Zoë", "Łukasz", "Aiko", "Björn", "Camille", "美咲", "Olu",
};
static const char *lasts[] = {
	"Andersen", "Baker", "Castillo", "Dubois", "Eriksen", "Fischer",
	"González", "Hughes", "Ivanova", "Jensen", "Kowalski", "López",
	"Müller", "Nguyen", "O'Brien", "Petrov", "Quinlan", "Rossi", "Sato",
	"Tanaka", "Ulrich", "Varga", "Walsh", "Xu", "Yilmaz", "Zimmermann",
};
static const char *co_a[] = {
	"Acme", "Blue", "Cedar", "Delta", "Ember", "Fjord", "Granite", "Harbor",
	"Iris", "Juniper", "Kite", "Lumen", "Maple", "Nimbus", "Orbit", "Pine",
	"Quartz", "Ridge", "Summit", "Tidal", "Umber", "Vertex", "Willow",
};
static const char *co_b[] = {
	"Analytics", "Logistics", "Health", "Robotics", "Foods", "Labs",
	"Systems", "Capital", "Energy", "Media", "Software", "Retail",
};
static const char *titles[] = {
	"VP Sales", "Director of Marketing", "Head of Operations", "CTO",
	"Marketing Manager", "Sales Manager", "Analyst", "Engineer",
	"Student", "Founder", "Procurement Lead", "Office Manager",
};
static const char *countries[] = { "US", "US", "US", "CA", "GB", "DE",
	"FR", "NL", "BR", "JP", "IN", "AU" };
static const char *recycle[] = { "not ready to buy", "no budget",
	"wrong persona", "no response" };
static const char *disqualify[] = { "competitor", "student", "spam",
	"duplicate", "lost to competitor" };
static const char *attempt_kinds[] = { "call", "call", "email", "email",
	"meeting", "social" };

struct gen {
	struct store	*s;
	struct score_set *scores;	/* the playbook's rules, or NULL */
	int		 threshold;	/* [scoring] mql_threshold */
	time_t		 anchor;
	struct lead	 l;
	int		 errors;
};

/* Move t into the next weekday working hour, 14:00-22:00 UTC (9-5 ET). */
static time_t
gen_workhour(time_t t)
{
	struct tm tm;

	for (;;) {
		gmtime_r(&t, &tm);
		if (tm.tm_wday != 0 && tm.tm_wday != 6 && tm.tm_hour >= 14 &&
		    tm.tm_hour < 22)
			return t;
		t += HOUR - tm.tm_min * 60L - tm.tm_sec + rnd(0, 50) * 60;
	}
}

static void
gen_check(struct gen *g, enum store_status st, char *cause)
{
	if (st != STORE_OK) {
		fprintf(stderr, "smkgen: %s\n", cause != NULL ? cause :
		    store_strerror(st));
		g->errors++;
	}
	free(cause);
}

/* Apply one change at t, unless t is past the anchor. */
static int
gen_change(struct gen *g, time_t t, const char *kind, const char *field,
    const char *value, const char *reason, const char *user)
{
	struct store_change ch;
	char *cause = NULL, *old;
	enum store_status st;

	if (t >= g->anchor)
		return -1;
	old = strcmp(field, "stage") == 0 ? g->l.stage : g->l.owner;
	ch.field = field;
	ch.old_value = old;
	ch.new_value = value;
	st = store_lead_update(g->s, g->l.id, g->l.version, kind, &ch, 1,
	    reason, user, t, &g->l.version, NULL, &cause);
	gen_check(g, st, cause);
	if (strcmp(field, "stage") == 0) {
		free(g->l.stage);
		g->l.stage = xstrdup(value);
	} else {
		free(g->l.owner);
		g->l.owner = value != NULL ? xstrdup(value) : NULL;
	}
	return 0;
}

static void
gen_activity(struct gen *g, time_t t, const char *kind, const char *user)
{
	char *cause = NULL;

	if (t < g->anchor)
		gen_check(g, store_activity_add(g->s, g->l.id, kind, NULL,
		    user, t, &cause), cause);
}

/* The first touch: mostly within the SLA, sometimes late. */
static time_t
gen_work(struct gen *g, time_t t, const char *rep)
{
	long delay;
	int i, n;

	if (chance(80))
		delay = rnd(5, 150) * 60;
	else if (chance(60))
		delay = rnd(5, 9) * HOUR;
	else
		delay = rnd(1, 4) * DAY;
	t = gen_workhour(t + delay);
	n = (int)rnd(2, 8);
	for (i = 0; i < n; i++) {
		gen_activity(g, t, PICK(attempt_kinds), rep);
		t = gen_workhour(t + rnd(1, 2) * DAY + rnd(0, 4) * HOUR);
	}
	return t;
}

/* Sales' part: accepted (sql, worked, maybe won) or recycled. */
static void
gen_sales(struct gen *g, const struct gen_source *src, time_t t)
{
	const char *rep = reps[rnd(FIRST_SALES_REP, NREPS - 1)].login;
	time_t worked;

	t = gen_workhour(t + rnd(0, 20) * HOUR);
	if (gen_change(g, t, "assign", "owner", rep, NULL, "jchen") != 0)
		return;
	/* The rep starts calling at once and decides after talking. */
	worked = gen_work(g, t, rep);
	if (!chance(src->accept)) {
		(void)gen_change(g, worked, "move", "stage", "recycled",
		    PICK(recycle), rep);
		return;
	}
	t = gen_workhour(t + rnd(2, 30) * HOUR);
	if (gen_change(g, t, "move", "stage", "sql", NULL, rep) != 0)
		return;
	/* Sales closes out what will not buy, so old SQLs do not linger. */
	if (chance(55)) {
		t = gen_workhour(worked + rnd(2, 25) * DAY);
		if (chance(50))
			(void)gen_change(g, t, "move", "stage", "recycled",
			    PICK(recycle), rep);
		else
			(void)gen_change(g, t, "move", "stage", "disqualified",
			    PICK(disqualify), rep);
		return;
	}
	t = gen_workhour(worked + rnd(2, 20) * DAY);
	if (gen_change(g, t, "move", "stage", "opportunity", NULL, rep) != 0)
		return;
	t = gen_workhour(t + rnd(10, 45) * DAY);
	if (chance(src->win * 2))
		(void)gen_change(g, t, "move", "stage", "customer", NULL, rep);
	else if (chance(60))
		(void)gen_change(g, t, "move", "stage", "disqualified",
		    "lost to competitor", rep);
}

static void
gen_lead(struct gen *g, time_t created, int n)
{
	const struct gen_source *src = &PICK(sources);
	const char *marketer = reps[rnd(2, 5)].login;
	char *cause = NULL, email[160];
	const char *first = PICK(firsts), *last = PICK(lasts);
	time_t t = created;
	bool hot;
	int rounds;

	memset(&g->l, 0, sizeof g->l);
	g->l.first_name = xstrdup(first);
	g->l.last_name = xstrdup(last);
	xasprintf(&g->l.company, "%s %s", PICK(co_a), PICK(co_b));
	snprintf(email, sizeof email, "lead%d@%.40s.example", n, PICK(co_a));
	g->l.email = xstrdup(email);
	g->l.title = xstrdup(PICK(titles));
	g->l.country = xstrdup(PICK(countries));
	g->l.source = xstrdup(src->name);
	g->l.stage = xstrdup(chance(25) ? "subscriber" : "lead");
	g->l.visits = (int)rnd(0, 40);
	g->l.forms = (int)rnd(0, 4);
	g->l.pages = (int)rnd(0, 80);
	g->l.created_at = t;
	if (g->scores != NULL) {
		/* The score the playbook's rules give, as of the anchor. */
		struct score_result r;

		score_compute(g->scores, &g->l, g->anchor, &r);
		g->l.fit = r.fit;
		g->l.engagement = r.engagement;
		g->l.score = r.score;
	} else {
		g->l.fit = (int)rnd(0, 45);
		g->l.engagement = g->l.visits / 2 + g->l.forms * 5;
		g->l.score = g->l.fit + g->l.engagement;
	}
	gen_check(g, store_lead_insert(g->s, &g->l, marketer, t, &cause),
	    cause);
	/* A lead the rules score past the threshold is an MQL by rule. */
	hot = g->scores != NULL && g->l.score >= g->threshold;
	if (strcmp(g->l.stage, "subscriber") == 0) {
		t += rnd(3, 40) * DAY;
		if ((!hot && !chance(50)) || gen_change(g, t, "move", "stage", "lead",
		    NULL, marketer) != 0)
			goto out;
	}
	for (rounds = 0; rounds < 2; rounds++) {
		t = gen_workhour(t + rnd(1, 25) * DAY);
		if (hot && rounds == 0) {
			if (gen_change(g, t, "move", "stage", "mql",
			    "score crossed the MQL threshold", "system") != 0)
				break;
			gen_sales(g, src, t);
			if (g->l.stage == NULL ||
			    strcmp(g->l.stage, "recycled") != 0)
				break;
			t += rnd(30, 90) * DAY;
			if (!chance(35) || gen_change(g, t, "move", "stage",
			    "lead", NULL, marketer) != 0)
				break;
			continue;
		}
		if (!chance(src->mql)) {
			if (chance(4))
				(void)gen_change(g, t, "move", "stage",
				    "disqualified", "spam", marketer);
			break;
		}
		if (gen_change(g, t, "move", "stage", "mql", NULL,
		    marketer) != 0)
			break;
		gen_sales(g, src, t);
		if (g->l.stage == NULL || strcmp(g->l.stage, "recycled") != 0)
			break;
		/* Recycled: nurtured, and maybe back in a month or three. */
		t += rnd(30, 90) * DAY;
		if (!chance(35) || gen_change(g, t, "move", "stage", "lead",
		    NULL, marketer) != 0)
			break;
	}
out:
	lead_clear(&g->l);
}

static int
gen_build(const char *out, uint64_t seed, time_t anchor, long nleads,
    int months, struct score_set *scores, int threshold)
{
	struct store_open_opts opts = { .busy_timeout_ms = 5000, .create = true };
	struct store_rep r;
	struct gen g;
	char *cause = NULL;
	time_t start = anchor - (time_t)months * 30 * DAY, created;
	size_t i;
	long n;

	memset(&g, 0, sizeof g);
	rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
	g.anchor = anchor;
	g.scores = scores;
	g.threshold = threshold;
	if (store_open(out, &opts, &g.s, &cause) != STORE_OK) {
		fprintf(stderr, "smkgen: %s\n", cause);
		return 1;
	}
	store_backfill(g.s, true);
	gen_check(&g, store_begin(g.s, &cause), cause);
	for (i = 0; i < NREPS; i++) {
		r.login = (char *)reps[i].login;
		r.name = (char *)reps[i].name;
		r.team = (char *)reps[i].team;
		r.role = (char *)reps[i].role;
		r.active = true;
		gen_check(&g, store_rep_add(g.s, &r, start - 30 * DAY, NULL),
		    NULL);
	}
	for (n = 0; n < nleads; n++) {
		/* Growth: half uniform, half rising, about 3x over the span. */
		double x = (double)rnd(0, 1000000) / 1e6;
		if (chance(50))
			x = sqrt(x);
		created = start + (time_t)((double)(anchor - start) * x);
		if (created >= anchor)
			created = anchor - rnd(60, 6 * HOUR);
		gen_lead(&g, created, (int)n + 1);
	}
	gen_check(&g, store_commit(g.s, &cause), cause);
	store_close(g.s);
	return g.errors > 0;
}

/* Move a copy's clock so that its latest event was within the last day. */
static int
gen_shift(const char *path)
{
	struct store_open_opts opts = { .busy_timeout_ms = 5000 };
	struct store *s = NULL;
	char *cause = NULL, *anchor = NULL;
	time_t then, now = time(NULL);
	long days;
	int rc = 1;

	if (store_open(path, &opts, &s, &cause) != STORE_OK)
		goto out;
	if (store_meta_get(s, "demo_anchor", &anchor, &cause) != STORE_OK)
		goto out;
	if (anchor == NULL || (then = (time_t)atoll(anchor)) <= 0) {
		xasprintf(&cause, "%s is not a demo file (no anchor)", path);
		goto out;
	}
	days = (long)((now - then) / DAY);
	if (store_shift_times(s, days * DAY, &cause) != STORE_OK)
		goto out;
	rc = 0;
out:
	if (cause != NULL)
		fprintf(stderr, "smkgen: %s\n", cause);
	free(cause);
	free(anchor);
	if (s != NULL)
		store_close(s);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *out = NULL, *anchor_text = "2026-11-20T15:00:00Z";
	const char *playbook = NULL;
	struct score_set *scores = NULL;
	struct config cfg;
	uint64_t seed = 2026;
	long nleads = 3000;
	int months = 15, i, rc;
	time_t anchor;
	char *cause = NULL, buf[32];
	struct store *s;
	struct store_open_opts opts = { .busy_timeout_ms = 5000 };

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--shift-to-now") == 0 && i + 1 < argc)
			return gen_shift(argv[i + 1]);
		if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--anchor") == 0 && i + 1 < argc)
			anchor_text = argv[++i];
		else if (strcmp(argv[i], "--leads") == 0 && i + 1 < argc)
			nleads = atol(argv[++i]);
		else if (strcmp(argv[i], "--months") == 0 && i + 1 < argc)
			months = atoi(argv[++i]);
		else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			playbook = argv[++i];
		else {
			fprintf(stderr, "usage: smkgen --out FILE [--seed N] "
			    "[--anchor TIME] [--leads N] [--months N] "
			    "[--config PLAYBOOK] | "
			    "--shift-to-now FILE\n");
			return 1;
		}
	}
	if (out == NULL || when_parse(anchor_text, &anchor, &cause) != 0) {
		fprintf(stderr, "smkgen: %s\n", cause != NULL ? cause :
		    "--out FILE is required");
		free(cause);
		return 1;
	}
	config_defaults(&cfg);
	if (playbook != NULL && (config_load_playbook(&cfg, playbook, NULL,
	    NULL, &cause) != 0 || (scores = score_compile(&cfg,
	    &cause)) == NULL)) {
		fprintf(stderr, "smkgen: %s: %s\n", playbook, cause);
		return 1;
	}
	rc = gen_build(out, seed, anchor, nleads, months, scores,
	    cfg.mql_threshold);
	score_free(scores);
	config_free(&cfg);
	if (rc != 0)
		return rc;
	if (store_open(out, &opts, &s, &cause) != STORE_OK) {
		fprintf(stderr, "smkgen: %s\n", cause);
		return 1;
	}
	snprintf(buf, sizeof buf, "%lld", (long long)anchor);
	rc = store_meta_set(s, "demo_anchor", buf, &cause) != STORE_OK;
	store_close(s);
	return rc;
}
