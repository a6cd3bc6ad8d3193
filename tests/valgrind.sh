#!/bin/sh
# Run every unit and integration test binary built without sanitizers
# (.build/vg/test_*, made by `make valgrind`) under valgrind's memcheck:
# any invalid access, use of uninitialised memory or leak fails it. Ends
# with one table and "N clean, N with errors".
cd "$(dirname "$0")/.." || exit 2
B=.build/vg
command -v valgrind >/dev/null 2>&1 ||
	{ echo "valgrind is not installed (Debian package: valgrind)"; exit 2; }
log=$(mktemp) clean=0 dirty=0
export TZ=UTC LC_ALL=C.UTF-8
printf '%-24s %8s %8s %10s %s\n' binary errors leaked seconds result
for t in $B/test_*; do
	[ -x "$t" ] || continue
	start=$(date +%s)
	# -q prints only problems; VALGRIND_OPTS=--track-origins=yes to dig.
	valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
	    --errors-for-leak-kinds=definite,indirect --error-exitcode=1 \
	    ${VALGRIND_OPTS:-} "$t" >"$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	errs=$(grep -c '^==[0-9]*== \(Invalid\|Conditional\|Use of uninit\|Mismatched\|Syscall param\)' "$log")
	leak=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tail -1)
	if [ $rc = 0 ]; then
		res=clean clean=$((clean + 1))
	else
		res="FAILED (exit $rc)" dirty=$((dirty + 1))
		grep '^==' "$log" | head -40
	fi
	printf '%-24s %8s %8s %10s %s\n' "$(basename "$t")" "$errs" \
	    "${leak:-0}" "$secs" "$res"
done
rm -f "$log"
echo "$clean clean, $dirty with errors"
[ $dirty = 0 ] && [ $clean -gt 0 ]
