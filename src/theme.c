/*
 * Themes: which colours and attributes each semantic role gets. Owns the
 * role names of themes/NAME.ini, the built-in default, the search path, and the
 * mapping to curses pairs (with NO_COLOR, monochrome and 8-colour fallbacks).
 * Must not draw anything; only theme_apply touches curses.
 */
#include <curses.h>
#include <iniparser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "smk/text.h"
#include "smk/theme.h"
#include "smk/xmalloc.h"

#ifndef SMK_DATADIR
#define SMK_DATADIR "/usr/local/share/smk"
#endif

#define D	THEME_DEFAULT_COLOR

/*
 * Per role: its name in theme files, the built-in colours, and the
 * attributes that keep it readable without colour (NO_COLOR, mono).
 */
static const struct {
	const char		*name;
	struct theme_style	 builtin;
	unsigned		 mono;
} theme_roles[ROLE__COUNT] = {
	[ROLE_NORMAL] = { "normal", { D, D, 0 }, 0 },
	[ROLE_TITLE] = { "title", { D, D, THEME_BOLD }, THEME_BOLD },
	[ROLE_STATUS] = { "status", { COLOR_BLACK, COLOR_CYAN, 0 },
	    THEME_REVERSE },
	[ROLE_STATUS_READONLY] = { "status_readonly",
	    { COLOR_WHITE, COLOR_RED, THEME_BOLD },
	    THEME_REVERSE | THEME_BOLD },
	[ROLE_MESSAGE] = { "message", { D, D, 0 }, 0 },
	[ROLE_ERROR] = { "error", { COLOR_RED, D, THEME_BOLD }, THEME_BOLD },
	[ROLE_HINT] = { "hint", { D, D, THEME_DIM }, THEME_DIM },
	[ROLE_COLUMN_MARKETING] = { "column_marketing",
	    { COLOR_MAGENTA, D, THEME_BOLD }, THEME_BOLD },
	[ROLE_COLUMN_SHARED] = { "column_shared",
	    { COLOR_YELLOW, D, THEME_BOLD }, THEME_BOLD | THEME_UNDERLINE },
	[ROLE_COLUMN_SALES] = { "column_sales",
	    { COLOR_BLUE, D, THEME_BOLD }, THEME_UNDERLINE },
	[ROLE_COLUMN_EXIT] = { "column_exit", { D, D, THEME_DIM }, THEME_DIM },
	[ROLE_COLUMN_SELECTED] = { "column_selected",
	    { COLOR_BLACK, COLOR_WHITE, THEME_BOLD },
	    THEME_REVERSE | THEME_BOLD },
	[ROLE_CARD] = { "card", { D, D, 0 }, 0 },
	[ROLE_CARD_DIM] = { "card_dim", { D, D, THEME_DIM }, THEME_DIM },
	[ROLE_CARD_SELECTED] = { "card_selected",
	    { COLOR_BLACK, COLOR_CYAN, 0 }, THEME_REVERSE },
	[ROLE_CARD_SCORE] = { "card_score", { COLOR_GREEN, D, 0 }, 0 },
	[ROLE_CARD_BREACHED] = { "card_breached",
	    { COLOR_RED, D, THEME_BOLD }, THEME_BOLD | THEME_UNDERLINE },
	[ROLE_BADGE_RUNNING] = { "badge_running", { COLOR_GREEN, D, 0 }, 0 },
	[ROLE_BADGE_DUE_SOON] = { "badge_due_soon",
	    { COLOR_YELLOW, D, THEME_BOLD }, THEME_BOLD },
	[ROLE_BADGE_BREACHED] = { "badge_breached",
	    { COLOR_WHITE, COLOR_RED, THEME_BOLD },
	    THEME_REVERSE | THEME_BOLD },
	[ROLE_BADGE_MET] = { "badge_met", { D, D, THEME_DIM }, THEME_DIM },
	[ROLE_LABEL] = { "label", { COLOR_CYAN, D, 0 }, THEME_BOLD },
	[ROLE_KEY] = { "key", { COLOR_YELLOW, D, THEME_BOLD }, THEME_BOLD },
	[ROLE_MENU] = { "menu", { COLOR_BLACK, COLOR_WHITE, 0 }, 0 },
	[ROLE_MENU_SELECTED] = { "menu_selected",
	    { COLOR_WHITE, COLOR_BLUE, THEME_BOLD }, THEME_REVERSE },
};

