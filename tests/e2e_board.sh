#!/bin/sh
# The board, end to end: the real binary in tmux at 80x24 and 200x50, driven
# with keys, compared with what a person would see, and the file checked
# afterwards with `smk export`. Clock, TZ, HOME, TERM and sizes are pinned
# (tests/lib.sh).
. "$(dirname "$0")/lib.sh"

DB=$T_DIR/board/team.db
smk_db "$DB" || { not_ok "create the test database"; t_done; }
run() { "$SMK" --db "$DB" --at "$AT" "$@" >/dev/null; }
run --user boss add ann@example.com --first Ann --last Lee --company Acme \
    --stage mql
run --user boss add bob@example.com --first Bob --last Ray --company Bolt \
    --stage mql
run --user boss add cat@example.com --first Cat --last Diaz --company Cove \
    --stage mql
run --user boss add dan@example.com --first Dan --last Ode --company Dune \
    --stage sql --owner sam
run --user boss add eve@example.com --first Eve --last Ng --company Echo \
    --stage sql --owner tess
run --user boss add fay@example.com --company "Fern$(printf '\033')[31mRed" \
    --stage lead

BOARD="$SMK --db $DB --at $AT --user boss"
RC=$T_DIR/rc80

# --- 80x24: headers, counts, horizontal scroll marker -------------------
tm_start s80 80 24 "$BOARD; echo \$? >$RC"
expect_screen "80x24: funnel headers with counts" s80 \
    'Subscriber 0 .*Lead 1 .*MQL 3 .*SQL 2'
expect_screen "80x24: more columns to the right" s80 'SQL 2 +>$'
expect_screen "80x24: status line names user, role and file" s80 \
    'boss \(manager\) \| team\.db \| updated'
expect_no_match "80x24: escape sequences never reach the screen" \
    "$(printf '\033')" "$(tm_screen s80)"
expect_match "80x24: a card shows name and score" 'Dan Ode +0' \
    "$(tm_screen s80)"
expect_match "80x24: ... and company and owner" 'Dune +sam' \
    "$(tm_screen s80)"
expect_match "80x24: the escape is stripped from the company" 'FernRed' \
    "$(tm_screen s80)"

# --- '>' moves the best MQL card to SQL ---------------------------------
tm_keys s80 l l
tm_keys s80 '>'
expect_screen "'>' moves Ann Lee on to SQL" s80 'Ann Lee: MQL -> SQL'
expect_screen "counts follow the move" s80 'MQL 2 .*SQL 3'

# --- help overlay -------------------------------------------------------
tm_keys s80 '?'
expect_screen "? shows the keys from the action table" s80 \
    'Show every key and what it does'
expect_match "... in a framed box over the board" \
    '┌─ Keys \(\? or q closes.*─┐' "$(tm_screen s80)"
expect_match "... closed at the bottom" '└─+┘' "$(tm_screen s80)"
expect_screen "... the board's own keys right after Everywhere" s80 \
    '│ Board \(this screen\)'
tm_keys s80 PgDn
expect_screen "... and scrolls to the lead actions" s80 \
    'Move the lead back a stage'
expect_match "... '<' shown as it is typed" '│ < +Move the lead back' \
    "$(tm_screen s80)"
expect_no_match "... never as <lt>" '<lt>' "$(tm_screen s80)"
# At 80 columns a long description wraps under its column, never cut.
expect_match "80x24: a long description's last words on the next line" \
    '│ +start of words\) +│' "$(tm_screen s80)"
expect_no_match "80x24: ... and no description ends in ~" '~ *│' \
    "$(tm_screen s80)"
tm_keys s80 q
expect_screen "q closes the help" s80 'next +<:back'

# --- '<' asks for a reason ----------------------------------------------
tm_keys s80 '<'
expect_screen "'<' offers the playbook's reasons" s80 '1 not ready to buy'
expect_screen "... and free text" s80 'other \(type a reason\)'
tm_keys s80 5
expect_screen "'<' asks for a reason" s80 '^Reason for Lead:'
tm_keys s80 'too early' Enter
expect_screen "the move back records the reason" s80 \
    'Bob Ray: MQL -> Lead because too early'

