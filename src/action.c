/*
 * The action table and the keymap. Owns every action's name, help and
 * default keys, and the key-name syntax of the [keys] section. Must not run
 * actions (views do, through their own handler tables) or draw anything; it
 * uses curses only for the KEY_* codes.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "smk/action.h"
#include "smk/text.h"
#include "smk/xmalloc.h"

#define G	ACTION_SCOPE_GLOBAL
#define B	ACTION_SCOPE_BOARD
#define D	ACTION_SCOPE_DETAIL
#define H	ACTION_SCOPE_HELP
#define S	ACTION_SCOPE_SLA
#define FL	ACTION_SCOPE_FLOW
#define GO	ACTION_SCOPE_GOALS

static const struct action action_list[] = {
	{ ACTION_HELP, "help", G, false, "?, <F1>",
	  "Show every key and what it does" },
	{ ACTION_QUIT, "quit", G, false, "q",
	  "Close this view; on the board, quit" },
	{ ACTION_QUIT_NOW, "quit-now", G, false, "Q", "Quit smk at once" },
	{ ACTION_CLOSE, "close", D | H | S | FL | GO, false, "<Esc>, <Backspace>",
	  "Close this view" },
	{ ACTION_REDRAW, "redraw", G, false, "C-l",
	  "Reload the data and repaint the screen" },
	{ ACTION_MOVE_UP, "move-up", B | D | H | S | GO, false, "k, <Up>",
	  "Select the card above; scroll up" },
	{ ACTION_MOVE_DOWN, "move-down", B | D | H | S | GO, false, "j, <Down>",
	  "Select the card below; scroll down" },
	{ ACTION_MOVE_LEFT, "move-left", B | FL, false, "h, <Left>",
	  "Select the column (on the flow: the month) to the left" },
	{ ACTION_MOVE_RIGHT, "move-right", B | FL, false, "l, <Right>",
	  "Select the column (on the flow: the month) to the right" },
	{ ACTION_PAGE_UP, "page-up", B | D | H | S | GO, false, "<PgUp>, C-b",
	  "Scroll up a page" },
	{ ACTION_PAGE_DOWN, "page-down", B | D | H | S | GO, false,
	  "<PgDn>, C-f, <Space>", "Scroll down a page" },
	{ ACTION_MOVE_TOP, "move-top", B | D | H | S | FL | GO, false, "g, <Home>",
	  "Go to the top" },
	{ ACTION_MOVE_BOTTOM, "move-bottom", B | D | H | S | FL | GO, false,
	  "G, <End>", "Go to the bottom" },
	{ ACTION_OPEN, "open", B | S, false, "<Enter>",
	  "Open the selected lead: fields, timeline, notes" },
	{ ACTION_STAGE_NEXT, "stage-next", B | D, true, ">",
	  "Move the lead to the next stage" },
	{ ACTION_STAGE_BACK, "stage-back", B | D, true, "<",
	  "Move the lead back a stage (asks for a reason)" },
	{ ACTION_STAGE_EXIT, "stage-exit", B | D, true, "x",
	  "Recycle or disqualify the lead (asks for a reason)" },
	{ ACTION_LOG_ATTEMPT, "log-attempt", B | D, true, "a",
	  "Log an attempt, then c=call e=email m=meeting s=social" },
	{ ACTION_REASSIGN, "reassign", B | D, true, "r",
	  "Give the lead to another rep (managers)" },
	{ ACTION_LEAD_NEW, "lead-new", B, true, "n",
	  "Add a new lead (email, first, last, company)" },
	{ ACTION_SEARCH, "search", B, false, "/",
	  "Search by name, email or company (matches the start of words)" },
	{ ACTION_FILTER, "filter", B, false, "f",
	  "Filter by owner, source, or my leads" },
	{ ACTION_FILTER_CLEAR, "filter-clear", B, false, "F",
	  "Clear the search and every filter" },
	{ ACTION_TOGGLE_EXITS, "toggle-exits", B, false, "e",
	  "Show or hide the recycled and disqualified columns" },
	{ ACTION_EDIT_NOTES, "edit-notes", D, true, "E",
	  "Edit the lead's notes in $EDITOR" },
	{ ACTION_SLA, "sla", G, false, "S",
	  "SLA timers: every rep's clocks (managers), or your own" },
	{ ACTION_FLOW, "flow", G, false, "2",
	  "Lead flow: 12 months of charts, the funnel, source quality" },
	{ ACTION_FLOW_SOURCE, "flow-source", FL, false, "s",
	  "Show the flow of all sources or of one" },
	{ ACTION_GOALS, "goals", G, false, "3",
	  "Goals: needed, pace and actual per stage; the MQL promise" },
};
#define ACTION_NLIST (sizeof action_list / sizeof action_list[0])

#undef G
#undef B
#undef D
#undef H
#undef S
#undef FL
#undef GO

/*
 * Names inside <...>; the first name of a key is the one shown. A printable
 * character is shown as typed ("<", ","): its name is only a way to write
 * it in [keys], where "," and ";" would be read as syntax.
 */
