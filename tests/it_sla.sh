#!/bin/sh
# Integration: the sales SLA clocks as `smk sla` reports them, built from
# histories made with add, move, assign and log at pinned instants. The team
# works in New York (UTC-5 in November), 09:00-17:00 Monday to Friday; the
# test playbook's holidays are 2026-11-26 and 2026-12-25.
. "$(dirname "$0")/lib.sh"

DB=$T_DIR/team/x.db
smk_db "$DB" || { not_ok "create the test team"; t_done; }

S() { "$SMK" --db "$DB" "$@"; }
# clock AT LEAD RULE [ARGS...]: "state,started_at,due_at,attempts" of a row.
clock() {
	_at=$1 _lead=$2 _rule=$3
	shift 3
	S --at "$_at" sla --format csv "$@" | tr -d '\r' |
	    awk -F, -v l="$_lead" -v r="$_rule" \
	    '$1 == l && $4 == r { print $5 "," $6 "," $7 "," $8 }'
}
# rows AT [ARGS...]: the data rows of smk sla --format csv, without CR.
rows() { _at=$1; shift; S --at "$_at" sla --format csv "$@" | tr -d '\r' |
    sed 1d; }

# 1. Handed off on Friday 16:00 New York: one business hour on Friday,
# three on Monday, so the first touch is due Monday 12:00 (17:00Z).
S --at 2026-11-20T20:00:00Z --user mia add fri@x.example --stage mql >/dev/null
S --at 2026-11-20T21:00:00Z --user boss assign 1 sam >/dev/null
expect_eq "header is the contract's" \
    "lead,email,rep,rule,state,started_at,due_at,attempts" \
    "$(S --at 2026-11-20T21:00:00Z sla --format csv | head -1 | tr -d '\r')"
expect_eq "Friday 16:00 handoff: due Monday 12:00 New York" \
    "running,2026-11-20T21:00:00Z,2026-11-23T17:00:00Z,0" \
    "$(clock 2026-11-20T21:00:00Z 1 first_touch)"
expect_eq "attempts window is 14 calendar days" \
    "running,2026-11-20T21:00:00Z,2026-12-04T21:00:00Z,0" \
    "$(clock 2026-11-20T21:00:00Z 1 attempts)"
expect_eq "the row names the lead's email and rep" \
    "1,fri@x.example,sam,first_touch" \
    "$(rows 2026-11-20T21:00:00Z | head -1 | cut -d, -f1-4)"
expect_eq "Monday 10:00: half the window left, running" "running" \
    "$(clock 2026-11-23T15:00:00Z 1 first_touch | cut -d, -f1)"
expect_eq "Monday 11:30: under 25% left, due_soon" "due_soon" \
    "$(clock 2026-11-23T16:30:00Z 1 first_touch | cut -d, -f1)"
expect_eq "the weekend does not count: Saturday is still running" \
    "running" "$(clock 2026-11-21T15:00:00Z 1 first_touch | cut -d, -f1)"
expect_eq "Monday 12:01: breached" "breached" \
    "$(clock 2026-11-23T17:01:00Z 1 first_touch | cut -d, -f1)"
expect_code "--check exits 3 on a breach" 3 \
    S --at 2026-11-23T17:01:00Z sla --check --format csv
expect_match "... and still prints the rows" \
    "^1,fri@x.example,sam,first_touch,breached" "$OUT"
expect_match "... and says why" "1 breached SLA clock" "$ERR"
expect_code "--check exits 0 before the due time" 0 \
    S --at 2026-11-23T16:59:00Z sla --check
expect_code "a late call" 0 S --at 2026-11-23T18:00:00Z --user sam log 1 call
expect_eq "a late attempt stays breached" \
    "breached,2026-11-20T21:00:00Z,2026-11-23T17:00:00Z,1" \
    "$(clock 2026-11-23T18:00:00Z 1 first_touch)"
expect_eq "... and counts toward the attempts rule" "running,1" \
    "$(clock 2026-11-23T18:00:00Z 1 attempts | cut -d, -f1,4)"
expect_eq "--at in the past sees the past: no attempt yet" \
    "due_soon,0" "$(clock 2026-11-23T16:30:00Z 1 first_touch | cut -d, -f1,4)"

