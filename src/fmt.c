/*
 * Tables for the command line: aligned text, Markdown, CSV and JSON. CSV and
 * JSON stream row by row; text and Markdown buffer to measure their columns.
 * Every cell is sanitized on the way in, so nothing a user typed into the
 * database can drive the terminal that reads our output.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "smk/fmt.h"
#include "smk/text.h"
#include "smk/xmalloc.h"

struct fmt {
	enum fmt_kind	 kind;
	FILE		*out;
	size_t		 ncols;
	char		**names;
	bool		*numeric;
	char		**cells;	/* table, md: nrows * ncols */
	size_t		 nrows;
	size_t		 alloc;		/* rows allocated */
	size_t		 written;	/* json: rows so far */
};

int
fmt_parse(const char *name, enum fmt_kind *kind, char **cause)
{
	static const struct {
		const char	*name;
		enum fmt_kind	 kind;
	} names[] = {
		{ "table", FMT_TABLE }, { "csv", FMT_CSV },
		{ "json", FMT_JSON }, { "md", FMT_MD }
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(name, names[i].name) == 0) {
			*kind = names[i].kind;
			return 0;
		}
	}
	xasprintf(cause, "unknown format \"%s\" (use table, csv or json)",
	    name);
	return -1;
}

char *
fmt_csv_neutralise(const char *s)
{
	char *out;

	if (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
	    s[0] == '\t' || s[0] == '\r') {
		xasprintf(&out, "'%s", s);
		return out;
	}
	return xstrdup(s);
}

static void
fmt_csv_field(struct fmt *f, const char *s, bool numeric, bool last)
{
	char *safe = numeric ? xstrdup(s) : fmt_csv_neutralise(s);
	size_t len = strlen(safe);

	/* Quote only what needs it, so plain rows stay easy to grep. */
	if (strpbrk(safe, ",\"\r\n") != NULL || (len > 0 &&
	    (safe[0] == ' ' || safe[len - 1] == ' ')))
		csv_fwrite(f->out, safe, len);
	else
		fputs(safe, f->out);
	fputs(last ? "\r\n" : ",", f->out);
	free(safe);
}

