#!/bin/sh
# make bench: speed and memory of smk on a large generated file, against the
# floor PRODUCT.md names (the sqlite3 shell's .import). Not a pass/fail test:
# it prints one table of figures at the end.
#
#   1. builds (or reuses) .build/bench/big.db: smkgen, 1,000,000 leads, 24
#      months, with tests/data/demo.ini beside it as smk.ini;
#   2. the board in tmux at 200x50 and 80x24: first paint and key-to-redraw
#      (the TUI writes them to $SMK_BENCH_LOG), and the process's peak memory;
#   3. smk import (a dry run, then the real one) of the file's export into
#      a fresh database, against sqlite3's .import into a bare table, with
#      and without a unique case-insensitive email index, and against
#      SQLite writing the same rows and events into smk's schema (row by
#      row, and at its fastest: indexes built after the rows);
#   4. smk sla, smk report flow and smk export on the big file.
#
# SMK_BENCH_LEADS=N uses a file of N leads instead (a quick run);
# SMK_BENCH_ONLY=board, import or reports runs that part alone.
cd "$(dirname "$0")/.." || exit 2
ROOT=$(pwd)
SMK=$ROOT/smk
GEN=$ROOT/.build/smkgen
LEADS=${SMK_BENCH_LEADS:-1000000}
B=$ROOT/.build/bench
if [ "$LEADS" = 1000000 ]; then DB=$B/big.db; else DB=$B/big-$LEADS.db; fi
FIG=$B/figures.txt
CSV=$B/leads.csv
TMUX_SOCK=smk-bench-$$
USER_LOGIN=mgarcia

for tool in tmux sqlite3 /usr/bin/time; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "bench: $tool is needed (make deps)" >&2
		exit 2
	fi
done
[ -x "$SMK" ] && [ -x "$GEN" ] || { echo "bench: run make bench" >&2; exit 2; }
mkdir -p "$B"
: >"$FIG"

fig() {		# fig NAME VALUE UNIT
	printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$FIG"
	printf '  %-34s %10s %s\n' "$1" "$2" "$3"
}

now_ms() {
	date +%s%N | cut -c1-13
}

# timed NAME CMD...: wall seconds and peak RSS (MB) of one command.
timed() {
	name=$1
	shift
	/usr/bin/time -f '%e %M %U %S' -o "$B/time.out" "$@" || {
		echo "bench: $name failed" >&2
		return 1
	}
	set -- $(tail -1 "$B/time.out")
	secs=$1 kb=$2
	fig "$name time" "$secs" "s ($(echo "$3 $4" | \
	    awk '{ printf "%.1f", $1 + $2 }') s CPU)"
	fig "$name peak memory" "$((kb / 1024))" MB
}

# --- 1. the big file --------------------------------------------------------
if [ ! -f "$DB" ] || [ "$GEN" -nt "$DB" ] || [ -f "$DB-journal" ]; then
	echo "bench: generating $DB ($LEADS leads; a few minutes)"
	rm -f "$DB" "$DB-journal" "$DB.tmp" "$DB.tmp-journal"
	start=$(now_ms)
	"$GEN" --out "$DB.tmp" --leads "$LEADS" --months 24 || exit 2
	mv "$DB.tmp" "$DB"
	echo "bench: generated in $((($(now_ms) - start) / 1000)) s"
else
	echo "bench: reusing $DB"
fi
cp tests/data/demo.ini "$B/smk.ini"
# Open it once, so that a schema migration is not part of the first paint.
"$SMK" --db "$DB" --user "$USER_LOGIN" rep list >/dev/null 2>&1

# --- 2. the board -------------------------------------------------------------
# stats FILE: "median p95 max" of the numbers in FILE.
stats() {
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "- - -"; exit }
		p = int(NR * 0.95 + 0.999); if (p > NR) p = NR
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.1f %.1f %.1f\n", m, v[p], v[NR] }'
}

# wait_lines FILE N SECONDS: until FILE has N lines; 1 on timeout.
wait_lines() {
	end=$(($(now_ms) + $3 * 1000))
	while [ "$(wc -l <"$1" 2>/dev/null || echo 0)" -lt "$2" ]; do
		[ "$(now_ms)" -ge "$end" ] && return 1
		sleep 0.02
	done
	return 0
}

# The smk process in the pane: the pane's own process or its child.
pane_smk() {
	p=$(tmux -L "$TMUX_SOCK" list-panes -t bench -F '#{pane_pid}' | head -1)
	if [ "$(cat "/proc/$p/comm" 2>/dev/null)" != smk ]; then
		p=$(pgrep -P "$p" -x smk | head -1)
	fi
	echo "$p"
}

