#!/bin/sh
# The man page's key list is generated from the action table: the committed
# smk.1 must be what "make smk.1" would write now, and it must document
# every command of smk --help.
. "$(dirname "$0")/lib.sh"

MK=$ROOT/.build/mankeys
if [ ! -x "$MK" ]; then not_ok "mankeys is built"; t_done; fi
"$MK" >"$T_DIR/keys.mdoc"
sed -e "/^\.\\\\\" KEYS\$/r $T_DIR/keys.mdoc" -e "/^\.\\\\\" KEYS\$/d" \
    "$ROOT/src/smk.1.in" >"$T_DIR/smk.1"
if cmp -s "$T_DIR/smk.1" "$ROOT/smk.1"; then ok "smk.1 is up to date (make smk.1)"
else not_ok "smk.1 is up to date (make smk.1)" "$(diff "$ROOT/smk.1" "$T_DIR/smk.1" | head -20)"; fi

for a in help quit stage-next stage-back stage-exit log-attempt reassign; do
	expect_match "the man page documents $a" "Pq Cm $a\$" "$(cat "$ROOT/smk.1")"
done
"$SMK" --help >"$T_DIR/help" 2>&1
for c in $(sed -n 's/^  smk \([a-z]*\).*/\1/p' "$T_DIR/help" | sort -u); do
	expect_match "the man page documents smk $c" "^\.It Cm $c" "$(cat "$ROOT/smk.1")"
done
expect_code "--version" 0 "$SMK" --version
expect_match "... prints the version" "^smk [0-9]+\.[0-9]+" "$OUT"
t_done
