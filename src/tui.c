/*
 * The shell of the full-screen interface: owns the terminal (curses set up
 * and always restored), the event loop that polls the file's data_version
 * for other people's changes, the status and message lines, the key
 * dispatch through the keymap, and the stack of views. Must not know what a
 * view shows, and must not write to the store itself.
 */
#include <curses.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "smk/text.h"
#include "smk/tui.h"
#include "smk/when.h"
#include "smk/xmalloc.h"

#define TUI_MAX_VIEWS	8
#define TUI_KEY_RESIZE	(ACTION_KEY_FN | KEY_RESIZE)
#define TUI_KEY_MOUSE	(ACTION_KEY_FN | KEY_MOUSE)
#define TUI_ESC		0x1b
#define TUI_MIN_POLL_MS	100

struct tui {
	struct tui_ctx	*ctx;
	struct keymap	*keymap;
	struct theme	 theme;
	struct view	 views[TUI_MAX_VIEWS];
	int		 nviews;
	char		*msg;
	bool		 msg_error;
	int64_t		 breaches;
	int64_t		 data_version;
	time_t		 fresh;		/* wall clock of the last load */
	time_t		 ticked;	/* ... or of the last clock tick */
	long		 last_poll_ms;
	bool		 quit;
	bool		 curses_on;
	bool		 breaches_due;	/* counted after the first paint */
	bool		 counting;	/* a sliced breach count is due */
	bool		 count_restart;	/* ... from the start */
	char		 status_age[32];	/* what the status line shows */
};

static const struct tui_sla_hooks *tui_hooks;
static volatile sig_atomic_t tui_signalled;

void
tui_set_sla_hooks(const struct tui_sla_hooks *h)
{
	tui_hooks = h;
}

struct store *
tui_store(struct tui *t)
{
	return t->ctx->store;
}

const struct config *
tui_config(struct tui *t)
{
	return t->ctx->cfg;
}

const struct actor *
tui_actor(struct tui *t)
{
	return t->ctx->actor;
}

const struct keymap *
tui_keymap(struct tui *t)
{
	return t->keymap;
}

const struct tui_sla_hooks *
tui_sla(struct tui *t)
{
	(void)t;
	return tui_hooks;
}

time_t
tui_now(struct tui *t)
{
	(void)t;
	return when_now();
}

bool
tui_readonly(struct tui *t)
{
	return store_readonly(t->ctx->store) || t->ctx->actor == NULL ||
	    t->ctx->actor->role == ROLE_NONE;
}

void
tui_set_breaches(struct tui *t, int64_t n)
{
	t->breaches = n;
}

static void
tui_vmessage(struct tui *t, bool error, const char *fmt, va_list ap)
{
	char *raw;

	free(t->msg);
	xvasprintf(&raw, fmt, ap);
	t->msg = text_sanitize(raw);
	free(raw);
	t->msg_error = error;
}

void
tui_message(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tui_vmessage(t, false, fmt, ap);
	va_end(ap);
}

void
tui_error(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tui_vmessage(t, true, fmt, ap);
	va_end(ap);
}

long
tui_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Terminal. */

static void
tui_endwin(void)
{
	if (!isendwin())
		endwin();
}

static void
tui_on_signal(int sig)
{
	(void)sig;
	tui_signalled = 1;
}

/* Without SA_RESTART, so that a waiting getch returns at once. */
static void
tui_signals(struct sigaction *old)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tui_on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
}

static void
tui_signals_restore(const struct sigaction *old)
{
	sigaction(SIGINT, &old[0], NULL);
	sigaction(SIGTERM, &old[1], NULL);
	sigaction(SIGHUP, &old[2], NULL);
}

