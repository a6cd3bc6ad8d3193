/*
 * The full-screen interface. The only layer that calls curses. It acts on
 * leads through lead.h and reads through store.h's query functions; it never
 * writes SQL.
 */
#ifndef SMK_TUI_H
#define SMK_TUI_H

#include <stdbool.h>

#include "smk/config.h"
#include "smk/lead.h"
#include "smk/store.h"

struct tui_ctx {
	struct store	*store;
	struct config	*cfg;
	struct actor	*actor;
	const char	*db_path;
	bool		 at_given;	/* --at pinned the clock */
};

/* Run until the user quits. Returns an exit code; *cause on failure. */
int	 tui_run(struct tui_ctx *, char **cause);

#endif
