/*
 * Colours as semantic roles. Draw code asks for the attributes of a role
 * (theme_attr(ROLE_CARD_BREACHED)) and never names a colour or a pair; a
 * theme file (themes/NAME.ini) maps roles to colours. Loading is pure (no
 * curses) so that it can be tested; theme_apply turns a theme into curses
 * pairs, honouring NO_COLOR and terminals with only 8 colours.
 */
#ifndef SMK_THEME_H
#define SMK_THEME_H

#include <stdbool.h>

/* Named ROLE_* as in the style guide; none clashes with enum role. */
enum theme_role {
	ROLE_NORMAL,
	ROLE_TITLE,
	ROLE_STATUS,
	ROLE_STATUS_READONLY,
	ROLE_MESSAGE,
	ROLE_ERROR,
	ROLE_HINT,
	ROLE_COLUMN_MARKETING,
	ROLE_COLUMN_SHARED,
	ROLE_COLUMN_SALES,
	ROLE_COLUMN_EXIT,
	ROLE_COLUMN_SELECTED,
	ROLE_CARD,
	ROLE_CARD_DIM,
	ROLE_CARD_SELECTED,
	ROLE_CARD_SCORE,
	ROLE_CARD_BREACHED,
	ROLE_BADGE_RUNNING,
	ROLE_BADGE_DUE_SOON,
	ROLE_BADGE_BREACHED,
	ROLE_BADGE_MET,
	ROLE_LABEL,
	ROLE_KEY,
	ROLE_MENU,
	ROLE_MENU_SELECTED,
	ROLE__COUNT
};

#define THEME_BOLD	0x1
#define THEME_UNDERLINE	0x2
#define THEME_REVERSE	0x4
#define THEME_DIM	0x8

#define THEME_DEFAULT_COLOR	(-1)	/* the terminal's own colour */

struct theme_style {
	short		 fg;	/* 0..255 or THEME_DEFAULT_COLOR */
	short		 bg;
	unsigned	 attrs;	/* THEME_* */
};

struct theme {
	char			*name;
	struct theme_style	 style[ROLE__COUNT];
};

typedef void (*theme_warn_cb)(const char *msg, void *arg);

const char *theme_role_name(enum theme_role);
/* -1 when unknown. */
int	 theme_role_from_name(const char *);
/* "red", "brightblue", "color208", "default" to a colour; -2 if unknown. */
int	 theme_color_parse(const char *);

/* The built-in default theme. */
void	 theme_builtin(struct theme *);
/*
 * Overlay the file at path on t. Unknown roles or bad values are warned
 * about (naming file, line and role) and skipped. -1 with *cause when the
 * file cannot be read.
 */
int	 theme_load_file(struct theme *, const char *path, theme_warn_cb,
	    void *arg, char **cause);
/*
 * Load theme name (or a path to a .ini file): ./themes/NAME.ini, then
 * SMK_DATADIR/themes/NAME.ini. When none is found t holds the built-in
 * theme and -1 is returned with *cause.
 */
int	 theme_load(struct theme *, const char *name, theme_warn_cb,
	    void *arg, char **cause);
void	 theme_free(struct theme *);

/* Curses: make pairs for t (after initscr). Keeps a copy of the styles. */
void	 theme_apply(const struct theme *);
/* The curses attributes (pair and A_*) for a role, after theme_apply. */
unsigned long theme_attr(enum theme_role);

#endif
