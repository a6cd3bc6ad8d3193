/*
 * The CSV import engine: streams a file through libcsv, maps its columns
 * (HubSpot, Salesforce and smk's own exports load without a map; --map
 * FILE.ini handles any other layout and value names), validates each row,
 * and upserts leads by email (case-insensitive) inside one bulk transaction,
 * so that a file goes in completely or not at all. Memory stays bounded: one
 * record is held at a time. No command-line parsing and no printing: what
 * happens to each row is passed to a callback.
 */
#ifndef SMK_CSVIN_H
#define SMK_CSVIN_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "smk/config.h"
#include "smk/smk.h"
#include "smk/store.h"

struct actor;

/* The longest record accepted, in bytes (an unclosed quote stops here). */
#define CSVIN_RECORD_MAX (1024 * 1024)

enum csvin_on_error {
	CSVIN_ABORT,		/* one bad row: import nothing */
	CSVIN_SKIP		/* import the good rows, set the bad aside */
};

enum csvin_what { CSVIN_CREATE, CSVIN_UPDATE, CSVIN_SAME, CSVIN_REJECT };

/* What happened (or, in a dry run, would happen) to one row. */
struct csvin_note {
	enum csvin_what	 what;
	unsigned long	 line;		/* physical line where the row starts */
	const char	*email;		/* NULL when the row has none */
	const char	*column;	/* REJECT: the CSV column at fault, or
					   NULL for the whole row */
	const char	*text;		/* REJECT: the reason; UPDATE: the
					   changes ("stage lead -> mql") */
};

struct csvin_opts {
	const char	*name;		/* the file as the user named it */
	const char	*map_path;	/* --map FILE.ini, or NULL */
	const char	*rejects_path;	/* CSVIN_SKIP: bad rows + a reason
					   column go here; NULL: nowhere */
	bool		 dry_run;	/* report, write nothing: each row is
					   reported as the real import would
					   take it, remembering (in memory)
					   the leads it would have written */
	enum csvin_on_error on_error;
	int		 delimiter;	/* 0: detect from the header line */
	const char	*date_format;	/* strptime format, or NULL */
	const char	*user;		/* the importing rep's login */
	const struct actor *actor;	/* ... whose rights each row must
					   keep to (lead.h); NULL: anyone's */
	time_t		 now;
	volatile sig_atomic_t *stop;	/* set (by a signal) to give up */
	void		(*note)(const struct csvin_note *, void *);
	void		(*progress)(uint64_t bytes, uint64_t rows, void *);
	void		(*saving)(void *);	/* every row is read; the commit
						   (seconds for a large file)
						   begins */
	void		*arg;
};

struct csvin_stats {
	uint64_t	 rows;		/* data rows read (not empty lines) */
	uint64_t	 created;
	uint64_t	 updated;
	uint64_t	 unchanged;
	uint64_t	 rejected;
	uint64_t	 mql;		/* moved to mql by their score */
	int		 delimiter;	/* the one used */
	bool		 finished;	/* every row was read: the counts are
					   the whole file's (else they stop
					   where a fatal error did) */
	char		*ignored;	/* columns nobody maps: "A, B"; or NULL
					   (freed by csvin_stats_clear) */
};
void	 csvin_stats_clear(struct csvin_stats *);

/*
 * Import the CSV on in. SMK_OK when the rows went in (with CSVIN_SKIP, some
 * may have been set aside: see stats); SMK_EUSER with *cause when the file
 * or a row is bad and nothing was written (CSVIN_ABORT), or the file cannot
 * be read; SMK_EFILE when the database refused (nothing written).
 */
enum smk_err csvin_import(struct store *, const struct config *, FILE *in,
	    const struct csvin_opts *, struct csvin_stats *, char **cause);

/*
 * The smk field a CSV header names ("Company Name" -> "company"), or NULL.
 * "ignore" for columns that are known but not imported (id, score).
 */
const char *csvin_header_field(const char *header);
/* The delimiter a header line uses: ',', ';', '\t' or '|'. */
int	 csvin_sniff(const char *line, size_t len);
/*
 * A delimiter as --delimiter or a map's [import] delimiter gives it: "tab"
 * or "\t", else one character that is not a quote or a line break; -1 if
 * it is none of these.
 */
int	 csvin_delimiter(const char *, int *out);
/*
 * A CSV date: ISO-8601 (with "T" or a space, with or without an offset),
 * MM/DD/YYYY or DD/MM/YYYY when only one reading is a date, DD.MM.YYYY,
 * YYYY/MM/DD, each optionally with HH:MM[:SS] [AM|PM]; or exactly fmt
 * (strptime) when fmt is not NULL. Without an offset: the team's zone.
 * -1 with *cause (the reason, without the column name) otherwise.
 */
int	 csvin_date(const char *s, const char *fmt, time_t *, char **cause);

#endif
