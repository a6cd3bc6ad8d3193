/*
 * The command line: one function per command, all with the same shape. The
 * dispatcher (cmd.c) parses the global options, opens the store and the
 * playbook, finds the acting user, and then calls the command with its own
 * arguments (argv[0] is the command name). A command prints its result on
 * ctx->out, its messages on stderr as "smk: ...", and returns an exit code
 * (enum smk_err).
 */
#ifndef SMK_CMD_H
#define SMK_CMD_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "smk/config.h"
#include "smk/lead.h"
#include "smk/store.h"

struct cmd_ctx {
	struct store	*store;		/* NULL for commands that open nothing */
	struct config	*cfg;
	struct actor	*actor;
	const char	*db_path;
	const char	*config_path;	/* the playbook actually read */
	time_t		 now;		/* --at, or the clock */
	bool		 at_given;
	FILE		*out;
	struct timespec	 started;	/* CLOCK_MONOTONIC at process start */
};

int	 cmd_main(int argc, char **argv);

/* Print "smk: MSG" on stderr. */
void	 cmd_error(const char *fmt, ...)
#if defined(__GNUC__)
	    __attribute__((format(printf, 1, 2)))
#endif
	    ;

/*
 * A small getopt_long wrapper for command options: returns the index of
 * the first operand, or -1 after printing a message naming the bad option.
 */
struct cmd_opt {
	const char	*name;		/* "reason" for --reason */
	bool		 has_arg;
	const char	**value;	/* set to the argument, or "1" */
};
int	 cmd_parse_opts(int argc, char **argv, const struct cmd_opt *,
	    size_t nopts);
/*
 * A filter's login (what names it: "sla: --rep") must be a rep, active or
 * not: one that names nobody is a typo, not an empty report. SMK_OK when
 * it is one or login is NULL, else the error, said.
 */
int	 cmd_check_rep(struct cmd_ctx *, const char *what, const char *login);

/* The commands, each in the cmd_*.c file of its group. */
int	 cmd_init(struct cmd_ctx *, int, char **);
int	 cmd_doctor(struct cmd_ctx *, int, char **);
int	 cmd_add(struct cmd_ctx *, int, char **);
int	 cmd_move(struct cmd_ctx *, int, char **);
int	 cmd_assign(struct cmd_ctx *, int, char **);
int	 cmd_log(struct cmd_ctx *, int, char **);
int	 cmd_set(struct cmd_ctx *, int, char **);
int	 cmd_timeline(struct cmd_ctx *, int, char **);
int	 cmd_rep(struct cmd_ctx *, int, char **);
int	 cmd_export(struct cmd_ctx *, int, char **);
int	 cmd_import(struct cmd_ctx *, int, char **);
int	 cmd_rescore(struct cmd_ctx *, int, char **);
int	 cmd_sla(struct cmd_ctx *, int, char **);
int	 cmd_report(struct cmd_ctx *, int, char **);
int	 cmd_plan(struct cmd_ctx *, int, char **);
/* smk report meeting (cmd_goals.c), reached through cmd_report. */
int	 cmd_report_meeting(struct cmd_ctx *, int, char **);
bool	 cmd_report_is_meeting(int, char **);

#endif