static void
tui_curses_start(struct tui *t)
{
	initscr();
	t->curses_on = true;
	fatal_set_hook(tui_endwin);
	cbreak();	/* C-c still interrupts: the loop ends cleanly */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	/*
	 * How long a lone ESC waits for the rest of an arrow key or a mouse
	 * report. Over SSH, or from a busy terminal multiplexer, a sequence
	 * can arrive in pieces; cut it too soon and its tail is read as keys
	 * ('<' moves a lead back). 100 ms still feels instant for Esc, and
	 * ncurses' own ESCDELAY variable wins when set.
	 */
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(100);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED |
	    BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	theme_apply(&t->theme);
	bkgdset(' ' | theme_attr(ROLE_NORMAL));
}

void
tui_suspend(struct tui *t)
{
	(void)t;
	def_prog_mode();
	endwin();
}

void
tui_resume(struct tui *t)
{
	(void)t;
	reset_prog_mode();
	clearok(curscr, TRUE);
	refresh();
}

/*
 * Is a key waiting? Asked by views between slices of work (tick); the key
 * is put back for the loop to read.
 */
bool
tui_key_waiting(void)
{
	MEVENT me;
	wint_t wc;
	int r;

	timeout(0);
	if ((r = get_wch(&wc)) == ERR)
		return false;
	/* A click goes back with its place, or the loop would lose it. */
	if (r == KEY_CODE_YES && wc == KEY_MOUSE) {
		if (getmouse(&me) == OK)
			ungetmouse(&me);
	} else if (r == KEY_CODE_YES)
		ungetch((int)wc);
	else
		unget_wch((wchar_t)wc);
	return true;
}

/*
 * Has the terminal gone (a hang-up without SIGHUP, stdin at its end)?
 * Curses then reads nothing at once, forever: the loops would spin. Only
 * a hang-up that lasts TUI_GONE_MS counts, so that no passing state of a
 * live terminal can end the board.
 */
#define TUI_GONE_MS 300

static bool
tui_tty_gone(void)
{
	static long since = -1;
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	long now;

	if (poll(&pfd, 1, 0) <= 0 ||
	    (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) == 0) {
		since = -1;
		return false;
	}
	now = tui_clock_ms();
	if (since < 0)
		since = now;
	return now - since >= TUI_GONE_MS;
}

/* Keys: code points, or ACTION_KEY_FN | KEY_*; -1 on timeout. */
static int
tui_read(void)
{
	wint_t wc;
	int r;

	r = get_wch(&wc);
	if (r == ERR) {
		/* Every loop that reads keys then ends, as on SIGHUP. */
		if (tui_tty_gone())
			tui_signalled = 1;
		return -1;
	}
	if (r == KEY_CODE_YES) {
		if (wc == KEY_ENTER)
			return '\n';
		return ACTION_KEY_FN | (int)wc;
	}
	if (wc == '\r')
		return '\n';
	if (wc == 0x7f || wc == 0x08)
		return ACTION_KEY_FN | KEY_BACKSPACE;
	return (int)wc;
}

/* Drawing. */

static const char *
tui_readonly_why(struct tui *t)
{
	if (store_readonly(t->ctx->store))
		return "READ-ONLY (file not writable)";
	if (tui_readonly(t))
		return "READ-ONLY (not in the reps table)";
	return NULL;
}

/* "updated 3s ago"; returns whether it changed since the last draw. */
static bool
tui_age(struct tui *t, char *buf, size_t len)
{
	long age = (long)(time(NULL) - t->fresh);

	if (age < 0)
		age = 0;
	if (age < 120)
		snprintf(buf, len, "updated %lds ago", age);
	else if (age < 7200)
		snprintf(buf, len, "updated %ldm ago", age / 60);
	else
		snprintf(buf, len, "updated %ldh ago", age / 3600);
	return strcmp(buf, t->status_age) != 0;
}

