#!/bin/sh
# Run every test: the cmocka unit and integration binaries, then the shell
# integration and tmux end-to-end tests. Ends with one line to trust:
# "N passed, N failed".
cd "$(dirname "$0")/.." || exit 2
B=.build/san
pass=0 fail=0 log=$(mktemp)
failed_names=""

count() {	# count NAME OK FAILS
	pass=$((pass + $2))
	fail=$((fail + $3))
	[ "$3" -gt 0 ] && failed_names="$failed_names $1"
}

for t in $B/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	"$t" >"$log" 2>&1
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	p=${p:-0} f=${f:-0}
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	[ "$f" -gt 0 ] && cat "$log"
	printf '%-28s %3d passed, %d failed\n' "$name" "$p" "$f"
	count "$name" "$p" "$f"
done

for t in tests/it_*.sh tests/e2e_*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	ROOT=$(pwd) sh "$t" >"$log" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	[ "$f" -gt 0 ] && grep -v '^ok ' "$log"
	printf '%-28s %3d passed, %d failed\n' "$name" "$p" "$f"
	count "$name" "$p" "$f"
done
rm -f "$log"
[ -n "$failed_names" ] && echo "failing:$failed_names"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
