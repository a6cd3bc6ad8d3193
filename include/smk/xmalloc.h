/*
 * Allocation wrappers that never return NULL. On failure they call fatal(),
 * which runs the registered cleanup hook (the TUI's endwin) before it prints
 * and exits, so the terminal is never left in curses mode.
 */
#ifndef SMK_XMALLOC_H
#define SMK_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__)
#define SMK_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define SMK_NORETURN __attribute__((noreturn))
#else
#define SMK_PRINTF(a, b)
#define SMK_NORETURN
#endif

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* Like asprintf, but fatal on failure; returns the length. */
int	 xasprintf(char **, const char *, ...) SMK_PRINTF(2, 3);
int	 xvasprintf(char **, const char *, va_list) SMK_PRINTF(2, 0);

/* Called by fatal() before it prints; the TUI registers endwin here. */
void	 fatal_set_hook(void (*)(void));
void	 fatal(const char *, ...) SMK_PRINTF(1, 2) SMK_NORETURN;

#endif