static void
tui_draw_status(struct tui *t)
{
	const struct actor *a = t->ctx->actor;
	const char *ro = tui_readonly_why(t), *extra = NULL, *base;
	struct view *v = &t->views[t->nviews - 1];
	char *line, right[64] = "";
	int rw;

	tui_age(t, t->status_age, sizeof t->status_age);
	base = strrchr(t->ctx->db_path, '/');
	base = base != NULL ? base + 1 : t->ctx->db_path;
	if (v->ops->status != NULL)
		extra = v->ops->status(t, v);
	xasprintf(&line, " %s (%s) | %s | %s%s%s", a != NULL ? a->login : "?",
	    a != NULL ? role_name(a->role) : "none", base, t->status_age,
	    extra != NULL ? " | " : "", extra != NULL ? extra : "");
	if (t->breaches >= 0)
		snprintf(right, sizeof right, " %lld breached ",
		    (long long)t->breaches);
	/*
	 * The badges win over the line, which is cut to leave them room:
	 * read-only says why while that takes at most half the width.
	 */
	rw = text_width(right);
	if (ro != NULL && rw + text_width(ro) + 2 > COLS / 2)
		ro = "READ-ONLY";
	if (ro != NULL)
		rw += text_width(ro) + 2;
	/* Too narrow for both: read-only matters more than the count. */
	if (rw > COLS && right[0] != '\0') {
		rw -= text_width(right);
		right[0] = '\0';
	}
	if (rw > COLS) {
		rw = 0;
		ro = NULL;
	}
	tui_fill(0, 0, COLS, ROLE_STATUS);
	tui_put(0, 0, COLS - rw, ROLE_STATUS, line);
	free(line);
	if (ro != NULL) {
		tui_put(0, COLS - rw, COLS, ROLE_STATUS_READONLY, " ");
		tui_put(0, COLS - rw + 1, COLS, ROLE_STATUS_READONLY, ro);
	}
	if (right[0] != '\0')
		tui_put(0, COLS - text_width(right), COLS,
		    t->breaches > 0 ? ROLE_BADGE_BREACHED : ROLE_STATUS, right);
}

/* The bottom line: the message, else the keys of the top view. */
static void
tui_draw_hints(struct tui *t)
{
	struct view *v = &t->views[t->nviews - 1];
	const enum action_id *h;
	const char *name;
	char keys[64], *p;
	int x = 0, y = LINES - 1;

	tui_fill(y, 0, COLS, ROLE_NORMAL);
	if (t->msg != NULL) {
		tui_put(y, 0, COLS, t->msg_error ? ROLE_ERROR : ROLE_MESSAGE,
		    t->msg);
		return;
	}
	for (h = v->ops->hints; h != NULL && *h != ACTION_NONE; h++) {
		keymap_keys(t->keymap, *h, keys, sizeof keys);
		if (keys[0] == '\0')
			continue;
		if ((p = strchr(keys, ',')) != NULL)
			*p = '\0';
		/* The last word of the name is enough: "stage-next" -> "next". */
		name = action_get(*h)->name;
		if ((p = strrchr(name, '-')) != NULL)
			name = p + 1;
		if (x + text_width(keys) + text_width(name) + 1 > COLS)
			break;
		x += tui_put(y, x, COLS - x, ROLE_KEY, keys);
		x += tui_put(y, x, COLS - x, ROLE_HINT, ":");
		x += tui_put(y, x, COLS - x, ROLE_HINT, name);
		x += tui_put(y, x, COLS - x, ROLE_HINT, "  ");
	}
}

