/*
 * Names shared by every layer: the exit codes of the command-line contract,
 * which double as the status that core operations return.
 */
#ifndef SMK_SMK_H
#define SMK_SMK_H

#define SMK_VERSION "0.1.0"

/* Exit codes (documented in smk.1). */
enum smk_err {
	SMK_OK = 0,		/* success */
	SMK_EUSER = 1,		/* user error: bad argument, refused, not found */
	SMK_EFILE = 2,		/* problem with the database file */
	SMK_ECONFLICT = 3	/* version conflict, or breaches with --check */
};

#endif
