#!/bin/sh
# One table of the reliability figures: the stress harness (operations
# attempted, acknowledged, lost), kill -9 rounds (rounds, corruptions), the
# fault-injecting VFS (faults injected, handled), the fuzzers (executions,
# crashes) and the sshfs check (acknowledged, lost). SMK_STRESS_FULL=1 runs
# the long versions; FUZZ_SECONDS (default 30) bounds each fuzz target.
cd "$(dirname "$0")/.." || exit 2
make --no-print-directory smk .build/san/smk .build/smkgen \
    .build/san/test_faults >/dev/null || { echo "reliability: build failed"; exit 2; }
logs=$(mktemp -d)
status=0

# fig LOG KEY: the value of KEY=N on the log's "# figures:" line.
fig() {
	sed -n "s/^# figures:.* $2=\([0-9?]*\).*/\1/p" "$1" | tail -1
}
run() {	# run NAME CMD...: keep the log; a failure makes the table fail
	name=$1
	shift
	"$@" >"$logs/$name" 2>&1 || status=1
}

run stress sh tests/stress.sh
run crash sh tests/it_crash.sh
run faults .build/san/test_faults
run sshfs sh tests/it_sshfs.sh
FUZZ_SECONDS=${FUZZ_SECONDS:-30} run fuzz sh tests/fuzz.sh

row() { printf '%-32s %12s\n' "$1" "${2:-n/a}"; }
echo
row figure value
row "operations attempted" "$(fig "$logs/stress" attempted)"
row "operations acknowledged" "$(fig "$logs/stress" acknowledged)"
row "operations lost" "$(fig "$logs/stress" lost)"
row "kill -9 rounds" "$(fig "$logs/crash" rounds)"
row "corruptions after a kill" "$(fig "$logs/crash" corruptions)"
row "I/O faults injected" "$(fig "$logs/faults" injected)"
row "I/O faults handled" "$(fig "$logs/faults" handled)"
if grep -q '^ok - skipped' "$logs/sshfs"; then
	row "sshfs writes acknowledged" skipped
else
	row "sshfs writes acknowledged" "$(fig "$logs/sshfs" sshfs_smk_acked)"
	row "sshfs acknowledged, then lost" "$(fig "$logs/sshfs" sshfs_smk_lost)"
fi
row "fuzz executions" "$(fig "$logs/fuzz" executions)"
row "fuzz crashes" "$(fig "$logs/fuzz" crashes)"
for f in stress crash faults sshfs fuzz; do
	grep -q '^not ok\|FAILED\|crashes=[1-9]' "$logs/$f" &&
	    echo "# $f failed; its log: $logs/$f" && status=1
done
[ $status = 0 ] && rm -rf "$logs"
exit $status