static void
tui_draw(struct tui *t)
{
	int i, first = t->nviews - 1;

	erase();
	if (LINES < 5 || COLS < 20) {
		/* The size it needs, in as few columns as there are. */
		tui_put(0, 0, COLS, ROLE_ERROR, COLS >= 33 ?
		    "terminal too small: 20x5 at least" : "need 20x5");
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	while (first > 0 && t->views[first].ops->overlay)
		first--;
	for (i = first; i < t->nviews; i++)
		t->views[i].ops->draw(t, &t->views[i], 1, 0, LINES - 2, COLS);
	tui_draw_status(t);
	tui_draw_hints(t);
	wnoutrefresh(stdscr);
	doupdate();
}

/* Views. */

int
tui_push(struct tui *t, const struct view_ops *ops, const void *arg)
{
	struct view *v;
	char *cause = NULL;

	if (t->nviews == TUI_MAX_VIEWS) {
		tui_error(t, "too many views open; close one with q");
		return -1;
	}
	v = &t->views[t->nviews];
	v->ops = ops;
	v->data = NULL;
	if (ops->open(t, v, arg, &cause) != 0) {
		tui_error(t, "%s", cause != NULL ? cause : "cannot open view");
		free(cause);
		return -1;
	}
	t->nviews++;
	return 0;
}

static void
tui_pop(struct tui *t)
{
	struct view *v;

	if (t->nviews == 0)
		return;
	v = &t->views[--t->nviews];
	if (v->ops->close != NULL)
		v->ops->close(t, v);
}

/* Data. */

/* Count the breached clocks again: in slices, or at once. */
static void
tui_recount(struct tui *t)
{
	const struct tui_sla_hooks *h = tui_hooks;

	if (h != NULL && h->breaches_step != NULL)
		t->counting = t->count_restart = true;
	else if (h != NULL && h->breaches != NULL && !t->breaches_due)
		t->breaches = h->breaches(t->ctx->store, t->ctx->cfg,
		    t->ctx->actor, tui_now(t));
}

static void
tui_reload(struct tui *t)
{
	int i;

	t->data_version = store_data_version(t->ctx->store);
	t->fresh = t->ticked = time(NULL);
	tui_recount(t);
	for (i = 0; i < t->nviews; i++) {
		if (t->views[i].ops->reload != NULL)
			t->views[i].ops->reload(t, &t->views[i]);
	}
}

/*
 * SLA clocks run out with nobody writing: once a minute the breach count
 * and the board's badges are made again. Not with --at, whose clock
 * stands still; the other screens keep to the file's changes.
 */
#define TUI_CLOCK_S 60

static bool
tui_clock_tick(struct tui *t)
{
	struct view *board = &t->views[0];

	if (t->ctx->at_given || time(NULL) - t->ticked < TUI_CLOCK_S)
		return false;
	t->ticked = time(NULL);
	tui_recount(t);
	if (board->ops->reload != NULL)
		board->ops->reload(t, board);
	return true;
}

/* Has someone else committed since we last looked? */
static bool
tui_poll(struct tui *t)
{
	long now = tui_clock_ms();

	if (now - t->last_poll_ms < t->ctx->cfg->refresh_ms)
		return false;
	t->last_poll_ms = now;
	if (store_data_version(t->ctx->store) == t->data_version)
		return false;
	tui_reload(t);
	return true;
}

/* Keys. */

static int
tui_global(struct tui *t, enum action_id a)
{
	switch (a) {
	case ACTION_QUIT:
		if (t->nviews > 1)
			return TUI_CLOSE;
		return TUI_QUIT;
	case ACTION_QUIT_NOW:
		return TUI_QUIT;
	case ACTION_HELP:
		if (t->views[t->nviews - 1].ops == &view_help_ops)
			return TUI_CLOSE;
		tui_push(t, &view_help_ops, t->views[t->nviews - 1].ops);
		return TUI_DRAW;
	case ACTION_SLA:
		if (t->views[t->nviews - 1].ops == &view_sla_ops)
			return TUI_CLOSE;
		tui_push(t, &view_sla_ops, NULL);
		return TUI_DRAW;
	case ACTION_FLOW:
		if (t->views[t->nviews - 1].ops == &view_flow_ops)
			return TUI_CLOSE;
		tui_push(t, &view_flow_ops, NULL);
		return TUI_DRAW;
	case ACTION_GOALS:
		if (t->views[t->nviews - 1].ops == &view_goals_ops)
			return TUI_CLOSE;
		tui_push(t, &view_goals_ops, NULL);
		return TUI_DRAW;
	case ACTION_REDRAW:
		clearok(curscr, TRUE);
		return TUI_RELOAD;
	default:
		return -1;
	}
}

static int
tui_mouse(struct tui *t, struct view *v)
{
	MEVENT me;
	int button = 0;

	if (getmouse(&me) != OK || v->ops->mouse == NULL)
		return TUI_NONE;
	if (me.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED))
		button = 1;
	else if (me.bstate & BUTTON4_PRESSED)
		button = 4;
	else if (me.bstate & BUTTON5_PRESSED)
		button = 5;
	if (button == 0)
		return TUI_NONE;
	return v->ops->mouse(t, v, me.y, me.x, button);
}