# --- x: recycle with a reason from the playbook -------------------------
tm_keys s80 x
expect_screen "x offers the exits" s80 '1 Recycled'
tm_keys s80 1
expect_screen "recycling lists the playbook's reasons" s80 '2 no budget'
tm_keys s80 2
expect_screen "Cat is recycled" s80 'Cat Diaz: MQL -> Recycled because no budget'

# --- live refresh: another process moves a lead -------------------------
run --user boss move eve@example.com opportunity
expect_screen "another user's move appears without a key press" s80 \
    'SQL 2 ' 3

tm_keys s80 q
sleep 1
expect_eq "the board exits cleanly" 0 "$(cat "$RC" 2>/dev/null)"

# --- 200x50: every column at once, 3-line cards -------------------------
tm_start s200 200 50 "$BOARD"
expect_screen "200x50: all six funnel columns" s200 \
    'Subscriber 0 .*Lead 2 .*MQL 0 .*SQL 2 .*Opportunity 1 .*Customer 0'
expect_no_match "200x50: nothing is scrolled off" '0 +>$' \
    "$(tm_screen s200 | sed -n 2p)"
expect_screen "200x50: cards show the owner on their third line" s200 \
    'sam'
tm_keys s200 e
expect_screen "e shows the exits" s200 'Recycled 1 .*Disqualified 0'
tm_keys s200 q

# --- a conflict names who changed the lead, and keeps the reason --------
mkdir -p "$HOME/.config/smk"
printf '[ui]\nrefresh = 60s\n' >"$HOME/.config/smk/config.ini"
tm_start c80 80 24 "$BOARD"
expect_screen "conflict board is up" c80 'SQL 2'
tm_keys c80 l l l
run --user mgr set ann@example.com company "Acme Two"
tm_keys c80 '<'
tm_wait c80 'other \(type a reason\)'
tm_keys c80 5
tm_keys c80 'wrong stage' Enter
expect_screen "a conflict says who changed the lead" c80 \
    'mgr changed this lead'
expect_screen "the board reloads the lead" c80 'Acme Two'
tm_keys c80 '<'
expect_screen "the typed reason is kept for the retry" c80 \
    '^Reason for MQL: wrong stage'
tm_keys c80 Escape
tm_wait_gone c80 '^Reason for'
# ... for that change only: a new lead's prompt does not get it, and a
# new lead that is refused keeps its own fields for the next try.
tm_keys c80 n
expect_screen "a kept reason does not leak into another prompt" c80 \
    '^New lead: email: *$'
tm_keys c80 'not-an-email' Enter
expect_screen "a bad email is refused at once, not after four prompts" \
    c80 'not an email address'
tm_keys c80 n
expect_screen "... and offered again to mend" c80 \
    '^New lead: email: not-an-email'
tm_keys c80 C-u 'ann@example.com' Enter
expect_screen "a taken email is refused at once too" c80 \
    'a lead with email ann@example.com already exists'
tm_keys c80 q
rm -f "$HOME/.config/smk/config.ini"

# --- read-only for someone who is not a rep -----------------------------
tm_start ro 80 24 "$SMK --db $DB --at $AT --user stranger"
expect_screen "an unknown user sees a read-only marker" ro 'READ-ONLY'
tm_keys ro l l '>'
expect_screen "write actions are refused in plain words" ro \
    'refused: you are not in the reps table'
tm_keys ro q
# A long status line is cut for the badges, not the badges for it.
LONG=$(dirname "$DB")/a-team-database-with-a-name-long-enough-to-fill-the-line.db
cp "$DB" "$LONG"
tm_start rl 80 24 "$SMK --db $LONG --at $AT --user stranger"
expect_screen "80x24, long status: READ-ONLY still shows" rl \
    'READ-ONLY +[0-9]+ breached *$'
