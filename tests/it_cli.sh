#!/bin/sh
# Integration: the command-line contract on real files. init, rep, add,
# move, assign, log, set, timeline, export, doctor; the rules (reasons,
# permissions, --user); and every bad file the store must name plainly.
. "$(dirname "$0")/lib.sh"

DB=$T_DIR/team/x.db
smk_db "$DB" || { not_ok "create the test team"; t_done; }
# Each step happens a minute after the one before, so the history has order.
STEP=0
s() {
	STEP=$((STEP + 1))
	"$SMK" --db "$DB" --at "$(date -u -d "2026-11-02T14:00:00Z + $STEP min" \
	    +%Y-%m-%dT%H:%M:%SZ)" "$@"
}

expect_eq "journal mode is not wal" "delete" "$(sql "$DB" 'pragma journal_mode')"
expect_eq "schema version" "6" "$(sql "$DB" 'pragma user_version')"
expect_eq "the team is in reps" "6" "$(sql "$DB" 'select count(*) from reps')"
expect_code "init refuses an existing file" 1 s init
expect_match "... and says so" "already exists" "$ERR"

expect_code "rep list" 0 s rep list --format csv
expect_match "rep list shows a rep" "^sam,Sam Seller,sales,rep,yes" "$OUT"

expect_code "an admin changes a rep" 0 s rep set mia --name "Mia Márquez"
expect_match "... and is told what it is now" "^mia marketing rep active" "$OUT"
expect_code "a manager cannot change reps" 1 s --user boss rep set mia --role admin
expect_match "... and is told why" "only an admin can change reps" "$ERR"
expect_code "a bad role is refused" 1 s rep set mia --role boss
expect_match "... naming the choices" "must be rep, manager or admin" "$ERR"
expect_code "an unknown rep" 1 s rep set nobody --active no
expect_match "... is named" "no rep with login 'nobody'" "$ERR"
expect_code "an admin deactivates a rep" 0 s rep set tess --active no
expect_code "an inactive rep is read-only" 1 s --user tess add t@t.example
expect_match "... and is told why" "not an active rep" "$ERR"
expect_code "... and no lead is added for them" 1 s --user boss add \
    t@t.example --owner tess
expect_match "... as assign refuses them too" "tess is not an active rep" \
    "$ERR"
expect_code "... until reactivated" 0 s rep set tess --active yes
expect_code "rep list shows the change" 0 s rep list --format csv
expect_match "... the new name" "^mia,Mia Márquez,marketing,rep,yes" "$OUT"

expect_code "add prints the new id" 0 s --user mia add ann@acme.example \
    --first Ann --last Lee --company Acme --source webinar
expect_eq "first lead is 1" "1" "$OUT"
expect_code "add a second lead" 0 s --user boss add bo@beta.example \
    --first Bo --company Beta --stage mql --owner sam
expect_code "duplicate email, any case" 1 s --user mia add ANN@acme.example
expect_match "... is named" "ann@acme.example|ANN@acme.example" "$ERR"
expect_code "bad email" 1 s --user mia add not-an-email
expect_match "... is named" "not an email address" "$ERR"
expect_code "unknown stage" 1 s --user mia add c@c.example --stage nowhere
expect_match "... lists the stages" "unknown stage .*subscriber" "$ERR"

expect_code "move forward" 0 s --user mia move 1 mql
expect_eq "... prints the stage" "1 mql" "$OUT"
expect_code "move back without reason" 1 s --user mia move 1 lead
expect_match "... asks for a reason" "needs a reason" "$ERR"
expect_code "recycle needs a reason" 1 s --user boss move 2 recycled
expect_match "... and suggests the playbook's" "no budget" "$ERR"
expect_code "move back with a reason" 0 s --user mia move 1 lead \
    --reason "wrong persona"
expect_code "move by email" 0 s --user mia move ann@acme.example mql

expect_code "a rep cannot change another rep's lead" 1 \
    s --user tess move 2 sql
