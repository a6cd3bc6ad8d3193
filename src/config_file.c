/*
 * One INI file being read: its text, an index of its [section] and key =
 * lines (iniparser keeps no line numbers), iniparser itself with its error
 * hook, and the messages about the file, handed over sorted by line. Knows
 * nothing of what the options mean.
 */
#include <sys/stat.h>

#include <errno.h>
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
	l->text = xmalloc(CONFIG_MAXFILE + 1);
	n = fread(l->text, 1, CONFIG_MAXFILE, f);
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

/* The line of [section] (key NULL: its first header), or 0. */
int
config_line_of(const struct config_load *l, const char *section,
    const char *key)
{
	size_t i;
	int found = 0;

	for (i = 0; i < l->nlines; i++) {
		const struct config_line *cl = &l->lines[i];

		if (strcmp(cl->section, section) != 0)
			continue;
		if (key == NULL && cl->key == NULL)
			return cl->lineno;
		if (key != NULL && cl->key != NULL && strcmp(cl->key, key) == 0)
			found = cl->lineno;	/* iniparser keeps the last */
	}
	return found;
}

static int
config_cmp_line(const void *a, const void *b)
{
	const struct config_line *x = *(const struct config_line *const *)a;
	const struct config_line *y = *(const struct config_line *const *)b;
	int c;

	if ((c = strcmp(x->section, y->section)) != 0)
		return c;
	if ((c = strcmp(x->key, y->key)) != 0)
		return c;
	return (x->lineno > y->lineno) - (x->lineno < y->lineno);
}

/* A key set twice is legal INI, but only the last one counts: say so. */
void
config_duplicates(struct config_load *l)
{
	struct config_line **keys;
	size_t i, n = 0;
	char *sec, *key;

	keys = xcalloc(l->nlines + 1, sizeof *keys);
	for (i = 0; i < l->nlines; i++) {
		if (l->lines[i].key != NULL)
			keys[n++] = &l->lines[i];
	}
	qsort(keys, n, sizeof *keys, config_cmp_line);
	for (i = 1; i < n; i++) {
		if (strcmp(keys[i]->section, keys[i - 1]->section) != 0 ||
		    strcmp(keys[i]->key, keys[i - 1]->key) != 0)
			continue;
		sec = config_safe(keys[i]->section);
		key = config_safe(keys[i]->key);
		config_msg(l, keys[i]->lineno, "[%s] %s is set again (also "
		    "on line %d); the last one counts", sec, key,
		    keys[i - 1]->lineno);
		free(sec);
		free(key);
	}
	free(keys);
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