# 2. The same handoff with 2026-11-23 a holiday: due Tuesday 12:00.
HDB=$T_DIR/holiday/h.db
smk_db "$HDB" || not_ok "create the holiday team"
sed -i 's/^holidays.*/holidays = 2026-11-23, 2026-11-26, 2026-12-25/' \
    "$T_DIR/holiday/smk.ini"
"$SMK" --db "$HDB" --at 2026-11-20T21:00:00Z --user boss \
    add hol@x.example --stage sql --owner sam >/dev/null
expect_eq "with Monday a holiday: due Tuesday 12:00 New York" \
    "1,hol@x.example,sam,first_touch,running,2026-11-20T21:00:00Z,2026-11-24T17:00:00Z,0" \
    "$("$SMK" --db "$HDB" --at 2026-11-23T18:00:00Z sla --format csv |
    tr -d '\r' | grep first_touch)"

# 3. Met: a touch in time, and 5 attempts within 14 days.
S --at 2026-11-23T14:00:00Z --user boss add met@x.example --stage sql \
    --owner tess >/dev/null
S --at 2026-11-23T15:00:00Z --user tess log 2 call >/dev/null
expect_eq "a touch within 4 business hours is met" \
    "met,2026-11-23T14:00:00Z,2026-11-23T18:00:00Z,1" \
    "$(clock 2026-11-23T15:00:00Z 2 first_touch)"
for d in 24 25 27; do
	S --at 2026-11-${d}T15:00:00Z --user tess log 2 email >/dev/null
done
expect_eq "4 attempts: the attempts rule still runs" "running,4" \
    "$(clock 2026-11-30T12:00:00Z 2 attempts | cut -d, -f1,4)"
S --at 2026-11-30T15:00:00Z --user tess log 2 meeting >/dev/null
expect_eq "the 5th attempt within 14 days: met" \
    "met,2026-11-23T14:00:00Z,2026-12-07T14:00:00Z,5" \
    "$(clock 2026-11-30T15:00:00Z 2 attempts)"
expect_eq "a note is not an attempt" "0" \
    "$(S --at 2026-11-23T14:30:00Z --user boss add note@x.example \
    --stage sql --owner tess >/dev/null;
    S --at 2026-11-23T14:40:00Z --user tess log 3 note >/dev/null;
    clock 2026-11-23T14:45:00Z 3 first_touch | cut -d, -f4)"
# Lead 3 gets 4 attempts in its window and the 5th too late.
for d in 24 25 27 30; do
	S --at 2026-11-${d}T15:00:00Z --user tess log 3 call >/dev/null
done
expect_eq "the window closes 14 days after handoff: due_soon before" \
    "due_soon" "$(clock 2026-12-05T12:00:00Z 3 attempts | cut -d, -f1)"
S --at 2026-12-08T15:00:00Z --user tess log 3 call >/dev/null
expect_eq "a 5th attempt after 14 days stays breached" "breached,5" \
    "$(clock 2026-12-08T16:00:00Z 3 attempts | cut -d, -f1,4)"

# 4. Reassignment: the old clock stops, the new owner gets a new one.
S --at 2026-11-23T14:00:00Z --user boss add re@x.example --stage sql \
    --owner sam >/dev/null
S --at 2026-11-23T16:00:00Z --user boss assign 4 tess >/dev/null
expect_eq "reassigned in time: the new rep's clock starts then" \
    "tess,running,2026-11-23T16:00:00Z,2026-11-23T20:00:00Z" \
    "$(rows 2026-11-23T16:30:00Z | awk -F, '$1 == 4 && $4 == "first_touch" {
    print $3 "," $5 "," $6 "," $7 }')"
expect_eq "... and the old rep's clock is no longer listed" "" \
    "$(rows 2026-11-23T16:30:00Z --rep sam | awk -F, '$1 == 4')"
S --at 2026-11-24T14:00:00Z --user boss add late@x.example --stage sql \
    --owner sam >/dev/null
S --at 2026-11-24T19:00:00Z --user boss assign 5 tess >/dev/null
expect_eq "reassigned after the due time: the breach stays with sam" \
    "sam,breached,2026-11-24T18:00:00Z" \
    "$(rows 2026-11-24T19:30:00Z | awk -F, '$1 == 5 && $4 == "first_touch" &&
    $3 == "sam" { print $3 "," $5 "," $7 }')"
