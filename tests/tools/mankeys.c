/*
 * mankeys: print the KEYS section of smk(1) from the action table, so the
 * man page and the help screen are one list. Run by "make smk.1".
 */
#include <stdio.h>
#include <string.h>

#include "smk/action.h"

/* mdoc text: a backslash is \e, and a line must not start with a dot. */
static void
mankeys_text(const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", stdout);
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			fputs("\\e", stdout);
		else
			putchar(*s);
	}
}

int
main(void)
{
	const struct action *a;
	size_t n, i;

	a = action_table(&n);
	puts("Every key can be rebound in the");
	puts(".Cm [keys]");
	puts("section of the user's config.ini, as");
	puts(".Ql Ar action Li = Ar key , key ;");
	puts("the defaults are written in that syntax.");
	puts(".Bl -tag -width Ds");
	for (i = 0; i < n; i++) {
		fputs(".It Li ", stdout);
		mankeys_text(a[i].keys);
		fputs(" Pq Cm ", stdout);
		mankeys_text(a[i].name);
		putchar('\n');
		mankeys_text(a[i].help);
		if (a[i].writes)
			fputs(" (not in read-only mode)", stdout);
		puts(".");
	}
	puts(".El");
	return 0;
}
