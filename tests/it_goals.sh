#!/bin/sh
# Integration: smk plan (the reverse funnel of goals.h), [sla] mqls_per_rep
# = auto and smk report meeting, over histories built by hand through the
# command line with --at, and checked against answers worked out below.
#
# The team's zone is America/New_York, business days mon-fri 09:00-17:00,
# holidays 2026-11-26 and 2026-12-25 (tests/data/test-smk.ini), plus
# whatever [goals] each scenario appends.
. "$(dirname "$0")/lib.sh"

lf() { printf '%s\n' "$1" | tr -d '\r'; }
# playbook DIR EXTRA: the test playbook with extra lines appended.
playbook() {
	mkdir -p "$1"
	{ cat "$ROOT/tests/data/test-smk.ini"; printf '%s\n' "$2"; } \
	    >"$1/smk.ini"
}
# act AT USER ARGS...: one change on $DB, effective at AT.
act() {
	_at=$1 _u=$2
	shift 2
	"$SMK" --db "$DB" --at "$_at" --user "$_u" "$@" >/dev/null \
	    2>"$T_DIR/.acterr" || not_ok "history: $*" "$(cat "$T_DIR/.acterr")"
}
# n_leads N PREFIX AT STAGE: add N leads PREFIX1..N at AT in STAGE; the
# ids follow each other, so the first id is printed.
n_leads() {
	_i=1
	while [ "$_i" -le "$1" ]; do
		act "$3" boss add "$2$_i@x.example" --stage "$4"
		_i=$((_i + 1))
	done
}
# move_range FROM TO AT STAGE: move leads FROM..TO to STAGE at AT.
move_range() {
	_i=$1
	while [ "$_i" -le "$2" ]; do
		act "$3" boss move "$_i" "$4"
		_i=$((_i + 1))
	done
}
s() { "$SMK" --db "$DB" "$@"; }

# ---------------------------------------------------------------------------
# Scenario A: a month, 40 MQLs in the lookback.
#
# [goals] period = month, customers = 5, lookback = 3. Now is Wed
# 2026-11-18 10:00 EST (15:00Z), so the period is November
# [2026-11-01T04:00Z, 2026-12-01T05:00Z) and the lookback is August,
# September and October [2026-08-01T04:00Z, 2026-11-01T04:00Z).
#
# History: leads 1-40 created at mql on 2026-09-15; 1-20 moved to sql on
# 2026-09-22, 1-10 to opportunity on 2026-10-06, 1-5 to customer on
# 2026-10-20. So in the lookback:
#   mql          entered 40, advanced 20 (to sql or later)   rate 50.0
#   sql          entered 20, advanced 10                     rate 50.0
#   opportunity  entered 10, advanced 5                      rate 50.0
#   subscriber, lead: nobody entered them: no rate, no data.
# needed(customer) = 5
# needed(opportunity) = ceil(5 * 10 / 5) = 10
# needed(sql)         = ceil(10 * 20 / 10) = 20
# needed(mql)         = ceil(20 * 40 / 20) = 40
# needed(lead), needed(subscriber): above a stage without a rate: no data.
#
# November so far: leads 41-43 created at mql on Nov 3, lead 41 moved to
# sql on Nov 5, lead 44 created directly at sql on Nov 10. actual: mql 3,
# sql 2, opportunity 0, customer 0.
# Business days of November: 21 weekdays less Thanksgiving (26th) = 20;
# past by Wed 18th 10:00 = Nov 2-6, 9-13, 16, 17 = 12 (the 18th is not
# over). pace = needed * 12 / 20 to the nearest:
#   customer 3, opportunity 6, sql 12, mql 24.
# gap = actual - pace: customer -3, opportunity -6, sql -10, mql -21.
# ---------------------------------------------------------------------------
DB=$T_DIR/a/a.db
smk_db "$DB" || { not_ok "create the test team"; t_done; }
playbook "$T_DIR/a" "[goals]
period = month
customers = 5
lookback = 3"
NOW=2026-11-18T15:00:00Z

