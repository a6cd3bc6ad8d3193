#!/bin/sh
# Integration: smk report flow|sources over a history built by hand through
# add, move, assign and log with --at, and checked against answers worked out
# below. The team's zone is America/New_York (tests/data/test-smk.ini), so
# a month starts at 04:00Z under daylight time (05:00Z from November).
#
# Month boundaries used here (EDT = UTC-4 until 2026-11-01 02:00 local):
#   2026-09 = [2026-09-01T04:00Z, 2026-10-01T04:00Z)
#   2026-10 = [2026-10-01T04:00Z, 2026-11-01T04:00Z)
#   2026-11 = [2026-11-01T04:00Z, 2026-12-01T05:00Z)
# The SLA rules: first touch within 4 business hours (mon-fri 09:00-17:00
# New York), 5 attempts within 14 calendar days.
. "$(dirname "$0")/lib.sh"

DB=$T_DIR/flow/f.db
smk_db "$DB" || { not_ok "create the test team"; t_done; }
REPORT_AT=2026-11-02T14:00:00Z
s() { "$SMK" --db "$DB" "$@"; }

# L1 ann (webinar): the clean path. Assigned in mql (clock A starts Thu
# 2026-09-03 11:00 EDT), called 2 business hours later, then sql, an
# opportunity in September and a customer in October.
act 2026-09-02T14:00:00Z boss add ann@a.example --source webinar --stage lead
act 2026-09-03T14:00:00Z boss move 1 mql
act 2026-09-03T15:00:00Z boss assign 1 sam
act 2026-09-03T17:00:00Z sam log 1 call
act 2026-09-08T14:00:00Z boss move 1 sql
act 2026-09-21T14:00:00Z boss move 1 opportunity
act 2026-10-05T14:00:00Z boss move 1 customer

# L2 bo (webinar): recycled from sql, then back through mql to sql in
# October. Created in mql with owner sam: clock B starts Thu 2026-09-10
# 10:00 EDT; no attempt before it stops at the recycle. Re-entering sql
# starts clock C (Wed 2026-10-07 10:00 EDT); the call at 15:00 EDT is 5
# business hours later: late.
act 2026-09-10T14:00:00Z boss add bo@b.example --source webinar --stage mql \
    --owner sam
act 2026-09-11T14:00:00Z boss move 2 sql
act 2026-09-15T14:00:00Z boss move 2 recycled --reason "not ready to buy"
act 2026-10-06T14:00:00Z boss move 2 mql --reason "asked again"
act 2026-10-07T14:00:00Z boss move 2 sql
act 2026-10-07T19:00:00Z sam log 2 call

# L3 cy (ads): 2026-10-01T02:00Z is 22:00 on 30 September in New York, so
# this lead is new (and an MQL) in September although UTC says October; the
# rejection at 23:30 EDT is September's too.
act 2026-10-01T02:00:00Z boss add cy@c.example --source ads --stage mql
act 2026-10-01T03:30:00Z boss move 3 recycled --reason "no budget"

# L4 di (ads): sql without an owner (no clock), assigned in sql (clock D
# starts Thu 2026-10-15 10:00 EDT), emailed Fri 09:00 EDT = 7 business hours
# later (Thu 10-17), disqualified before the 14 days are up.
act 2026-10-13T13:00:00Z boss add di@d.example --source ads --stage lead
act 2026-10-14T13:00:00Z boss move 4 mql
act 2026-10-15T13:00:00Z boss move 4 sql
act 2026-10-15T14:00:00Z boss assign 4 sam
act 2026-10-16T13:00:00Z sam log 4 email
act 2026-10-20T14:00:00Z boss move 4 disqualified --reason competitor

# L5 ed (no source): November, a month with a new lead and nothing to rate.
act 2026-11-01T12:00:00Z boss add ed@e.example --stage subscriber
# L6 fu (webinar): 2026-11-01T03:00Z is 23:00 on 31 October in New York.
act 2026-11-01T03:00:00Z boss add fu@f.example --source webinar --stage lead