expect_match "... and is told whose it is" "belongs to sam" "$ERR"
expect_code "a rep cannot assign to someone else" 1 s --user tess assign 1 sam
expect_code "a rep claims an unassigned lead" 0 s --user tess assign 1 tess
expect_code "a manager reassigns" 0 s --user boss assign 1 sam
expect_code "assign to an unknown rep" 1 s --user boss assign 1 nobody
expect_match "... is named" "nobody" "$ERR"
expect_code "an unknown login is read-only" 1 s --user stranger log 1 call
expect_match "... and is told why" "not an active rep" "$ERR"

expect_code "log a call" 0 s --user sam log 1 call --note "voicemail"
expect_code "log an unknown kind" 1 s --user sam log 1 fax
expect_match "... lists the kinds" "call, email, meeting, social or note" "$ERR"
expect_code "set a field" 0 s --user sam set 1 title "VP Sales"
expect_code "set an unknown field" 1 s --user sam set 1 shoe 42
expect_code "set a bad amount" 1 s --user sam set 1 amount 12k
expect_match "... says why" "whole number" "$ERR"

expect_code "timeline csv" 0 s timeline 1 --format csv
expect_match "timeline header" "^at,entered_at,user,kind,from,to,note" "$OUT"
expect_match "timeline: created" "^2026-11-02T14:[0-9:]*Z,[^,]*,mia,created,,lead," "$OUT"
expect_match "timeline: the move back with its reason" \
    ",mia,move,mql,lead,wrong persona" "$OUT"
expect_match "timeline: assign" ",boss,assign,tess,sam," "$OUT"
expect_match "timeline: the call" ",sam,call,,,voicemail" "$OUT"
expect_match "timeline: the update" ",sam,update,,VP Sales,title" "$OUT"
expect_code "timeline json" 0 s timeline ann@acme.example --format json
expect_match "json has the kind" '"kind": "call"' "$OUT"
expect_code "timeline of a missing lead" 1 s timeline 999
expect_match "... says so" "no lead 999" "$ERR"

expect_code "export" 0 s export
expect_match "export header" \
    "^id,email,first_name,last_name,company,title,phone,source,stage,owner,score,created_at,updated_at" "$OUT"
expect_match "export row" "^1,ann@acme.example,Ann,Lee,Acme,VP Sales,,webinar,mql,sam," "$OUT"

# Optimistic concurrency: a stale version is refused and names who won.
expect_code "stale version is a conflict" 3 \
    s --user boss move 1 sql --expect-version 1
expect_match "... names who changed it" "sam changed this lead" "$ERR"
expect_match "... and overwrote nothing" "nothing was overwritten" "$ERR"
expect_eq "... and the stage is unchanged" "mql" \
    "$(sql "$DB" 'select stage from leads where id=1')"

# --user is refused unless the playbook allows it.
mkdir -p "$T_DIR/strict"
"$SMK" --db "$T_DIR/strict/s.db" init >/dev/null
expect_code "--user refused by default" 1 "$SMK" --db "$T_DIR/strict/s.db" \
    --user boss rep list
expect_match "... and the message names the key" "allow_user_override" "$ERR"

# Without --db or $SMK_DB, the user's config.ini may name the database.
mkdir -p "$HOME/.config/smk"
printf '[ui]\ndatabase = %s\n' "$DB" >"$HOME/.config/smk/config.ini"
expect_code "[ui] database in config.ini names the file" 0 "$SMK" rep list
expect_match "... and it is the team's" "Sam Seller" "$OUT"
rm "$HOME/.config/smk/config.ini"
expect_code "no database anywhere" 1 "$SMK" rep list
expect_match "... says how to name one" "--db FILE, set SMK_DB" "$ERR"

# The board without a terminal (ssh without -t, a cron job) says so and
# ends, instead of drawing into a pipe and reading its end forever.
expect_code "the board needs a terminal" 1 timeout 10 "$SMK" --db "$DB" \
    --user boss </dev/null
expect_match "... and says so" "needs a terminal" "$ERR"
expect_eq "... writing nothing to stdout" "" "$OUT"

# Usage mistakes name what was wrong, and where to look.
expect_code "an unknown command" 1 s frobnicate
expect_match "... is called a command" 'unknown command "frobnicate"' "$ERR"
expect_code "an unknown option" 1 s --frobnicate rep list
expect_match "... is called an option" 'unknown option "--frobnicate"' "$ERR"
expect_code "rep add without operands" 1 s rep add
expect_match "... names rep add and its help" \
    '^smk: rep add: expected LOGIN.*see smk rep add --help' "$ERR"
