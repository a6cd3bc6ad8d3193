#!/bin/sh
# Integration: smk import, export and rescore on real files. Exports from
# HubSpot and Salesforce, a --map for owners, bad rows (abort and skip), dry
# runs, re-imports that update instead of duplicating, the export's exact
# columns and formula neutralisation, and rescore's move to mql.
. "$(dirname "$0")/lib.sh"

DB=$T_DIR/team/x.db
D=$ROOT/tests/data
smk_db "$DB" || { not_ok "create the test team"; t_done; }
s() { "$SMK" --db "$DB" --at "$AT" "$@"; }
leads() { sql "$DB" 'select count(*) from leads'; }

cat >"$T_DIR/owners.ini" <<'EOF'
[owner]
Bob Stone       = boss
bob@example.com = boss
Ann Lee         = sam
alee            = sam
EOF

expect_code "a stranger may not import" 1 s --user nobody import \
    "$D/hubspot_contacts.csv"
expect_match "... and is told why" "nobody is not a rep" "$ERR"

expect_code "unknown owners abort the import" 1 s --user mgr import \
    "$D/hubspot_contacts.csv"
expect_match "... naming line and column" \
    'hubspot_contacts.csv:2: Contact owner: unknown rep "Bob Stone"' "$ERR"
expect_match "... every bad row" 'hubspot_contacts.csv:5: Contact owner' "$ERR"
expect_match "... and that nothing was imported" "nothing was imported" "$ERR"
expect_eq "... and nothing was" "0" "$(leads)"

expect_code "dry run" 0 s --user mgr import --map "$T_DIR/owners.ini" \
    --dry-run "$D/hubspot_contacts.csv"
expect_match "... lists what it would create" \
    'hubspot_contacts.csv:3: create raj@globex.io' "$OUT"
expect_eq "... and writes nothing" "0" "$(leads)"

expect_code "HubSpot export with a map" 0 s --user mgr import \
    --map "$T_DIR/owners.ini" "$D/hubspot_contacts.csv"
expect_match "... counts" "4 created, 0 updated" "$OUT"
expect_match "... names the columns it ignored" \
    "ignored columns: Lead Status, Annual Revenue" "$ERR"
expect_eq "... four leads" "4" "$(leads)"
expect_eq "... owners mapped" "boss|boss|sam" "$(sql "$DB" "select \
    group_concat(owner, '|') from (select owner from leads where owner \
    is not null order by id)")"
expect_eq "... creation time from Create Date, in the team's zone" \
    "2026-10-01T13:15:00Z" "$(sql "$DB" "select at from events e join leads \
    l on l.id = e.lead_id where email = 'ann.lee@acme.com' and \
    kind = 'created'")"
expect_eq "... every event by the importer" "mgr" "$(sql "$DB" "select \
    group_concat(distinct actor) from events")"

expect_code "Salesforce export" 0 s --user mgr import \
    --map "$T_DIR/owners.ini" "$D/salesforce_leads.csv"
expect_eq "... seven leads" "7" "$(leads)"
expect_eq "... status mapped to stages" "lead,sql,disqualified" \
    "$(sql "$DB" "select group_concat(stage) from (select stage from leads \
    where id > 4 order by id)")"

cat >"$T_DIR/again.csv" <<'EOF'
Email,Job Title,Lifecycle Stage
ANN.LEE@ACME.COM,Chief Revenue Officer,Sales Qualified Lead
raj@globex.io,Engineer,
EOF
expect_code "re-import" 0 s --user boss import "$T_DIR/again.csv"
expect_match "... updates, never duplicates" \
    "0 created, 1 updated, 1 unchanged" "$OUT"
expect_eq "... still seven leads" "7" "$(leads)"
expect_eq "... as the importing user" \
    "update|title|VP Sales|Chief Revenue Officer|boss;move|stage|mql|sql|boss" \
    "$(sql "$DB" "select group_concat(kind||'|'||field||'|'||old_value||'|'||\
new_value||'|'||actor, ';') from (select * from events where actor = 'boss' \
    order by id)")"

