#!/bin/sh
# make fuzz: build every libFuzzer target tests/fuzz_NAME.c with clang
# (-fsanitize=fuzzer,address,undefined) against the src objects except
# main.c, run each for FUZZ_SECONDS (default 60) on a copy of its seed corpus
# tests/fuzz/NAME, then run every script target tests/fuzz_NAME.sh (the
# board's key storm) for as long. Ends with one table of executions and
# crashes per target; crashing inputs are kept in .build/fuzz/NAME/.
cd "$(dirname "$0")/.." || exit 2
SECS=${FUZZ_SECONDS:-60}
B=.build/fuzz
CC=${FUZZ_CC:-clang}
FLAGS="-std=c11 -g -O1 -fno-omit-frame-pointer -D_XOPEN_SOURCE=700 \
    -D_DEFAULT_SOURCE -Iinclude -I/usr/include/iniparser \
    -DSMK_DATADIR=\"/usr/local/share/smk\""
LIBS="-lncursesw -ltinfo -lsqlite3 -liniparser -lcsv -lm"
command -v "$CC" >/dev/null 2>&1 ||
	{ echo "fuzz: $CC is not installed (Debian package: clang)"; exit 2; }
mkdir -p "$B/obj"
table=$(mktemp)
failed=0

# The src objects, instrumented for coverage but without libFuzzer's main.
objs=""
for f in src/*.c; do
	[ "$f" = src/main.c ] && continue
	o=$B/obj/$(basename "$f" .c).o
	if [ ! -f "$o" ] || [ -n "$(find "$f" include src -name '*.h' \
	    -newer "$o" 2>/dev/null | head -1)" ] || [ "$f" -nt "$o" ]; then
		# shellcheck disable=SC2086
		$CC $FLAGS -fsanitize=fuzzer-no-link,address,undefined -c \
		    -o "$o" "$f" || { echo "fuzz: cannot build $f"; exit 2; }
	fi
	objs="$objs $o"
done

for t in tests/fuzz_*.c; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .c)
	short=${name#fuzz_}
	d=$B/$short
	mkdir -p "$d/corpus"
	# shellcheck disable=SC2086
	if ! $CC $FLAGS -fsanitize=fuzzer,address,undefined -o "$d/$name" \
	    "$t" $objs $LIBS 2>"$d/build.log"; then
		cat "$d/build.log"
		printf '%-14s %12s %8s %s\n' "$short" - - "does not build" \
		    >>"$table"
		failed=$((failed + 1))
		continue
	fi
	seeds=""
	[ -d "tests/fuzz/$short" ] && seeds="tests/fuzz/$short"
	rm -f "$d"/crash-* "$d"/leak-* "$d"/timeout-* "$d"/oom-*
	# -fork keeps going after a crash, so that one run counts them all.
	(cd "$d" && ASAN_OPTIONS=detect_leaks=1 "./$name" -fork=1 \
	    -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
	    -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix=./ corpus \
	    ${seeds:+"../../../$seeds"}) >"$d/run.log" 2>&1
	execs=$(sed -n 's/.*stat::number_of_executed_units: *\([0-9]*\).*/\1/p' \
	    "$d/run.log" | awk '{ s += $1 } END { print s + 0 }')
	[ "$execs" = 0 ] && execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' \
	    "$d/run.log" | tail -1)
	crashes=$(find "$d" -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' \
	    -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
	[ "$crashes" -gt 0 ] && failed=$((failed + 1))
	printf '%-14s %12s %8s %s\n' "$short" "${execs:-0}" "$crashes" \
	    "$([ "$crashes" -gt 0 ] && echo "inputs in $d" || echo ok)" \
	    >>"$table"
done

for t in tests/fuzz_*.sh; do
	[ -f "$t" ] || continue
	short=$(basename "$t" .sh)
	short=${short#fuzz_}
	line=$(FUZZ_SECONDS=$SECS sh "$t" 2>&1 | tee "$B/$short.log" |
	    sed -n 's/^# figures: executions=\([0-9]*\) crashes=\([0-9]*\).*/\1 \2/p')
	set -- ${line:-0 1}
	[ "$2" -gt 0 ] && failed=$((failed + 1))
	printf '%-14s %12s %8s %s\n' "$short" "$1" "$2" \
	    "$([ "$2" -gt 0 ] && echo "see $B/$short.log" || echo ok)" \
	    >>"$table"
done

printf '%-14s %12s %8s %s\n' target executions crashes result
cat "$table"
awk '{ e += $2; c += $3 } END { printf "# figures: executions=%d crashes=%d\n", e, c }' \
    "$table"
rm -f "$table"
[ $failed = 0 ]
