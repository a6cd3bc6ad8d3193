/*
 * Charts for the full-screen interface: vertical bars, sparklines and
 * horizontal bars over plain arrays of numbers, so that any data source can
 * be drawn (htop's meter modes). Block characters under a UTF-8 locale,
 * ASCII otherwise. TUI layer: draws with curses, knows nothing of leads.
 */
#ifndef SMK_CHART_H
#define SMK_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "smk/theme.h"

struct chart_series {
	const double	*v;
	const bool	*has;		/* NULL: every value is present */
	size_t		 n;
	const char *const *labels;	/* n short labels, or NULL */
	int		 sel;		/* index to highlight, -1: none */
	enum theme_role	 role;		/* of the bars or the line */
	double		 max;		/* the top of the scale; 0: the
					   largest value */
	int		 decimals;	/* of the values written on bars */
};

/* Can the terminal show block characters (a UTF-8 locale)? */
bool	 chart_utf8(void);
/* Force ASCII (tests) or go back to asking the locale. */
void	 chart_set_ascii(bool);

/*
 * Bars in [y, y + h) x [x, x + w), one slot per value: the label on the
 * last row, the value just above each bar when it fits its slot. Drawn
 * with eighth blocks (ASCII: '#').
 */
void	 chart_bars(int y, int x, int h, int w, const struct chart_series *);
/*
 * A sparkline on one row, cell columns per value (1 or more); a missing
 * value is a blank. Returns the columns used.
 */
int	 chart_spark(int y, int x, int cell, const struct chart_series *);
/* value / max as a horizontal bar of at most w columns; returns columns. */
int	 chart_hbar(int y, int x, int w, double value, double max,
	    enum theme_role);

#endif