expect_eq "... and tess starts fresh" "tess,running,2026-11-24T19:00:00Z" \
    "$(rows 2026-11-24T19:30:00Z | awk -F, '$1 == 5 && $4 == "first_touch" &&
    $3 == "tess" { print $3 "," $5 "," $6 }')"

# 5. Recycling stops the clock; re-entering sql starts a new one.
S --at 2026-11-02T14:00:00Z --user boss add cyc@x.example --stage sql \
    --owner sam >/dev/null
S --at 2026-11-02T15:00:00Z --user sam move 6 recycled \
    --reason "no budget" >/dev/null
expect_eq "recycled before the due time: not listed" "" \
    "$(rows 2026-11-02T20:00:00Z | awk -F, '$1 == 6')"
S --at 2026-11-05T14:00:00Z --user boss move 6 mql --reason "new budget" \
    >/dev/null
S --at 2026-11-05T15:00:00Z --user sam move 6 sql >/dev/null
expect_eq "re-entering sql starts a new clock" \
    "running,2026-11-05T15:00:00Z,2026-11-05T19:00:00Z,0" \
    "$(clock 2026-11-05T16:00:00Z 6 first_touch)"
expect_eq "... only one first_touch row for the lead" "1" \
    "$(rows 2026-11-05T16:00:00Z | awk -F, '$1 == 6 && $4 == "first_touch"' |
    wc -l | tr -d ' ')"
S --at 2026-11-05T17:00:00Z --user sam move 6 opportunity >/dev/null
expect_eq "moving on to opportunity in time: nothing listed" "" \
    "$(rows 2026-11-05T20:00:00Z | awk -F, '$1 == 6')"

# 6. A call logged afterwards with --at counts when it happened.
S --at 2026-11-30T14:00:00Z --user boss add back@x.example --stage sql \
    --owner sam >/dev/null
expect_eq "no touch by the due time: breached" "breached" \
    "$(clock 2026-11-30T19:00:00Z 7 first_touch | cut -d, -f1)"
expect_code "log a call backdated into the window" 0 \
    S --at 2026-11-30T16:00:00Z --user sam log 7 call
expect_eq "the backdated call makes it met" "met,1" \
    "$(clock 2026-11-30T19:00:00Z 7 first_touch | cut -d, -f1,4)"

# 7. Filters.
AT7=2026-11-24T19:30:00Z
expect_eq "--rep keeps that rep's clocks only" "sam" \
    "$(rows $AT7 --rep sam | cut -d, -f3 | sort -u)"
expect_eq "--breached keeps breached clocks only" "breached" \
    "$(rows $AT7 --breached | cut -d, -f5 | sort -u)"
expect_eq "--rep tess --breached: her two late first touches" \
    "3,first_touch 4,first_touch" \
    "$(rows $AT7 --rep tess --breached | cut -d, -f1,4 | tr '\n' ' ' |
    sed 's/ $//')"
expect_code "--check with a filter that hides every breach" 0 \
    S --at 2026-11-23T17:30:00Z sla --check --rep tess
expect_code "... which the whole team has" 3 \
    S --at 2026-11-23T17:30:00Z sla --check
expect_code "--rep of nobody is an error" 1 S --at $AT7 sla --rep nobody
expect_match "... that names the login" "nobody" "$ERR"
expect_code "a bad format" 1 S sla --format xml
expect_code "an operand" 1 S sla extra
expect_code "json" 0 S --at $AT7 sla --format json --breached
expect_match "... has numbers bare" '"lead": 1, "email": "fri@x.example"' "$OUT"
expect_match "the table has the columns" "lead +email +rep +rule +state" \
    "$(S --at $AT7 sla)"

# The table ends with marketing's half of the agreement; CSV does not.
out=$(S --at 2026-11-23T17:00:00Z sla)
expect_match "the table states the MQL promise" \
    "^Marketing: [0-9]+ MQLs delivered this month of [0-9]+ promised \\([0-9]+ per rep x [0-9]+ sales reps\\)" "$out"
expect_no_match "... and the CSV keeps to the contract's columns" "Marketing" \
    "$(S --at 2026-11-23T17:00:00Z sla --format csv)"

t_done
