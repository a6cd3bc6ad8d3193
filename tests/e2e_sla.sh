#!/bin/sh
# The SLA screen, end to end in tmux at 100x30: a manager sees every rep,
# worst first, with compliance and time to first touch; a rep sees only
# their own clocks; Enter opens the lead; board cards carry the badge and
# the status line counts breaches. The clock is pinned with --at (Monday
# 2026-11-23 11:30 New York, 16:30Z); the viewer's zone is UTC.
. "$(dirname "$0")/lib.sh"

DB=$T_DIR/sla/team.db
smk_db "$DB" || { not_ok "create the test database"; t_done; }
NOW=2026-11-23T16:30:00Z
run() { _at=$1; shift; "$SMK" --db "$DB" --at "$_at" "$@" >/dev/null; }
# sam: a lead handed off on Friday 16:00 (due 12:00 today: due soon) and
# one handed off at 09:00 today and called at once (met).
run 2026-11-20T21:00:00Z --user boss add ann@example.com --first Ann \
    --last Lee --stage sql --owner sam
run 2026-11-23T14:00:00Z --user boss add bob@example.com --first Bob \
    --last Ray --stage sql --owner sam
run 2026-11-23T14:10:00Z --user sam log 2 call
# tess: a lead handed off on Thursday 09:00, never touched (breached).
run 2026-11-19T14:00:00Z --user boss add cat@example.com --first Cat \
    --last Diaz --stage sql --owner tess

# --- a manager: every rep, worst first ----------------------------------
tm_start mgr 100 30 "$SMK --db $DB --at $NOW --user boss"
expect_screen "the board opens" mgr 'SQL 3'
expect_screen "the status line counts breaches" mgr '1 breached'
expect_screen "a breached card carries its badge" mgr 'late'
tm_keys mgr S
expect_screen "S opens the SLA screen" mgr 'SLA timers: every rep'
expect_screen "the marketing clock is on the title" mgr \
    'MQLs this month 0, pace [0-9]+, target 200'
SCREEN=$(tm_screen mgr)
expect_match "tess (breached) comes first" \
    "tess +breached 1" "$(printf '%s\n' "$SCREEN" |
    grep -E '^ (tess|sam) ' | head -1)"
expect_match "... her clock is late, with the lead" \
    'breached +late 3d 22h +due Thu 11-19 18:00 +first touch +Cat Diaz <cat@example' \
    "$SCREEN"
expect_match "sam's summary: compliance and first touch" \
    'sam +breached 0 +due soon 1 +running 2 +compliance 100% +first touch 0.2 bh' \
    "$SCREEN"
expect_match "sam's Friday lead is due soon with time left" \
    'due_soon +0h 30m 00s +due Mon 11-23 17:00 +first touch +Ann Lee <ann' \
    "$SCREEN"
expect_no_match "a met clock is not on the screen" 'first touch +Bob Ray' \
    "$SCREEN"
tm_keys mgr Enter
expect_screen "Enter opens the selected clock's lead" mgr \
    'Cat Diaz +<cat@example.com> +#3'
tm_keys mgr Escape
expect_screen "Esc comes back to the SLA screen" mgr 'SLA timers'
tm_keys mgr q
expect_screen "q closes it" mgr 'SQL 3'
tm_keys mgr Q

# --- 80x24: what fits is kept, the name before the email -----------------
tm_start m80 80 24 "$SMK --db $DB --at $NOW --user boss"
expect_screen "80x24: the board opens" m80 'SQL 3'
tm_keys m80 S
expect_screen "80x24: the SLA screen opens" m80 'SLA timers'
SCREEN=$(tm_screen m80)
expect_match "80x24: a clock shows the lead's whole name, not its email" \
    'due Thu 11-19 18:00 +first touch +Cat Diaz *$' "$SCREEN"
expect_match "80x24: a rep's line says it all, shorter" \
    'sam +breached 0 +due soon 1 +running 2 +met 100% +1st touch 0.2 bh *$' \
    "$SCREEN"
tm_keys m80 Q

# --- a rep: their own clocks, ticking -----------------------------------
tm_start rep 100 30 "$SMK --db $DB --user sam --at $NOW"
expect_screen "a rep's board opens" rep 'SQL 3'
expect_screen "a rep's status line counts their own breaches" rep \
    '0 breached'
tm_keys rep S
expect_screen "a rep sees their own SLA screen" rep 'SLA timers: sam'
SCREEN=$(tm_screen rep)
expect_no_match "... without the other reps" 'tess|cat@example' "$SCREEN"
expect_match "... with time left" 'due_soon +0h 30m 00s' "$SCREEN"
tm_keys rep Q

# --- time left ticks with the wall clock --------------------------------
# Without --at the clock runs: hand off a lead now and watch the seconds.
LIVE=$T_DIR/live/team.db
smk_db "$LIVE" || not_ok "create the live database"
# A two-hour attempts window ticks in seconds, day or night.
sed -i 's/^attempts_window.*/attempts_window = 2h/' "$T_DIR/live/smk.ini"
NOWZ=$(date -u +%Y-%m-%dT%H:%M:%SZ)
"$SMK" --db "$LIVE" --at "$NOWZ" --user boss add live@example.com \
    --stage sql --owner sam >/dev/null
tm_start live 100 30 "$SMK --db $LIVE --user sam"
expect_screen "the live board opens" live 'SQL 1'
tm_keys live S
expect_screen "the live clock is listed" live 'first touch +live@example.com'
A=$(tm_screen live | grep 'attempts 0.*live@example.com')
sleep 2.2
B=$(tm_screen live | grep 'attempts 0.*live@example.com')
if [ -n "$A" ] && [ "$A" != "$B" ] || printf '%s' "$A" | grep -q 'late'
then ok "the time left ticks without a key press"
else not_ok "the time left ticks without a key press" "$A" "$B"; fi
tm_keys live Q

# --- the board's breach count follows the clock, with nobody writing -------
# A one-hour attempts window, handed off 59m40s ago, runs out 20 s after
# the board opens; the board counts its clocks again once a minute
# (tui_clock_tick), so within about a minute it shows the breach.
RUN=$T_DIR/run/team.db
smk_db "$RUN" || not_ok "create the run-out database"
sed -i 's/^attempts_window.*/attempts_window = 1h/' "$T_DIR/run/smk.ini"
THEN=$(date -u -d '-3580 seconds' +%Y-%m-%dT%H:%M:%SZ)
"$SMK" --db "$RUN" --at "$THEN" --user boss add runout@example.com \
    --stage sql --owner sam >/dev/null
tm_start run 100 30 "$SMK --db $RUN --user sam"
expect_screen "the run-out board opens, nothing breached yet" run \
    ' 0 breached'
expect_screen "a minute on, the window has run out: 1 breached" run \
    ' 1 breached' 100
expect_screen "... and the card carries its late badge" run 'late'
tm_keys run Q

t_done
