#!/bin/sh
# The Flow screen, end to end: the real binary in tmux at 80x24 and 200x50
# over a small history built with --at, opened with 2 from the board, months
# chosen with h and l, one source picked with s, another user's change
# appearing by itself, and the ASCII fallback under a non-UTF-8 locale. The
# numbers are those worked out in tests/it_flow.sh for the same leads.
# Then a generated file big enough that the months take a while to count:
# the screen says it is computing, answers keys meanwhile (SMK_BENCH_LOG
# times each one), and ends with the numbers smk report flow prints.
. "$(dirname "$0")/lib.sh"

DB=$T_DIR/flow/team.db
smk_db "$DB" || { not_ok "create the test database"; t_done; }
NOW=2026-11-02T14:00:00Z
# webinar: one lead from lead to customer (September to October).
act 2026-09-02T14:00:00Z boss add ann@a.example --source webinar --stage lead
act 2026-09-03T14:00:00Z boss move 1 mql
act 2026-09-03T15:00:00Z boss assign 1 sam
act 2026-09-03T17:00:00Z sam log 1 call
act 2026-09-08T14:00:00Z boss move 1 sql
act 2026-09-21T14:00:00Z boss move 1 opportunity
act 2026-10-05T14:00:00Z boss move 1 customer
# ads: 22:00 on 30 September in New York, rejected for "no budget".
act 2026-10-01T02:00:00Z boss add cy@c.example --source ads --stage mql
act 2026-10-01T03:30:00Z boss move 2 recycled --reason "no budget"
# ads in October; a lead without a source in November.
act 2026-10-13T13:00:00Z boss add di@d.example --source ads --stage lead
act 2026-10-14T13:00:00Z boss move 3 mql
act 2026-10-15T13:00:00Z boss move 3 sql
act 2026-11-01T12:00:00Z boss add ed@e.example --stage subscriber
# New leads: September 2 (ann, cy), October 1 (di), November 1 (ed).

FLOW="$SMK --db $DB --at $NOW --user boss"

# --- 80x24 --------------------------------------------------------------
tm_start s80 80 24 "$FLOW"
expect_screen "80x24: the board comes up" s80 'boss \(manager\)'
tm_keys s80 2
expect_screen "2 opens the flow, all sources, this month" s80 \
    'Lead flow, all sources: 2025-12 to 2026-11 .*month 2026-11'
expect_screen "80x24: each chart names the month's value and the last" s80 \
    'New leads 1 \(1 before\) +MQLs 0 \(1 before\)'
expect_screen "80x24: twelve months labelled under the bars" s80 \
    '^D +J +F +M +A +M +J +J +A +S +O +N +D +J +F'
expect_screen "80x24: the rates as sparklines" s80 'worked +[▁▂▃▄▅▆▇█ ]+'
expect_screen "80x24: the funnel of the month" s80 'Funnel 2026-11'
# November has no sql cohort: "–"; October's one SQL was never worked.
expect_screen "80x24: no rate to show is a dash" s80 \
    'close rate .* – \(was 0\.0%\)'
expect_screen "80x24: bars drawn with blocks" s80 '█'
tm_keys s80 h h
expect_screen "h goes back a month" s80 'month 2026-09'
expect_screen "September: 2 new leads, 2 MQLs" s80 \
    'New leads 2 \(0 before\) +MQLs 2 \(0 before\)'
expect_screen "the source table, best acceptance first" s80 \
    'webinar +1 +100\.0%'
expect_screen "... with the rejection reasons" s80 \
    'ads +1 +0\.0% +0 +0 +– +1 +no budget 1'
expect_screen "September's funnel: 1 of 2 MQLs reached sql" s80 \
    'sql +1 .* 50%'
tm_keys s80 s
expect_screen "s offers the sources" s80 'Show the flow of:'
tm_keys s80 2
expect_screen "... and shows one" s80 'Lead flow, ads: .*month 2026-09'
expect_screen "... with its own numbers" s80 'New leads 1 \(0 before\)'
expect_screen "the status line says which" s80 'flow: ads'
tm_keys s80 s 1
expect_screen "back to all sources" s80 'Lead flow, all sources'
# Help on the Flow screen shows the Flow's own keys, s among them.
tm_keys s80 '?'
expect_screen "? on the flow: its keys first" s80 '│ Flow \(this screen\)'
expect_screen "... with s, which only the flow has" s80 \
    '│ s +Show the flow of all sources or of one'
expect_screen "... a long one wrapped, not cut" s80 '│ +(the )?right +│'
tm_keys s80 q
if tm_wait_gone s80 'Keys \(\? or q closes'; then ok "q closes the help"
else not_ok "q closes the help" "$(tm_screen s80)"; fi

# Another user adds a September lead: the screen follows within 2 s.
act 2026-09-20T14:00:00Z boss add fu@f.example --source webinar --stage lead
expect_screen "another user's change appears by itself" s80 \
    'New leads 3 \(0 before\)' 4
tm_keys s80 q
expect_screen "q goes back to the board" s80 'Subscriber'

