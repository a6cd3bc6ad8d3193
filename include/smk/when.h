/*
 * Time. Everything is stored and exchanged as time_t (UTC seconds). The
 * process runs with TZ set to the team's zone (when_set_zone), so localtime
 * and mktime give team-local answers; the viewer's own zone is remembered for
 * display. Also the ISO-8601 reader and writer of the command line.
 *
 * Until when_set_zone succeeds the team's zone is UTC, whatever TZ says.
 * Not thread-safe: TZ is process state.
 */
#ifndef SMK_WHEN_H
#define SMK_WHEN_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define WHEN_ISO_LEN 21		/* "2026-11-23T09:30:00Z" + NUL */

/* The instants when_format can write: 0000-01-01 to 9999-12-31, UTC. */
#define WHEN_MIN ((time_t)-62167219200LL)
#define WHEN_MAX ((time_t)253402300799LL)

/*
 * Make zone (IANA name, e.g. "America/New_York") the team's zone: sets TZ
 * and calls tzset. Fails with a message when the zone is unknown. Remembers
 * the viewer's zone (the TZ the process started with, or the system's when
 * TZ was unset) the first time it is called.
 */
int	 when_set_zone(const char *zone, char **cause);
/*
 * Is this an IANA zone name that this machine knows? The name must be
 * relative, without "." or ".." parts, and name a TZif file under $TZDIR
 * (when set) or else /usr/share/zoneinfo.
 */
bool	 when_zone_valid(const char *zone);
/* The team's zone name: "UTC" until when_set_zone succeeds. */
const char *when_zone(void);

/* UTC instant to team-local broken-down time, and back (tm_isdst = -1). */
void	 when_team_tm(time_t, struct tm *);
time_t	 when_team_mktime(struct tm *);
/*
 * UTC instant to the viewer's local time (for display only). When the
 * viewer's zone differs from the team's, each call switches TZ twice and
 * glibc rereads a zone file each time (tens of microseconds): fine for the
 * rows of one screen, not for a million rows.
 */
void	 when_viewer_tm(time_t, struct tm *);

/*
 * Parse ISO-8601: "2026-11-23T09:30:00Z", "2026-11-23T09:30:00-05:00",
 * "2026-11-23 09:30", "2026-11-23T09:30" or "2026-11-23". Seconds are
 * optional; a fraction of a second (".250") is accepted and dropped; the
 * offset is "Z" or +HH:MM / -HH:MM up to 14:00. Without an offset the time is
 * read in the team's zone (a time skipped by a DST change moves forward by the
 * change; a repeated one takes either reading); a bare date is midnight team
 * time. Strict: no impossible dates (2026-02-30), no trailing text. On failure
 * sets *cause to a message naming the value and showing an accepted form.
 */
int	 when_parse(const char *, time_t *, char **cause);
/*
 * Write t as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least WHEN_ISO_LEN); t is
 * clamped to [WHEN_MIN, WHEN_MAX] so the width never changes. Returns buf.
 */
char	*when_format(time_t, char *buf);
/* The current time, or the --at instant when one was pinned. */
time_t	 when_now(void);
void	 when_pin(time_t);
/* Forget the pin: when_now follows the wall clock again. */
void	 when_unpin(void);

#endif
