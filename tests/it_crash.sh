#!/bin/sh
# Integration: kill -9 at random moments. Rounds of
#   - a loop of adds, moves and logs (each acknowledged one noted down);
#   - an import of a small CSV (when smk has import), whose rows share a
#     marker: afterwards they are all there or none is;
#   - the demo generator's bulk transaction (.build/smkgen): all or nothing;
#   - the board running in tmux while another process writes.
# After every round: integrity_check ok, smk opens the file, every operation
# acknowledged before the kill is there, the stage, owner and version of
# every lead replay from its events. SMK_STRESS_FULL=1 runs more rounds.
# Ends with "# figures: rounds=N corruptions=N".
. "$(dirname "$0")/lib.sh"

if [ -n "${SMK_STRESS_FULL:-}" ]; then
	LOOP=${CRASH_LOOP:-150} IMPORT=${CRASH_IMPORT:-50} GEN=${CRASH_GEN:-30}
	TUI=${CRASH_TUI:-20}
else
	LOOP=${CRASH_LOOP:-46} IMPORT=${CRASH_IMPORT:-10} GEN=${CRASH_GEN:-8}
	TUI=${CRASH_TUI:-4}
fi
seed=${CRASH_SEED:-20261123}
echo "# seed $seed (CRASH_SEED=$seed reproduces the kill times)"
SMKGEN=${SMKGEN:-$ROOT/.build/smkgen}
DB=$T_DIR/k/crash.db
ACK=$T_DIR/acked
: >"$ACK"
rounds=0 hits=0 corrupt=0 missing=0 halves=0 unopenable=0

# A private copy: a rebuild in the tree must not change the binary midway.
cp "$SMK" "$T_DIR/smk" && SMK=$T_DIR/smk
smk_db "$DB" || { not_ok "create the test team"; t_done; }
for i in 1 2 3 4 5 6; do
	"$SMK" --db "$DB" --at "$AT" --user boss add "seed$i@crash.example" \
	    --stage mql >/dev/null || { not_ok "seed lead $i"; t_done; }
done

rnd() {
	seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
	R=$(( seed / 65536 % $1 ))
}
# msleep N: sleep N milliseconds.
msleep() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }

# The marker of op j of round r: a unique --at.
marker() {
	_s=$(( $1 % 80 * 1000 + $2 ))
	M=$(printf '2026-09-%02dT%02d:%02d:%02dZ' $(($1 / 80 + 1)) \
	    $((_s / 3600)) $((_s / 60 % 60)) $((_s % 60)))
}

# Run one smk in the background, note its pid for the killer, and note the
# marker as acknowledged only once it exited 0.
acked_run() {
	_m=$1
	shift
	"$SMK" --db "$DB" --at "$_m" --user boss "$@" >/dev/null 2>&1 &
	echo $! >"$T_DIR/cur"
	wait $! && echo "$_m" >>"$ACK"
}

writer_loop() {
	r=$1 j=0
	while :; do
		j=$((j + 1))
		marker "$r" "$j"
		id=$(( (r + j) % 6 + 1 ))
		case $((j % 4)) in
		0) acked_run "$M" add "r$r-$j@crash.example" ;;
		1) acked_run "$M" move "$id" sql --reason "crash $M" ;;
		2) acked_run "$M" log "$id" call --note "crash $M" ;;
		3) acked_run "$M" move "$id" mql --reason "crash $M" ;;
		esac
	done
}