static const struct {
	const char	*name;
	int		 key;
} action_key_names[] = {
	{ "Up", ACTION_KEY_FN | KEY_UP },
	{ "Down", ACTION_KEY_FN | KEY_DOWN },
	{ "Left", ACTION_KEY_FN | KEY_LEFT },
	{ "Right", ACTION_KEY_FN | KEY_RIGHT },
	{ "PgUp", ACTION_KEY_FN | KEY_PPAGE },
	{ "PageUp", ACTION_KEY_FN | KEY_PPAGE },
	{ "PgDn", ACTION_KEY_FN | KEY_NPAGE },
	{ "PageDown", ACTION_KEY_FN | KEY_NPAGE },
	{ "Home", ACTION_KEY_FN | KEY_HOME },
	{ "End", ACTION_KEY_FN | KEY_END },
	{ "Insert", ACTION_KEY_FN | KEY_IC },
	{ "Del", ACTION_KEY_FN | KEY_DC },
	{ "Delete", ACTION_KEY_FN | KEY_DC },
	{ "Backspace", ACTION_KEY_FN | KEY_BACKSPACE },
	{ "Enter", '\n' },
	{ "Return", '\n' },
	{ "Tab", '\t' },
	{ "Esc", 0x1b },
	{ "Escape", 0x1b },
	{ "Space", ' ' },
	{ "lt", '<' },
	{ "LessThan", '<' },
	{ "gt", '>' },
	{ "Comma", ',' },
	{ "Semicolon", ';' },
	{ "Hash", '#' },
};
#define ACTION_NKEYNAMES (sizeof action_key_names / sizeof action_key_names[0])

struct keymap_entry {
	int		 key;
	enum action_id	 action;
};

struct keymap {
	struct keymap_entry *v;
	size_t		 n;
	size_t		 cap;
};

const struct action *
action_table(size_t *n)
{
	*n = ACTION_NLIST;
	return action_list;
}

const struct action *
action_get(enum action_id id)
{
	size_t i;

	for (i = 0; i < ACTION_NLIST; i++) {
		if (action_list[i].id == id)
			return &action_list[i];
	}
	return NULL;
}

const struct action *
action_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < ACTION_NLIST; i++) {
		if (text_casecmp(action_list[i].name, name) == 0)
			return &action_list[i];
	}
	return NULL;
}

/* One UTF-8 character as its code point, or -1 if s is not exactly one. */
static int
action_one_char(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n, i;
	int c;

	if (u[0] < 0x80)
		return u[0] != '\0' && u[1] == '\0' ? u[0] : -1;
	if (u[0] >= 0xc2 && u[0] <= 0xdf) {
		n = 2; c = u[0] & 0x1f;
	} else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		n = 3; c = u[0] & 0x0f;
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		n = 4; c = u[0] & 0x07;
	} else
		return -1;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (u[i] & 0x3f);
	}
	return u[n] == '\0' ? c : -1;
}

