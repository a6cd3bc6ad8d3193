#!/bin/sh
# Integration: one folder mounted twice through sshfs, as two laptops see
# one network share. A private sshd on 127.0.0.1 (throwaway host key, one
# authorized key, all in the temp dir) serves it. Writers work through both
# mounts at once; we count acknowledged against present writes and check
# integrity:
#   1. the sqlite3 shell (the baseline of PRODUCT.md: BEGIN IMMEDIATE,
#      busy timeout 5 s), to show what the share does to plain SQLite;
#   2. smk add, one process per write, through both mounts.
# smk must keep every write it acknowledged. Installs nothing: it says
# "ok - skipped: ..." when sshfs, sshd or /dev/fuse are missing (Debian
# packages: sshfs openssh-server). SSHFS_ROWS sets the writes per writer.
. "$(dirname "$0")/lib.sh"

ROWS=${SSHFS_ROWS:-150}
SSHD=$(command -v sshd || echo /usr/sbin/sshd)
FUSERMOUNT=$(command -v fusermount3 || command -v fusermount || echo)
for need in sshfs ssh ssh-keygen "$SSHD" "$FUSERMOUNT"; do
	if [ -z "$need" ] || ! command -v "$need" >/dev/null 2>&1; then
		ok "skipped: ${need:-fusermount} is not installed (sshfs openssh-server)"
		t_done
	fi
done
if [ ! -c /dev/fuse ] || [ ! -r /dev/fuse ]; then
	ok "skipped: no usable /dev/fuse here"
	t_done
fi

S=$T_DIR/ssh
SHARE=$T_DIR/share
M1=$T_DIR/m1 M2=$T_DIR/m2
mkdir -p "$S" "$SHARE" "$M1" "$M2"
chmod 700 "$S"
ssh-keygen -q -t ed25519 -N '' -f "$S/host" >/dev/null &&
ssh-keygen -q -t ed25519 -N '' -f "$S/id" >/dev/null &&
cp "$S/id.pub" "$S/authorized_keys" || { not_ok "make throwaway keys"; t_done; }
PORT=$((20000 + $$ % 20000))
cat >"$S/sshd_config" <<EOF
Port $PORT
ListenAddress 127.0.0.1
HostKey $S/host
PidFile $S/sshd.pid
AuthorizedKeysFile $S/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
Subsystem sftp internal-sftp
EOF
# sshd as root insists on its privilege separation directory.
[ "$(id -u)" = 0 ] && [ ! -d /run/sshd ] && mkdir -p /run/sshd
"$SSHD" -f "$S/sshd_config" -D -e 2>"$S/sshd.log" &
SSHD_PID=$!

sshfs_cleanup() {
	"$FUSERMOUNT" -u "$M1" 2>/dev/null
	"$FUSERMOUNT" -u "$M2" 2>/dev/null
	kill "$SSHD_PID" 2>/dev/null
	t_cleanup
}
trap sshfs_cleanup EXIT

mount_share() {
	sshfs -p "$PORT" -o "IdentityFile=$S/id,StrictHostKeyChecking=no" \
	    -o "UserKnownHostsFile=/dev/null,BatchMode=yes,LogLevel=ERROR" \
	    "$(id -un)@127.0.0.1:$SHARE" "$1"
}
i=0
until mount_share "$M1" 2>"$S/mount.err"; do
	i=$((i + 1))
	if [ $i -ge 20 ]; then
		ok "skipped: sshfs could not mount ($(head -c 200 "$S/mount.err" "$S/sshd.log" | tr '\n' ' '))"
		t_done
	fi
	sleep 0.25
done
mount_share "$M2" || { not_ok "mount the share a second time"; t_done; }
expect_eq "both mounts show the same folder" "yes" \
    "$(touch "$M1/probe" && [ -f "$M2/probe" ] && echo yes)"
echo "# filesystem: $(stat -f -c %T "$M1")"

