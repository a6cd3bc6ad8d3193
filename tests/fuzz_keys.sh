#!/bin/sh
# Key storm: random keys, text and terminal resizes sent to the sanitized
# board (.build/san/smk) in tmux, over a real file with a few dozen leads,
# for FUZZ_SECONDS (default 60). The board owns the terminal and blocks in
# its own loop, so this drives it from outside rather than in-process. A
# crash is a sanitizer report, or an exit that was not asked for (q, Q and
# C-c are never sent; the board is restarted if it ends anyway). The file
# must pass integrity_check afterwards. Ends with
# "# figures: executions=KEYS crashes=N".
. "$(dirname "$0")/lib.sh"

SECS=${FUZZ_SECONDS:-60}
seed=${FUZZ_SEED:-$(date +%s)}
echo "# seed $seed (FUZZ_SEED=$seed repeats the storm)"
DB=$T_DIR/keys/team.db
smk_db "$DB" || { not_ok "create the test team"; t_done; }
i=0
for st in subscriber lead mql mql mql sql sql opportunity customer recycled; do
	i=$((i + 1))
	"$SMK" --db "$DB" --at "$AT" --user boss add "k$i@keys.example" \
	    --first "Key$i" --last "Storm" --company "Co $i" --stage "$st" \
	    >/dev/null
done
export EDITOR=true VISUAL=true
export ASAN_OPTIONS="detect_leaks=1:log_path=$T_DIR/asan"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$T_DIR/asan"

rnd() {
	seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
	R=$(( seed / 65536 % $1 ))
}
set -- Up Down Left Right Enter Escape BSpace Tab BTab PPage NPage Home End \
    F1 F2 C-l C-b C-f C-u C-d j k h l g G '>' '<' x a r n / f F e E S 1 2 \
    3 4 s '?' y ' ' A z 0 9 ',' '-' '.' M-x Space DC IC
NKEYS=$#

runs=0 execs=0 crashes=0 unasked=0
start_board() {
	runs=$((runs + 1))
	rm -f "$T_DIR/rc"
	tm_start k 80 24 "$SMK --db $DB --at $AT --user boss; echo \$? >$T_DIR/rc"
	tm set-option -t k -g window-size manual >/dev/null 2>&1
	tm_wait k 'MQL|Subscriber' 5 || true
}
start_board
end=$(($(date +%s) + SECS))
while [ "$(date +%s)" -lt $end ]; do
	keys=""
	n=0
	while [ $n -lt 16 ]; do
		rnd $NKEYS
		eval "k=\${$((R + 1))}"
		keys="$keys $k"
		n=$((n + 1))
	done
	# shellcheck disable=SC2086
	tm send-keys -t k $keys 2>/dev/null
	execs=$((execs + 16))
	rnd 10
	if [ $R = 0 ]; then
		rnd 180
		w=$((R + 20))
		rnd 60
		tm resize-window -t k -x $w -y $((R + 5)) 2>/dev/null
	fi
	sleep 0.05
	if [ -f "$T_DIR/rc" ]; then
		rc=$(cat "$T_DIR/rc")
		if [ "$rc" != 0 ]; then
			crashes=$((crashes + 1))
			echo "# the board exited $rc after: $keys"
			tm_screen k | tail -20 | sed 's/^/#   /'
		else
			unasked=$((unasked + 1))
		fi
		tm kill-session -t k 2>/dev/null
		start_board
	fi
done
tm send-keys -t k Escape Escape Escape q 2>/dev/null
sleep 1
tm kill-session -t k 2>/dev/null
reports=$(ls "$T_DIR"/asan* 2>/dev/null | wc -l)
[ "$reports" -gt 0 ] && head -40 "$T_DIR"/asan* | sed 's/^/#   /'
crashes=$((crashes + reports))
echo "# $execs keys in $runs board runs ($unasked ended without q), $reports sanitizer reports"
expect_eq "the board never crashed under the key storm" 0 "$crashes"
expect_eq "the file survived the storm" ok "$(sql "$DB" 'pragma integrity_check')"
echo "# figures: executions=$execs crashes=$crashes"
t_done