/* "C-x" / "^X": a control key; -1 if s is not one. */
static int
action_ctrl_key(const char *s)
{
	char c;

	if ((s[0] == 'C' || s[0] == 'c') && s[1] == '-' && s[2] != '\0' &&
	    s[3] == '\0')
		c = s[2];
	else if (s[0] == '^' && s[1] != '\0' && s[2] == '\0')
		c = s[1];
	else
		return -1;
	if (c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 1;
	return -1;
}

/* The inside of <...>: a key name, F1..F12 or C-x. */
static int
action_bracket_key(const char *name)
{
	size_t i;
	int f;
	char end;

	for (i = 0; i < ACTION_NKEYNAMES; i++) {
		if (text_casecmp(action_key_names[i].name, name) == 0)
			return action_key_names[i].key;
	}
	if ((name[0] == 'F' || name[0] == 'f') &&
	    sscanf(name + 1, "%d%c", &f, &end) == 1 && f >= 1 && f <= 12)
		return ACTION_KEY_FN | KEY_F(f);
	return action_ctrl_key(name);
}

int
action_key_parse(const char *s)
{
	char inner[32];
	size_t len;
	int key;

	if (s == NULL || *s == '\0')
		return -1;
	len = strlen(s);
	if (s[0] == '<' && s[len - 1] == '>' && len > 2) {
		if (len - 2 >= sizeof inner)
			return -1;
		memcpy(inner, s + 1, len - 2);
		inner[len - 2] = '\0';
		return action_bracket_key(inner);
	}
	if ((key = action_ctrl_key(s)) != -1)
		return key;
	return action_one_char(s);
}

char *
action_key_name(int key, char *buf, size_t len)
{
	size_t i;
	int f;

	for (i = 0; i < ACTION_NKEYNAMES; i++) {
		if (action_key_names[i].key == key &&
		    !(key > ' ' && key < 0x7f)) {
			snprintf(buf, len, "<%s>", action_key_names[i].name);
			return buf;
		}
	}
	for (f = 1; f <= 12; f++) {
		if (key == (ACTION_KEY_FN | KEY_F(f))) {
			snprintf(buf, len, "<F%d>", f);
			return buf;
		}
	}
	if (key >= 1 && key <= 26)
		snprintf(buf, len, "C-%c", 'a' + key - 1);
	else if (key > 0 && key < 0x80)
		snprintf(buf, len, "%c", key);
	else if (key > 0 && key < 0x110000 && !(key & ACTION_KEY_FN)) {
		wchar_t wc[2] = { (wchar_t)key, 0 };

		if (wcstombs(buf, wc, len) == (size_t)-1)
			snprintf(buf, len, "U+%04X", (unsigned)key);
	} else
		snprintf(buf, len, "<key %d>", key & ~ACTION_KEY_FN);
	return buf;
}

static void
keymap_add(struct keymap *km, int key, enum action_id action)
{
	if (km->n == km->cap) {
		km->cap = km->cap == 0 ? 64 : km->cap * 2;
		km->v = xreallocarray(km->v, km->cap, sizeof *km->v);
	}
	km->v[km->n].key = key;
	km->v[km->n].action = action;
	km->n++;
}

/* Drop entries matching: the action's own (key -1), or key in scope. */
static void
keymap_remove(struct keymap *km, enum action_id action, int key,
    unsigned scope)
{
	size_t i, j = 0;
	const struct action *a;
	bool drop;

	for (i = 0; i < km->n; i++) {
		a = action_get(km->v[i].action);
		if (key == -1)
			drop = km->v[i].action == action;
		else
			drop = km->v[i].key == key && ((a->scope & scope) != 0 ||
			    ((a->scope | scope) & ACTION_SCOPE_GLOBAL) != 0);
		if (!drop)
			km->v[j++] = km->v[i];
	}
	km->n = j;
}

/* Append "what" to the "; "-joined message in *cause. */
static void
keymap_complain(char **cause, const char *what)
{
	char *old = *cause;

	if (old == NULL)
		*cause = xstrdup(what);
	else {
		xasprintf(cause, "%s; %s", old, what);
		free(old);
	}
}

/* Bind keys to the action name, after its old keys if replace. */
static int
keymap_bind_as(struct keymap *km, const char *name, const char *keys,
    bool replace, char **cause)
{
	const struct action *a;
	char *copy, *tok, *save = NULL, *msg;
	int key, rc = 0;

	if ((a = action_by_name(name)) == NULL) {
		xasprintf(cause, "[keys] %s: no such action (see ? for the list)",
		    name);
		return -1;
	}
	if (replace)
		keymap_remove(km, a->id, -1, 0);
	copy = xstrdup(keys);
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		text_trim(tok);
		if (*tok == '\0')
			continue;
		if ((key = action_key_parse(tok)) == -1) {
			xasprintf(&msg, "[keys] %s: unknown key \"%s\"", name,
			    tok);
			keymap_complain(cause, msg);
			free(msg);
			rc = -1;
			continue;
		}
		keymap_remove(km, ACTION_NONE, key, a->scope);
		keymap_add(km, key, a->id);
	}
	free(copy);
	return rc;
}

