/*
 * Lead detail: the fields, the score rule by rule, the timeline of events
 * and activities, and the notes, as scrollable lines rebuilt when the lead
 * or the file changes. Notes are edited in $EDITOR. Changes go through
 * tui_lead_action and lead_set; it never writes to the store itself.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "smk/score.h"
#include "smk/text.h"
#include "smk/tui.h"
#include "smk/when.h"
#include "smk/xmalloc.h"

#define DETAIL_NOTES_MAX	(1024 * 1024)
#define DETAIL_WHEEL_ROWS	3

struct detail {
	int64_t		 id;
	struct lead	 lead;
	bool		 loaded;
	struct tui_lines lines;
	int		 h;	/* rows shown at the last draw */
	char		*draft;	/* notes written but not saved (a conflict) */
	char		*draft_base; /* ... and the notes it was written from */
};

static const enum action_id detail_hints[] = {
	ACTION_HELP, ACTION_STAGE_NEXT, ACTION_STAGE_BACK, ACTION_STAGE_EXIT,
	ACTION_LOG_ATTEMPT, ACTION_REASSIGN, ACTION_EDIT_NOTES, ACTION_CLOSE,
	ACTION_NONE
};

/* Viewer-local "2026-11-02 09:00", or "-" for never. */
static const char *
detail_time(time_t at, char *buf, size_t len)
{
	struct tm tm;

	if (at == 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	when_viewer_tm(at, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
	return buf;
}

static void
detail_field(struct detail *d, const char *label, const char *value)
{
	tui_lines_add(&d->lines, ROLE_NORMAL, 2, "%-12s %s", label,
	    value != NULL && *value != '\0' ? value : "-");
}

static void
detail_fields(struct tui *t, struct detail *d)
{
	const struct lead *l = &d->lead;
	const struct config *cfg = tui_config(t);
	int si = config_stage_index(cfg, l->stage);
	char name[128], buf[96], t1[32], t2[32];

	tui_lines_add(&d->lines, ROLE_TITLE, 0, "%s  <%s>  #%lld",
	    tui_lead_name(l, name, sizeof name), l->email, (long long)l->id);
	detail_field(d, "stage", si >= 0 ? cfg->stages[si].label : l->stage);
	detail_field(d, "owner", l->owner != NULL ? l->owner : "unassigned");
	detail_field(d, "company", l->company);
	detail_field(d, "title", l->title);
	detail_field(d, "phone", l->phone);
	detail_field(d, "source", l->source);
	detail_field(d, "country", l->country);
	snprintf(buf, sizeof buf, "%d (fit %d, engagement %d)", l->score,
	    l->fit, l->engagement);
	detail_field(d, "score", buf);
	if (l->has_amount) {
		snprintf(buf, sizeof buf, "%lld %s", (long long)l->amount,
		    cfg->currency != NULL ? cfg->currency : "");
		detail_field(d, "amount", buf);
	}
	snprintf(buf, sizeof buf, "%d visits, %d forms, %d pages", l->visits,
	    l->forms, l->pages);
	detail_field(d, "activity", buf);
	snprintf(buf, sizeof buf, "%s, updated %s",
	    detail_time(l->created_at, t1, sizeof t1),
	    detail_time(l->updated_at, t2, sizeof t2));
	detail_field(d, "created", buf);
	detail_field(d, "last touch", detail_time(l->last_activity_at, t1,
	    sizeof t1));
}

static void
detail_score(struct tui *t, struct detail *d)
{
	char *why, *cause = NULL, *line, *save = NULL;

	tui_lines_add(&d->lines, ROLE_NORMAL, 0, "%s", "");
	tui_lines_add(&d->lines, ROLE_LABEL, 0, "Score");
	why = score_explain_cfg(tui_config(t), &d->lead, tui_now(t), &cause);
	if (why == NULL) {
		tui_lines_add(&d->lines, ROLE_ERROR, 2, "%s", cause);
		free(cause);
		return;
	}
	if (*why == '\0')
		tui_lines_add(&d->lines, ROLE_HINT, 2, "no rule matches");
	for (line = strtok_r(why, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		tui_lines_add(&d->lines, ROLE_NORMAL, 2, "%s", line);
	free(why);
}

static int
detail_entry(const struct store_entry *e, void *arg)
{
	struct detail *d = arg;
	char at[32], what[256];

	detail_time(e->at, at, sizeof at);
	if (e->from != NULL || e->to != NULL)
		snprintf(what, sizeof what, "%s %s -> %s",
		    e->field != NULL ? e->field : "",
		    e->from != NULL ? e->from : "-", e->to != NULL ? e->to : "-");
	else
		snprintf(what, sizeof what, "%s", e->field != NULL ?
		    e->field : "");
	tui_lines_add(&d->lines, ROLE_NORMAL, 2, "%s  %-10s %-8s %s%s%s", at,
	    e->user != NULL ? e->user : "?", e->kind, what,
	    e->note != NULL && *e->note != '\0' ? "  -- " : "",
	    e->note != NULL ? e->note : "");
	return 0;
}

static void
detail_notes(struct detail *d)
{
	char *copy, *line, *p;

	tui_lines_add(&d->lines, ROLE_NORMAL, 0, "%s", "");
	tui_lines_add(&d->lines, ROLE_LABEL, 0, "Notes (E edits)");
	if (d->lead.notes == NULL || *d->lead.notes == '\0') {
		tui_lines_add(&d->lines, ROLE_HINT, 2, "none");
		return;
	}
	copy = xstrdup(d->lead.notes);
	for (line = copy; line != NULL; line = p) {
		if ((p = strchr(line, '\n')) != NULL)
			*p++ = '\0';
		tui_lines_add(&d->lines, ROLE_NORMAL, 2, "%s", line);
	}
	free(copy);
}

/* Reload the lead and rebuild every line, keeping the scroll position. */
static void
detail_build(struct tui *t, struct detail *d)
{
	char *cause = NULL;
	int top = d->lines.top;

	tui_lines_clear(&d->lines);
	d->lines.top = top;
	lead_clear(&d->lead);
	d->loaded = store_lead_get(tui_store(t), d->id, &d->lead, &cause) ==
	    STORE_OK;
	if (!d->loaded) {
		tui_lines_add(&d->lines, ROLE_ERROR, 0, "lead %lld: %s",
		    (long long)d->id, cause != NULL ? cause : "not found");
		free(cause);
		return;
	}
	detail_fields(t, d);
	detail_score(t, d);
	tui_lines_add(&d->lines, ROLE_NORMAL, 0, "%s", "");
	tui_lines_add(&d->lines, ROLE_LABEL, 0, "Timeline");
	if (store_timeline(tui_store(t), d->id, detail_entry, d, &cause) !=
	    STORE_OK) {
		tui_lines_add(&d->lines, ROLE_ERROR, 2, "%s", cause);
		free(cause);
	}
	detail_notes(d);
}

/* Write s to a private temporary file; returns its path or NULL. */
static char *
detail_tmpfile(const char *s)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	FILE *f;
	int fd;

	xasprintf(&path, "%s/smk-notes.XXXXXX", dir != NULL ? dir : "/tmp");
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		if (fd != -1)
			close(fd);
		free(path);
		return NULL;
	}
	/* Text ends in a newline, so that what an editor adds goes below. */
	if (s != NULL && *s != '\0')
		fprintf(f, "%s\n", s);
	if (fclose(f) != 0) {
		unlink(path);
		free(path);
		return NULL;
	}
	return path;
}

static char *
detail_slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (f == NULL)
		return NULL;
	buf = xmalloc(DETAIL_NOTES_MAX + 1);
	n = fread(buf, 1, DETAIL_NOTES_MAX, f);
	buf[n] = '\0';
	fclose(f);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return buf;
}

/* $VISUAL, else $EDITOR, else vi; it may carry arguments ("vi -n"). */
static const char *
detail_editor(void)
{
	const char *ed = getenv("VISUAL");

	if (ed == NULL || *ed == '\0')
		ed = getenv("EDITOR");
	if (ed == NULL || *ed == '\0')
		ed = "vi";
	return ed;
}

/*
 * Run the editor on path through the shell, which splits its arguments.
 * As system(3) does, C-c and C-\ are the editor's while it runs (vi
 * cancels a command with C-c): the board must not quit under it.
 */
static int
detail_run_editor(const char *path)
{
	struct sigaction ign, dfl, oint, oquit;
	pid_t pid;
	int status, rc = -1;

	memset(&ign, 0, sizeof ign);
	sigemptyset(&ign.sa_mask);
	dfl = ign;
	ign.sa_handler = SIG_IGN;
	dfl.sa_handler = SIG_DFL;
	sigaction(SIGINT, &ign, &oint);
	sigaction(SIGQUIT, &ign, &oquit);
	if ((pid = fork()) == 0) {
		sigaction(SIGINT, &dfl, NULL);
		sigaction(SIGQUIT, &dfl, NULL);
		execl("/bin/sh", "sh", "-c", "exec $0 \"$1\"", detail_editor(),
		    path, (char *)NULL);
		_exit(127);
	}
	while (pid != -1 && waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR)
			goto out;
	}
	if (pid != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		rc = 0;
out:
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGQUIT, &oquit, NULL);
	return rc;
}

