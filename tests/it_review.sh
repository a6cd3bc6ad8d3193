#!/bin/sh
# Integration (review of the bulk import's search index, the dry run's
# scratch file and the rejects file): a file that names leads again in
# other letter cases, with UTF-8, quoted commas and new lines and a long
# value, is predicted by the dry run exactly as the real import does it;
# the search index then agrees with the leads word for word, in the
# lock-directory mode too; the rejects file exists only for a kept import.
. "$(dirname "$0")/lib.sh"

DB=$T_DIR/team/x.db
smk_db "$DB" || { not_ok "create the test team"; t_done; }
cat >>"$T_DIR/team/smk.ini" <<'EOF2'
[score.senior]
field  = title
match  = vp|head|chief|ceo
points = 40
[score.engaged]
field  = visits
match  = >= 3
points = 25
part   = engagement
EOF2
s() { "$SMK" --db "$DB" --at "$AT" --user mia "$@"; }
# FTS5's own check of the index against the leads table.
fts_ok() { sql "$1" "INSERT INTO leads_fts(leads_fts, rank) VALUES \
    ('integrity-check', 1); SELECT 'ok'" 2>&1; }
found() { sql "$DB" "SELECT group_concat(rowid) FROM (SELECT rowid FROM \
    leads_fts WHERE leads_fts MATCH '$1' ORDER BY rowid)"; }
long=$(printf '%0600d' 0 | tr 0 L)

# Known leads, some renamed below.
cat >"$T_DIR/old.csv" <<'EOF2'
Email,First Name,Last Name,Company,Job Title,Visits
ann@acme.com,Ann,Lee,Acme,Engineer,1
bob@bolt.com,Bob,Stone,Bolt,,0
EOF2
expect_code "known leads" 0 s import "$T_DIR/old.csv"

{
	echo 'Email,First Name,Last Name,Company,Job Title,Visits'
	echo 'new@x.com,Émile,Zoë,Société Générale,Engineer,1'
	echo 'NEW@X.COM,Émile,Zoë,"Globex, Inc.",VP Sales,1'
	echo 'New@X.com,Émile,Zoë,"Globex, Inc.",VP Sales,4'
	echo 'new@x.com,Émile,Zoë,"Globex, Inc.",VP Sales,4'
	echo 'ÉLISE@x.com,Élise,,Initech,,0'
	echo 'élise@x.com,Elise,,Initech,,0'
	echo 'ANN@ACME.COM,Ann,Lee,Umbrella,Engineer,1'
	echo 'ann@acme.com,Anne,Lee,Wayne,Head of Ops,1'
	echo 'not-an-email,Cy,,Cog,,0'
	echo "long@x.com,$long,,Hooli,,0"
	echo 'LONG@x.com,Short,,"Pied ""Piper""",,0'
	printf '%s\r\n' 'bob@bolt.com,Bob,Stone,"Bolt' 'Brick",,5'
} >"$T_DIR/nasty.csv"
expect_code "dry run of a nasty file" 0 s import --on-error skip --dry-run \
    "$T_DIR/nasty.csv"
dry=$(printf '%s\n' "$OUT" | grep ' created, ' | \
    sed 's/^dry run, nothing written: //')
expect_match "... counts" "nasty.csv: 4 created, 6 updated, 1 unchanged, \
1 rejected, 1 moved to mql" "$dry"
expect_eq "... writes nothing" "2" "$(sql "$DB" "SELECT count(*) FROM leads")"
expect_eq "... and no rejects file" "" "$(ls "$T_DIR" | grep rejects)"
expect_code "the real import" 0 s import --on-error skip "$T_DIR/nasty.csv"
expect_eq "... has the dry run's counts" "$dry" \
    "$(printf '%s\n' "$OUT" | grep ' created, ')"
expect_eq "... one lead per email in ASCII case (É is not E)" "6" \
    "$(sql "$DB" "SELECT count(*) FROM leads")"
expect_eq "... the rejects file" "1" \
    "$(grep -c 'not-an-email' "$T_DIR/nasty.rejects.csv")"
expect_eq "... the search index agrees with the leads" "ok" "$(fts_ok "$DB")"
expect_eq "... new words found" "1,3" "$(found 'globex OR wayne')"
expect_eq "... old words gone" "" "$(found 'umbrella OR societe OR hooli')"
expect_eq "... email words stay" "1" "$(found 'ann')"
expect_eq "... a lead made and renamed in one import" "6" \
    "$(found 'pied AND piper AND short')"
expect_eq "... its first words gone" "" "$(found 'hooli')"
expect_eq "... a name over two lines" "2" "$(found 'bolt AND brick')"

# A second import on a file with nothing bad: no rejects file is written.
rm -f "$T_DIR/nasty.rejects.csv"
expect_code "a re-import changes nothing" 0 s import --on-error skip \
    "$T_DIR/old.csv"
expect_eq "... and writes no rejects file" "" "$(ls "$T_DIR" | grep rejects)"
expect_eq "... the index still agrees" "ok" "$(fts_ok "$DB")"
expect_eq "... names as they now are" "1" "$(found 'acme AND ann AND lee')"

# The lock-directory mode reconnects for each write transaction.
printf '[store]\nlock = lockdir\n' >>"$T_DIR/team/smk.ini"
expect_code "lock directory: import" 0 s import --on-error skip \
    "$T_DIR/nasty.csv"
expect_code "... and again" 0 s import "$T_DIR/old.csv"
expect_eq "... the index agrees" "ok" "$(fts_ok "$DB")"
expect_eq "... with the last import's words" "" "$(found 'wayne')"
expect_eq "... every lead found by its email" "6" \
    "$(sql "$DB" "SELECT count(*) FROM leads_fts WHERE leads_fts MATCH 'x OR \
    acme OR bolt'")"

t_done