# The answers, month by month, as of 2026-11-02T14:00Z.
#
# 2026-08: no leads at all; every rate has a zero denominator: empty.
#
# 2026-09: new = L1, L2, L3 = 3.  mql (first entries) = L1, L2, L3 = 3.
#   sql = L1, L2 = 2.  opportunities = L1 = 1.  customers = 0 (L1 is
#   October's).  recycled = L2 (09-15) + L3 (Sep 30 23:30 EDT) = 2.
#   disqualified = 0.
#   sql cohort = {L1, L2}; worked: L1 (call 09-03) and L2 (call 10-07, as
#   of the report time) = 2/2 = 100.0; closed: L1 = 1/2 = 50.0.
#   Clocks started: A first_touch met (2 bh <= 4); A attempts breached
#   (1 < 5 by 09-17, stopped 09-21 after its due); B first_touch breached
#   (due 14:00 EDT 09-10, no attempt); B attempts met (interrupted by the
#   recycle before its due). Met 2 of 4 = 50.0.
#   Median first touch: only A has one: 2.0.
#
# 2026-10: new = L4, L6 (Oct 31 23:00 EDT) = 2.  mql = L4 = 1 (L2's return
#   to mql is not a first entry).  sql = L4 = 1 (L2 again not first).
#   opportunities = 0.  customers = L1 = 1.  recycled = 0.
#   disqualified = L4 = 1.
#   sql cohort = any entry in October = {L2, L4} (2, more than sql = 1);
#   worked 2/2 = 100.0; closed 0/2 = 0.0.
#   Clocks: C first_touch breached (5 bh), C attempts breached (1 attempt,
#   due 10-21, still in sql); D first_touch breached (7 bh), D attempts met
#   (interrupted by the disqualification). Met 1 of 4 = 25.0.
#   Median first touch of {5, 7} = (5 + 7) / 2 = 6.0.
#
# 2026-11 (to the report time): new = L5 = 1; nothing else; empty rates.
expect_code "report flow csv" 0 s --at "$REPORT_AT" report flow --months 4 \
    --format csv
expect_eq "flow csv is exact" "month,new,mql,sql,opportunities,customers,recycled,disqualified,worked_pct,close_rate,median_first_touch_bh,sla_met_pct
2026-08,0,0,0,0,0,0,0,,,,
2026-09,3,3,2,1,0,2,0,100.0,50.0,2.0,50.0
2026-10,2,1,1,0,1,0,1,100.0,0.0,6.0,25.0
2026-11,1,0,0,0,0,0,0,,,," "$(lf "$OUT")"

# As of 2026-09-30T12:00Z (08:00 EDT): L3 does not exist yet, L1 is not a
# customer and L2 has had no call: worked 1/2 = 50.0, closed 0/2 = 0.0;
# clocks A and B are already decided as above: 50.0.
expect_code "report flow as of September" 0 s --at 2026-09-30T12:00:00Z \
    report flow --months 1 --format csv
expect_eq "... counts only what had happened" \
    "2026-09,2,2,2,1,0,1,0,50.0,0.0,2.0,50.0" "$(lf "$OUT" | sed 1d)"

# Sources in September: webinar {L1, L2}: handed off (first mql) 2, both
# later entered sql: accepted 2, acceptance 100.0; rejected 0; opportunity
# L1 became a customer: win rate 1/1 = 100.0. ads {L3}: handed off 1,
# accepted 0 (0.0), rejected 1 for "no budget"; no sql, no opportunity, no
# clock: empty rates. Sorted by acceptance: webinar first.
expect_code "report sources csv" 0 s --at "$REPORT_AT" report sources \
    --month 2026-09 --format csv
expect_eq "sources csv is exact" "source,new,mql,sql,opportunities,customers,recycled,disqualified,worked_pct,close_rate,median_first_touch_bh,sla_met_pct,handed_off,accepted,rejected,acceptance_pct,win_rate,top_reasons
webinar,2,2,2,1,0,1,0,100.0,50.0,2.0,50.0,2,2,0,100.0,100.0,
ads,1,1,0,0,0,1,0,,,,,1,0,1,0.0,,no budget 1" "$(lf "$OUT")"

# November in JSON: the lead without a source is "(none)"; a zero
# denominator is null, never 0.
expect_code "report sources json" 0 s --at "$REPORT_AT" report sources \
    --month 2026-11 --format json