# 1. The sqlite3 shell, one long connection per mount.
sqlite3 "$SHARE/base.db" "create table t(w int, i int)"
shell_writer() {
	_i=0
	while [ $_i -lt "$ROWS" ]; do
		_i=$((_i + 1))
		echo "begin immediate; insert into t values($2, $_i); commit;"
		echo "select 'ack', $_i;"
	done | sqlite3 -cmd '.timeout 5000' "$1/base.db" 2>/dev/null |
	    grep -c '^ack|' >"$T_DIR/base.$2"
}
# Wait for the writers by id: a bare wait would wait for sshd too.
shell_writer "$M1" 1 &
p1=$!
shell_writer "$M2" 2 &
wait $p1 $!
b_ack=$(( $(cat "$T_DIR/base.1") + $(cat "$T_DIR/base.2") ))
b_have=$(sqlite3 "$SHARE/base.db" "select count(*) from t" 2>/dev/null)
b_ic=$(sqlite3 "$SHARE/base.db" "pragma integrity_check" 2>&1 | head -3 | tr '\n' ' ')
echo "# sqlite3 shell through two mounts: $((2 * ROWS)) tried, $b_ack acknowledged, ${b_have:-?} present, integrity: $b_ic"

# 2. smk, one process per write, through both mounts.
smk_db "$SHARE/team.db" || { not_ok "create the team on the share"; t_done; }
smk_writer() {
	_i=0 _ack=0 _busy=0 _other=0
	while [ $_i -lt "$ROWS" ]; do
		_i=$((_i + 1))
		"$SMK" --db "$1/team.db" --at "$AT" --user boss add \
		    "m$2-$_i@share.example" >/dev/null 2>"$T_DIR/err.$2"
		case $? in
		0) _ack=$((_ack + 1)); echo "m$2-$_i@share.example" >>"$T_DIR/acked" ;;
		2) _busy=$((_busy + 1)) ;;
		*) _other=$((_other + 1)); cat "$T_DIR/err.$2" >>"$T_DIR/other" ;;
		esac
	done
	echo "$_ack $_busy $_other" >"$T_DIR/smk.$2"
}
# A reader polls the board's export through the second mount meanwhile.
smk_reader() {
	_n=0 _bad=0
	while [ ! -f "$T_DIR/smk.1" ] || [ ! -f "$T_DIR/smk.2" ]; do
		"$SMK" --db "$M2/team.db" --at "$AT" export >/dev/null \
		    2>"$T_DIR/err.r"
		case $? in
		0|2) ;;
		*) _bad=$((_bad + 1)); cat "$T_DIR/err.r" >>"$T_DIR/other" ;;
		esac
		_n=$((_n + 1))
	done
	echo "$_n $_bad" >"$T_DIR/reader"
}
smk_writer "$M1" 1 &
p1=$!
smk_writer "$M2" 2 &
p2=$!
smk_reader &
wait $p1 $p2 $!
read -r polls rbad <"$T_DIR/reader"
read -r a1 b1 o1 <"$T_DIR/smk.1"
read -r a2 b2 o2 <"$T_DIR/smk.2"
acked=$((a1 + a2))
lost=$(sql "$SHARE/team.db" "create temp table a(e text);
    $(sed "s/.*/insert into a values('&');/" "$T_DIR/acked")
    select count(*) from a where e not in (select email from leads)")
ic=$(sql "$SHARE/team.db" 'pragma integrity_check' 2>&1 | head -3 | tr '\n' ' ')
echo "# smk through two mounts: $((2 * ROWS)) tried, $acked acknowledged, $((b1 + b2)) locked, $((o1 + o2)) other failures, ${lost:-?} acknowledged but missing, integrity: $ic; reader: $polls exports, $rbad failed"
[ -s "$T_DIR/other" ] && head -5 "$T_DIR/other" | sed 's/^/#   /'
expect_eq "smk: no acknowledged write is missing" 0 "$lost"
expect_eq "smk: integrity_check" "ok " "$ic"
echo "# figures: sshfs_shell_acked=$b_ack sshfs_shell_present=${b_have:-0} sshfs_smk_acked=$acked sshfs_smk_lost=${lost:-?}"
t_done