# kill_tree PID: stop a loop we started, then kill it and its children by
# their ids, so that no smk of ours outlives the round.
kill_tree() {
	kill -STOP "$1" 2>/dev/null
	for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do
		kill -KILL "$c" 2>/dev/null && hits=$((hits + 1))
	done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# check_round WHAT: the checks after every kill.
check_round() {
	rounds=$((rounds + 1))
	ic=$(sqlite3 -cmd '.timeout 5000' "$DB" 'pragma integrity_check' 2>&1)
	if [ "$ic" != ok ]; then
		corrupt=$((corrupt + 1))
		echo "# round $rounds ($1): integrity_check: $ic"
	fi
	if ! "$SMK" --db "$DB" --at "$AT" timeline 1 >/dev/null 2>"$T_DIR/err"
	then
		unopenable=$((unopenable + 1))
		echo "# round $rounds ($1): smk cannot open: $(cat "$T_DIR/err")"
	fi
	n=$(sql "$DB" "create temp table a(m text);
	    $(sed "s/.*/insert into a values('&');/" "$ACK")
	    select count(*) from a where
	    (select count(*) from events where at = a.m) +
	    (select count(*) from activities where at = a.m) != 1")
	if [ "$n" != 0 ]; then
		missing=$((missing + n))
		echo "# round $rounds ($1): $n acknowledged operations missing"
	fi
	n=$(sql "$DB" "select count(*) from leads l where
	    stage is not (select new_value from events e where e.lead_id = l.id
	    and e.field = 'stage' order by e.id desc limit 1) or
	    owner is not (select new_value from events e where e.lead_id = l.id
	    and e.field = 'owner' order by e.id desc limit 1) or
	    version != 1 + (select count(*) from events e where
	    e.lead_id = l.id and e.kind in ('move', 'assign', 'update'))")
	if [ "$n" != 0 ]; then
		halves=$((halves + n))
		echo "# round $rounds ($1): $n leads do not replay from their events"
	fi
}

# Loops of single writes.
for r in $(seq 1 "$LOOP"); do
	writer_loop "$r" &
	lp=$!
	rnd 400
	msleep $((R + 20))
	kill_tree $lp
	check_round loop
done
acked=$(wc -l <"$ACK")
ok "loop rounds ran ($LOOP rounds, $acked writes acknowledged, $hits kills hit a running smk)"

# Imports: 40 rows that must go in together or not at all.
if "$SMK" --help 2>&1 | grep -q 'smk import'; then
	imported=0 none=0
	for r in $(seq 1 "$IMPORT"); do
		f=$T_DIR/imp.csv
		printf 'email,first_name,last_name,company\n' >"$f"
		for k in $(seq 1 40); do
			printf 'imp%d-%d@crash.example,Imp,%d,Bulk %d\n' "$r" \
			    "$k" "$k" "$r" >>"$f"
		done
		"$SMK" --db "$DB" --at "$AT" --user boss import "$f" \
		    >/dev/null 2>&1 &
		ip=$!
		rnd 300
		msleep $((R + 5))
		kill -KILL $ip 2>/dev/null
		wait $ip 2>/dev/null
		check_round import
		n=$(sql "$DB" "select count(*) from leads where
		    email like 'imp$r-%@crash.example'")
		case $n in
		0) none=$((none + 1)) ;;
		40) imported=$((imported + 1)) ;;
		*) halves=$((halves + 1))
		   echo "# import round $r: $n of 40 rows in the file" ;;
		esac
	done
	ok "import rounds ran ($IMPORT: $imported complete, $none rolled back)"
else
	ok "skipped: import rounds (this smk has no import command yet)"
fi

# The generator's one bulk transaction of 200 leads, on its own file.
if [ -x "$SMKGEN" ]; then
	full=0 empty=0
	for r in $(seq 1 "$GEN"); do
		g=$T_DIR/gen/g$r.db
		mkdir -p "$T_DIR/gen"
		"$SMKGEN" --out "$g" --seed "$r" --leads 200 --months 3 \
		    >/dev/null 2>&1 &
		gp=$!
		rnd 250
		msleep $((R + 5))
		kill -KILL $gp 2>/dev/null
		wait $gp 2>/dev/null
		rounds=$((rounds + 1))
		[ -f "$g" ] || { empty=$((empty + 1)); continue; }
		ic=$(sqlite3 "$g" 'pragma integrity_check' 2>&1)
		[ "$ic" = ok ] || { corrupt=$((corrupt + 1))
			echo "# generator round $r: integrity_check: $ic"; }
		n=$(sqlite3 "$g" "select count(*) from leads" 2>/dev/null)
		case $n in
		''|0) empty=$((empty + 1)) ;;
		200) full=$((full + 1)) ;;
		*) halves=$((halves + 1))
		   echo "# generator round $r: $n of 200 leads in the file" ;;
		esac
	done
	ok "generator rounds ran ($GEN: $full complete, $empty rolled back)"
else
	ok "skipped: generator rounds ($SMKGEN not built)"
fi

# The board, killed while it draws and polls; a writer runs beside it.
board_rounds() {
	for r in $(seq 1 "$TUI"); do
		tm_start "b$r" 80 24 "$SMK" --db "$DB" --at "$AT" --user boss
		if [ $r = 1 ] && ! tm_wait b1 'mql|MQL' 5; then
			tm kill-session -t b1 2>/dev/null
			return 1
		fi
		writer_loop $((LOOP + r)) &
		lp=$!
		rnd 1200
		msleep $((R + 300))
		for k in Right Down j l Enter Escape Tab; do
			tm_keys "b$r" "$k" 2>/dev/null
		done
		sh_pid=$(tm display-message -p -t "b$r" '#{pane_pid}')
		for c in $(ps -o pid= --ppid "$sh_pid" 2>/dev/null); do
			kill -KILL "$c" 2>/dev/null
		done
		kill_tree $lp
		tm kill-session -t "b$r" 2>/dev/null
		check_round board
	done
}
if command -v tmux >/dev/null 2>&1 && board_rounds; then
	ok "board rounds ran ($TUI)"
else
	ok "skipped: board rounds (no tmux, or this smk shows no board)"
fi

echo "# $rounds kills: $corrupt corrupt, $missing acknowledged writes missing, $halves half-applied, $unopenable unopenable"
expect_eq "at least 50 kill rounds" 1 $((rounds >= 50))
expect_eq "no corruption after any kill" 0 "$corrupt"
expect_eq "no acknowledged write lost to a kill" 0 "$missing"
expect_eq "nothing half-applied" 0 "$halves"
expect_eq "smk opens the file after every kill" 0 "$unopenable"
echo "# figures: rounds=$rounds corruptions=$((corrupt + halves + missing))"
t_done