KEYS="j j j l l l h h G g NPage NPage PPage j e e l l l l G g h h h j j \
k NPage g"

board() {	# board WIDTH HEIGHT
	log=$B/board-$1x$2.log
	rm -f "$log"
	: >"$log"
	tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -s bench -x "$1" \
	    -y "$2" "env TERM=xterm-256color LC_ALL=C.UTF-8 TZ=UTC \
SMK_BENCH_LOG=$log $SMK --db $DB --user $USER_LOGIN"
	launched=$(now_ms)
	if ! wait_lines "$log" 1 60; then
		echo "bench: no first paint at $1x$2" >&2
		tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
		return 1
	fi
	# The SLA breach count follows the first paint; keys wait for it.
	end=$((launched + 60000))
	until tmux -L "$TMUX_SOCK" capture-pane -p -t bench | head -1 | \
	    grep -q breached; do
		[ "$(now_ms)" -ge "$end" ] && break
		sleep 0.05
	done
	breach_ms=$(($(now_ms) - launched))
	missed=0
	for k in $KEYS; do
		n=$(wc -l <"$log")
		tmux -L "$TMUX_SOCK" send-keys -t bench "$k"
		wait_lines "$log" $((n + 1)) 5 || missed=$((missed + 1))
	done
	# A search: the prompt, the words and Enter arrive together, so the
	# time is mostly the filtered reload.
	n=$(wc -l <"$log")
	tmux -L "$TMUX_SOCK" send-keys -t bench / "Olu Fi" Enter
	wait_lines "$log" $((n + 1)) 30 && \
	    search_ms=$(tail -1 "$log" | awk '{ print $2 }')
	n=$(wc -l <"$log")
	tmux -L "$TMUX_SOCK" send-keys -t bench F
	wait_lines "$log" $((n + 1)) 30
	pid=$(pane_smk)
	hwm=$(awk '/^VmHWM/ { print int($2 / 1024) }' "/proc/$pid/status" \
	    2>/dev/null)
	tmux -L "$TMUX_SOCK" send-keys -t bench q
	sleep 0.3
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
	awk '$1 == "first_paint_ms" { print $2 }' "$log" >"$log.first"
	awk '$1 == "key_ms" { print $2 }' "$log" | sed '$d' | sed '$d' \
	    >"$log.keys"
	fig "board $1x$2 first paint" "$(head -1 "$log.first")" ms
	set -- "$1" "$2" $(stats "$log.keys")
	fig "board $1x$2 breach count shown" "$breach_ms" "ms (from launch)"
	fig "board $1x$2 key median" "$3" ms
	fig "board $1x$2 key p95" "$4" ms
	fig "board $1x$2 key max" "$5" ms
	fig "board $1x$2 keys timed" "$(wc -l <"$log.keys") ($missed no redraw)" ""
	fig "board $1x$2 search \"Olu Fi\"" "${search_ms:--}" ms
	fig "board $1x$2 peak memory" "${hwm:--}" MB
}

part() {
	[ -z "${SMK_BENCH_ONLY:-}" ] || [ "$SMK_BENCH_ONLY" = "$1" ]
}

if part board; then
	echo "bench: the board"
	board 200 50
	board 80 24
fi

