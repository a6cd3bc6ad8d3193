/*
 * The actions of the full-screen interface and the keys that run them. Each
 * action is declared once (name, scope, help, default keys); the help screen
 * is generated from this table. Default bindings are written in the same
 * syntax as the user's [keys] section ("move-down = j, <Down>") and parsed at
 * startup, so the built-in keymap and a user's are read by one parser.
 */
#ifndef SMK_ACTION_H
#define SMK_ACTION_H

#include <stdbool.h>
#include <stddef.h>

#include "smk/config.h"

enum action_id {
	ACTION_NONE = 0,
	ACTION_QUIT,
	ACTION_QUIT_NOW,
	ACTION_HELP,
	ACTION_REDRAW,
	ACTION_CLOSE,
	ACTION_MOVE_UP,
	ACTION_MOVE_DOWN,
	ACTION_MOVE_LEFT,
	ACTION_MOVE_RIGHT,
	ACTION_PAGE_UP,
	ACTION_PAGE_DOWN,
	ACTION_MOVE_TOP,
	ACTION_MOVE_BOTTOM,
	ACTION_OPEN,
	ACTION_STAGE_NEXT,
	ACTION_STAGE_BACK,
	ACTION_STAGE_EXIT,
	ACTION_LOG_ATTEMPT,
	ACTION_REASSIGN,
	ACTION_LEAD_NEW,
	ACTION_SEARCH,
	ACTION_FILTER,
	ACTION_FILTER_CLEAR,
	ACTION_TOGGLE_EXITS,
	ACTION_EDIT_NOTES,
	ACTION_SLA,		/* the SLA timers screen (view_sla.c) */
	ACTION_FLOW,		/* the lead flow screen (view_flow.c) */
	ACTION_FLOW_SOURCE,
	ACTION_GOALS,		/* the goals screen (view_goals.c) */
	ACTION__COUNT
};

/* Where an action applies; a view declares its scope. */
#define ACTION_SCOPE_GLOBAL	0x1
#define ACTION_SCOPE_BOARD	0x2
#define ACTION_SCOPE_DETAIL	0x4
#define ACTION_SCOPE_HELP	0x8
#define ACTION_SCOPE_SLA	0x10
#define ACTION_SCOPE_FLOW	0x20
#define ACTION_SCOPE_GOALS	0x40

struct action {
	enum action_id	 id;
	const char	*name;		/* as written in [keys]: "move-down" */
	unsigned	 scope;		/* ACTION_SCOPE_* bits */
	bool		 writes;	/* refused in read-only mode */
	const char	*keys;		/* default keys, [keys] syntax */
	const char	*help;
};

/*
 * Keys are ints: a Unicode code point for a character, ACTION_KEY_FN|code for
 * a curses function key (KEY_DOWN, ...), so the two never collide.
 */
#define ACTION_KEY_FN	0x40000000

/* Every action, in help order; ACTION__COUNT - 1 entries. */
const struct action *action_table(size_t *n);
const struct action *action_get(enum action_id);
const struct action *action_by_name(const char *);

/* "j", "<Down>", "C-l", "<Enter>", "<F5>" to a key; -1 when unknown. */
int	 action_key_parse(const char *);
/* The key's name as a user types it ("<", "j", "<Down>", "C-l"), into buf. */
char	*action_key_name(int key, char *buf, size_t len);

struct keymap;
/* The built-in bindings; never fails (the defaults are tested). */
struct keymap *keymap_create(void);
void	 keymap_free(struct keymap *);
/*
 * Bind action to the comma-separated keys, replacing the action's old keys
 * and taking each key from any other action in an overlapping scope.
 * -1 with *cause naming the bad action or key (other keys still bind).
 */
int	 keymap_bind(struct keymap *, const char *action, const char *keys,
	    char **cause);
/*
 * Apply the user's [keys] entries. Returns the number of problems; *cause
 * gets them joined with "; " (caller frees), or NULL when none.
 */
int	 keymap_load(struct keymap *, const struct keybind *, size_t,
	    char **cause);
/* The action bound to key in a view of the given scope, or ACTION_NONE. */
enum action_id keymap_lookup(const struct keymap *, unsigned scope, int key);
/* The keys of an action as "j, <Down>" into buf; "" when unbound. */
char	*keymap_keys(const struct keymap *, enum action_id, char *buf,
	    size_t len);

#endif
