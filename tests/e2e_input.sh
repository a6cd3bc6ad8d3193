#!/bin/sh
# Input that is not a key, end to end: the mouse on the board and the lead
# detail, and notes written in $EDITOR. The real binary runs in tmux at
# 80x24 and 200x50; the mouse is typed as the bytes a terminal sends, and
# the file is checked afterwards with the sqlite3 shell. Clock, TZ, HOME,
# TERM and sizes are pinned (tests/lib.sh).
#
# TERM is xterm-256color, whose kmous is "\E[<": ncurses asks for (XM) and
# decodes the SGR 1006 form, ESC [ < button ; x ; y M on a press and m on a
# release, x and y counted from 1; the wheel is buttons 64 (up) and 65
# (down). Under tmux's own TERM (tmux-256color, kmous "\E[M") it decodes the
# X10 form, ESC [ M then three bytes: 32 + button, 32 + x, 32 + y.
. "$(dirname "$0")/lib.sh"

DB=$T_DIR/input/team.db
smk_db "$DB" || { not_ok "create the test database"; t_done; }
run() { "$SMK" --db "$DB" --at "$AT" "$@" >/dev/null; }
# 20 MQL cards, more than either screen shows: ids 1..20, all scored 0, so
# the column lists them in this order.
for n in Ann Bob Cat Dan Eve Fay Gus Hal Ivy Jon Kim Lou Mae Ned Oli Pat \
    Quin Rob Sue Tom; do
	l=$(printf '%s' "$n" | tr 'A-Z' 'a-z')
	run --user boss add "$l@example.com" --first "$n" --last Mql \
	    --company "${n}co" --stage mql
done
run --user boss add zed@example.com --first Zed --last Sql --company Zco \
    --stage sql --owner sam
run --user boss add liz@example.com --first Liz --last Long --company Lco \
    --stage opportunity --owner sam
for k in call email meeting social call email call; do
	act "$AT" boss log liz@example.com "$k" --note "touch $k"
done

BOARD="$SMK --db $DB --at $AT --user boss"
ZED=$(sql "$DB" "select id from leads where email = 'zed@example.com'")

# click S X Y [BUTTON]: press and release at column X, row Y (from 1).
click() {
	tm_keys "$1" -l "$(printf '\033[<%d;%d;%dM\033[<%d;%d;%dm' \
	    "${4:-0}" "$2" "$3" "${4:-0}" "$2" "$3")"
}
# wheel S up|down X Y
wheel() {
	_b=64
	[ "$2" = down ] && _b=65
	tm_keys "$1" -l "$(printf '\033[<%d;%d;%dM' "$_b" "$3" "$4")"
}
# x10 S BUTTON X Y: one event in the X10 form (X, Y below 95).
x10() {
	tm_keys "$1" -l "$(printf '\033[M%b%b%b' \
	    "\\0$(printf %o $((32 + $2)))" "\\0$(printf %o $((32 + $3)))" \
	    "\\0$(printf %o $((32 + $4)))")"
}
# opens S ERE NAME: Enter opens the selected lead; its title shows ERE.
# q closes it, only once it is open: on the board q would quit, and one
# failed check would become a cascade.
opens() {
	tm_keys "$1" Enter
	expect_screen "$3" "$1" "^ $2 "
	if tm_wait "$1" '<Esc>:close' 1; then
		tm_keys "$1" q
		tm_wait "$1" '<Enter>:open' ||
		    not_ok "back on the board after $3"
	fi
}
# ready S: the board is up and its first breach count is done.
ready() { tm_wait "$1" ' [0-9]+ breached' 10; }
# line S N: row N of the screen (from 1).
line() { tm_screen "$1" | sed -n "$2p"; }

# --- 80x24: four columns of 19, two-line cards from row 4 ---------------
# Columns start at x 1, 21, 41, 61; separators at 20, 40, 60; row 2 holds
# the headers, row 3 the rule, rows 4..23 ten cards, row 24 the hints.
RC=$T_DIR/rc80
tm_start m80 80 24 "$BOARD; echo \$? >$RC"
expect_screen "80x24: the board is up" m80 'MQL 20 .*SQL 1'
ready m80
click m80 45 8
opens m80 'Cat Mql  <cat@example.com>' \
    "80x24: a click on a card's name selects it"