# --- 200x50 -------------------------------------------------------------
tm_start s200 200 50 "$FLOW"
expect_screen "200x50: the board comes up" s200 'boss \(manager\)'
tm_keys s200 2
expect_screen "200x50: months get their names" s200 \
    'Dec +Jan +Feb +Mar +Apr +May +Jun +Jul +Aug +Sep +Oct +Nov +Dec +Jan'
expect_screen "200x50: the rates show the month before" s200 \
    'worked .* – \(was 0\.0%\)'
expect_screen "200x50: four charts side by side in two rows" s200 \
    'SQLs 0 \(1 before\) +Customers 0 \(1 before\)'
expect_screen "200x50: the source table has room for reasons" s200 \
    'source +mql +accept +sql +cust +close +rej +top rejection reasons'
# Values stand above the bars when they fit: September's 3 new leads.
expect_match "200x50: values above the bars" '^ +3 ' \
    "$(tm_screen s200 | sed -n '/^New leads/,/^Dec/p')"

# --- ASCII fallback -----------------------------------------------------
tm_start asc 80 24 "env LC_ALL=C $FLOW"
expect_screen "ASCII: the board comes up" asc 'boss \(manager\)'
tm_keys asc 2
expect_screen "ASCII: the flow comes up" asc 'Lead flow, all sources'
expect_screen "ASCII: bars in #" asc '#'
expect_no_match "ASCII: no block characters" '[▁▂▃▄▅▆▇█–]' \
    "$(tm_screen asc)"

# --- a bigger file: keys while the months are counted ----------------------
BIG=$T_DIR/big/big.db
BAT=2026-11-20T16:00:00Z
LOG=$T_DIR/big/keys.log
mkdir -p "$T_DIR/big"
cp "$ROOT/tests/data/demo.ini" "$T_DIR/big/smk.ini"
"$ROOT/.build/smkgen" --out "$BIG" --leads 60000 --months 13 --seed 7 \
    --anchor 2026-11-20T15:00:00Z --config "$ROOT/tests/data/demo.ini" \
    >/dev/null 2>&1 || not_ok "generate 60000 leads"
: >"$LOG"
tm_start big 200 50 "SMK_BENCH_LOG=$LOG $SMK --db $BIG --at $BAT --user mgarcia"
expect_screen "big: the board comes up" big 'mgarcia \(manager\)' 20
tm_keys big 2
expect_screen "big: the flow says it is computing" big \
    'month 2026-11 +computing…' 5
expect_screen "... and the status line too" big 'flow: all sources, computing'
tm_keys big h h l
expect_screen "big: months move while it computes" big 'month 2026-10' 5
expect_screen "big: the figures come" big 'New leads [0-9]+ \([0-9]+ before\)' 30
tm_wait_gone big 'computing' 5
expect_no_match "... and the hint goes" 'computing' "$(tm_screen big)"
# The same numbers as the report: October's and September's new leads,
# SQLs and customers (the CSV's columns 2, 4 and 6).
REP=$("$SMK" --db "$BIG" --at "$BAT" --user mgarcia report flow --format csv |
    tr -d '\r')
col() { printf '%s\n' "$REP" | awk -F, -v m="$1" -v c="$2" '$1 == m { print $c }'; }
expect_screen "big: new leads as report flow counts them" big \
    "New leads $(col 2026-10 2) \\($(col 2026-09 2) before\\)"
expect_screen "big: SQLs and customers too" big \
    "SQLs $(col 2026-10 4) \\($(col 2026-09 4) before\\) +Customers $(col 2026-10 6) \\($(col 2026-09 6) before\\)"
# Every key was drawn within 100 ms while the months counted; 2, which
# opens the screen and does its first 40 ms of counting before the first
# paint, within 200 ms (this is the sanitizer build: the release build
# opens it in about 50 ms).
KEYS=$(grep -c '^key_ms' "$LOG")
echo "# key_ms: $(awk '$1 == "key_ms" { printf "%s ", $2 }' "$LOG")"
SLOW=$(awk '$1 == "key_ms" && $2 >= (++n == 1 ? 200 : 100)' "$LOG")
expect_eq "big: four keys timed" 4 "$KEYS"
expect_eq "big: no key waited 100 ms" "" "$SLOW"

# --- the Goals screen on the same file: its plan is built between keys ----
tm_keys big q
tm_wait big '<Enter>:open' 5 || not_ok "big: back on the board"
: >"$LOG"
tm_keys big 3 j k
expect_screen "big: the goals screen comes" big \
    'MQLs needed this month: [0-9]+' 30
tm_wait_gone big 'goals, computing' 30
plan() {
	"$SMK" --db "$BIG" --at "$BAT" --user mgarcia plan --format csv |
	    tr -d '\r' | awk -F, -v s="$1" '$1 == s { print $3, $4, $5 }'
}
set -- $(plan lead)
expect_screen "big: lead's needed, as smk plan counts it" big \
    "^ lead +needed +$1 "
expect_screen "... its actual" big "^ +actual +$2 "
set -- $(plan customer)
expect_screen "big: customer's needed too" big "^ customer +needed +$1 "
SLOW=$(awk '$1 == "key_ms" && $2 >= 100' "$LOG")
expect_eq "big: three keys timed on the goals screen" 3 \
    "$(grep -c '^key_ms' "$LOG")"
expect_eq "big: none waited 100 ms" "" "$SLOW"
t_done
