#!/bin/sh
# Integration: smk plan (the reverse funnel of goals.h), [sla] mqls_per_rep
# = auto and smk report meeting, over histories built by hand through the
# command line with --at, and checked against answers worked out below.
#
# The team's zone is America/New_York, business days mon-fri 09:00-17:00,
# holidays 2026-11-26 and 2026-12-25 (tests/data/test-smk.ini), plus
# whatever [goals] each scenario appends.
. "$(dirname "$0")/lib.sh"

# playbook DIR EXTRA: the test playbook with extra lines appended.
playbook() {
	mkdir -p "$1"
	{ cat "$ROOT/tests/data/test-smk.ini"; printf '%s\n' "$2"; } \
	    >"$1/smk.ini"
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

# The playbook's goal is per month: a week's plan asks for a week's share
# of it (5 x 12 / 52, rounded up), and says so; a what-if goal is as given.
expect_code "plan --period week" 0 s --at "$NOW" plan --period week
expect_match "week: a week's share of the monthly goal" \
    "Plan for 2026-W4[0-9]: 2 customers \(a week's share of the playbook's goal per month\)" "$OUT"
expect_code "plan --period week --customers 4" 0 s --at "$NOW" plan \
    --period week --customers 4
expect_match "week: a what-if goal is taken as it is" \
    "Plan for 2026-W4[0-9]: 4 customers;" "$OUT"

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

# [sla] mqls_per_rep = auto: the promise follows the goal. 40 MQLs are
# needed this month, and the team has 2 active sales reps (sam, tess):
# ceil(40 / 2) = 20 each, 40 due by the month's end.
sed 's/^mqls_per_rep .*/mqls_per_rep = auto/' "$T_DIR/a/smk.ini" \
    >"$T_DIR/a/auto.ini"
expect_code "plan with mqls_per_rep = auto" 0 s --config "$T_DIR/a/auto.ini" \
    --at "$NOW" plan
expect_match "auto: 20 MQLs per rep from the goal, 40 in all" \
    "Marketing promise: 20 MQLs per sales rep this month \(from the goal\), 2 reps: 40 due by month end" \
    "$OUT"
# A what-if goal does not change the promise: that follows the playbook.
expect_code "plan --customers 10 with auto" 0 s --config "$T_DIR/a/auto.ini" \
    --at "$NOW" plan --customers 10
expect_match "auto: the playbook's goal sets the promise" \
    "Marketing promise: 20 MQLs per sales rep" "$OUT"
# Before any history the plan has no data, and the promise falls back to
# the documented default (100) rather than to zero.
expect_code "plan with auto and no history" 0 s --config \
    "$T_DIR/a/auto.ini" --at 2026-06-15T15:00:00Z plan
expect_match "auto without history: the default promise" \
    "Marketing promise: 100 MQLs per sales rep this month \(from the goal\)" \
    "$OUT"

# ---------------------------------------------------------------------------
# Scenario B: a weekly revenue goal, a week that starts on a holiday, a
# stage nobody left, leads created directly at sql, opportunity and
# customer.
#
# [goals] period = week, revenue = 10000, lookback = 2; Monday 2026-11-16
# is a holiday too. Now is Wed 2026-11-18 17:00 EST (22:00Z): the period is
# ISO week 2026-W47 [Mon 16th 05:00Z, Mon 23rd 05:00Z); the lookback is
# W45 and W46 [2026-11-02T05:00Z, 2026-11-16T05:00Z).
#
# History (ids in order of creation):
#   1-4 created at lead (Nov 3); 1, 2 to mql (Nov 4); 3 disqualified.
#   5, 6 created at subscriber (Nov 3); they never move.
#   1 to sql (Nov 5); 2 recycled.
#   7, 8 created directly at sql (Nov 6).
#   9 created at opportunity (Nov 10); 1 to opportunity (Nov 10), 7 too
#   (Nov 11); 9 disqualified (Nov 12).
#   1 to customer (Nov 12), 7 too (Nov 13); amounts 3000 and 5000.
#   10 created directly at customer (Nov 13), no amount.
# Lookback cohorts:
#   subscriber   entered 2 (5, 6), advanced 0           rate 0.0
#   lead         entered 4 (1-4), advanced 2 (1, 2)     rate 50.0
#   mql          entered 2 (1, 2), advanced 1 (1)       rate 50.0
#   sql          entered 3 (1, 7, 8), advanced 2 (1, 7) rate 66.7
#   opportunity  entered 3 (1, 7, 9), advanced 2        rate 66.7
#   customer     won 3 (1, 7, 10), 2 with an amount: mean 8000 / 2 = 4000
# needed(customer)    = ceil(10000 * 2 / 8000) = ceil(2.5) = 3
# needed(opportunity) = ceil(3 * 3 / 2) = 5
# needed(sql)         = ceil(5 * 3 / 2) = 8
# needed(mql)         = ceil(8 * 2 / 1) = 16
# needed(lead)        = ceil(16 * 4 / 2) = 32
# needed(subscriber)  = no data (a rate of zero).
# This week: 11 created at lead and moved to mql (Tue 17th), 12 created at
# sql (Tue). actual: lead 1, mql 1, sql 1.
# Business days of W47: Tue-Fri = 4 (Monday is a holiday); past by Wed
# 17:00 = Tue, Wed = 2. pace = needed * 2 / 4 to the nearest, halves up:
#   customer 1.5 -> 2, opportunity 2.5 -> 3, sql 4, mql 8, lead 16.
# ---------------------------------------------------------------------------
DB=$T_DIR/b/b.db
smk_db "$DB" || { not_ok "create the second team"; t_done; }
sed 's/^holidays .*/holidays = 2026-11-16, 2026-11-26, 2026-12-25/' \
    "$ROOT/tests/data/test-smk.ini" >"$T_DIR/b/smk.ini"
printf '[goals]\nperiod = week\nrevenue = 10000\nlookback = 2\n' \
    >>"$T_DIR/b/smk.ini"
NOW=2026-11-18T22:00:00Z
n_leads 4 l 2026-11-03T15:00:00Z lead
n_leads 2 s 2026-11-03T15:00:00Z subscriber
move_range 1 2 2026-11-04T15:00:00Z mql
act 2026-11-04T16:00:00Z boss move 3 disqualified --reason spam
act 2026-11-05T15:00:00Z boss move 1 sql
act 2026-11-05T16:00:00Z boss move 2 recycled --reason "no budget"
n_leads 2 direct 2026-11-06T15:00:00Z sql
act 2026-11-10T15:00:00Z boss add opp@x.example --stage opportunity
act 2026-11-10T16:00:00Z boss move 1 opportunity
act 2026-11-11T15:00:00Z boss move 7 opportunity
act 2026-11-12T15:00:00Z boss move 9 disqualified --reason "lost to competitor"
act 2026-11-12T16:00:00Z boss move 1 customer
act 2026-11-13T15:00:00Z boss move 7 customer
act 2026-11-13T16:00:00Z boss add won@x.example --stage customer
act 2026-11-14T15:00:00Z boss set 1 amount 3000
act 2026-11-14T15:00:00Z boss set 7 amount 5000
act 2026-11-17T15:00:00Z boss add new@x.example --stage lead
act 2026-11-17T16:00:00Z boss move 11 mql
act 2026-11-17T15:00:00Z boss add newsql@x.example --stage sql

expect_code "weekly revenue plan" 0 s --at "$NOW" plan --format csv
expect_eq "weekly revenue plan: worked out by hand" \
"stage,rate,needed,actual,pace,gap
subscriber,0.0,,0,,
lead,50.0,32,1,16,-15
mql,50.0,16,1,8,-7
sql,66.7,8,1,4,-3
opportunity,66.7,5,0,3,-3
customer,,3,0,2,-2" "$(lf "$OUT")"
expect_code "weekly revenue plan, table" 0 s --at "$NOW" plan
expect_match "week heading: holiday Monday, revenue goal" \
    "Plan for 2026-W47: 10000 USD of revenue \(mean deal 4000 USD over 2 customers\); rates from 2026-W45 to 2026-W46; 2 of 4 business days past" \
    "$OUT"
expect_match "table: a zero rate is shown, its needs are not" \
    "subscriber +0.0 +no data +0 +no data +no data" "$OUT"
# The amount edit is an update event with the old and new values.
expect_code "timeline of lead 1" 0 s --at "$NOW" timeline 1 --format csv
expect_match "amount: an update event" "update,,3000" "$(lf "$OUT")"
# A rep may not set the amount of someone else's lead (boss owns none, so
# give lead 7 to sam and let tess try).
act 2026-11-14T16:00:00Z boss assign 7 sam
expect_code "amount: refused for another rep's lead" 1 s --at "$NOW" \
    --user tess set 7 amount 9
# What-if: --customers 1 in the same week: needed 1, 2, 3, 6, 12; pace
# halves: 1 (0.5 up), 1, 2 (1.5 up), 3, 6.
expect_code "what-if customers on the weekly plan" 0 s --at "$NOW" plan \
    --customers 1 --format csv
expect_eq "what-if: 1 customer a week" \
"stage,rate,needed,actual,pace,gap
subscriber,0.0,,0,,
lead,50.0,12,1,6,-5
mql,50.0,6,1,3,-2
sql,66.7,3,1,2,-1
opportunity,66.7,2,0,1,-1
customer,,1,0,1,-1" "$(lf "$OUT")"

# ---------------------------------------------------------------------------
# smk report meeting, on scenario B, checked section by section against
# plan, sla and report. More history for the sections the plan has not
# used (outside the lookback and the current week, so the plan above keeps):
#   8 (at sql since Nov 6) assigned to tess on Fri Nov 6 10:00 EST and
#     called at 11:00: first touch met; 5 attempts due Nov 20: due soon
#     (2 of 14 days left, under 25%).
#   12 (at sql since Tue Nov 17 10:00 EST) assigned to sam then: first
#     touch due 14:00 EST, nobody tried: breached and untouched.
#   13, 14 (webinar) at mql on Oct 5, 13 accepted (sql) Oct 6: 50.0%.
#   15 (webinar) at mql on Sun Nov 1 (week 44), accepted the same day:
#     100.0%, so webinar's acceptance rose.
# November so far: recycled 1 (lead 2, "no budget"), rejected MQLs 1.
# ---------------------------------------------------------------------------
act 2026-11-06T15:00:00Z boss assign 8 tess
act 2026-11-06T16:00:00Z tess log 8 call
act 2026-11-17T15:00:00Z boss assign 12 sam
act 2026-10-05T14:00:00Z boss add web1@x.example --source webinar --stage mql
act 2026-10-05T14:00:00Z boss add web2@x.example --source webinar --stage mql
act 2026-10-06T14:00:00Z boss move 13 sql
act 2026-11-01T15:00:00Z boss add web3@x.example --source webinar --stage mql
act 2026-11-01T16:00:00Z boss move 15 sql

expect_code "report meeting (md)" 0 s --at "$NOW" report meeting
MD=$OUT
expect_code "report meeting --format table" 0 s --at "$NOW" report meeting \
    --format table
TABLE=$OUT
expect_match "meeting: the week and the report time" \
    "^# Meeting agenda, week 2026-W47" "$MD"
expect_match "meeting: as of now" "As of 2026-11-18T22:00:00Z" "$MD"

# Goal progress: the plan's own table, row for row.
expect_code "plan (for the meeting)" 0 s --at "$NOW" plan
PLAN_ROWS=$(printf '%s\n' "$OUT" | sed -n '/^stage /,/^customer /p')
MEET_ROWS=$(printf '%s\n' "$TABLE" | sed -n '/^stage /,/^customer /p')
expect_eq "meeting: the goal table is plan's" "$PLAN_ROWS" "$MEET_ROWS"
expect_match "meeting: markdown table of the plan" \
    '^\| mql +\| +50.0 \| +16 \| +1 \| +8 \| +-7 \|' "$MD"
expect_match "meeting: furthest behind named" \
    "Furthest behind: customer, 0 of a pace of 2" "$MD"

# MQLs vs the promise: the same figures plan prints from slaview_mql.
PROMISE=$(printf '%s\n' "$OUT" | sed -n 's/.*reps: \([0-9]*\) due by month end, \([0-9]*\) by today, \([0-9]*\) delivered.*/\3 \2 \1/p')
MEET_PROMISE=$(printf '%s\n' "$MD" | sed -n 's/.*Delivered this month: \([0-9]*\); due by today: \([0-9]*\); due by month end: \([0-9]*\).*/\1 \2 \3/p')
expect_eq "meeting: MQLs delivered, due today, due in the month" \
    "$PROMISE" "$MEET_PROMISE"
# November's first mql entries: 1, 2 (Nov 4), 11 (Nov 17), 15 (Nov 1).
expect_match "meeting: 4 MQLs delivered in November" \
    "Delivered this month: 4;" "$MD"

# Breaches by rep: as many as smk sla --breached lists for each rep.
expect_code "sla --breached" 0 s --at "$NOW" sla --breached --format csv
SAM_SLA=$(lf "$OUT" | grep -c ',sam,')
TESS_SLA=$(lf "$OUT" | grep -c ',tess,')
expect_eq "sla lists sam's breach" 1 "$SAM_SLA"
expect_match "meeting: sam's breaches as sla lists them" \
    "^\| sam +\| +$SAM_SLA \|" "$MD"
expect_match "meeting: tess's breaches as sla lists them" \
    "^\| tess +\| +$TESS_SLA \| +1 \| +0 \|" "$MD"
expect_match "meeting: the untouched breached lead, with its rep" \
    '^\| +12 \| newsql@x.example \| sam +\| 2026-11-17T19:00:00Z \|' "$MD"
expect_no_match "meeting: a touched lead is not untouched" \
    'l1@x.example|direct2@x.example' "$(printf '%s\n' "$MD" | sed -n '/untouched/,$p')"

# Recycled and reasons: report flow's recycled, report sources' reasons.
expect_code "report flow, this month" 0 s --at "$NOW" report flow \
    --months 1 --format csv
RECYCLED=$(lf "$OUT" | awk -F, 'NR == 2 { print $7 }')
expect_eq "report flow: 1 recycled" 1 "$RECYCLED"
expect_match "meeting: recycled as report flow counts it" \
    "Recycled in 2026-11: $RECYCLED; MQLs rejected: 1; top reasons: no budget 1\." "$MD"
expect_code "report sources, this month" 0 s --at "$NOW" report sources \
    --format csv
expect_match "report sources: webinar accepted 100.0" \
    '^webinar,(.*,)?100\.0,' "$(lf "$OUT")"
expect_code "report sources, last month" 0 s --at "$NOW" report sources \
    --month 2026-10 --format csv
expect_match "report sources: webinar accepted 50.0 in October" \
    '^webinar,(.*,)?50\.0,' "$(lf "$OUT")"
expect_match "meeting: webinar's acceptance rose" \
    '^- webinar: 50\.0% -> 100\.0% \(up\)$' "$MD"

# Markdown pastes cleanly: headings, bullets and pipe tables only, no
# alignment padding of the table format.
expect_no_match "meeting: no table-format rules in md" '^-{5,}$' "$MD"
expect_match "meeting: md has its sections" \
    '## SLA breaches by rep' "$MD"

# Other periods: a past week is reported as it stood at its end.
expect_code "meeting --week 2026-W46" 0 s --at "$NOW" report meeting \
    --week 2026-W46
expect_match "past week: heading" "^# Meeting agenda, week 2026-W46" "$OUT"
expect_match "past week: as of its end" "As of 2026-11-16T04:59:59Z" "$OUT"
expect_code "meeting --month 2026-11" 0 s --at "$NOW" report meeting \
    --month 2026-11 --format table
expect_match "month meeting: heading" "^Meeting agenda, month 2026-11" \
    "$OUT"
expect_code "meeting: a bad week" 1 s --at "$NOW" report meeting \
    --week 2026-47
expect_code "meeting: a future week" 1 s --at "$NOW" report meeting \
    --week 2026-W52
expect_code "meeting: csv is not an agenda" 1 s --at "$NOW" report meeting \
    --format csv
expect_code "report: options before meeting" 0 s --at "$NOW" report \
    --format table meeting

t_done
