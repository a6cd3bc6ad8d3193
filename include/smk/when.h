/*
 * Time. Everything is stored and exchanged as time_t (UTC seconds). The
 * process runs with TZ set to the team's zone (when_set_zone), so localtime
 * and mktime give team-local answers; the viewer's own zone is remembered for
 * display. Also the ISO-8601 reader and writer of the command line.
 */
#ifndef SMK_WHEN_H
#define SMK_WHEN_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define WHEN_ISO_LEN 21		/* "2026-11-23T09:30:00Z" + NUL */

/*
 * Make zone (IANA name, e.g. "America/New_York") the team's zone. Fails with
 * a message when the zone is unknown. Remembers the viewer's zone (the TZ the
 * process started with) the first time it is called.
 */
int	 when_set_zone(const char *zone, char **cause);
/* Is this an IANA zone name that this machine knows? */
bool	 when_zone_valid(const char *zone);

/* UTC instant to team-local broken-down time, and back (tm_isdst = -1). */
void	 when_team_tm(time_t, struct tm *);
time_t	 when_team_mktime(struct tm *);
/* UTC instant to the viewer's local time (for display only). */
void	 when_viewer_tm(time_t, struct tm *);

/*
 * Parse ISO-8601: "2026-11-23T09:30:00Z", "2026-11-23T09:30:00-05:00",
 * "2026-11-23 09:30", "2026-11-23T09:30" or "2026-11-23". Without an offset
 * the time is read in the team's zone; a bare date is midnight team time.
 * On failure sets *cause to a message naming the value.
 */
int	 when_parse(const char *, time_t *, char **cause);
/* Write t as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least WHEN_ISO_LEN). */
char	*when_format(time_t, char *buf);
/* The current time, or the --at instant when one was pinned. */
time_t	 when_now(void);
void	 when_pin(time_t);

#endif
