/*
 * Output of tables for the command line: aligned text, CSV (through libcsv,
 * with spreadsheet formulas neutralised) and JSON. Rows stream: CSV and JSON
 * are written as they come; only the aligned table buffers, to measure its
 * columns. Cells are sanitized before they are written.
 *
 * A column name may end in ":n" to mark it numeric: right-aligned in tables,
 * a bare number (or null when empty) in JSON, never neutralised in CSV.
 */
#ifndef SMK_FMT_H
#define SMK_FMT_H

#include <stddef.h>
#include <stdio.h>

enum fmt_kind { FMT_TABLE, FMT_CSV, FMT_JSON, FMT_MD };

/* "table", "csv", "json" or "md"; -1 with *cause otherwise. */
int	 fmt_parse(const char *name, enum fmt_kind *, char **cause);

struct fmt;
struct fmt *fmt_open(enum fmt_kind, const char *const *columns, size_t ncols,
	    FILE *out);
/* One row of ncols cells; a NULL cell is empty. Cells are copied. */
void	 fmt_put(struct fmt *, const char *const *cells);
/* Write what is buffered, the closing bracket for JSON, and free. */
void	 fmt_close(struct fmt *);

/* A CSV field that a spreadsheet would run as a formula gets a leading '. */
char	*fmt_csv_neutralise(const char *);

#endif