tm_keys rl q

# --- a rep's reassign offers what a rep may do: claim it, or leave it ------
tm_start rr 80 24 "$SMK --db $DB --at $AT --user sam"
expect_screen "sam's board is up" rr 'Lead [0-9]'
tm_keys rr l r
expect_screen "a rep is offered themselves" rr 'sam  Sam Seller'
expect_screen "... and leaving it unassigned" rr '\(unassigned\)'
expect_no_match "... and no other rep" 'boss  |tess  ' "$(tm_screen rr)"
tm_keys rr Escape q

# --- the terminal goes away while a prompt is open, without SIGHUP -------
# setsid: the pane is not smk's controlling terminal, so closing it sends
# no signal; smk must see the hang-up itself and end, not spin.
HUP=$(dirname "$DB")/hangup.db
cp "$DB" "$HUP"
tm new-session -d -s hup -x 80 -y 24 "setsid -w env TERM=$TERM TZ=$TZ \
HOME=$HOME LC_ALL=$LC_ALL $SMK --db $HUP --at $AT --user boss"
expect_screen "hang-up: the board is up" hup 'SQL 2'
tm_keys hup /
expect_screen "hang-up: the search prompt is open" hup '^Search'
tm kill-session -t hup
gone=no
for i in 1 2 3 4 5 6 7 8 9 10; do
	pgrep -f -- "--db $HUP" >/dev/null || { gone=yes; break; }
	sleep 0.5
done
expect_eq "hang-up: smk ends instead of spinning" yes "$gone"
pkill -f -- "--db $HUP" 2>/dev/null

# --- the file afterwards ------------------------------------------------
CSV=$("$SMK" --db "$DB" export)
expect_match "export: Ann is in sql" '^[0-9]+,ann@example.com,.*,sql,' "$CSV"
expect_match "export: Bob is back in lead" \
    '^[0-9]+,bob@example.com,.*,lead,' "$CSV"
expect_match "export: Cat is recycled" \
    '^[0-9]+,cat@example.com,.*,recycled,' "$CSV"
expect_match "export: Ann was not moved by the stale board" \
    '^[0-9]+,ann@example.com,.*,Acme Two,.*,sql,' "$CSV"
expect_eq "the reason is in the trail" "too early" \
    "$(sql "$DB" "SELECT reason FROM events WHERE kind='move' AND
        new_value='lead' AND lead_id=(SELECT id FROM leads WHERE
        email='bob@example.com')")"
# --- a rep cannot change another rep's lead -----------------------------
run --user boss add zed@example.com --first Zed --last Tessa \
    --stage subscriber --owner tess
tm_start rep 80 24 "$SMK --db $DB --at $AT --user sam"
expect_screen "a rep's board opens as the rep, on tess's subscriber" rep \
    'sam \(rep\).*|Zed Tessa'
expect_screen "... whose card is selected" rep 'Zed Tessa'
tm_keys rep '>'
expect_screen "a rep is refused another rep's lead, in plain words" rep \
    'belongs to tess: only they or a manager can change it'
expect_eq "... and the file is unchanged" subscriber \
    "$(sql "$DB" "select stage from leads where email = 'zed@example.com'")"
tm_keys rep q

# --- a stage the playbook no longer lists -------------------------------
# Leads left in it (an edited playbook, a hand edit) are in no column; the
# status line says how many, and updates when the file changes.
sql "$DB" "UPDATE leads SET stage = 'legacy' WHERE email = 'zed@example.com'"
tm_start gone 80 24 "$SMK --db $DB --at $AT --user boss"
expect_screen "a lead in an unknown stage is counted on the status line" \
    gone 'boss \(manager\).*\| 1 in unknown stages'
sql "$DB" "UPDATE leads SET stage = 'lead' WHERE email = 'zed@example.com'"
tm_wait_gone gone 'in unknown stages' 5
expect_no_match "... and the count goes once it is moved back" \
    'in unknown stages' "$(tm_screen gone)"
tm_keys gone q

t_done