expect_code "a bad team" 1 s rep add zed --name Zed --team ops --role rep
expect_match "... lists the two teams" 'must be sales or marketing$' "$ERR"
expect_code "report without a name" 1 s report
expect_match "... lists every report" 'flow, sources or meeting' "$ERR"

# An edited field that a scoring rule reads moves the score with it.
{ cat "$ROOT/tests/data/test-smk.ini"
  printf '[score.vp]\nfield = title\nmatch = vp|vice president\npoints = 20\n'; } \
    >"$T_DIR/team/scored.ini"
expect_code "a VP scores" 0 s --config "$T_DIR/team/scored.ini" --user boss \
    add vp@x.example --title VP
expect_eq "... 20" 20 "$(sql "$DB" "SELECT score FROM leads WHERE
    email = 'vp@x.example'")"
expect_code "set title" 0 s --config "$T_DIR/team/scored.ini" --user boss \
    set vp@x.example title Intern
expect_eq "... rescores it" 0 "$(sql "$DB" "SELECT score FROM leads WHERE
    email = 'vp@x.example'")"
expect_eq "... as a score event by system" "system|20|0" "$(sql "$DB" "SELECT
    actor || '|' || old_value || '|' || new_value FROM events WHERE
    kind = 'score' AND field = 'score' AND lead_id = (SELECT id FROM leads
    WHERE email = 'vp@x.example')")"

expect_code "... and the timeline says which part moved" 0 s --user boss \
    timeline vp@x.example --format csv
expect_match "... the score" ',system,score,20,0,score:' "$OUT"
expect_match "... and its fit" ',system,score,20,0,fit' "$OUT"

# A filter naming nobody is a typo, not an empty answer.
expect_code "export --owner naming nobody" 1 s export --owner nosuch
expect_match "... says so" 'export: --owner nosuch: no such rep' "$ERR"
expect_eq "... and writes no half file" "" "$OUT"

# --at must be a time.
expect_code "bad --at" 1 s --at "next tuesday" rep list
expect_match "... names the value" "next tuesday" "$ERR"

# Bad files: each gets a plain message and the file exit code.
expect_code "missing file" 2 "$SMK" --db "$T_DIR/nope.db" rep list
expect_match "... says to init" "smk init" "$ERR"
: >"$T_DIR/empty.db"
expect_code "an empty file is not a database" 2 "$SMK" --db "$T_DIR/empty.db" sla
expect_match "... says to init" "empty, not an smk database.*smk init" "$ERR"
expect_eq "... and stays empty" 0 "$(wc -c <"$T_DIR/empty.db")"
expect_code "init makes an empty file a database" 0 "$SMK" \
    --db "$T_DIR/empty.db" init
expect_eq "... of the current schema" 6 "$(sql "$T_DIR/empty.db" \
    'pragma user_version')"
printf 'this is not a database, just text that goes on and on\n%.0s' \
    $(seq 1 200) >"$T_DIR/junk.db"
expect_code "not a database" 2 "$SMK" --db "$T_DIR/junk.db" rep list
expect_match "... says so" "not an? (smk |SQLite )?database" "$ERR"
cp "$DB" "$T_DIR/future.db"
sql "$T_DIR/future.db" 'pragma user_version=99'
expect_code "schema too new" 2 "$SMK" --db "$T_DIR/future.db" rep list
expect_match "... names both versions" "99.*6|6.*99" "$ERR"
{ cat "$ROOT/tests/data/test-smk.ini"; printf '[store]\nbusy_timeout = 1s\n'; } \
    >"$T_DIR/lock.ini"
{ echo 'begin exclusive;'; echo 'select 1;'; sleep 4; echo 'commit;'; } |
    sqlite3 "$DB" >/dev/null &
sleep 0.5
expect_code "locked file" 2 "$SMK" --db "$DB" --config "$T_DIR/lock.ini" \
    --user boss log 1 call
expect_match "... says it is locked by another user" "locked by another" "$ERR"
wait