#undef D

static const char *theme_color_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"
};

static unsigned long theme_attrs[ROLE__COUNT];

const char *
theme_role_name(enum theme_role r)
{
	return r < ROLE__COUNT ? theme_roles[r].name : "?";
}

int
theme_role_from_name(const char *name)
{
	int r;

	for (r = 0; r < ROLE__COUNT; r++) {
		if (text_casecmp(theme_roles[r].name, name) == 0)
			return r;
	}
	return -1;
}

int
theme_color_parse(const char *s)
{
	int i, n;
	char end;

	if (text_casecmp(s, "default") == 0)
		return THEME_DEFAULT_COLOR;
	for (i = 0; i < 8; i++) {
		if (text_casecmp(s, theme_color_names[i]) == 0)
			return i;
		if (strncmp(s, "bright", 6) == 0 &&
		    text_casecmp(s + 6, theme_color_names[i]) == 0)
			return i + 8;
	}
	if (strncmp(s, "color", 5) == 0 &&
	    sscanf(s + 5, "%d%c", &n, &end) == 1 && n >= 0 && n <= 255)
		return n;
	return -2;
}

static int
theme_attr_parse(const char *s)
{
	static const struct {
		const char	*name;
		unsigned	 attr;
	} names[] = {
		{ "bold", THEME_BOLD }, { "underline", THEME_UNDERLINE },
		{ "reverse", THEME_REVERSE }, { "dim", THEME_DIM },
		{ "normal", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (text_casecmp(names[i].name, s) == 0)
			return (int)names[i].attr;
	}
	return -1;
}

/*
 * "FG [on] [BG] [attr ...]", space or comma separated: the first colour is
 * the foreground, the second the background. -1 with the bad word in *bad.
 */
static int
theme_style_parse(const char *value, struct theme_style *st, char **bad)
{
	char *copy = xstrdup(value), *tok, *save = NULL;
	int ncolors = 0, c, a, rc = 0;

	st->fg = st->bg = THEME_DEFAULT_COLOR;
	st->attrs = 0;
	for (tok = strtok_r(copy, " ,\t", &save); tok != NULL;
	    tok = strtok_r(NULL, " ,\t", &save)) {
		if (text_casecmp(tok, "on") == 0)
			continue;
		if ((c = theme_color_parse(tok)) != -2 && ncolors < 2) {
			if (ncolors++ == 0)
				st->fg = (short)c;
			else
				st->bg = (short)c;
		} else if ((a = theme_attr_parse(tok)) != -1)
			st->attrs |= (unsigned)a;
		else {
			*bad = xstrdup(tok);
			rc = -1;
			break;
		}
	}
	free(copy);
	return rc;
}

void
theme_builtin(struct theme *t)
{
	int r;

	t->name = xstrdup("default");
	for (r = 0; r < ROLE__COUNT; r++)
		t->style[r] = theme_roles[r].builtin;
}

void
theme_free(struct theme *t)
{
	free(t->name);
	t->name = NULL;
}

static void
theme_warn(theme_warn_cb warn, void *arg, const char *fmt, const char *path,
    const char *key, const char *what)
{
	char *msg;

	if (warn == NULL)
		return;
	xasprintf(&msg, fmt, path, key, what);
	warn(msg, arg);
	free(msg);
}

int
theme_load_file(struct theme *t, const char *path, theme_warn_cb warn,
    void *arg, char **cause)
{
	dictionary *d;
	const char **keys;
	const char *key, *value;
	char *bad;
	struct theme_style st;
	int n, i, r;

	if (access(path, R_OK) != 0 || (d = iniparser_load(path)) == NULL) {
		xasprintf(cause, "%s: cannot read the theme file", path);
		return -1;
	}
	n = iniparser_getsecnkeys(d, "colors");
	keys = xcalloc(n > 0 ? (size_t)n : 1, sizeof *keys);
	if (n > 0)
		iniparser_getseckeys(d, "colors", keys);
	for (i = 0; i < n; i++) {
		key = keys[i] + strlen("colors:");
		value = iniparser_getstring(d, keys[i], "");
		if ((r = theme_role_from_name(key)) == -1) {
			theme_warn(warn, arg, "%s: [colors] %s: %s", path, key,
			    "no such role; ignored");
			continue;
		}
		bad = NULL;
		if (theme_style_parse(value, &st, &bad) != 0) {
			theme_warn(warn, arg, "%s: [colors] %s: \"%s\" is not "
			    "a colour or attribute; role left as it was", path,
			    key, bad);
			free(bad);
			continue;
		}
		t->style[r] = st;
	}
	free(keys);
	iniparser_freedict(d);
	return 0;
}

/* A theme name must not climb out of the themes folder. */
static int
theme_name_ok(const char *name)
{
	const char *p;

	if (*name == '\0' || *name == '.')
		return 0;
	for (p = name; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.'))
			return 0;
	}
	return 1;
}

int
theme_load(struct theme *t, const char *name, theme_warn_cb warn, void *arg,
    char **cause)
{
	const char *dirs[] = { "themes", SMK_DATADIR "/themes" };
	char *path;
	size_t i;
	int rc;

	theme_builtin(t);
	if (name == NULL || *name == '\0' || strcmp(name, "default") == 0)
		name = "default";
	if (strchr(name, '/') != NULL)
		return theme_load_file(t, name, warn, arg, cause);
	if (!theme_name_ok(name)) {
		xasprintf(cause, "theme \"%s\": not a theme name", name);
		return -1;
	}
	for (i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		xasprintf(&path, "%s/%s.ini", dirs[i], name);
		if (access(path, R_OK) == 0) {
			free(t->name);
			t->name = xstrdup(name);
			rc = theme_load_file(t, path, warn, arg, cause);
			free(path);
			return rc;
		}
		free(path);
	}
	if (strcmp(name, "default") == 0)
		return 0;	/* the built-in one is the default */
	xasprintf(cause, "theme \"%s\" not found in ./themes or %s/themes; "
	    "using the default", name, SMK_DATADIR);
	return -1;
}

/* Map a 256-colour index to the nearest of the 8 basic ones. */
static short
theme_color_down(short c, unsigned *attrs, bool fg)
{
	int r, g, b, v;

	if (c < 8)
		return c;
	if (c < 16) {
		if (fg)
			*attrs |= THEME_BOLD;
		return (short)(c - 8);
	}
	if (c >= 232) {
		v = c - 232;
		return v < 12 ? COLOR_BLACK : COLOR_WHITE;
	}
	c -= 16;
	r = c / 36 >= 3;
	g = (c / 6) % 6 >= 3;
	b = c % 6 >= 3;
	return (short)(r | g << 1 | b << 2);
}

static unsigned long
theme_curses_attrs(unsigned a)
{
	unsigned long out = A_NORMAL;

	if (a & THEME_BOLD)
		out |= A_BOLD;
	if (a & THEME_UNDERLINE)
		out |= A_UNDERLINE;
	if (a & THEME_REVERSE)
		out |= A_REVERSE;
	if (a & THEME_DIM)
		out |= A_DIM;
	return out;
}

void
theme_apply(const struct theme *t)
{
	const char *nc = getenv("NO_COLOR");
	bool color, dflt = false;
	struct theme_style st;
	int r;

	color = (nc == NULL || *nc == '\0') && has_colors() &&
	    strcmp(t->name, "mono") != 0;
	if (color) {
		start_color();
		dflt = use_default_colors() == OK;
		color = COLOR_PAIRS > ROLE__COUNT;
	}
	for (r = 0; r < ROLE__COUNT; r++) {
		if (!color) {
			theme_attrs[r] = theme_curses_attrs(theme_roles[r].mono);
			continue;
		}
		st = t->style[r];
		if (st.fg >= COLORS)
			st.fg = theme_color_down(st.fg, &st.attrs, true);
		if (st.bg >= COLORS)
			st.bg = theme_color_down(st.bg, &st.attrs, false);
		if (!dflt && st.fg < 0)
			st.fg = COLOR_WHITE;
		if (!dflt && st.bg < 0)
			st.bg = COLOR_BLACK;
		init_pair((short)(r + 1), st.fg, st.bg);
		theme_attrs[r] = COLOR_PAIR(r + 1) | theme_curses_attrs(st.attrs);
	}
}

unsigned long
theme_attr(enum theme_role r)
{
	return r < ROLE__COUNT ? theme_attrs[r] : A_NORMAL;
}