click m80 45 7
opens m80 'Bob Mql  <bob@example.com>' \
    "80x24: a click on a card's second line selects the same card"
click m80 65 2
opens m80 'Zed Sql  <zed@example.com>' \
    "80x24: a click on a header selects that column"

# The wheel scrolls the column under the pointer, not the selected one.
wheel m80 down 45 10
expect_screen "80x24: the wheel scrolls the MQL column 3 cards" m80 \
    '^ \(empty\) .*│ Dan Mql +0 │ Zed Sql'
wheel m80 down 45 10
wheel m80 down 45 10
expect_screen "... and again, to Jon" m80 '│ Jon Mql +0 │ Zed Sql'
sleep 1.5	# the status line's clock repaints the board
expect_match "... the column stays scrolled (not pulled back to Bob)" \
    '│ Jon Mql +0 │' "$(line m80 4)"
tm_keys m80 C-l
sleep 0.5
tm_wait_line m80 4 '│ Jon Mql +0 │'
expect_match "... also after a reload" '│ Jon Mql +0 │' "$(line m80 4)"
wheel m80 down 45 10
# The last page has Kim on top; wait for it, then look at both ends.
tm_wait_line m80 4 '│ Kim Mql +0 │'
expect_match "... down to its last card and no further" \
    'Tom Mql' "$(line m80 22)"
expect_match "... the wheel stops at the last card" '│ Kim Mql +0 │' \
    "$(line m80 4)"
wheel m80 up 45 12
expect_screen "80x24: the wheel scrolls back up" m80 \
    '│ Hal Mql +0 │ Zed Sql'
opens m80 'Zed Sql  <zed@example.com>' \
    "80x24: the wheel leaves the selected column alone"

# Clicks on nothing: the status line, the hint line, a separator, under
# the last card, an empty column, the '>' marker, other buttons, far away.
click m80 45 1
click m80 45 24
click m80 60 6
click m80 65 10
click m80 5 6
click m80 80 2
click m80 45 8 2
click m80 45 8 1
click m80 300 100
wheel m80 down 45 1
wheel m80 down 45 24
opens m80 'Zed Sql  <zed@example.com>' \
    "80x24: clicks on nothing change nothing"
expect_no_match "... and say nothing" 'no action here' "$(tm_screen m80)"
expect_match "... and scroll nothing" '│ Hal Mql +0 │' "$(line m80 4)"
click m80 45 23
opens m80 'Quin Mql  <quin@example.com>' \
    "80x24: a click on the lowest card of a scrolled column"

# The lead detail: the wheel scrolls it, clicks do nothing.
tm_keys m80 h h h h h l l l l Enter
expect_screen "80x24: Liz's detail is open" m80 '^ Liz Long  <liz@'
wheel m80 down 40 12
expect_screen "80x24: the wheel scrolls the detail down 3 lines" m80 \
    '^   company +Lco'
expect_no_match "... past its title" 'Liz Long  <liz@' "$(line m80 2)"
click m80 40 12
wheel m80 up 40 12
expect_screen "... and back up" m80 '^ Liz Long  <liz@'
tm_keys m80 q
tm_keys m80 q
sleep 1
expect_eq "80x24: the board exits cleanly after all that" 0 \
    "$(cat "$RC" 2>/dev/null)"

# --- 80x24 under tmux's own TERM: the X10 form ---------------------------
tm_start x10 80 24 "env TERM=tmux-256color $BOARD"
expect_screen "tmux-256color: the board is up" x10 'MQL 20 .*SQL 1'
ready x10
x10 x10 0 45 8
x10 x10 3 45 8
opens x10 'Cat Mql  <cat@example.com>' "tmux-256color: an X10 click selects"
x10 x10 65 45 10
expect_screen "tmux-256color: an X10 wheel scrolls" x10 '│ Dan Mql +0 │'
tm_keys x10 q

# --- 200x50: six columns of 32, three-line cards from row 4 --------------
# Columns start at x 1, 34, 67, 100, 133, 166; 15 cards of 3 rows each.
RC2=$T_DIR/rc200
tm_start m200 200 50 "$BOARD; echo \$? >$RC2"
expect_screen "200x50: every funnel column" m200 \
    'MQL 20 .*SQL 1 .*Opportunity 1 .*Customer 0'