expect_match "json: no source" '"source": "\(none\)"' "$OUT"
expect_match "json: zero denominator is null" '"worked_pct": null' "$OUT"
expect_match "json: counts are numbers" '"new": 1' "$OUT"

# The meeting table: aligned, a total row, marks for changes, "–" for none.
expect_code "report flow table" 0 s --at "$REPORT_AT" report flow --months 4
expect_match "table: header" "^month +new +mql +sql" "$OUT"
expect_match "table: empty rate shown as a dash" "^2026-08 .*–" "$OUT"
expect_match "table: rise marked" "^2026-09 +3 ▲" "$OUT"
expect_match "table: fall marked" "^2026-10 +2 ▼" "$OUT"
# Totals: new 0+3+2+1 = 6; worked (2+2)/(2+2) = 100.0; median of {2, 5, 7}
# = 5.0; SLA met (2+1)/(4+4) = 37.5.
expect_match "table: totals" "^total +6 +4 +3 +1 +1 +2 +1 +100.0 +25.0 +5.0 +37.5" "$OUT"
expect_code "report flow table in ASCII" 0 env LC_ALL=C \
    "$SMK" --db "$DB" --at "$REPORT_AT" report flow --months 4
expect_match "ascii: marks are + and -" "^2026-09 +3 \+" "$OUT"
expect_no_match "ascii: no block characters" "▲|▼|–" "$OUT"

# One source of the flow: ads is L3 in September and L4 in October, whose
# clock D alone gives the median (7.0) and SLA met 1 of 2 = 50.0.
expect_code "report flow --source ads" 0 s --at "$REPORT_AT" report flow \
    --months 3 --source ads --format csv
expect_eq "... counts only ads" "2026-09,1,1,0,0,0,1,0,,,,
2026-10,1,1,1,0,0,0,1,100.0,0.0,7.0,50.0
2026-11,0,0,0,0,0,0,0,,,," "$(lf "$OUT" | sed 1d)"

# Many months are gathered in one walk, one month alone by report sources:
# the counts of each month must agree with the sum of its sources.
expect_code "report flow, four months" 0 s --at "$REPORT_AT" report flow \
    --months 4 --format csv
FLOW4=$(lf "$OUT" | sed 1d | cut -d, -f1-8)
SUMS=
for m in 2026-08 2026-09 2026-10 2026-11; do
	s --at "$REPORT_AT" report sources --month $m --format csv \
	    >"$T_DIR/flow/src.csv" 2>&1
	SUMS="$SUMS$(sed 1d "$T_DIR/flow/src.csv" | awk -F, -v m=$m '
	    { for (i = 2; i <= 8; i++) t[i] += $i }
	    END { printf "%s", m; for (i = 2; i <= 8; i++)
	    printf ",%d", t[i]; printf "\n" }')
"
done
expect_eq "each month is the sum of its sources" "$FLOW4" \
    "$(printf '%s' "$SUMS")"

# A lead created in an exit is new but not a move into it; a move back out
# and in again is one.
act 2026-11-01T13:00:00Z boss add gi@g.example --source ads --stage recycled
expect_code "report flow with a lead created recycled" 0 s \
    --at "$REPORT_AT" report flow --months 1 --format csv
expect_eq "... new, not recycled" "2026-11,2,0,0,0,0,0,0,,,," \
    "$(lf "$OUT" | sed 1d)"
act 2026-11-01T14:00:00Z boss move 7 lead
act 2026-11-01T15:00:00Z boss move 7 recycled --reason again
expect_code "report flow after a move into recycled" 0 s \
    --at "$REPORT_AT" report flow --months 1 --format csv
expect_eq "... one move" "2026-11,2,0,0,0,0,1,0,,,," "$(lf "$OUT" | sed 1d)"

# Bad arguments are user errors with a message.
expect_code "bad --months" 1 s report flow --months 0
expect_match "... says why" "from 1 to" "$ERR"
expect_code "bad --month" 1 s report sources --month 2026-13
expect_match "... shows the form" "YYYY-MM" "$ERR"
expect_code "unknown report" 1 s report nonsense
expect_code "bad format" 1 s report flow --format xml
t_done
