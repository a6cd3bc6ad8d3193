/*
 * Tests for the command line's tables (src/fmt.c): what each kind writes
 * for cells a user's data can hold, into a memory stream.
 */
#include "testutil.h"

#include "smk/fmt.h"

/* The text fmt writes for rows (n of them) under columns. */
static char *
fmt_text(enum fmt_kind kind, const char *const *columns, size_t ncols,
    const char *const *rows, size_t n)
{
	struct fmt *f;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *out;

	out = open_memstream(&buf, &len);
	assert_non_null(out);
	f = fmt_open(kind, columns, ncols, out);
	for (i = 0; i < n; i++)
		fmt_put(f, rows + i * ncols);
	fmt_close(f);
	fclose(out);
	return buf;
}

static const char *const cols[] = { "id:n", "email", "note" };

/* A table ends its lines without blanks, whatever its last cells hold. */
static void
test_table_no_trailing_blanks(void **state)
{
	const char *const rows[] = {
		"1", "a@x.example", NULL,
		"22", "bob@x.example", "called",
	};
	char *text, *line, *save = NULL;

	(void)state;
	text = fmt_text(FMT_TABLE, cols, 3, rows, 2);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		assert_true(line[strlen(line) - 1] != ' ');
	free(text);
}

/* A | in a Markdown cell would end the cell: it is escaped. */
static void
test_md_escapes_bars(void **state)
{
	const char *const rows[] = { "3", "pi|pe@x.example", "a|b" };
	char *text;

	(void)state;
	text = fmt_text(FMT_MD, cols, 3, rows, 1);
	assert_non_null(strstr(text, "| pi\\|pe@x.example | a\\|b |\n"));
	assert_null(strstr(text, "pi|pe"));
	free(text);
}

/* CSV: formulas are neutralised; JSON: numbers bare, text quoted. */
static void
test_csv_and_json(void **state)
{
	const char *const rows[] = { "4", "=cmd@x.example", "+1 555" };
	char *text;

	(void)state;
	text = fmt_text(FMT_CSV, cols, 3, rows, 1);
	assert_non_null(strstr(text, "4,'=cmd@x.example,'+1 555"));
	free(text);
	text = fmt_text(FMT_JSON, cols, 3, rows, 1);
	assert_non_null(strstr(text, "\"id\": 4"));
	assert_non_null(strstr(text, "\"note\": \"+1 555\""));
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_no_trailing_blanks),
		cmocka_unit_test(test_md_escapes_bars),
		cmocka_unit_test(test_csv_and_json),
	};
	int rc;

	rc = cmocka_run_group_tests(tests, NULL, NULL);
	test_cleanup();
	return rc;
}