cat >"$T_DIR/mixed.csv" <<'EOF'
email,first_name,visits
good@one.example,Good,1
bad-address,Bad,2
fine@two.example,Fine,lots
EOF
expect_code "skip mode imports the good rows" 0 s --user mgr import \
    --on-error skip "$T_DIR/mixed.csv"
expect_eq "... one more lead" "8" "$(leads)"
expect_match "... reports the rejects" "mixed.csv:4: visits:" "$ERR"
expect_eq "... into FILE.rejects.csv with a reason column" \
    '"email","first_name","visits","reason"
"bad-address","Bad","2","line 3: email: ""bad-address"" is not an email address"
"fine@two.example","Fine","lots","line 4: visits: ""lots"" is not a count (a whole number of 0 or more)"' \
    "$(cat "$T_DIR/mixed.rejects.csv")"

# Fixed and imported again: no row is rejected, and the old rejects file
# (perhaps edited by the user: smk leaves it) is said to be stale.
mkdir -p "$T_DIR/fixed"
grep -v 'bad-address\|lots' "$T_DIR/mixed.csv" >"$T_DIR/fixed/mixed.csv"
cp "$T_DIR/mixed.rejects.csv" "$T_DIR/fixed/"
expect_code "the fixed file again, in skip mode" 0 s --user mgr import \
    --on-error skip "$T_DIR/fixed/mixed.csv"
expect_match "... says the rejects file is an earlier run's" \
    'mixed.rejects.csv is from an earlier import; this one rejected no row' \
    "$ERR"
expect_eq "... and leaves it" 3 "$(wc -l <"$T_DIR/fixed/mixed.rejects.csv")"

# The rejects file cannot be written (its place is taken; root ignores
# permissions): the import stops, keeps nothing, and says both.
mkdir -p "$T_DIR/nowrite/mixed.rejects.csv.tmp"
sed 's/good@one/good@three/' "$T_DIR/mixed.csv" >"$T_DIR/nowrite/mixed.csv"
expect_code "skip mode with a rejects file it cannot write" 1 s --user mgr \
    import --on-error skip "$T_DIR/nowrite/mixed.csv"
expect_match "... names the file and says nothing was imported" \
    "cannot write the rejects file .*nowrite/mixed.rejects.csv.tmp: Is a directory; nothing was imported" \
    "$ERR"
expect_eq "... and nothing was" "8" "$(leads)"

expect_code "a file that is not there" 1 s --user mgr import "$T_DIR/none.csv"
expect_match "... is named" "none.csv: No such file" "$ERR"
expect_code "an unclosed quote" 1 s --user mgr import "$D/bad_unclosed.csv"
expect_match "... names its line" "bad_unclosed.csv:2: a quoted cell" "$ERR"
expect_code "a bad --on-error" 1 s --user mgr import --on-error maybe \
    "$T_DIR/mixed.csv"
expect_eq "... still eight leads" "8" "$(leads)"

# A bad map stops the import before any row, naming the map and its line.
printf '[import]\nsource = web\nstage = foo\n' >"$T_DIR/typo.ini"
expect_code "a map whose default stage is not a stage" 1 s --user mia \
    import --map "$T_DIR/typo.ini" "$D/hubspot_contacts.csv"
expect_match "... names the map, the line and the key" \
    'typo.ini:3: \[import\] stage = "foo": not a stage of the playbook' "$ERR"
printf '[columns]\nE-Mail email\n' >"$T_DIR/syntax.ini"
expect_code "a map that is not INI" 1 s --user mia import \
    --map "$T_DIR/syntax.ini" "$D/hubspot_contacts.csv"
expect_match "... names the line" \
    'syntax.ini:2: "E-Mail email" is neither \[section\] nor key = value' \
    "$ERR"
expect_no_match "... and iniparser prints nothing of its own" "iniparser" \
    "$ERR"
expect_eq "... and nothing was imported" "8" "$(leads)"

expect_code "export" 0 s export
expect_eq "... has exactly the contract's columns" \
    "id,email,first_name,last_name,company,title,phone,source,stage,owner,score,created_at,updated_at" \
    "$(printf '%s\n' "$OUT" | head -1 | tr -d '"\r')"
