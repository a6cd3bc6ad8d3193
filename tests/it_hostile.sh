#!/bin/sh
# Integration: a file edited by hand with the sqlite3 shell, badly: a stage
# the playbook does not know, owners who are not reps, a megabyte in one
# field, invalid UTF-8, terminal escape sequences, BiDi overrides and
# control characters in names, garbage timestamps and a schema from the
# future. smk must answer each with output or a clear message, never a
# crash (ASan/UBSan are on), and the board must show such names harmlessly:
# no escape reaches the terminal, the window title is untouched and the rest
# of the screen stays in place.
. "$(dirname "$0")/lib.sh"

DB=$T_DIR/h/team.db
smk_db "$DB" || { not_ok "create the test team"; t_done; }
s() { "$SMK" --db "$DB" --at "$AT" --user boss "$@"; }
for who in ann bob cat dan eve fay gus; do
	s add "$who@hostile.example" --first "$who" --company Plain \
	    --stage mql >/dev/null || not_ok "add $who"
done
s log 1 call --note "fine" >/dev/null
ESC=$(printf '\033')

# The damage, as a careless admin with the sqlite3 shell would do it (the
# shell does not enforce foreign keys).
sql "$DB" "
update leads set stage = 'limbo' where id = 1;
insert into events(lead_id, kind, field, old_value, new_value, actor, at,
    entered_at) values (1, 'move', 'stage', 'mql', 'limbo', 'nobody',
    '2026-11-02T15:00:00Z', '2026-11-02T15:00:00Z');
update leads set owner = 'ghost' where id = 2;
update leads set company = replace(hex(zeroblob(500000)), '00', 'xy'),
    notes = hex(zeroblob(600000)) where id = 3;
update leads set first_name = cast(x'c328ff41e282' as text),
    last_name = cast(x'eda080f4908080' as text) where id = 4;
update leads set first_name = 'Evil' || char(27) || '[2J' || char(27) ||
    ']0;pwned' || char(7) || char(27) || '[31mRed',
    company = 'Co' || char(13) || char(8) || char(1) || char(127) || 'rp'
    where id = 5;
update leads set first_name = 'abc' || char(8238) || 'gnp.exe' ||
    char(8294) || 'x', last_name = char(8203) || char(65279) || 'Zw'
    where id = 6;
update leads set created_at = 'garbage', updated_at = '',
    last_activity_at = '9999-99-99T99:99:99Z', score = 9223372036854775807,
    amount = -9223372036854775808 where id = 7;
insert into activities(lead_id, kind, note, actor, at, entered_at) values
    (5, 'note', 'x' || char(27) || ']52;c;cGF5bG9hZA==' || char(7), 'ghost',
    'not a time', '');
"
expect_eq "the damaged file is still a valid SQLite file" ok \
    "$(sql "$DB" 'pragma integrity_check')"

# no_crash NAME CMD...: exit 0, 1 or 2 (a clear message), never a crash.
no_crash() {
	_n=$1
	shift
	"$@" >"$T_DIR/out" 2>"$T_DIR/err"
	_rc=$?
	if [ $_rc -le 2 ]; then ok "$_n (exit $_rc)"; else
		not_ok "$_n" "exit $_rc" "$(head -c 3000 "$T_DIR/err")"; fi
	if [ $_rc != 0 ] && ! grep -q '^smk: ..' "$T_DIR/err"; then
		not_ok "$_n: the failure says why" "$(head -c 500 "$T_DIR/err")"
	fi
}

no_crash "export" s export
expect_eq "export has every lead" 7 "$(grep -c '@hostile.example' "$T_DIR/out")"
no_crash "export by the unknown stage" s export --stage limbo
for id in 1 2 3 4 5 6 7; do
	for f in table csv json; do
		no_crash "timeline $id --format $f" s timeline "$id" --format "$f"
		if [ $f != csv ] && grep -q "$ESC" "$T_DIR/out"; then
			not_ok "timeline $id --format $f: no raw escape in the output"
		fi
	done
done
for cmd in "sla" "report flow" "report sources --month 2026-11" "doctor" \
    "plan" "rep list"; do
	# shellcheck disable=SC2086
	no_crash "$cmd on the damaged file" s $cmd
	grep -q "$ESC" "$T_DIR/out" &&
	    not_ok "$cmd: no raw escape in the output"
done
no_crash "a move out of the unknown stage" s move 1 mql --reason "fixing"
no_crash "assign the lead whose owner is no rep" s assign 2 sam

# A schema from the future: refused with a clear message, exit 2.
cp "$DB" "$T_DIR/h/future.db"
sql "$T_DIR/h/future.db" "pragma user_version = 99"
expect_code "a schema from the future is refused" 2 \
    "$SMK" --db "$T_DIR/h/future.db" --at "$AT" export
expect_match "... asking for a newer smk" "newer smk|upgrade smk" "$ERR"
expect_code "... and the board is refused too" 2 \
    "$SMK" --db "$T_DIR/h/future.db" --at "$AT" --user boss
expect_eq "... and the file is untouched" 99 \
    "$(sql "$T_DIR/h/future.db" 'pragma user_version')"

# Not a database at all, and an empty file.
printf 'name,email\nx,y\n' >"$T_DIR/h/leads.csv"
expect_code "a CSV passed as the database" 2 \
    "$SMK" --db "$T_DIR/h/leads.csv" --at "$AT" export
expect_match "... is named as not a database" "not an smk database" "$ERR"

# The board, showing the hostile names.
command -v tmux >/dev/null 2>&1 || { ok "skipped: board (no tmux)"; t_done; }
tm_start h 120 40 "$SMK --db $DB --at $AT --user boss"
expect_screen "the board comes up on the damaged file" h 'MQL'
sleep 0.5
scr=$(tm_screen h)
expect_no_match "no escape character reaches the screen" "$ESC" "$scr"
expect_no_match "no BiDi override reaches the screen" \
    "$(printf '\342\200\256')" "$scr"
expect_no_match "the window title was not changed" "pwned" \
    "$(tm display-message -p -t h '#{pane_title}')"
expect_match "the status line is intact" 'boss \(manager\)' "$scr"
expect_match "the column headers are intact" 'MQL [0-9]' "$scr"
expect_match "the escaped name shows as text" 'Evil' "$scr"
expect_match "a neighbour card is intact" 'gus' "$scr"
# Every card of MQL opened in turn: the detail of each hostile lead.
for i in 1 2 3 4 5 6 7; do
	tm_keys h Enter
	sleep 0.3
	d=$(tm_screen h)
	case $d in *"$ESC"*) not_ok "detail $i: no escape on screen" ;; esac
	tm_keys h Escape j
done
expect_match "the board survived every detail view" 'boss \(manager\)' \
    "$(tm_screen h)"
tm_keys h q
sleep 0.5
expect_no_match "smk quit cleanly (no sanitizer report)" \
    'ERROR: AddressSanitizer|runtime error' "$(tm_screen h)"
t_done