static int
tui_dispatch(struct tui *t, int key)
{
	struct view *v = &t->views[t->nviews - 1];
	const struct action *act;
	enum action_id a;
	char name[32];
	int flags;

	if (key == TUI_KEY_RESIZE)
		return TUI_DRAW;
	if (key == TUI_KEY_MOUSE)
		return tui_mouse(t, v);
	a = keymap_lookup(t->keymap, v->ops->scope, key);
	if (a == ACTION_NONE) {
		tui_message(t, "%s: no action here (? lists the keys)",
		    action_key_name(key, name, sizeof name));
		return TUI_DRAW;
	}
	act = action_get(a);
	if (act->writes && tui_readonly(t)) {
		tui_error(t, "refused: %s", store_readonly(t->ctx->store) ?
		    "the file is read-only here" :
		    "you are not in the reps table (ask an admin: smk rep add)");
		return TUI_DRAW;
	}
	if ((flags = tui_global(t, a)) != -1)
		return flags;
	return v->ops->key(t, v, a, key) | TUI_DRAW;
}

static void
tui_apply(struct tui *t, int flags)
{
	if (flags & TUI_CLOSE) {
		if (t->nviews > 1)
			tui_pop(t);
		else
			t->quit = true;
	}
	if (flags & TUI_QUIT)
		t->quit = true;
	if (flags & TUI_RELOAD)
		tui_reload(t);
}

/*
 * make bench: with SMK_BENCH_LOG=FILE, append the first paint (from the
 * process's start) and every key-to-redraw time, in milliseconds.
 */
static double
tui_bench_ms(const struct timespec *since)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)(ts.tv_sec - since->tv_sec) * 1e3 +
	    (double)(ts.tv_nsec - since->tv_nsec) / 1e6;
}

static void
tui_bench_note(FILE *log, const char *what, const struct timespec *since)
{
	if (log != NULL && since->tv_sec != 0) {
		fprintf(log, "%s %.3f\n", what, tui_bench_ms(since));
		/* make bench reads the file while smk runs. */
		fflush(log);
	}
}

/*
 * The breach count walks every lead's history (seconds on a million
 * leads), so the board is shown first and the count follows; true when
 * the status line needs drawing again.
 */
static bool
tui_breaches_late(struct tui *t)
{
	const struct tui_sla_hooks *h = tui_hooks;

	if (!t->breaches_due)
		return false;
	t->breaches_due = false;
	if (h == NULL || h->breaches == NULL || h->breaches_step != NULL)
		return false;
	t->breaches = h->breaches(t->ctx->store, t->ctx->cfg, t->ctx->actor,
	    tui_now(t));
	return true;
}

/*
 * One slice of the breach count (a million leads take longer than a key
 * may wait); the loop reads keys between slices. True when it is done and
 * the status line needs drawing again.
 */
static bool
tui_breaches_step(struct tui *t)
{
	const struct tui_sla_hooks *h = tui_hooks;
	int64_t n;

	if (!t->counting || h == NULL || h->breaches_step == NULL)
		return false;
	if (h->breaches_step(t->ctx->store, t->ctx->cfg, t->ctx->actor,
	    tui_now(t), t->count_restart, &n) == 0) {
		t->count_restart = false;
		return false;
	}
	t->counting = t->count_restart = false;
	t->breaches = n;
	return true;
}

