/*
 * One INI file being read: its text, an index of its [section] and key =
 * lines (iniparser keeps no line numbers), iniparser itself with its error
 * hook, and the messages about the file, handed over sorted by line. Knows
 * nothing of what the options mean.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iniparser.h>

#include "smk/config.h"
#include "smk/xmalloc.h"

#include "config_int.h"

static struct config_load *config_loading;	/* for config_ini_error */

void
config_msg(struct config_load *l, int lineno, const char *fmt, ...)
{
	struct config_msg *m;
	va_list ap;

	l->msgs = xreallocarray(l->msgs, l->nmsgs + 1, sizeof *l->msgs);
	m = &l->msgs[l->nmsgs];
	m->lineno = lineno;
	m->seq = l->nmsgs++;
	va_start(ap, fmt);
	xvasprintf(&m->text, fmt, ap);
	va_end(ap);
}

static int
config_cmp_msg(const void *a, const void *b)
{
	const struct config_msg *x = a, *y = b;

	if (x->lineno != y->lineno)
		return (x->lineno > y->lineno) - (x->lineno < y->lineno);
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Hand the messages over in line order, and only so many of them. */
void
config_emit(struct config_load *l, config_warn_cb warn, void *arg)
{
	struct config_msg *m;
	char *text;
	size_t i;

	if (l->nmsgs > 1)
		qsort(l->msgs, l->nmsgs, sizeof *l->msgs, config_cmp_msg);
	for (i = 0; i < l->nmsgs && warn != NULL; i++) {
		m = &l->msgs[i];
		if (i == CONFIG_MAXWARN) {
			xasprintf(&text, "%s: %zu more problems not shown",
			    l->path, l->nmsgs - i);
			warn(text, arg);
			free(text);
			break;
		}
		if (m->lineno > 0)
			xasprintf(&text, "%s:%d: %s", l->path, m->lineno,
			    m->text);
		else
			xasprintf(&text, "%s: %s", l->path, m->text);
		warn(text, arg);
		free(text);
	}
	for (i = 0; i < l->nmsgs; i++)
		free(l->msgs[i].text);
	free(l->msgs);
	l->msgs = NULL;
	l->nmsgs = 0;
}

/* Returns 1 when read, 0 when there is no file, -1 on error. */
int
config_read(struct config_load *l, char **cause)
{
	struct stat sb;
	FILE *f;
	size_t n;

	if (stat(l->path, &sb) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		xasprintf(cause, "%s: %s", l->path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		xasprintf(cause, "%s: not a regular file", l->path);
		return -1;
	}
	if (sb.st_size > CONFIG_MAXFILE) {
		xasprintf(cause, "%s: larger than %d MB; not a config file?",
		    l->path, CONFIG_MAXFILE / 1024 / 1024);
		return -1;
	}
	if ((f = fopen(l->path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", l->path, strerror(errno));
		return -1;
	}
	l->text = xmalloc((size_t)sb.st_size + 1);
	n = fread(l->text, 1, (size_t)sb.st_size, f);
	if (ferror(f)) {
		xasprintf(cause, "%s: %s", l->path, strerror(errno));
		fclose(f);
		return -1;
	}
	fclose(f);
	l->text[n] = '\0';
	l->len = n;
	return 1;
}

/* Free what config_read, config_scan and iniparser left in l. */
void
config_release(struct config_load *l)
{
	size_t i;

	if (l->d != NULL)
		iniparser_freedict(l->d);
	for (i = 0; i < l->nlines; i++) {
		free(l->lines[i].section);
		free(l->lines[i].key);
	}
	free(l->lines);
	free(l->sorted);
	free(l->syntax);
	free(l->text);
}

/* Physical line lineno (from 1) of the file, without its newline. */
static char *
config_line_text(const struct config_load *l, int lineno)
{
	const char *p = l->text, *end = l->text + l->len, *nl;

	for (; lineno > 1 && p < end; lineno--) {
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			return xstrdup("");
		p = nl + 1;
	}
	nl = memchr(p, '\n', end - p);
	return xstrndup(p, nl != NULL ? (size_t)(nl - p) : (size_t)(end - p));
}

static void
config_add_line(struct config_load *l, const char *section, const char *key,
    int lineno)
{
	struct config_line *cl;

	l->lines = xreallocarray(l->lines, l->nlines + 1, sizeof *l->lines);
	cl = &l->lines[l->nlines++];
	cl->section = xstrdup(section);
	cl->key = key != NULL ? xstrdup(key) : NULL;
	if (key != NULL)
		config_lower(cl->key);
	config_lower(cl->section);
	cl->lineno = lineno;
}

/*
 * Index the [section] and key = lines the way iniparser reads them (trimmed,
 * lower-cased, a trailing backslash continues a line), to name lines in
 * messages; iniparser itself does not keep them.
 */
void
config_scan(struct config_load *l)
{
	const char *p = l->text, *end = l->text + l->len, *nl;
	char *line, *s, *e, *section = xstrdup("");
	bool cont = false, was;
	int lineno = 0;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', end - p);
		if (nl == NULL)
			nl = end;
		lineno++;
		line = xstrndup(p, nl - p);
		s = config_trim(line);
		was = cont;
		cont = *s != '\0' && s[strlen(s) - 1] == '\\';
		if (was || *s == '\0' || *s == '#' || *s == ';')
			;
		else if (*s == '[' && s[strlen(s) - 1] == ']') {
			if ((e = strchr(s, ']')) != NULL)
				*e = '\0';
			free(section);
			section = xstrdup(config_trim(s + 1));
			config_lower(section);
			config_add_line(l, section, NULL, lineno);
		} else if ((e = strchr(s, '=')) != NULL) {
			*e = '\0';
			config_add_line(l, section, config_trim(s), lineno);
		}
		free(line);
	}
	free(section);
}

/* Order lines by section, then key ([section] lines first), then line. */
static int
config_cmp_at(const char *section, const char *key, int lineno,
    const struct config_line *y)
{
	int c;

	if ((c = strcmp(section, y->section)) != 0)
		return c;
	if (key == NULL || y->key == NULL)
		c = (key != NULL) - (y->key != NULL);
	else
		c = strcmp(key, y->key);
	if (c != 0)
		return c;
	return (lineno > y->lineno) - (lineno < y->lineno);
}

static int
config_cmp_line(const void *a, const void *b)
{
	const struct config_line *x = *(const struct config_line *const *)a;
	const struct config_line *y = *(const struct config_line *const *)b;

	return config_cmp_at(x->section, x->key, x->lineno, y);
}

/*
 * The line of a key (the last one set: iniparser keeps the last) or of a
 * [section] (key NULL: the first header), or 0. A binary search, because a
 * hostile file can have many lines and many problems.
 */
int
config_line_of(const struct config_load *l, const char *section,
    const char *key)
{
	size_t lo = 0, hi = l->nlines, mid;
	int lineno = key == NULL ? 0 : INT_MAX;
	const struct config_line *cl;

	while (lo < hi) {	/* first entry after (section, key, lineno) */
		mid = lo + (hi - lo) / 2;
		if (config_cmp_at(section, key, lineno, l->sorted[mid]) >= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (key != NULL)
		lo--;	/* the last of them, if any */
	if (lo >= l->nlines)
		return 0;
	cl = l->sorted[lo];
	if (strcmp(cl->section, section) != 0 || (key == NULL) !=
	    (cl->key == NULL) || (key != NULL && strcmp(cl->key, key) != 0))
		return 0;
	return cl->lineno;
}

/*
 * Sort the line index for config_line_of, and report keys set twice: legal
 * INI, but only the last one counts.
 */
void
config_index(struct config_load *l)
{
	struct config_line **sorted;
	size_t i;
	char *sec, *key;

	sorted = xcalloc(l->nlines + 1, sizeof *sorted);
	for (i = 0; i < l->nlines; i++)
		sorted[i] = &l->lines[i];
	qsort(sorted, l->nlines, sizeof *sorted, config_cmp_line);
	l->sorted = sorted;
	for (i = 1; i < l->nlines; i++) {
		if (sorted[i]->key == NULL || sorted[i - 1]->key == NULL ||
		    strcmp(sorted[i]->section, sorted[i - 1]->section) != 0 ||
		    strcmp(sorted[i]->key, sorted[i - 1]->key) != 0)
			continue;
		sec = config_safe(sorted[i]->section);
		key = config_safe(sorted[i]->key);
		config_msg(l, sorted[i]->lineno, "[%s] %s is set again (also "
		    "on line %d); the last one counts", sec, key,
		    sorted[i - 1]->lineno);
		free(sec);
		free(key);
	}
}

/* iniparser's error hook: its messages name the file and "(line)". */
static int
config_ini_error(const char *fmt, ...)
{
	struct config_load *l = config_loading;
	char *msg, *p, *text, *q;
	va_list ap;
	int lineno = 0;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	if (l == NULL) {
		free(msg);
		return 0;
	}
	l->nsyntax++;
	if ((p = strstr(msg, l->path)) != NULL &&
	    sscanf(p + strlen(l->path), " (%d)", &lineno) != 1)
		lineno = 0;
	if (strstr(msg, "too long") != NULL)
		config_msg(l, lineno, "line longer than 1023 bytes");
	else if (strstr(msg, "syntax error") != NULL && lineno > 0) {
		text = config_line_text(l, lineno);
		q = config_quote(config_trim(text));
		config_msg(l, lineno, "%s is neither [section] nor key = value",
		    q);
		free(q);
		free(text);
	} else {
		q = config_safe(config_trim(msg));
		config_msg(l, lineno, "%s", q);
		free(q);
	}
	if (l->syntax == NULL)
		l->syntax = xstrdup(l->msgs[l->nmsgs - 1].text);
	free(msg);
	return 0;
}

dictionary *
config_ini_load(struct config_load *l)
{
	dictionary *d;

	config_loading = l;
	iniparser_set_error_callback(config_ini_error);
	d = iniparser_load(l->path);
	iniparser_set_error_callback(NULL);
	config_loading = NULL;
	return d;
}
