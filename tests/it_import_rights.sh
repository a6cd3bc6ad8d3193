#!/bin/sh
# Integration: an import keeps to the importing user's rights, as every
# other writer does (lead_may_change, lead_may_give). A rep changes their
# own and unassigned leads and gives none to another rep; a manager may do
# anything. Each refused row is a reject with its reason, in a dry run too,
# and nothing of it reaches the file.
. "$(dirname "$0")/lib.sh"

DB=$T_DIR/rights/team.db
smk_db "$DB" || { not_ok "create the test team"; t_done; }
s() { "$SMK" --db "$DB" --at "$AT" "$@"; }
s --user tess add tess@x.example --owner tess >/dev/null
s --user sam add sam@x.example --owner sam >/dev/null
s --user sam add free@x.example >/dev/null

CSV=$T_DIR/rights/rows.csv
printf '%s\r\n' 'email,owner,stage' 'tess@x.example,sam,disqualified' \
    'sam@x.example,,sql' 'free@x.example,sam,mql' 'new@x.example,tess,lead' \
    'mine@x.example,sam,lead' >"$CSV"
snap() { sql "$DB" "SELECT group_concat(email || ':' || stage || ':' ||
    coalesce(owner, '-'), ' ') FROM (SELECT * FROM leads ORDER BY id)"; }
BEFORE=$(snap)
EVENTS=$(sql "$DB" 'SELECT count(*) FROM events')

expect_code "a rep's import that oversteps is refused whole" 1 \
    s --user sam import "$CSV"
expect_match "... naming the lead's owner" \
    'rows.csv:2: lead [0-9]+ belongs to tess: only they or a manager' "$ERR"
expect_eq "... and nothing is written" "$BEFORE" "$(snap)"

expect_code "the dry run predicts the same refusals" 1 \
    s --user sam import --dry-run "$CSV"
expect_match "... tess's lead" 'rows.csv:2: lead [0-9]+ belongs to tess' \
    "$OUT"
expect_match "... and giving a new lead to tess" \
    'rows.csv:5: owner: only a manager can give a lead to another rep' "$OUT"
expect_match "... while the rest would go in" \
    '1 created, 2 updated, 0 unchanged, 2 rejected' "$OUT"

expect_code "with --on-error skip the rep's own rows go in" 0 \
    s --user sam import --on-error skip "$CSV"
expect_eq "... tess's lead untouched, sam's moved, the free one claimed" \
    "tess@x.example:lead:tess sam@x.example:sql:sam free@x.example:mql:sam mine@x.example:lead:sam" \
    "$(snap)"
expect_eq "... the refused rows are in the rejects file" 2 \
    "$(($(wc -l <"$T_DIR/rights/rows.rejects.csv") - 1))"
expect_match "... with their reasons" 'line 5: owner: only a manager' \
    "$(cat "$T_DIR/rights/rows.rejects.csv")"

expect_code "a manager's import may do all of it" 0 \
    s --user boss import "$CSV"
expect_eq "... tess's lead given to sam and disqualified, new one for tess" \
    "tess@x.example:disqualified:sam sam@x.example:sql:sam free@x.example:mql:sam mine@x.example:lead:sam new@x.example:lead:tess" \
    "$(snap)"
# tess's lead: assign and move; the new one: created and assign.
expect_eq "... each change in the trail as boss" 4 "$(sql "$DB" \
    "SELECT count(*) FROM events WHERE actor = 'boss' AND id > $EVENTS")"

# A lead goes only to an active rep, as add and assign require; a lead
# that already has one keeps them.
s rep set tess --active no >/dev/null
printf '%s\r\n' 'email,owner' 'gone@x.example,tess' \
    'new@x.example,tess' >"$T_DIR/rights/gone.csv"
expect_code "an inactive rep is given no lead by import" 1 \
    s --user boss import "$T_DIR/rights/gone.csv"
expect_match "... naming the rep" 'gone.csv:2: owner: tess is not an active rep' \
    "$ERR"
expect_eq "... and nothing is written" "" "$(sql "$DB" \
    "SELECT email FROM leads WHERE email = 'gone@x.example'")"
s rep set tess --active yes >/dev/null

# An export read back changes nothing, whoever imports it: the apostrophe
# export puts before "+1 555" (so no spreadsheet runs it) is not the value.
s --user sam set sam@x.example phone "+1 555 0100" >/dev/null
s --user boss export >"$T_DIR/rights/team.csv"
expect_match "export neutralises the phone" "'\\+1 555 0100" \
    "$(cat "$T_DIR/rights/team.csv")"
expect_code "a rep re-imports the team's export" 0 \
    s --user sam import "$T_DIR/rights/team.csv"
expect_match "... and nothing changes" ' 0 created, 0 updated, 5 unchanged, 0 rejected' \
    "$OUT"
expect_eq "... the phone is as it was" "+1 555 0100" "$(sql "$DB" \
    "SELECT phone FROM leads WHERE email = 'sam@x.example'")"

expect_eq "integrity at the end" ok "$(sql "$DB" 'pragma integrity_check')"
t_done
