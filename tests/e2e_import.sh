#!/bin/sh
# smk import at a real terminal (tmux, 100x10): the progress bar on stderr,
# the "saving..." step while the commit runs, a clean screen afterwards,
# and Ctrl-C in the middle of a file, which must leave nothing of it. The
# file is then queried to confirm what was (and was not) written, the
# search index included. Without a terminal there is no bar.
. "$(dirname "$0")/lib.sh"

DB=$T_DIR/imp/team.db
smk_db "$DB" || { not_ok "create the test database"; t_done; }

# csv FILE N TAG: N leads, a company word of their own per file (TAG).
csv() {
	awk -v n="$2" -v tag="$3" 'BEGIN {
		print "Email,First Name,Last Name,Company Name,Lifecycle Stage"
		for (i = 1; i <= n; i++)
			printf "%s%d@example.com,Ann%d,Lee,%s Labs %d,lead\n", \
			    tag, i, i, tag, i % 50
	}' >"$1"
}
csv "$T_DIR/first.csv" 20000 zephyr
csv "$T_DIR/second.csv" 60000 quokka

# start NAME FILE: the import in tmux, its raw output teed to $T_DIR/NAME.raw
# (pipe-pane is attached before smk starts, so no byte is missed). The
# shell around it survives Ctrl-C, so what smk says then stays on screen.
start() {
	tm new-session -d -s "$1" -x 100 -y 10 "sh -c 'trap : INT; \
	while [ ! -f $T_DIR/$1.go ]; do sleep 0.05; done; \
	env TERM=$TERM TZ=$TZ HOME=$HOME LC_ALL=$LC_ALL $SMK --db $DB \
	--at $AT --user boss import $2; echo exit=\$?; sleep 30'"
	tm set-option -t "$1" -g status off >/dev/null 2>&1
	tm pipe-pane -o -t "$1" "cat >>$T_DIR/$1.raw"
	touch "$T_DIR/$1.go"
}

# --- a whole file ---------------------------------------------------------
start one "$T_DIR/first.csv"
expect_screen "the import ends with its summary" one \
    'first.csv: 20000 created, 0 updated' 120
expect_screen "... and exits 0" one 'exit=0'
RAW=$(tr '\r' '\n' <"$T_DIR/one.raw")
expect_match "a progress bar shows part of the file" \
    'importing \[#* +\] +[0-9]?[0-9]% [0-9]+ rows' "$RAW"
expect_match "... then all of it, and that it is saving" \
    'importing \[#{25}\] 100% 20000 rows, saving\.\.\.' "$RAW"
expect_no_match "the bar is cleared from the screen" 'importing|saving' \
    "$(tm_screen one)"
expect_eq "the file holds the 20000 leads" 20000 \
    "$(sql "$DB" "SELECT count(*) FROM leads WHERE email LIKE 'zephyr%'")"
expect_eq "... each created as boss, in the event log" 20000 \
    "$(sql "$DB" "SELECT count(*) FROM events WHERE kind = 'created' \
    AND actor = 'boss'")"
expect_eq "... and searchable by company" 400 \
    "$(sql "$DB" "SELECT count(*) FROM leads_fts WHERE leads_fts MATCH \
    'company:zephyr AND company:7'")"
expect_eq "the search index agrees with the leads" "" \
    "$(sql "$DB" "INSERT INTO leads_fts(leads_fts, rank) VALUES \
    ('integrity-check', 1)" 2>&1)"

# --- Ctrl-C half way: nothing of the file is kept -------------------------
start two "$T_DIR/second.csv"
if tm_wait two 'importing \[#+ *\] +[1-9][0-9]?%' 120; then
	ok "a long import shows its bar"
else
	not_ok "a long import shows its bar" "$(tm_screen two)"
fi
tm_keys two C-c
expect_screen "Ctrl-C stops it and says nothing was imported" two \
    'second.csv: interrupted at line [0-9]+; nothing was imported' 60
expect_screen "... exiting 1" two 'exit=1'
expect_eq "no lead of the interrupted file is in the file" 0 \
    "$(sql "$DB" "SELECT count(*) FROM leads WHERE email LIKE 'quokka%'")"
expect_eq "... nor any event of it" 20000 \
    "$(sql "$DB" "SELECT count(*) FROM events")"
expect_eq "... nor any word of it in the search index" 0 \
    "$(sql "$DB" "SELECT count(*) FROM leads_fts WHERE leads_fts MATCH \
    'quokka'")"
expect_eq "the board's counts are those of the first file" "lead 20000" \
    "$(sql "$DB" "SELECT stage || ' ' || n FROM stage_counts WHERE n > 0")"
expect_eq "the file is sound" ok "$(sql "$DB" "PRAGMA integrity_check")"

# --- no terminal, no bar --------------------------------------------------
csv "$T_DIR/third.csv" 50 wombat
expect_code "an import with stderr not a terminal" 0 "$SMK" --db "$DB" \
    --at "$AT" --user boss import "$T_DIR/third.csv"
expect_eq "... prints only its summary" \
    "$T_DIR/third.csv: 50 created, 0 updated, 0 unchanged, 0 rejected, 0 moved to mql" \
    "$OUT"
expect_eq "... and nothing on stderr" "" "$ERR"
t_done