static void
detail_draft_drop(struct detail *d)
{
	free(d->draft);
	free(d->draft_base);
	d->draft = d->draft_base = NULL;
}

/*
 * Save what the editor wrote. Refused (someone changed the lead since it
 * was loaded), the text is kept as a draft for the next E: what the user
 * wrote is never lost, and never written over the other change unseen.
 */
static int
detail_save_notes(struct tui *t, struct detail *d, char *text)
{
	struct store_conflict c;
	char *cause = NULL, *base;
	enum smk_err rc;

	memset(&c, 0, sizeof c);
	base = xstrdup(d->lead.notes != NULL ? d->lead.notes : "");
	rc = lead_set(tui_store(t), tui_config(t), tui_actor(t), &d->lead,
	    "notes", *text != '\0' ? text : NULL, tui_now(t), &c, &cause);
	store_conflict_clear(&c);
	detail_draft_drop(d);
	if (rc != SMK_OK) {
		/* First, so that the narrowest screen still says it. */
		tui_error(t, "notes not saved, E edits them again: %s",
		    cause != NULL ? cause : "the change failed");
		free(cause);
		d->draft = text;
		d->draft_base = base;
	} else {
		free(base);
		tui_message(t, "notes saved");
		free(text);
	}
	return TUI_RELOAD;
}