ready m200
click m200 80 15
opens m200 'Dan Mql  <dan@example.com>' \
    "200x50: a click on a card's third line selects it"
click m200 140 2
opens m200 'Liz Long  <liz@example.com>' \
    "200x50: a click on the Opportunity header selects it"
click m200 99 8
click m200 199 5
click m200 200 2
click m200 140 20
opens m200 'Liz Long  <liz@example.com>' \
    "200x50: separators, the right margin, below the cards: nothing"
wheel m200 down 80 30
expect_screen "200x50: the wheel scrolls the MQL column" m200 \
    '│ Dan Mql +0 +│ Zed Sql'
wheel m200 down 80 30
wheel m200 down 80 30
expect_screen "... to its last page and no further" m200 \
    '│ Fay Mql +0 +│ Zed Sql'
expect_match "... where Tom is the last card" 'Tom Mql' \
    "$(line m200 46)"
tm_keys m200 e
expect_screen "200x50: with the exits, eight columns" m200 \
    'Recycled 0 .*Disqualified 0'
click m200 160 2
tm_keys m200 '>'
expect_screen "200x50: a click on the Recycled header selects it" m200 \
    'no lead here'
click m200 80 2
opens m200 'Zed Sql  <zed@example.com>' \
    "... and one on the SQL header, now narrower"
tm_keys m200 q
sleep 1
expect_eq "200x50: the board exits cleanly" 0 "$(cat "$RC2" 2>/dev/null)"

# --- $EDITOR ---------------------------------------------------------------
# The editors: they say how they were called, draw on the terminal as a
# real editor would, then do what their name says.
mkdir -p "$T_DIR/bin" "$T_DIR/tmp"
cat >"$T_DIR/bin/append" <<EOF
#!/bin/sh
printf '%s\n' "\$@" >"$T_DIR/args"
printf 'EDITOR WAS HERE\n' >/dev/tty
for f; do :; done	# the file is the last argument
printf '%s\n' "\${NOTE:-called back, wants a demo}" >>"\$f"
EOF
cat >"$T_DIR/bin/fail" <<EOF
#!/bin/sh
printf 'no demo\n' >>"\$1"
exit 3
EOF
cat >"$T_DIR/bin/same" <<EOF
#!/bin/sh
touch "\$1"
EOF
# Like vi: C-c is for the editor; it goes on and saves.
cat >"$T_DIR/bin/patient" <<EOF
#!/bin/sh
trap 'printf "after C-c\n" >>"\$1"' INT
: >"$T_DIR/waiting"
i=0
while [ ! -e "$T_DIR/go" ] && [ \$i -lt 50 ]; do sleep 0.1; i=\$((i + 1)); done
printf 'patient\n' >>"\$1"
EOF
# Someone else changes the lead while the notes are being written.
cat >"$T_DIR/bin/racer" <<EOF
#!/bin/sh
if [ -e "$T_DIR/race" ]; then
	rm -f "$T_DIR/race"
	$SMK --db $DB --at $AT --user mgr set zed@example.com company Zed2 \
	    >/dev/null 2>&1
fi
grep -q 'raced' "\$1" || printf 'raced\n' >>"\$1"
EOF
# ... and the same, but the other change is to the notes themselves.
cat >"$T_DIR/bin/noteracer" <<EOF
#!/bin/sh
if [ -e "$T_DIR/race" ]; then
	rm -f "$T_DIR/race"
	sqlite3 "$DB" "update leads set notes = 'theirs', version = version + 1
	    where id = $ZED"