n_leads 40 a 2026-09-15T14:00:00Z mql
move_range 1 20 2026-09-22T14:00:00Z sql
move_range 1 10 2026-10-06T14:00:00Z opportunity
move_range 1 5 2026-10-20T14:00:00Z customer
n_leads 3 nov 2026-11-03T14:00:00Z mql
act 2026-11-05T14:00:00Z boss move 41 sql
act 2026-11-10T14:00:00Z boss add direct@x.example --stage sql

expect_code "plan csv" 0 s --at "$NOW" plan --format csv
expect_eq "plan: 10 opportunities, 20 SQLs, 40 MQLs for 5 customers" \
"stage,rate,needed,actual,pace,gap
subscriber,,,0,,
lead,,,0,,
mql,50.0,40,3,24,-21
sql,50.0,20,2,12,-10
opportunity,50.0,10,0,6,-6
customer,,5,0,3,-3" "$(lf "$OUT")"

# What-ifs: --customers 10 doubles every need; pace = need * 12/20.
expect_code "plan --customers 10" 0 s --at "$NOW" plan --customers 10 \
    --format csv
expect_eq "what-if: 10 customers" \
"stage,rate,needed,actual,pace,gap
subscriber,,,0,,
lead,,,0,,
mql,50.0,80,3,48,-45
sql,50.0,40,2,24,-22
opportunity,50.0,20,0,12,-12
customer,,10,0,6,-6" "$(lf "$OUT")"

# A revenue goal with no customer amount in the lookback: no data all the
# way up, never zero or infinity.
expect_code "plan --revenue without amounts" 0 s --at "$NOW" plan \
    --revenue 50000 --format csv
expect_eq "revenue without amounts: no data" \
"stage,rate,needed,actual,pace,gap
subscriber,,,0,,
lead,,,0,,
mql,50.0,,3,,
sql,50.0,,2,,
opportunity,50.0,,0,,
customer,,,0,," "$(lf "$OUT")"

expect_code "plan table" 0 s --at "$NOW" plan
expect_match "table: period, goal and business days" \
    "Plan for 2026-11: 5 customers; rates from 2026-08 to 2026-10; 12 of 20 business days past" "$OUT"
expect_match "table: no data shown as such" "lead +no data +0 +no data +no data" "$OUT"
expect_match "table: the fixed promise" \
    "Marketing promise: 100 MQLs per sales rep this month \\(\\[sla\\] mqls_per_rep\\)" "$OUT"

expect_code "plan json" 0 s --at "$NOW" plan --format json
expect_match "json: numbers and nulls" \
    '"stage": ?"lead", ?"rate": ?null, ?"needed": ?null' "$OUT"

# Bad arguments.
expect_code "plan: both goals refused" 1 s --at "$NOW" plan --customers 3 \
    --revenue 9
expect_code "plan: a bad number refused" 1 s --at "$NOW" plan \
    --customers 0
expect_code "plan: a bad period refused" 1 s --at "$NOW" plan \
    --period year
expect_match "plan: the period is named" "year" "$ERR"

# --at earlier: on 2026-10-15 the lookback is Jul-Sep, where nobody entered
# opportunity (Oct 6 is in the period): no rate, so every stage above
# customer is no data. sql's rate counts advances up to now: 10 of 20.
# Business days of October: 22 weekdays; past by Thu 15th 11:00 = 10; the
# customer pace is 5 * 10 / 22 = 2.27: 2.
expect_code "plan --at October" 0 s --at 2026-10-15T15:00:00Z plan \
    --format csv
expect_match "October: opportunity has no history" "^opportunity,,,10,,$" \
    "$(lf "$OUT")"
expect_match "October: sql above it no data" "^sql,50.0,,0,,$" "$(lf "$OUT")"
expect_match "October: customer still needed" "^customer,,5,0,2,-2$" \
    "$(lf "$OUT")"

t_done