int
keymap_bind(struct keymap *km, const char *name, const char *keys,
    char **cause)
{
	return keymap_bind_as(km, name, keys, true, cause);
}

/* Does an earlier bind than binds[i] name the same action? */
static bool
keymap_bound_before(const struct keybind *binds, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (strcmp(binds[j].action, binds[i].action) == 0)
			return true;
	return false;
}

struct keymap *
keymap_create(void)
{
	struct keymap *km = xcalloc(1, sizeof *km);
	char *cause = NULL;
	size_t i;

	for (i = 0; i < ACTION_NLIST; i++) {
		if (keymap_bind(km, action_list[i].name, action_list[i].keys,
		    &cause) != 0)
			fatal("built-in key table: %s", cause);
	}
	return km;
}

void
keymap_free(struct keymap *km)
{
	if (km == NULL)
		return;
	free(km->v);
	free(km);
}

int
keymap_load(struct keymap *km, const struct keybind *binds, size_t n,
    char **cause)
{
	char *one;
	size_t i;
	int problems = 0;

	*cause = NULL;
	/*
	 * The playbook gives "a = J, <Down>" as one bind per key: the first
	 * of an action's binds replaces its defaults, the rest add to it.
	 */
	for (i = 0; i < n; i++) {
		one = NULL;
		if (keymap_bind_as(km, binds[i].action, binds[i].key,
		    !keymap_bound_before(binds, i), &one) != 0) {
			keymap_complain(cause, one);
			problems++;
		}
		free(one);
	}
	return problems;
}

enum action_id
keymap_lookup(const struct keymap *km, unsigned scope, int key)
{
	const struct action *a;
	size_t i;

	for (i = 0; i < km->n; i++) {
		if (km->v[i].key != key)
			continue;
		a = action_get(km->v[i].action);
		if ((a->scope & scope) != 0 ||
		    (a->scope & ACTION_SCOPE_GLOBAL) != 0)
			return a->id;
	}
	return ACTION_NONE;
}

char *
keymap_keys(const struct keymap *km, enum action_id id, char *buf,
    size_t len)
{
	char one[32];
	size_t i, used = 0;
	int w;

	buf[0] = '\0';
	for (i = 0; i < km->n; i++) {
		if (km->v[i].action != id)
			continue;
		action_key_name(km->v[i].key, one, sizeof one);
		w = snprintf(buf + used, len - used, "%s%s",
		    used == 0 ? "" : ", ", one);
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
	return buf;
}