static void
tui_loop(struct tui *t)
{
	const char *path = getenv("SMK_BENCH_LOG");
	FILE *bench = path != NULL ? fopen(path, "a") : NULL;
	struct timespec key_at = { 0, 0 };
	char age[32];
	bool dirty = true, first = true, busy = false;
	int key, flags, wait;

	wait = t->ctx->cfg->refresh_ms;
	if (wait > 1000)
		wait = 1000;	/* the freshness clock ticks in seconds */
	if (wait < TUI_MIN_POLL_MS)
		wait = TUI_MIN_POLL_MS;
	while (!t->quit && !tui_signalled) {
		if (dirty || tui_age(t, age, sizeof age)) {
			tui_draw(t);
			tui_bench_note(bench, first ? "first_paint_ms" :
			    "key_ms", first ? &t->ctx->started : &key_at);
			first = false;
			key_at.tv_sec = 0;
		}
		dirty = tui_breaches_late(t);
		if (tui_breaches_step(t))
			dirty = true;
		timeout(t->counting || busy ? 0 : wait);
		if ((key = tui_read()) != -1) {
			clock_gettime(CLOCK_MONOTONIC, &key_at);
			free(t->msg);
			t->msg = NULL;
			flags = tui_dispatch(t, key);
			tui_apply(t, flags);
			dirty = flags != TUI_NONE;
		}
		if (tui_poll(t) || tui_clock_tick(t))
			dirty = true;
		busy = false;
		if (t->views[t->nviews - 1].ops->tick != NULL) {
			flags = t->views[t->nviews - 1].ops->tick(t,
			    &t->views[t->nviews - 1]);
			busy = (flags & TUI_BUSY) != 0;
			if ((flags & ~TUI_BUSY) != TUI_NONE)
				dirty = true;
		}
	}
	if (bench != NULL)
		fclose(bench);
}

/* Prompts and menus. */

static void
tui_wide_to_utf8(const wchar_t *w, size_t n, char **out)
{
	mbstate_t st;
	char *buf = xmalloc(n * MB_LEN_MAX + 1);
	size_t used = 0, i, k;

	memset(&st, 0, sizeof st);
	for (i = 0; i < n; i++) {
		if ((k = wcrtomb(buf + used, w[i], &st)) != (size_t)-1)
			used += k;
	}
	buf[used] = '\0';
	*out = buf;
}

static size_t
tui_utf8_to_wide(const char *s, wchar_t *w, size_t max)
{
	mbstate_t st;
	size_t n = 0, k;

	memset(&st, 0, sizeof st);
	while (*s != '\0' && n < max) {
		k = mbrtowc(&w[n], s, strlen(s), &st);
		if (k == (size_t)-1 || k == (size_t)-2) {
			memset(&st, 0, sizeof st);
			s++;
			continue;
		}
		s += k;
		n++;
	}
	return n;
}

#define TUI_PROMPT_MAX	512

static void
tui_prompt_draw(struct tui *t, const char *label, const wchar_t *w,
    size_t n, size_t cur)
{
	char *text;
	int x, y = LINES - 1, start = 0, cx;

	tui_draw(t);
	tui_fill(y, 0, COLS, ROLE_NORMAL);
	x = tui_put(y, 0, COLS, ROLE_LABEL, label);
	x += tui_put(y, x, COLS - x, ROLE_LABEL, ": ");
	/* Keep the cursor on screen by showing the tail of long input. */
	cx = wcswidth(w, cur);
	if (cx < 0)
		cx = (int)cur;
	while (start < (int)cur && cx - wcswidth(w, (size_t)start) >=
	    COLS - x - 1)
		start++;
	tui_wide_to_utf8(w + start, n - (size_t)start, &text);
	tui_put(y, x, COLS - x, ROLE_NORMAL, text);
	free(text);
	cx = wcswidth(w + start, cur - (size_t)start);
	move(y, x + (cx < 0 ? (int)(cur - (size_t)start) : cx));
	wnoutrefresh(stdscr);
	doupdate();
}

