# Helpers for smk's shell tests (integration and tmux end-to-end).
# Source it; each check prints "ok - NAME" or "not ok - NAME" plus why, and
# tests/run.sh counts those lines. Everything a test depends on is pinned:
# the clock (--at), TZ, HOME, the locale, TERM and the terminal size.

ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
SMK=${SMK:-$ROOT/.build/san/smk}
T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/smk-it.XXXXXX")
T_FAILED=0
export TZ=UTC HOME="$T_DIR/home" LC_ALL=C.UTF-8 LANG=C.UTF-8
export TERM=xterm-256color NO_COLOR=
unset SMK_DB XDG_CONFIG_HOME EDITOR VISUAL
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:exitcode=99}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=98}
mkdir -p "$HOME"

t_cleanup() {
	[ -n "${T_TMUX:-}" ] && tmux -L "$T_TMUX" kill-server 2>/dev/null
	rm -rf "$T_DIR"
}
trap t_cleanup EXIT

ok() { printf 'ok - %s\n' "$1"; }
not_ok() {
	printf 'not ok - %s\n' "$1"
	shift
	[ $# -gt 0 ] && printf '%s\n' "$@" | sed 's/^/#   /'
	T_FAILED=$((T_FAILED + 1))
}

# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else
		not_ok "$1" "expected: $2" "actual:   $3"; fi
}

# expect_match NAME ERE TEXT
expect_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then ok "$1"; else
		not_ok "$1" "no match for /$2/ in:" "$3"; fi
}

# expect_no_match NAME ERE TEXT
expect_no_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		not_ok "$1" "unexpected match for /$2/ in:" "$3"; else ok "$1"; fi
}

# expect_code NAME CODE CMD...: run CMD, keep its output in $OUT and $ERR.
expect_code() {
	_name=$1 _want=$2
	shift 2
	"$@" >"$T_DIR/.out" 2>"$T_DIR/.err"
	_got=$?
	OUT=$(cat "$T_DIR/.out")
	ERR=$(cat "$T_DIR/.err")
	if [ "$_got" = "$_want" ]; then ok "$_name"; else
		not_ok "$_name" "exit $_got, wanted $_want: $*" "stdout: $OUT" \
		    "stderr: $ERR"; fi
}

# smk_db FILE: a fresh database with the test playbook beside it and the
# team of tests/data/team.txt, with the clock pinned at $AT.
AT=${AT:-2026-11-02T14:00:00Z}
smk_db() {
	_db=$1
	mkdir -p "$(dirname "$_db")"
	cp "$ROOT/tests/data/test-smk.ini" "$(dirname "$_db")/smk.ini"
	"$SMK" --db "$_db" --at "$AT" init >/dev/null || return 1
	while read -r login team role name; do
		[ -z "$login" ] && continue
		"$SMK" --db "$_db" --at "$AT" rep add "$login" --name "$name" \
		    --team "$team" --role "$role" >/dev/null || return 1
	done <"$ROOT/tests/data/team.txt"
}

# act AT USER ARGS...: one step of a test's history on $DB, effective at
# AT, as USER; a step that fails is reported with what smk said.
act() {
	_at=$1 _u=$2
	shift 2
	"$SMK" --db "$DB" --at "$_at" --user "$_u" "$@" >/dev/null \
	    2>"$T_DIR/.acterr" || not_ok "history: $*" "$(cat "$T_DIR/.acterr")"
}

# lf TEXT: CSV lines end in CRLF (RFC 4180); the text without the CRs.
lf() { printf '%s\n' "$1" | tr -d '\r'; }

# sql DB QUERY: read the file with the sqlite3 shell.
sql() { sqlite3 -batch -noheader -cmd '.timeout 5000' "$1" "$2"; }

# tmux end-to-end helpers: a private server per test file.
T_TMUX=smk-e2e-$$
tm() { tmux -L "$T_TMUX" -f /dev/null "$@"; }
# tm_start NAME COLS ROWS CMD...
tm_start() {
	_n=$1 _c=$2 _r=$3
	shift 3
	tm new-session -d -s "$_n" -x "$_c" -y "$_r" \
	    "env TERM=$TERM TZ=$TZ HOME=$HOME LC_ALL=$LC_ALL $*; sleep 30"
	tm set-option -t "$_n" -g status off >/dev/null 2>&1
}
tm_keys() { _n=$1; shift; tm send-keys -t "$_n" "$@"; }
tm_screen() { tm capture-pane -p -t "$1"; }
# tm_until SECONDS CMD...: run CMD every 0.1 s until it succeeds, or fail.
tm_until() {
	_i=0 _max=$(($1 * 10))
	shift
	while [ $_i -lt $_max ]; do
		"$@" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}
tm_shows() { tm_screen "$1" | grep -Eq -- "$2"; }
tm_hides() { ! tm_shows "$1" "$2"; }
tm_row_shows() { tm_screen "$1" | sed -n "$2p" | grep -Eq -- "$3"; }
# tm_wait NAME ERE [SECONDS]: wait until the screen shows ERE.
tm_wait() { tm_until "${3:-5}" tm_shows "$1" "$2"; }
# tm_wait_gone NAME ERE [SECONDS]: wait until the screen no longer shows ERE.
tm_wait_gone() { tm_until "${3:-5}" tm_hides "$1" "$2"; }
# tm_wait_line NAME N ERE [SECONDS]: wait until row N (from 1) shows ERE.
tm_wait_line() { tm_until "${4:-5}" tm_row_shows "$1" "$2" "$3"; }
# expect_screen NAME SESSION ERE [SECONDS]
expect_screen() {
	if tm_wait "$2" "$3" "${4:-5}"; then ok "$1"; else
		not_ok "$1" "screen never showed /$3/:" "$(tm_screen "$2")"; fi
}

t_done() { exit $((T_FAILED > 0)); }