static void
fmt_json_string(FILE *out, const char *s)
{
	const unsigned char *p;

	fputc('"', out);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

static void
fmt_json_row(struct fmt *f, char *const *cells)
{
	size_t i;

	fputs(f->written++ == 0 ? "\n  {" : ",\n  {", f->out);
	for (i = 0; i < f->ncols; i++) {
		if (i > 0)
			fputs(", ", f->out);
		fmt_json_string(f->out, f->names[i]);
		fputs(": ", f->out);
		if (f->numeric[i] && cells[i][0] == '\0')
			fputs("null", f->out);
		else if (f->numeric[i])
			fputs(cells[i], f->out);
		else
			fmt_json_string(f->out, cells[i]);
	}
	fputc('}', f->out);
}

struct fmt *
fmt_open(enum fmt_kind kind, const char *const *columns, size_t ncols,
    FILE *out)
{
	struct fmt *f = xcalloc(1, sizeof *f);
	size_t i, len;

	f->kind = kind;
	f->out = out;
	f->ncols = ncols;
	f->names = xcalloc(ncols, sizeof *f->names);
	f->numeric = xcalloc(ncols, sizeof *f->numeric);
	for (i = 0; i < ncols; i++) {
		len = strlen(columns[i]);
		if (len > 2 && strcmp(columns[i] + len - 2, ":n") == 0) {
			f->numeric[i] = true;
			len -= 2;
		}
		f->names[i] = xstrndup(columns[i], len);
	}
	if (kind == FMT_CSV) {
		for (i = 0; i < ncols; i++)
			fmt_csv_field(f, f->names[i], true, i + 1 == ncols);
	} else if (kind == FMT_JSON)
		fputc('[', out);
	return f;
}

void
fmt_put(struct fmt *f, const char *const *cells)
{
	char **row;
	size_t i;

	row = xcalloc(f->ncols, sizeof *row);
	for (i = 0; i < f->ncols; i++)
		row[i] = text_sanitize(cells[i] != NULL ? cells[i] : "");
	switch (f->kind) {
	case FMT_CSV:
		for (i = 0; i < f->ncols; i++)
			fmt_csv_field(f, row[i], f->numeric[i],
			    i + 1 == f->ncols);
		break;
	case FMT_JSON:
		fmt_json_row(f, row);
		break;
	case FMT_TABLE:
	case FMT_MD:
		if (f->nrows == f->alloc) {
			f->alloc = f->alloc == 0 ? 64 : f->alloc * 2;
			f->cells = xreallocarray(f->cells, f->alloc * f->ncols,
			    sizeof *f->cells);
		}
		memcpy(f->cells + f->nrows * f->ncols, row,
		    f->ncols * sizeof *row);
		f->nrows++;
		free(row);
		return;
	}
	for (i = 0; i < f->ncols; i++)
		free(row[i]);
	free(row);
}

static void
fmt_pad(FILE *out, const char *s, int width, bool right)
{
	int pad = width - text_width(s);

	if (right)
		fprintf(out, "%*s%s", pad > 0 ? pad : 0, "", s);
	else
		fprintf(out, "%s%*s", s, pad > 0 ? pad : 0, "");
}

/* The last cell of a line: padded on the left only, blanks cut. */
static void
fmt_last(FILE *out, const char *s, int width, bool right)
{
	size_t len = strlen(s);

	if (right)
		fprintf(out, "%*s", width - text_width(s) > 0 ? width -
		    text_width(s) : 0, "");
	while (len > 0 && s[len - 1] == ' ')
		len--;
	fwrite(s, 1, len, out);
}

/* A Markdown cell: a | in the text would end it. */
static char *
fmt_md_cell(const char *s)
{
	char *out = xmalloc(strlen(s) * 2 + 1), *p = out;

	for (; *s != '\0'; s++) {
		if (*s == '|')
			*p++ = '\\';
		*p++ = *s;
	}
	*p = '\0';
	return out;
}

static void
fmt_aligned_row(struct fmt *f, char *const *row, const int *width, bool md)
{
	size_t i, n = f->ncols;
	char *cell;

	/* No trailing blanks: empty cells at the end are not padded out. */
	while (!md && n > 0 && row[n - 1][0] == '\0')
		n--;
	if (md)
		fputs("| ", f->out);
	for (i = 0; i < n; i++) {
		if (i > 0)
			fputs(md ? " | " : "  ", f->out);
		if (md) {
			cell = fmt_md_cell(row[i]);
			fmt_pad(f->out, cell, width[i], f->numeric[i]);
			free(cell);
		} else if (i + 1 == n)
			fmt_last(f->out, row[i], width[i], f->numeric[i]);
		else
			fmt_pad(f->out, row[i], width[i], f->numeric[i]);
	}
	fputs(md ? " |\n" : "\n", f->out);
}

static void
fmt_write_aligned(struct fmt *f)
{
	bool md = f->kind == FMT_MD;
	int *width = xcalloc(f->ncols, sizeof *width);
	size_t r, i;
	int w;

	for (i = 0; i < f->ncols; i++)
		width[i] = text_width(f->names[i]);
	for (r = 0; r < f->nrows; r++) {
		for (i = 0; i < f->ncols; i++) {
			w = text_width(f->cells[r * f->ncols + i]);
			if (w > width[i])
				width[i] = w;
		}
	}
	fmt_aligned_row(f, f->names, width, md);
	if (md) {
		fputc('|', f->out);
		for (i = 0; i < f->ncols; i++) {
			fputs(f->numeric[i] ? " " : " :", f->out);
			for (w = 0; w < width[i] - 1; w++)
				fputc('-', f->out);
			fputs(f->numeric[i] ? ": |" : " |", f->out);
		}
		fputc('\n', f->out);
	}
	for (r = 0; r < f->nrows; r++)
		fmt_aligned_row(f, f->cells + r * f->ncols, width, md);
	free(width);
}

void
fmt_close(struct fmt *f)
{
	size_t i;

	if (f == NULL)
		return;
	if (f->kind == FMT_JSON)
		fputs(f->written > 0 ? "\n]\n" : "]\n", f->out);
	else if (f->kind == FMT_TABLE || f->kind == FMT_MD)
		fmt_write_aligned(f);
	for (i = 0; i < f->nrows * f->ncols; i++)
		free(f->cells[i]);
	free(f->cells);
	for (i = 0; i < f->ncols; i++)
		free(f->names[i]);
	free(f->names);
	free(f->numeric);
	free(f);
}
