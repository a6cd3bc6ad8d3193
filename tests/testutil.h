/*
 * Shared helpers for the cmocka tests: a private temporary directory per
 * test binary and paths inside it, the team's zone and instants from --at
 * values. Header-only so that each test stays one file.
 */
#ifndef SMK_TESTUTIL_H
#define SMK_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "smk/when.h"

static char testutil_dir[256];

/* Make (once) and return a fresh temporary directory for this binary. */
static inline const char *
test_tmpdir(void)
{
	if (testutil_dir[0] == '\0') {
		const char *base = getenv("TMPDIR");
		snprintf(testutil_dir, sizeof testutil_dir, "%s/smktest.XXXXXX",
		    base != NULL ? base : "/tmp");
		if (mkdtemp(testutil_dir) == NULL)
			abort();
	}
	return testutil_dir;
}

/* A path inside the temporary directory; caller frees. */
static inline char *
test_path(const char *name)
{
	const char *dir = test_tmpdir();
	size_t len = strlen(dir) + strlen(name) + 2;
	char *p = malloc(len);
	if (p == NULL)
		abort();
	snprintf(p, len, "%s/%s", dir, name);
	return p;
}

/* Write text to a file in the temporary directory; returns its path. */
static inline char *
test_write_file(const char *name, const char *text)
{
	char *p = test_path(name);
	FILE *f = fopen(p, "w");
	if (f == NULL)
		abort();
	fputs(text, f);
	fclose(f);
	return p;
}

/* Set the team's zone ("America/New_York"), or fail the test. */
static inline void
test_zone(const char *name)
{
	char *cause = NULL;

	if (when_set_zone(name, &cause) != 0) {
		print_error("when_set_zone(%s): %s\n", name, cause);
		free(cause);
		fail();
	}
}

/*
 * The instant a --at value names ("2026-11-20 16:00" in the team's zone,
 * or "2026-11-20T21:00:00Z"), or fail the test.
 */
static inline time_t
test_at(const char *s)
{
	char *cause = NULL;
	time_t t = 0;

	if (when_parse(s, &t, &cause) != 0) {
		print_error("when_parse(%s): %s\n", s, cause);
		free(cause);
		fail();
	}
	return t;
}

/* Remove the temporary directory and what is in it. */
/*
 * A small generator of 0..n-1 (a 64-bit LCG's high bits), seeded by the
 * caller, so that a random history is the same on every run.
 */
static inline unsigned long
test_rand(unsigned long *seed, unsigned long n)
{
	*seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
	return (*seed >> 33) % n;
}

static inline void
test_cleanup(void)
{
	char cmd[300];
	if (testutil_dir[0] == '\0')
		return;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", testutil_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", testutil_dir);
}

#endif