/*
 * The editor's file: the notes, or after a refused save the unsaved text.
 * When someone else changed the notes meanwhile, their notes come first
 * and the unsaved text below a line that says so: the user merges them,
 * and neither is lost unseen.
 */
#define DETAIL_DRAFT_LINE \
	"----- your text below was not saved: someone changed the notes " \
	"above; merge it, then delete this line -----"

static char *
detail_draft_file(const struct detail *d)
{
	const char *now = d->lead.notes != NULL ? d->lead.notes : "";
	char *text, *path;

	if (d->draft == NULL)
		return detail_tmpfile(now);
	if (strcmp(d->draft_base, now) == 0)
		return detail_tmpfile(d->draft);
	xasprintf(&text, "%s%s%s\n%s", now, *now != '\0' &&
	    now[strlen(now) - 1] != '\n' ? "\n" : "", DETAIL_DRAFT_LINE,
	    d->draft);
	path = detail_tmpfile(text);
	free(text);
	return path;
}

static int
detail_edit_notes(struct tui *t, struct detail *d)
{
	char *path, *text, *cause = NULL;
	int ok;

	if (!lead_may_change(tui_actor(t), &d->lead, &cause)) {
		tui_error(t, "%s", cause);
		free(cause);
		return TUI_DRAW;
	}
	path = detail_draft_file(d);
	if (path == NULL) {
		tui_error(t, "cannot write a temporary file for the editor");
		return TUI_DRAW;
	}
	tui_suspend(t);
	ok = detail_run_editor(path);
	tui_resume(t);
	text = ok == 0 ? detail_slurp(path) : NULL;
	unlink(path);
	free(path);
	if (text == NULL) {
		tui_error(t, "the editor failed; the notes are unchanged");
		return TUI_DRAW;
	}
	if (strcmp(text, d->lead.notes != NULL ? d->lead.notes : "") == 0) {
		tui_message(t, "notes unchanged");
		free(text);
		detail_draft_drop(d);
		return TUI_DRAW;
	}
	return detail_save_notes(t, d, text);
}

