/*
 * The business-hours calendar: working days, opening hours and holidays in
 * the team's zone (the process TZ, see when.h). It answers two questions
 * exactly, across weekends, holidays and DST changes: "when are N business
 * seconds after t0 used up?" and "how many business seconds lie between a
 * and b?". Each day's opening and closing instants come from mktime on that
 * local date, so a business day is as long as the clock on the wall says.
 *
 * A calendar caches days as it goes (about 24 bytes per day touched, at most
 * a few MB), so both questions cost O(1) once the days are cached. It
 * snapshots the team's zone: when when_set_zone changes it, the cache is
 * dropped on the next call. Not thread-safe (the cache is written on reads).
 * Instants are clamped to [WHEN_MIN, WHEN_MAX].
 */
#ifndef SMK_BIZCAL_H
#define SMK_BIZCAL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/*
 * What a calendar is built from; the [business_hours] fields of struct
 * config map one to one (days, day_start, day_end, holidays, nholidays).
 */
struct bizcal_spec {
	unsigned	 days;		/* bit 0 = Sunday ... bit 6 = Saturday */
	int		 day_start;	/* minutes after local midnight */
	int		 day_end;	/* day_start < day_end <= 1440 */
	const int	*holidays;	/* YYYYMMDD, any order; copied */
	size_t		 nholidays;
};

struct bizcal;

/*
 * A new calendar, or NULL with *cause set when the spec has no business time
 * at all (no working day, or day_end not after day_start). Free with
 * bizcal_free.
 */
struct bizcal	*bizcal_new(const struct bizcal_spec *, char **cause);
void		 bizcal_free(struct bizcal *);

/*
 * The instant at which secs business seconds after t0 have passed. A start
 * outside business hours counts from the next opening. When the time runs
 * out exactly at a closing, the answer is that closing (13:00 + 4h is 17:00
 * the same day, not 09:00 the next). secs <= 0 returns t0 unchanged.
 */
time_t		 bizcal_add(struct bizcal *, time_t t0, long secs);
/*
 * Business seconds in [a, b). Signed: bizcal_between(b, a) is
 * -bizcal_between(a, b), and it is 0 when a == b.
 */
long		 bizcal_between(struct bizcal *, time_t a, time_t b);
/* Is t inside business hours (opening included, closing excluded)? */
bool		 bizcal_is_open(struct bizcal *, time_t t);

#endif