/* One editing key; returns 1 accept, -1 cancel, 0 keep going. */
static int
tui_prompt_key(int key, wchar_t *w, size_t *n, size_t *cur)
{
	switch (key) {
	case '\n':
		return 1;
	case TUI_ESC:
	case 7:	/* C-g */
		return -1;
	case ACTION_KEY_FN | KEY_BACKSPACE:
		if (*cur > 0) {
			memmove(w + *cur - 1, w + *cur,
			    (*n - *cur) * sizeof *w);
			(*cur)--;
			(*n)--;
		}
		return 0;
	case ACTION_KEY_FN | KEY_DC:
	case 4:	/* C-d */
		if (*cur < *n) {
			memmove(w + *cur, w + *cur + 1,
			    (*n - *cur - 1) * sizeof *w);
			(*n)--;
		}
		return 0;
	case ACTION_KEY_FN | KEY_LEFT: case 2:
		if (*cur > 0)
			(*cur)--;
		return 0;
	case ACTION_KEY_FN | KEY_RIGHT: case 6:
		if (*cur < *n)
			(*cur)++;
		return 0;
	case ACTION_KEY_FN | KEY_HOME: case 1:
		*cur = 0;
		return 0;
	case ACTION_KEY_FN | KEY_END: case 5:
		*cur = *n;
		return 0;
	case 21:	/* C-u */
		*n = *cur = 0;
		return 0;
	}
	if ((key & ACTION_KEY_FN) || key < 0x20 || *n + 1 >= TUI_PROMPT_MAX)
		return 0;
	memmove(w + *cur + 1, w + *cur, (*n - *cur) * sizeof *w);
	w[(*cur)++] = (wchar_t)key;
	(*n)++;
	return 0;
}

char *
tui_prompt(struct tui *t, const char *label, const char *initial)
{
	wchar_t w[TUI_PROMPT_MAX];
	size_t n = 0, cur;
	char *out = NULL;
	int key, r = 0;

	if (initial != NULL)
		n = tui_utf8_to_wide(initial, w, TUI_PROMPT_MAX - 1);
	cur = n;
	free(t->msg);
	t->msg = NULL;
	curs_set(1);
	timeout(-1);
	while (r == 0 && !tui_signalled) {
		tui_prompt_draw(t, label, w, n, cur);
		if ((key = tui_read()) == -1)
			continue;
		r = tui_prompt_key(key, w, &n, &cur);
	}
	curs_set(0);
	if (r == 1)
		tui_wide_to_utf8(w, n, &out);
	return out;
}

static void
tui_menu_draw(struct tui *t, const char *title, const char *const *items,
    size_t n, size_t sel, size_t top, int h, int w)
{
	char label[8], *framed;
	int y0, x0;
	size_t k;

	tui_draw(t);
	y0 = (LINES - h) / 2;
	x0 = (COLS - w) / 2;
	tui_box(y0, x0, h, w, ROLE_MENU);
	xasprintf(&framed, " %s ", title);
	tui_put(y0, x0 + 1, w - 2, ROLE_MENU, framed);
	free(framed);
	for (k = top; k < n && (int)(k - top) < h - 2; k++) {
		enum theme_role r = k == sel ? ROLE_MENU_SELECTED : ROLE_MENU;

		if (k < 9)
			snprintf(label, sizeof label, "%zu ", k + 1);
		else
			snprintf(label, sizeof label, "  ");
		tui_fill(y0 + 1 + (int)(k - top), x0 + 1, w - 2, r);
		tui_put(y0 + 1 + (int)(k - top), x0 + 2, 3, r, label);
		tui_put(y0 + 1 + (int)(k - top), x0 + 4, w - 6, r, items[k]);
	}
	wnoutrefresh(stdscr);
	doupdate();
}

int
tui_menu(struct tui *t, const char *title, const char *const *items,
    size_t n)
{
	size_t sel = 0, top = 0, k;
	int h, w, key, rows;
	enum action_id a;

	if (n == 0)
		return -1;
	timeout(-1);
	while (!tui_signalled) {
		w = text_width(title) + 4;
		for (k = 0; k < n; k++)
			if (text_width(items[k]) + 8 > w)
				w = text_width(items[k]) + 8;
		w = w > COLS - 2 ? COLS - 2 : w;
		h = (int)n + 2 > LINES - 2 ? LINES - 2 : (int)n + 2;
		rows = h - 2;
		if (sel < top)
			top = sel;
		if ((int)(sel - top) >= rows)
			top = sel - (size_t)rows + 1;
		tui_menu_draw(t, title, items, n, sel, top, h, w);
		if ((key = tui_read()) == -1)
			continue;
		if (key == '\n')
			return (int)sel;
		if (key == TUI_ESC || key == 'q' || key == 7)
			return -1;
		if (key >= '1' && key <= '9' && (size_t)(key - '1') < n)
			return key - '1';
		a = keymap_lookup(t->keymap, ACTION_SCOPE_HELP, key);
		if (a == ACTION_MOVE_DOWN && sel + 1 < n)
			sel++;
		else if (a == ACTION_MOVE_UP && sel > 0)
			sel--;
	}
	return -1;
}

