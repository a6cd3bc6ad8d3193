/*
 * The full-screen interface. The only layer that calls curses. It acts on
 * leads through lead.h and reads through store.h's query functions; it never
 * writes SQL.
 *
 * The shell (tui.c) owns the terminal, the event loop, the status and
 * message lines, prompts and menus, and a stack of views. Each screen is a
 * const struct view_ops; its key handler gets an action id (from action.h)
 * and returns TUI_* flags saying what to redraw, never repainting itself.
 */
#ifndef SMK_TUI_H
#define SMK_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "smk/action.h"
#include "smk/config.h"
#include "smk/lead.h"
#include "smk/store.h"
#include "smk/theme.h"
#include "smk/xmalloc.h"

struct tui_ctx {
	struct store	*store;
	struct config	*cfg;
	struct actor	*actor;
	const char	*db_path;
	bool		 at_given;	/* --at pinned the clock */
	struct timespec	 started;	/* CLOCK_MONOTONIC at process start */
};

/* Run until the user quits. Returns an exit code; *cause on failure. */
int	 tui_run(struct tui_ctx *, char **cause);

/*
 * Hooks for the SLA module (NULL members: not shown). breaches is called
 * when the data changes, never per repaint; badge when a card is fetched.
 */
enum tui_badge { TUI_BADGE_NONE, TUI_BADGE_RUNNING, TUI_BADGE_DUE_SOON,
	TUI_BADGE_BREACHED, TUI_BADGE_MET };
struct tui_sla_hooks {
	int64_t	(*breaches)(struct store *, const struct config *,
		    const struct actor *, time_t now);
	/*
	 * The same count a slice at a time, so keys are read in between
	 * (NULL: breaches at once). restart drops a count in progress and
	 * starts one at now. 1: *n is the count; 0: call again; -1: failed.
	 */
	int	(*breaches_step)(struct store *, const struct config *,
		    const struct actor *, time_t now, bool restart, int64_t *n);
	enum tui_badge (*badge)(struct store *, const struct config *,
		    const struct lead *, time_t now, char *buf, size_t len);
};
/* Install the hooks (borrowed; must outlive tui_run). */
void	 tui_set_sla_hooks(const struct tui_sla_hooks *);

/* What a handler asks the shell to do. */
#define TUI_NONE	0x0
#define TUI_DRAW	0x1	/* repaint the screen */
#define TUI_RELOAD	0x2	/* the data changed: refresh every view */
#define TUI_CLOSE	0x4	/* pop this view */
#define TUI_QUIT	0x8
#define TUI_BUSY	0x10	/* tick: work is left; call again at once */

struct tui;
struct view;

struct view_ops {
	const char	*name;
	unsigned	 scope;		/* ACTION_SCOPE_* of its keys */
	/* arg is the view's argument (e.g. the lead id); -1 with *cause. */
	int		(*open)(struct tui *, struct view *, const void *arg,
			    char **cause);
	void		(*close)(struct tui *, struct view *);
	void		(*draw)(struct tui *, struct view *, int y, int x,
			    int h, int w);
	int		(*key)(struct tui *, struct view *, enum action_id,
			    int key);
	/* The file changed (another process or our own write). */
	int		(*reload)(struct tui *, struct view *);
	/* A click (button 1) or wheel (button 4 up, 5 down) at y, x. */
	int		(*mouse)(struct tui *, struct view *, int y, int x,
			    int button);
	/* Extra words for the status line (filters); may be NULL. */
	const char	*(*status)(struct tui *, struct view *);
	/* Actions whose keys the hint line shows; ends with ACTION_NONE. */
	const enum action_id *hints;
	/* Drawn over the view below it (help) rather than instead of it. */
	bool		 overlay;
	/*
	 * Called about once a second (clocks that tick), and at once again
	 * while it returns TUI_BUSY (work done in slices between keys).
	 */
	int		(*tick)(struct tui *, struct view *);
};

struct view {
	const struct view_ops	*ops;
	void			*data;	/* the view's own state */
};

