/*
 * Text that is safe to show. Everything read from outside (the database,
 * CSV, INI) passes through text_sanitize before it reaches a terminal: control
 * characters, escape sequences and BiDi overrides become harmless, and invalid
 * UTF-8 becomes U+FFFD. Also display-width helpers. No curses here.
 */
#ifndef SMK_TEXT_H
#define SMK_TEXT_H

#include <stddef.h>

/* Returns a new string (caller frees) safe to print to a terminal. */
char	*text_sanitize(const char *);
/* Display width in terminal columns of a (sanitized) UTF-8 string. */
int	 text_width(const char *);
/*
 * Copy into buf (size bufsz) the longest prefix of s that fits in cols
 * columns, adding "~" when truncated; returns the width used.
 */
int	 text_fit(char *buf, size_t bufsz, const char *s, int cols);
/* Trim leading and trailing ASCII white space in place; returns s. */
char	*text_trim(char *s);
/* Case-insensitive ASCII compare, for keys and enum values. */
int	 text_casecmp(const char *, const char *);

#endif
