#!/bin/sh
# Integration: several real smk processes change the same leads of one file
# at once. Every acknowledged change must be in the event log exactly once,
# each lead's version must count its changes (no lost update), a stale
# change must be reported as a conflict (exit 3), and the file must pass
# integrity_check.
. "$(dirname "$0")/lib.sh"

DB=$T_DIR/c/c.db
WORKERS=${WORKERS:-4}
ROUNDS=${ROUNDS:-25}
LEADS=5
smk_db "$DB" || { not_ok "create the test team"; t_done; }
for i in $(seq 1 $LEADS); do
	"$SMK" --db "$DB" --at "$AT" --user boss add "l$i@x.example" \
	    --stage mql >/dev/null
done

# A worker reads a lead's version and stage, then moves it with that
# version (mql <-> sql) and logs a call. Between its read and its write,
# others may have moved the lead: then the move must be refused.
worker() {
	w=$1
	moves=0 logs=0 conflicts=0 other=0
	for r in $(seq 1 $ROUNDS); do
		id=$(( (r + w) % LEADS + 1 ))
		row=$(sql "$DB" "select version||' '||stage from leads where id=$id")
		v=${row% *} st=${row#* }
		if [ "$st" = mql ]; then set -- sql; else set -- mql --reason "not ready to buy"; fi
		"$SMK" --db "$DB" --at "$AT" --user boss move "$id" "$@" \
		    --expect-version "$v" >/dev/null 2>"$T_DIR/err.$w"
		case $? in
		0) moves=$((moves + 1)) ;;
		3) conflicts=$((conflicts + 1))
		   grep -q "boss changed this lead" "$T_DIR/err.$w" ||
			other=$((other + 1)) ;;
		*) other=$((other + 1)); cat "$T_DIR/err.$w" >&2 ;;
		esac
		if "$SMK" --db "$DB" --at "$AT" --user boss log "$id" call \
		    >/dev/null 2>>"$T_DIR/err.$w"; then
			logs=$((logs + 1))
		else
			other=$((other + 1))
		fi
	done
	echo "$moves $logs $conflicts $other" >"$T_DIR/result.$w"
}

for w in $(seq 1 $WORKERS); do worker "$w" & done
wait

moves=0 logs=0 conflicts=0 other=0
for w in $(seq 1 $WORKERS); do
	read -r m l c o <"$T_DIR/result.$w"
	moves=$((moves + m)) logs=$((logs + l))
	conflicts=$((conflicts + c)) other=$((other + o))
done
echo "# $WORKERS workers: $moves moves, $logs calls acknowledged, $conflicts conflicts, $other other failures"

expect_eq "no failure other than a conflict" 0 "$other"
expect_eq "every acknowledged move is one event" "$moves" \
    "$(sql "$DB" "select count(*) from events where kind='move'")"
expect_eq "every acknowledged call is one activity" "$logs" \
    "$(sql "$DB" "select count(*) from activities where kind='call'")"
expect_eq "no lost update: each version counts its moves" "0" \
    "$(sql "$DB" "select count(*) from leads l where version != 1 +
        (select count(*) from events e where e.lead_id=l.id and e.kind='move')")"
expect_eq "each stage is the replay of its events" "0" \
    "$(sql "$DB" "select count(*) from leads l where stage != (select
        new_value from events e where e.lead_id=l.id and e.field='stage'
        order by e.id desc limit 1)")"
# A stale version is always a conflict, whatever the interleaving was.
v=$(sql "$DB" "select version from leads where id=1")
expect_code "a stale version is reported as a conflict" 3 \
    "$SMK" --db "$DB" --at "$AT" --user boss move 1 recycled \
    --reason spam --expect-version $((v - 1))
expect_match "... naming who changed it" "boss changed this lead" "$ERR"
expect_eq "integrity_check" "ok" "$(sql "$DB" 'pragma integrity_check')"
t_done