extern const struct view_ops view_board_ops;
extern const struct view_ops view_detail_ops;
extern const struct view_ops view_help_ops;
extern const struct view_ops view_sla_ops;
extern const struct view_ops view_flow_ops;
extern const struct view_ops view_goals_ops;
/* The SLA hooks of view_sla.c, installed by tui_run when none are. */
extern const struct tui_sla_hooks view_sla_hooks;

/* What views may ask of the shell. */
struct store	*tui_store(struct tui *);
const struct config *tui_config(struct tui *);
const struct actor *tui_actor(struct tui *);
const struct keymap *tui_keymap(struct tui *);
time_t		 tui_now(struct tui *);
bool		 tui_readonly(struct tui *);
const struct tui_sla_hooks *tui_sla(struct tui *);
/* Milliseconds on a monotonic clock: budgets for work done in slices. */
long		 tui_clock_ms(void);
/* A key is waiting (it stays for the shell): for work done in slices. */
bool		 tui_key_waiting(void);
/* Open a view on top; a message when it fails. */
int		 tui_push(struct tui *, const struct view_ops *,
		    const void *arg);
/* Show a message on the message line until the next key. */
void		 tui_message(struct tui *, const char *fmt, ...)
		    SMK_PRINTF(2, 3);
void		 tui_error(struct tui *, const char *fmt, ...)
		    SMK_PRINTF(2, 3);
/* Count of breached clocks for the status line (-1: unknown). */
void		 tui_set_breaches(struct tui *, int64_t);
/*
 * Ask for a line of text on the message line, starting from initial (may
 * be NULL). Returns a new string, or NULL when the user pressed Esc.
 */
char		*tui_prompt(struct tui *, const char *label,
		    const char *initial);
/* Choose one of items; returns its index, or -1 on Esc. */
int		 tui_menu(struct tui *, const char *title,
		    const char *const *items, size_t n);
/* Wait for one key (for two-key commands); -1 on Esc or timeout. */
int		 tui_getkey(struct tui *, const char *hint);
/* Leave curses for a child program (the editor) and come back. */
void		 tui_suspend(struct tui *);
void		 tui_resume(struct tui *);

/*
 * Draw text at y, x in at most w columns with a role: sanitized, fitted,
 * never split. Returns the columns used.
 */
int		 tui_put(int y, int x, int w, enum theme_role, const char *);
/* Fill w columns at y, x with spaces in a role. */
void		 tui_fill(int y, int x, int w, enum theme_role);
/* A filled box of h rows, w columns at y, x, with a line around it. */
void		 tui_box(int y, int x, int h, int w, enum theme_role);

/*
 * Lead actions shared by the board and the detail view (tui_lead.c): check
 * read-only and permission, ask for what is needed, run it through lead.h,
 * and report success, refusal or conflict on the message line. l is
 * reloaded. Returns TUI_* flags.
 */
int		 tui_lead_action(struct tui *, enum action_id,
		    struct lead *l);
/* n: ask for the fields and add a lead. */
int		 tui_lead_new(struct tui *);
/* Forget what the user typed for a refused change (at exit). */
void		 tui_lead_cleanup(void);
/* "Ann Lee", else the email; into buf. */
const char	*tui_lead_name(const struct lead *, char *buf, size_t len);

/* Scrollable lines of text (the detail and help views). */
struct tui_lines {
	struct tui_line {
		enum theme_role	 role;
		char		*text;	/* sanitized */
		int		 indent;
	}		*v;
	size_t		 n;
	size_t		 cap;
	int		 top;
};
void		 tui_lines_add(struct tui_lines *, enum theme_role, int indent,
		    const char *fmt, ...) SMK_PRINTF(4, 5);
void		 tui_lines_clear(struct tui_lines *);
void		 tui_lines_draw(struct tui_lines *, int y, int x, int h, int w);
/* Scroll for a movement action; TUI_DRAW when it moved. */
int		 tui_lines_key(struct tui_lines *, enum action_id, int h);

#endif