int
tui_getkey(struct tui *t, const char *hint)
{
	int key;

	tui_message(t, "%s", hint);
	tui_draw(t);
	timeout(-1);
	do
		key = tui_read();
	while (key == -1 && !tui_signalled);
	free(t->msg);
	t->msg = NULL;
	return key == TUI_ESC ? -1 : key;
}

/* Entry. */

static void
tui_free(struct tui *t)
{
	while (t->nviews > 0)
		tui_pop(t);
	keymap_free(t->keymap);
	theme_free(&t->theme);
	tui_lead_cleanup();
	free(t->msg);
}

/* Keys and theme from the user's config; problems become the message. */
/*
 * A bad line of the theme: said on stderr, as the playbook's are (seen
 * once the board closes), and the first of them on the board's last line.
 */
static void
tui_theme_warn(const char *msg, void *arg)
{
	char **first = arg;

	fprintf(stderr, "smk: %s\n", msg);
	if (*first == NULL)
		*first = xstrdup(msg);
}

static void
tui_setup(struct tui *t)
{
	char *why[3] = { NULL, NULL, NULL }, *all = NULL, *next;
	size_t i;

	t->keymap = keymap_create();
	keymap_load(t->keymap, t->ctx->cfg->keys, t->ctx->cfg->nkeys, &why[0]);
	theme_load(&t->theme, t->ctx->cfg->theme, tui_theme_warn, &why[2],
	    &why[1]);
	for (i = 0; i < 3; i++) {
		if (why[i] == NULL)
			continue;
		xasprintf(&next, "%s%s%s", all != NULL ? all : "",
		    all != NULL ? "; " : "", why[i]);
		free(all);
		free(why[i]);
		all = next;
	}
	if (all != NULL)
		tui_error(t, "%s", all);
	free(all);
}

int
tui_run(struct tui_ctx *ctx, char **cause)
{
	struct tui t;
	struct sigaction old[3];

	/* Curses would draw into a pipe and read its end forever. */
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		xasprintf(cause, "the board needs a terminal (over ssh, use "
		    "ssh -t); scripts use the commands in smk --help");
		return SMK_EUSER;
	}
	memset(&t, 0, sizeof t);
	t.ctx = ctx;
	t.breaches = -1;
	if (tui_hooks == NULL)
		tui_set_sla_hooks(&view_sla_hooks);
	if (ctx->cfg->refresh_ms <= 0)
		ctx->cfg->refresh_ms = 1000;
	setlocale(LC_CTYPE, "");
	tui_setup(&t);
	tui_signalled = 0;
	tui_signals(old);
	tui_curses_start(&t);
	t.data_version = store_data_version(ctx->store);
	t.fresh = t.ticked = time(NULL);
	t.last_poll_ms = tui_clock_ms();
	if (tui_push(&t, &view_board_ops, NULL) != 0) {
		tui_endwin();
		fatal_set_hook(NULL);
		tui_signals_restore(old);
		xasprintf(cause, "%s", t.msg != NULL ? t.msg : "cannot open");
		tui_free(&t);
		return SMK_EFILE;
	}
	t.breaches_due = true;
	tui_reload(&t);
	tui_loop(&t);
	tui_free(&t);
	tui_endwin();
	fatal_set_hook(NULL);
	tui_signals_restore(old);
	return SMK_OK;
}