# --- 3. import against the floor ----------------------------------------------
if part import; then
	echo "bench: export, then import"
	timed "smk export" sh -c "'$SMK' --db '$DB' --user $USER_LOGIN export \
	>'$CSV'"
	fig "export rows" "$(($(wc -l <"$CSV") - 1))" leads

	IMP=$B/import.db
	rm -f "$IMP" "$IMP-journal"
	"$SMK" --db "$IMP" init >/dev/null || exit 2
	# The same team, so that every owner in the file is known.
	sqlite3 "$IMP" "ATTACH '$DB' AS big; INSERT OR IGNORE INTO reps \
	SELECT * FROM big.reps;" || exit 2
	# A dry run of a file of new leads remembers each one (on disk).
	timed "smk import --dry-run" sh -c "'$SMK' --db '$IMP' --user root \
	import --dry-run '$CSV' >/dev/null"
	timed "smk import" "$SMK" --db "$IMP" --user root import "$CSV"
	smk_secs=$secs

	BARE=$B/bare.db
	rm -f "$BARE" "$BARE-journal"
	timed "sqlite3 .import (bare)" sqlite3 "$BARE" ".import --csv '$CSV' leads"
	bare_secs=$secs
	rm -f "$BARE" "$BARE-journal"
	sqlite3 "$BARE" "CREATE TABLE leads(id, email TEXT UNIQUE COLLATE NOCASE, \
	first_name, last_name, company, title, phone, source, stage, owner, score, \
	created_at, updated_at)" || exit 2
	timed "sqlite3 .import (email index)" sqlite3 "$BARE" \
	    ".import --csv --skip 1 '$CSV' leads"
	idx_secs=$secs
	fig "import ratio vs bare" "$(echo "$smk_secs $bare_secs" | \
	    awk '{ printf "%.1f", $1 / $2 }')" x
	fig "import ratio vs email index" "$(echo "$smk_secs $idx_secs" | \
	    awk '{ printf "%.1f", $1 / $2 }')" x
	fig "events written by import" "$(sqlite3 "$IMP" \
	    'SELECT count(*) FROM events')" rows
	# What the same rows and events cost written by plain SQL into
	# smk's schema: the floor for an import that keeps an event log.
	SQLF=$B/sqlfloor.db
	rm -f "$SQLF" "$SQLF-journal"
	"$SMK" --db "$SQLF" init >/dev/null || exit 2
	sqlite3 "$SQLF" "ATTACH '$DB' AS big; INSERT OR IGNORE INTO reps \
	SELECT * FROM big.reps;" || exit 2
	timed "plain SQL, same leads and events" sqlite3 "$SQLF" \
	    "ATTACH '$IMP' AS imp; BEGIN; INSERT INTO leads SELECT * FROM \
	imp.leads; INSERT INTO events SELECT * FROM imp.events; COMMIT;"
	fig "import ratio vs plain SQL" "$(echo "$smk_secs $secs" | \
	    awk '{ printf "%.1f", $1 / $2 }')" x
	rm -f "$SQLF" "$SQLF-journal"
	# The least SQLite needs to hold them in smk's schema: the rows first,
	# then each index built once, sorted (all but the unique email index,
	# which dedupes as rows arrive), then the search index. No CSV is read.
	"$SMK" --db "$SQLF" init >/dev/null || exit 2
	ix="type = 'index' AND sql IS NOT NULL AND tbl_name IN ('leads', \
'events')"
	idx=$(sqlite3 "$SQLF" "SELECT group_concat(sql, ';') FROM \
	    sqlite_master WHERE $ix") || exit 2
	sqlite3 "$SQLF" "SELECT 'DROP INDEX ' || name || ';' FROM \
	    sqlite_master WHERE $ix" | sqlite3 "$SQLF" || exit 2
	if timed "schema floor: rows, then indexes" sqlite3 "$SQLF" \
	    "ATTACH '$IMP' AS imp; BEGIN; UPDATE bulk_import SET active = 1; \
	INSERT OR IGNORE INTO reps SELECT * FROM imp.reps; INSERT INTO leads \
	SELECT * FROM imp.leads; INSERT INTO events SELECT * FROM imp.events; \
	$idx; INSERT INTO leads_fts(leads_fts) VALUES ('rebuild'); \
	UPDATE bulk_import SET active = 0; COMMIT;"; then
		fig "schema floor ratio vs bare" "$(echo "$secs $bare_secs" | \
		    awk '{ printf "%.1f", $1 / $2 }')" x
		fig "import ratio vs schema floor" "$(echo "$smk_secs $secs" | \
		    awk '{ printf "%.1f", $1 / $2 }')" x
	fi
	rm -f "$SQLF" "$SQLF-journal"
	rm -f "$BARE" "$BARE-journal" "$IMP" "$IMP-journal"
fi

# --- 4. reports on the big file ----------------------------------------------
if part reports; then
	echo "bench: reports"
	timed "smk sla" sh -c "'$SMK' --db '$DB' --user $USER_LOGIN sla \
	--format csv >/dev/null"
	timed "smk report flow" sh -c "'$SMK' --db '$DB' --user $USER_LOGIN \
	report flow >/dev/null"
	rm -f "$CSV"
fi

# --- the table ----------------------------------------------------------------
echo
echo "smk bench: $LEADS leads ($(du -m "$DB" | cut -f1) MB file)"
printf '%-36s %14s  %s\n' figure value unit
awk -F '\t' '{ printf "%-36s %14s  %s\n", $1, $2, $3 }' "$FIG"