static int
detail_key(struct tui *t, struct view *v, enum action_id a, int key)
{
	struct detail *d = v->data;
	int flags;

	(void)key;
	switch (a) {
	case ACTION_CLOSE:
		return TUI_CLOSE;
	case ACTION_EDIT_NOTES:
		if (!d->loaded)
			return TUI_DRAW;
		return detail_edit_notes(t, d);
	case ACTION_STAGE_NEXT: case ACTION_STAGE_BACK:
	case ACTION_STAGE_EXIT: case ACTION_LOG_ATTEMPT:
	case ACTION_REASSIGN:
		if (!d->loaded)
			return TUI_DRAW;
		flags = tui_lead_action(t, a, &d->lead);
		return flags;
	default:
		return tui_lines_key(&d->lines, a, d->h);
	}
}

/* The wheel scrolls the lines, as on the board; clicks do nothing here. */
static int
detail_mouse(struct tui *t, struct view *v, int y, int x, int button)
{
	struct detail *d = v->data;
	enum action_id a = button == 4 ? ACTION_MOVE_UP : ACTION_MOVE_DOWN;
	int i, flags = TUI_NONE;

	(void)t;
	(void)y;
	(void)x;
	if (button != 4 && button != 5)
		return TUI_NONE;
	for (i = 0; i < DETAIL_WHEEL_ROWS; i++)
		flags |= tui_lines_key(&d->lines, a, d->h);
	return flags;
}

static void
detail_draw(struct tui *t, struct view *v, int y, int x, int h, int w)
{
	struct detail *d = v->data;

	(void)t;
	d->h = h;
	tui_lines_draw(&d->lines, y, x + 1, h, w - 1);
}

static int
detail_reload(struct tui *t, struct view *v)
{
	detail_build(t, v->data);
	return TUI_DRAW;
}

static int
detail_open(struct tui *t, struct view *v, const void *arg, char **cause)
{
	struct detail *d;

	if (arg == NULL) {
		xasprintf(cause, "no lead selected");
		return -1;
	}
	d = xcalloc(1, sizeof *d);
	d->id = *(const int64_t *)arg;
	v->data = d;
	detail_build(t, d);
	return 0;
}

static void
detail_close(struct tui *t, struct view *v)
{
	struct detail *d = v->data;

	(void)t;
	tui_lines_clear(&d->lines);
	lead_clear(&d->lead);
	detail_draft_drop(d);
	free(d);
}

const struct view_ops view_detail_ops = {
	.name = "detail",
	.scope = ACTION_SCOPE_DETAIL,
	.open = detail_open,
	.close = detail_close,
	.draw = detail_draw,
	.key = detail_key,
	.reload = detail_reload,
	.mouse = detail_mouse,
	.hints = detail_hints,
};