fi
grep -q 'mine' "\$1" || printf 'mine\n' >>"\$1"
EOF
cp "$T_DIR/bin/append" "$T_DIR/bin/vi"
chmod +x "$T_DIR/bin"/*

ver() { sql "$DB" "select version from leads where id = $ZED"; }
notes() {
	sql "$DB" "select ifnull(notes, '(null)') from leads where id = $ZED"
}
nevents() {
	sql "$DB" "select count(*) from events where lead_id = $ZED and
	    kind = 'update' and field = 'notes'"
}
# edit S: open Zed's detail from the board (the SQL column) and press E.
edit() {
	tm_keys "$1" l l l Enter
	tm_wait "$1" '^ Zed Sql  <zed@' || not_ok "open Zed's detail in $1" \
	    "$(tm_screen "$1")"
	tm_keys "$1" E
}
# editor S EDITOR...: a board whose editor is EDITOR.
editor() {
	_s=$1
	shift
	tm_start "$_s" 80 24 "env TMPDIR=$T_DIR/tmp PATH=$T_DIR/bin:$PATH $* \
	    $BOARD; echo \$? >$T_DIR/rc.$_s"
	tm_wait "$_s" 'MQL 20' || not_ok "the board of $_s is up"
}

V0=$(ver)
editor ed "EDITOR=$T_DIR/bin/append"
edit ed
expect_screen "EDITOR: the detail says the notes are saved" ed 'notes saved$'
expect_match "... the screen comes back whole: status line" \
    '^ boss \(manager\) \| team\.db \| updated' "$(line ed 1)"
expect_match "... the lead's title" '^ Zed Sql  <zed@example.com>' \
    "$(line ed 2)"
expect_no_match "... and nothing the editor drew is left" 'EDITOR WAS HERE' \
    "$(tm_screen ed)"
tm_keys ed G
expect_screen "... the new note is shown under Notes" ed \
    '^   called back, wants a demo$'
expect_match "... the timeline has the update" \
    'boss +update +notes - -> called back, wants a demo' "$(tm_screen ed)"
expect_eq "EDITOR: the notes are in the file" "called back, wants a demo" \
    "$(notes)"
expect_eq "... the lead's version went up by one" $((V0 + 1)) "$(ver)"
expect_eq "... one update event: by boss, at --at, from nothing" \
    "boss|$AT|1|called back, wants a demo" \
    "$(sql "$DB" "select actor, at, old_value is null, new_value
        from events where lead_id = $ZED and field = 'notes'")"
expect_eq "... the editor got one argument, the file" 1 \
    "$(wc -l <"$T_DIR/args" | tr -d ' ')"
expect_match "... a private file in TMPDIR" "^$T_DIR/tmp/smk-notes\\." \
    "$(cat "$T_DIR/args")"
expect_eq "... which is gone afterwards" "" "$(ls "$T_DIR/tmp")"

# A second note goes under the first.
tm_keys ed E
expect_screen "a second edit is saved" ed 'notes saved$'
expect_eq "... below the first" \
    "$(printf 'called back, wants a demo\ncalled back, wants a demo')" \
    "$(notes)"
expect_eq "... the old notes are in the event" "called back, wants a demo" \
    "$(sql "$DB" "select old_value from events where lead_id = $ZED and
        field = 'notes' order by id desc limit 1")"
tm_keys ed q q
sleep 1
expect_eq "EDITOR: the board exits cleanly" 0 \
    "$(cat "$T_DIR/rc.ed" 2>/dev/null)"

# An editor that fails, or leaves the text as it was, saves nothing.
V1=$(ver) N1=$(nevents) T1=$(notes)
editor ef "EDITOR=$T_DIR/bin/fail"
edit ef
expect_screen "an editor that exits 3: the notes are unchanged" ef \
    'the editor failed; the notes are unchanged'
expect_match "... and the screen is back" '^ Zed Sql  <zed@' "$(line ef 2)"
tm_keys ef q q
editor es "EDITOR=$T_DIR/bin/same"
edit es
expect_screen "an editor that leaves the file as it was" es \
    'notes unchanged$'
tm_keys es q q
expect_eq "... neither wrote an event" "$N1" "$(nevents)"
expect_eq "... nor changed the version" "$V1" "$(ver)"
expect_eq "... nor the notes" "$T1" "$(notes)"
expect_eq "... nor left a file in TMPDIR" "" "$(ls "$T_DIR/tmp")"

# EDITOR with arguments; VISUAL before EDITOR; vi when neither is set.
editor ea "EDITOR='$T_DIR/bin/append -n --' NOTE='with args'"
edit ea
expect_screen "EDITOR with arguments (\"vi -n\") works" ea 'notes saved$'
expect_eq "... it got them, then the file" "-n|--|$T_DIR/tmp/smk-notes" \
    "$(sed 's/\.[^.]*$//' "$T_DIR/args" | paste -sd '|' -)"
expect_match "... and what it wrote is saved" 'with args$' "$(notes)"
tm_keys ea q q
editor ev "VISUAL=$T_DIR/bin/append" "EDITOR=$T_DIR/bin/fail" \
    "NOTE='from visual'"
edit ev
expect_screen "VISUAL is used before EDITOR" ev 'notes saved$'
expect_match "... its text is saved" 'from visual$' "$(notes)"
tm_keys ev q q
editor vi "NOTE='from vi'"
edit vi
expect_screen "with neither VISUAL nor EDITOR, vi from PATH" vi \
    'notes saved$'
expect_match "... its text is saved" 'from vi$' "$(notes)"
tm_keys vi q q

# C-c in the editor is the editor's: the board stays, the notes are saved.
editor ei "EDITOR=$T_DIR/bin/patient"
edit ei
i=0
while [ ! -e "$T_DIR/waiting" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
tm_keys ei C-c
sleep 0.5
: >"$T_DIR/go"
expect_screen "C-c in the editor does not quit the board" ei 'notes saved$'
expect_match "... and what the editor wrote then is saved" \
    "$(printf 'after C-c')" "$(notes)"
tm_keys ei q q
sleep 1
expect_eq "... and the board exits cleanly later" 0 \
    "$(cat "$T_DIR/rc.ei" 2>/dev/null)"

# Someone else changes the lead meanwhile: not saved, not lost.
V2=$(ver)
: >"$T_DIR/race"
editor er "EDITOR=$T_DIR/bin/racer"
edit er
expect_screen "a change meanwhile: the notes are not saved, and it says who" \
    er 'notes not saved, E edits them again: mgr changed this lead'
expect_eq "... the file has mgr's change only" "$((V2 + 1))|Zed2" \
    "$(sql "$DB" "select version, company from leads where id = $ZED")"
tm_keys er E
expect_screen "... E again saves what was written" er 'notes saved$'
expect_eq "... once, on top of mgr's change" "$((V2 + 2))|Zed2|1" \
    "$(sql "$DB" "select version, company,
        (length(notes) - length(replace(notes, 'raced', ''))) / 5
        from leads where id = $ZED")"
tm_keys er q q
sleep 1
expect_eq "... and the board exits cleanly" 0 \
    "$(cat "$T_DIR/rc.er" 2>/dev/null)"

# Someone else rewrites the notes meanwhile: E again shows theirs and the
# unsaved text apart, and what is saved then keeps both.
: >"$T_DIR/race"
editor en "EDITOR=$T_DIR/bin/noteracer"
edit en
expect_screen "notes rewritten meanwhile: not saved" en \
    'notes not saved, E edits them again'
expect_eq "... the file has their notes only" "theirs" "$(notes)"
tm_keys en E
expect_screen "... E again saves" en 'notes saved$'
expect_match "... their notes are kept" '^theirs' "$(notes)"
expect_match "... under them, the unsaved text, marked" \
    'your text below was not saved' "$(notes)"
expect_match "... which is there too" 'mine' "$(notes)"
tm_keys en q q

# --- a theme with bad lines: the board says so, and still opens -------------
mkdir -p "$T_DIR/th/themes" "$HOME/.config/smk"
printf '[colors]\nno_such_role = red\n' >"$T_DIR/th/themes/odd.ini"
printf '[ui]\ntheme = odd\n' >"$HOME/.config/smk/config.ini"
tm_start th 80 24 sh -c "'cd $T_DIR/th && exec $BOARD 2>$T_DIR/th/err'"
expect_screen "a bad theme line is shown on the board" th \
    'odd.ini: \[colors\] no_such_role: no such role'
expect_screen "... which opens all the same" th 'MQL 20'
tm_keys th q
sleep 1
expect_match "... and it is on stderr too" \
    '^smk: themes/odd.ini: \[colors\] no_such_role' "$(cat "$T_DIR/th/err")"
rm -f "$HOME/.config/smk/config.ini"

t_done
