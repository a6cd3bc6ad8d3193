#!/bin/sh
# The Goals screen, end to end: the real binary in tmux at 80x24, opened
# with its key, compared with what a person would see, refreshed when
# another process changes the file; and the SLA screen's MQL promise
# following the goal with [sla] mqls_per_rep = auto. Clock, TZ, HOME, TERM
# and sizes are pinned (tests/lib.sh).
. "$(dirname "$0")/lib.sh"

DB=$T_DIR/goals/team.db
smk_db "$DB" || { not_ok "create the test database"; t_done; }
sed 's/^mqls_per_rep .*/mqls_per_rep = auto/' "$ROOT/tests/data/test-smk.ini" \
    >"$T_DIR/goals/smk.ini"
printf '[goals]\nperiod = month\ncustomers = 2\nlookback = 3\n' \
    >>"$T_DIR/goals/smk.ini"
NOW=2026-11-18T15:00:00Z
run() { "$SMK" --db "$DB" --user boss "$@" >/dev/null; }

# Lookback (Aug-Oct): leads 1-8 at mql, 1-4 to sql, 1-2 to opportunity,
# 1 to customer. Rates 4/8, 2/4, 1/2. Goal 2 customers:
#   opportunity ceil(2 * 2 / 1) = 4, sql ceil(4 * 4 / 2) = 8,
#   mql ceil(8 * 8 / 4) = 16.
# November: leads 9, 10 at mql (actual 2). 12 of 20 business days past:
# pace mql 16 * 12 / 20 = 9.6 -> 10, sql 4.8 -> 5, opportunity 2.4 -> 2,
# customer 1.2 -> 1. Furthest behind: sql, opportunity and customer are
# all at 0 of their pace; the last of them, customer, is marked.
# The promise: 16 MQLs / 2 sales reps = 8 per rep.
i=1
while [ $i -le 8 ]; do
	run --at 2026-09-15T14:00:00Z add "m$i@x.example" --stage mql
	i=$((i + 1))
done
for i in 1 2 3 4; do run --at 2026-09-22T14:00:00Z move $i sql; done
for i in 1 2; do run --at 2026-10-06T14:00:00Z move $i opportunity; done
run --at 2026-10-20T14:00:00Z move 1 customer
run --at 2026-11-03T14:00:00Z add n1@x.example --stage mql
run --at 2026-11-03T14:00:00Z add n2@x.example --stage mql

APP="$SMK --db $DB --at $NOW --user boss"
tm_start g80 80 24 "$APP"
expect_screen "the board opens" g80 "MQL 6"
tm_keys g80 3
expect_screen "3 opens the Goals screen: period, goal, days" g80 \
    'Goals 2026-11: 2 customers, 12 of 20 business days past'
expect_screen "the promise the goal implies" g80 \
    'MQLs needed this month: 16 = 8 per sales rep \| SLA promise 8/rep \(auto\), 2 in$'
SCREEN=$(tm_screen g80)
expect_match "mql: needed 16" 'needed +16' "$SCREEN"
expect_match "mql: pace 10" 'pace +10' "$SCREEN"
expect_match "mql: its rate" ' 50.0% on +pace +10' "$SCREEN"
expect_match "mql: actual 2, gap -8" 'actual +2 .*gap -8' "$SCREEN"
expect_match "the stage furthest behind is marked" \
    'gap -1  << furthest behind' "$SCREEN"
expect_match "no data is shown as such" 'needed +no data' "$SCREEN"
expect_match "80x24: every stage fits, from the first" '^ subscriber' \
    "$SCREEN"
expect_match "80x24: ... to the last" '^ customer' "$SCREEN"
expect_match "80x24: the title fits" 'rates of 3 months$' "$SCREEN"

# Scroll down to the bottom stages and back.
tm_keys g80 G
expect_screen "G shows the last stage" g80 '^ customer'
tm_keys g80 g
expect_screen "g shows the first stage" g80 '^ subscriber'

# Another process changes the file: a new MQL this month appears alone.
"$SMK" --db "$DB" --user boss --at 2026-11-10T14:00:00Z add \
    n3@x.example --stage mql >/dev/null
expect_screen "refreshes when the file changes" g80 'actual +3' 4

# Help lists the screen's key.
tm_keys g80 '?'
expect_screen "help lists the Goals key" g80 \
    '3 +Goals: needed, pace and actual'
tm_keys g80 q
tm_keys g80 Escape
expect_screen "Esc closes the Goals screen" g80 "MQL 7"
tm_keys g80 q

# The SLA screen's promise follows the goal (wide enough for its line).
tm_start s120 120 30 "$APP"
expect_screen "the board opens (wide)" s120 "MQL 7"
tm_keys s120 S
expect_screen "the SLA screen promises 8 per rep, auto" s120 \
    'target 16 \(8 per rep x 2 reps, auto\)'
tm_keys s120 q q

t_done