# A read-only file (for someone who cannot write it: root can write
# anything, so the test runs smk as nobody): reads work, writes are refused
# with a clear message, nothing changes.
if command -v setpriv >/dev/null 2>&1; then
	RO=$(mktemp -d /tmp/smk-ro.XXXXXX)
	cp "$DB" "$RO/ro.db"
	cp "$ROOT/tests/data/test-smk.ini" "$RO/smk.ini"
	chmod 755 "$RO" && chmod 644 "$RO/ro.db" "$RO/smk.ini"
	asnobody() {
		setpriv --reuid=65534 --regid=65534 --clear-groups \
		    env HOME="$RO" ASAN_OPTIONS="$ASAN_OPTIONS" "$@"
	}
	before=$(sql "$RO/ro.db" "select count(*) from activities")
	expect_code "a read-only file still reads" 0 \
	    asnobody "$SMK" --db "$RO/ro.db" --user boss timeline 1
	expect_code "a read-only file still lists the team" 0 \
	    asnobody "$SMK" --db "$RO/ro.db" --user boss rep list
	expect_code "... but refuses a new rep" 2 \
	    asnobody "$SMK" --db "$RO/ro.db" --user root rep add x --name X --team sales \
	    --role rep
	expect_match "... saying the file is read-only" "read-only" "$ERR"
	expect_code "a read-only file refuses a write" 2 \
	    asnobody "$SMK" --db "$RO/ro.db" --user boss log 1 call
	expect_match "... and says why" "read-only" "$ERR"
	expect_eq "... and nothing changed" "$before" \
	    "$(sql "$RO/ro.db" "select count(*) from activities")"
	rm -rf "$RO"
else
	ok "read-only file: skipped, no setpriv here"
fi

# doctor
expect_code "doctor on a healthy file" 0 "$SMK" --db "$DB" doctor
expect_match "doctor names the filesystem" "filesystem: " "$OUT"
expect_match "doctor checks locks" "locks: POSIX record locks work" "$OUT"
expect_match "doctor checks integrity" "integrity: ok" "$OUT"
chmod o+w "$DB"
expect_code "doctor on a world-writable file" 0 "$SMK" --db "$DB" doctor
expect_match "... warns" "world-writable" "$OUT"
chmod o-w "$DB"
expect_code "doctor on junk" 2 "$SMK" --db "$T_DIR/junk.db" doctor
expect_match "doctor says how writes lock" "locking: writes take SQLite's POSIX locks" \
    "$(sh -c '"$0" --db "$1" doctor' "$SMK" "$DB")"
cp "$DB" "$T_DIR/team/hand.db"
sql "$T_DIR/team/hand.db" "pragma foreign_keys=off;
    update leads set stage='limbo' where id=1;
    update leads set owner='ghost' where id=2;"
expect_code "doctor on a hand-edited file" 2 "$SMK" --db "$T_DIR/team/hand.db" doctor
expect_match "... names the unknown stage" 'stage "limbo", which the playbook does not list' "$OUT"
expect_match "... and the owner who is not a rep" "owned by a login that is not in reps" "$OUT"
printf '[store]\nlock = lockdir\n' >"$T_DIR/lockdir.ini"
expect_code "[store] lock = lockdir is honoured" 0 "$SMK" --db "$DB" \
    --config "$T_DIR/lockdir.ini" doctor
expect_match "... and doctor says so" "locking: writes take a lock directory" "$OUT"
expect_code "... and writes still work under it" 0 "$SMK" --db "$DB" \
    --config "$T_DIR/lockdir.ini" log 1 note --note "under lockdir"
printf '[store]\nlock = sometimes\n' >"$T_DIR/badlock.ini"
expect_code "a bad lock mode is warned about" 0 "$SMK" --db "$DB" \
    --config "$T_DIR/badlock.ini" rep list
expect_match "... naming file, line and key" "badlock.ini:2: \[store\] lock" "$ERR"
expect_code "doctor on that playbook" 0 "$SMK" --db "$DB" \
    --config "$T_DIR/badlock.ini" doctor
expect_match "... reports the bad line" \
    '^warn +playbook: .*badlock.ini:2: \[store\] lock' "$OUT"
expect_eq "... once: not on stderr as well" "" "$ERR"

expect_eq "integrity at the end" "ok" "$(sql "$DB" 'pragma integrity_check')"
t_done