expect_eq "... one row per lead" "9" "$(printf '%s\n' "$OUT" | wc -l)"
expect_match "... neutralises formulas" ",'\\+1 555 0100," "$OUT"
expect_match "... writes times in UTC with Z" ",2026-10-01T13:15:00Z," "$OUT"
expect_code "export --stage" 0 s export --stage sql
expect_eq "... filters (a header and three leads)" "4" "$(printf '%s\n' "$OUT" | wc -l)"
expect_code "export --owner" 0 s export --owner boss
expect_match "... filters by owner" "mia.chen@initech.com" "$OUT"
expect_no_match "... and only by owner" "raj@globex.io" "$OUT"
expect_code "export --stage nowhere" 1 s export --stage nowhere

cat >>"$(dirname "$DB")/smk.ini" <<'EOF'
[score.senior]
field  = title
match  = vp|director|head|chief
points = 40
[score.engaged]
field  = visits
match  = >= 3
points = 25
part   = engagement
EOF
expect_code "rescore" 0 s --user boss rescore
expect_match "... counts" "rescored 8 leads: 4 changed, 0 moved to mql" "$OUT"
expect_eq "... writes fit and engagement" "65|40|25" "$(sql "$DB" "select \
    score||'|'||fit||'|'||engagement from leads where email = \
    'luis@umbrella.es'")"
expect_eq "... as score events by system" "score|0|65|system" "$(sql "$DB" \
    "select e.kind||'|'||e.old_value||'|'||e.new_value||'|'||e.actor from \
    events e join leads l on l.id = e.lead_id where l.email = \
    'luis@umbrella.es' and e.field = 'score' order by e.id desc limit 1")"
printf 'email,Number of Sessions\nmia.chen@initech.com,5\n' >"$T_DIR/visits.csv"
expect_code "an import that lifts a score" 0 s --user mgr import \
    "$T_DIR/visits.csv"
expect_match "... moves the lead to mql" "1 updated, .* 1 moved to mql" "$OUT"
expect_eq "... by system, after the import's own update" \
    "update|mgr;score|system;move|system" "$(sql "$DB" "select \
    group_concat(kind||'|'||actor, ';') from (select e.* from events e join \
    leads l on l.id = e.lead_id where l.email = 'mia.chen@initech.com' and \
    e.kind != 'created' and e.kind != 'assign' and e.field != 'fit' and \
    e.field != 'engagement' order by e.id)" | sed 's/^score|system;//')"
expect_match "... naming the rules" \
    "score 65 reached the MQL threshold 60: senior \\+40, engaged \\+25" \
    "$(sql "$DB" "select reason from events where kind = 'move' and \
    actor = 'system'")"
expect_code "rescore again changes nothing" 0 s --user boss rescore
expect_match "... says so" "8 leads: 0 changed" "$OUT"

# A file naming a lead twice: the dry run predicts the real import exactly.
cp "$D/dup_emails.csv" "$T_DIR/dup.csv"
expect_code "dry run of a file with repeated emails" 0 s --user mgr import \
    --on-error skip --dry-run "$T_DIR/dup.csv"
expect_match "... the second row updates the lead the first creates" \
    'dup.csv:3: update a@dup.com: title Engineer -> VP Sales' "$OUT"
dry=$(printf '%s\n' "$OUT" | tail -1 | sed 's/^dry run, nothing written: //')
expect_match "... counts them as the real import will" \
    "dup.csv: 2 created, 4 updated, 2 unchanged, 1 rejected" "$dry"
expect_code "... then the real import" 0 s --user mgr import \
    --on-error skip "$T_DIR/dup.csv"
expect_eq "... has the dry run's counts" "$dry" \
    "$(printf '%s\n' "$OUT" | grep ' created, ')"
expect_eq "... one lead per email" "2|1" "$(sql "$DB" "select \
    count(distinct lower(email))||'|'||(count(*) = count(distinct \
    lower(email))) from leads where email like '%@dup.com'")"

t_done
