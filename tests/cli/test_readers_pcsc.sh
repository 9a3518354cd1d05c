#!/usr/bin/env bash
# test_readers_pcsc.sh - the PC/SC link through REAL pcscd and vsmartcard's vpcd driver, the
# virtual chip plugged in by tools/gen/vpcd-card: full reads (short and extended length) with
# the daemon's session code, reader selection, and faults (card removed, a mute chip, a truncated
# answer, the card's client killed mid-APDU, pcscd restarted mid-APDU and while the link waits),
# each ending in a clean error and then a good read. Files: EF.COM DG1 DG2 DG13 DG14 DG15 SOD in
# plain mode (sm=0) and under secure messaging after PACE (CAN) and BAC; the sha256 must equal the
# in-process sim link's.
#
# pcscd ignores PCSCLITE_CSOCK_NAME and binds /run/pcscd/pcscd.comm, so the script re-runs itself
# in a private mount namespace (root, as CI) with a tmpfs on /run and its own reader.conf.d
# pointing vpcd at a random port. Every process started here is killed on exit.
set -eu
[ -n "${CCCD_TRACE:-}" ] && set -x
if [ -z "${CCCD_PCSC_NS:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "needs root for a private pcscd (unshare --mount)"; exit 1; }
	exec env CCCD_PCSC_NS=1 unshare --mount --propagation private bash "$0" "$@"
fi
b=$(dirname "$CCCDCTL")
rd="$b/tools/link-read"
vc="$b/tools/vpcd-card"
card=tests/fixtures/cards/an.ini
t=$(mktemp -d)
pcscd_pid=
card_pid=
rp=
cleanup() {
	[ -n "$rp" ] && kill -9 "$rp" 2>/dev/null
	[ -n "$card_pid" ] && kill -9 "$card_pid" 2>/dev/null
	[ -n "$pcscd_pid" ] && kill -9 "$pcscd_pid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$t"
}
trap cleanup EXIT

mount -t tmpfs -o mode=0755 cccd-test-run /run
mkdir -p /run/pcscd "$t/conf"
export PCSCLITE_CSOCK_NAME=/run/pcscd/pcscd.comm
port=$((20000 + RANDOM % 30000))
cat >"$t/conf/vpcd" <<EOC
FRIENDLYNAME "Virtual PCD"
DEVICENAME   /dev/null:$port
LIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so
CHANNELID    $port
EOC

ref=$("$rd" "sim:$card?sm=0" | sed -n 's/^read 1: ok .*sha256=//p')
[ ${#ref} = 64 ]

start_pcscd() {
	pcscd -f -c "$t/conf" >>"$t/pcscd.log" 2>&1 &
	pcscd_pid=$!
	for _ in $(seq 50); do
		[ -S /run/pcscd/pcscd.comm ] && return 0
		sleep 0.1
	done
	echo "pcscd did not start:"
	cat "$t/pcscd.log"
	return 1
}

# pcscd has accepted a client (the link's context): one of its sockets is a connected one on
# pcscd.comm. /proc/net/unix lists every namespace's sockets, so match pcscd's own inodes.
pcscd_has_client() {
	local ids
	ids=$(find "/proc/$pcscd_pid/fd" -lname 'socket:*' -printf '%l\n' 2>/dev/null | tr -dc '0-9\n')
	awk -v ids="$ids" 'BEGIN { n = split(ids, a, "\n"); for (i = 1; i <= n; i++) w[a[i]] = 1 }
		$6 == "03" && ($7 in w) && $8 == "/run/pcscd/pcscd.comm" { f = 1 }
		END { exit !f }' /proc/net/unix
}

wait_pcscd_client() {
	for _ in $(seq 100); do
		pcscd_has_client && return 0
		sleep 0.1
	done
	echo "the link did not connect to pcscd (pid $pcscd_pid) in 10 s:"
	cat "$t/out"
	return 1
}

stop_pcscd() {
	kill -9 "$pcscd_pid" 2>/dev/null || true
	wait "$pcscd_pid" 2>/dev/null || true
	pcscd_pid=
	rm -f /run/pcscd/*
}

start_card() {
	: >"$t/card.log"
	"$vc" "$card" --port "$port" --sm "${SM:-0}" --log "$t/card.log" --exit-after-ms 60000 "$@" &
	card_pid=$!
	for _ in $(seq 50); do
		grep -q '^connected' "$t/card.log" && return 0
		sleep 0.1
	done
	echo "vpcd-card did not connect"
	return 1
}

# The card leaves; pcscd polls vpcd every 400 ms, so give it a second to see the slot empty
# (a card swapped faster than that meets a stale vpcd socket: one failed APDU, as a real reader
# swapped between two polls would).
stop_card() {
	kill -9 "$card_pid" 2>/dev/null || true
	wait "$card_pid" 2>/dev/null || true
	card_pid=
	sleep "${1:-1}"
}

read_pcsc() { # URI args...
	rc=0
	local uri=$1
	shift
	timeout 60 "$rd" "$uri" --timeout-ms 1000 --wait-ms 4000 "$@" >"$t/out" 2>"$t/err" || rc=$?
}

want_rc() {
	[ "$rc" = "$1" ] || { echo "exit $rc, want $1:"; cat "$t/out" "$t/err"; return 1; }
}

expect_ok() { # read number, APDU count [access]
	grep -q "^read $1: ok access=${3:-plain} files=7 bytes=[0-9]* apdus=$2 .*sha256=$ref\$" "$t/out" ||
		{ echo "read $1 not ok ($2 APDUs):"; cat "$t/out" "$t/err" "$t/card.log"; return 1; }
}

# cccdctl read over this stack (issue 5): the whole RESULT, not only the files, must come back.
ctl_read() { # URI access-path cccdctl-key-args...
	local uri=$1 access=$2
	shift 2
	timeout 60 "$CCCDCTL" read --reader "$uri" "$@" --json >"$t/result" 2>"$t/rerr" ||
		{ echo "cccdctl read $uri $*: exit $?"; cat "$t/rerr"; return 1; }
	python3 - "$t/result" "$access" <<'PY' || { cat "$t/result"; return 1; }
import json, sys
r = json.load(open(sys.argv[1]))
assert r["class"] == "RESULT", r["class"]
assert r["document"]["number"] == "001200012345", r["document"]
assert r["card"]["access"] == sys.argv[2], r["card"]
assert r["person"]["full_name"] == "Nguyễn Văn An", r["person"]
assert r["checks"]["passive"] in ("ok", "untrusted"), r["checks"]
PY
}

expect_error() { # read number, pattern
	grep -q "^read $1: error .*$2" "$t/out" || { echo "want error '$2':"; cat "$t/out"; return 1; }
	! grep -q "^read $1: ok" "$t/out"
}

# no pcscd yet: a clean error within the wait, exit 1; readers says so and still exits 0
read_pcsc pcsc: --reads 1
want_rc 1
expect_error 1 'pcscd not running'
"$CCCDCTL" readers 2>"$t/err" >/dev/null
grep -q 'link_pcsc: pcscd: Service not available' "$t/err"

start_pcscd

# 1. first reader, two reads, short APDUs (the dataset's chip has no extended length)
start_card
read_pcsc pcsc: --reads 2
want_rc 0
expect_ok 1 85
expect_ok 2 85
# cccdctl readers sees the reader and the card in it
"$CCCDCTL" readers --json >"$t/dev"
grep -q '"uri":"pcsc:Virtual PCD[^"]*","stack":"pcsc","name":"Virtual PCD[^"]*","card":true' "$t/dev" ||
	{ cat "$t/dev"; exit 1; }
"$CCCDCTL" readers | grep -q '^pcsc    pcsc:Virtual PCD.*   card$'
# by name prefix; an unknown reader is a clean error
read_pcsc "pcsc:Virtual PCD"
expect_ok 1 85
read_pcsc "pcsc:No Such Reader"
want_rc 1
expect_error 1 "no reader 'No Such Reader'"
stop_card

# 2. extended length when the ATR offers it (fewer, larger reads); ?ext=0 forces short
start_card --ext 1
read_pcsc pcsc: --ext-le 4096
want_rc 0
expect_ok 1 25
read_pcsc "pcsc:Virtual?ext=0" --ext-le 4096
expect_ok 1 85
stop_card

# 3. secure messaging: PACE with the CAN (extended reads under SM, then short), a wrong CAN, BAC
#    on a chip without PACE, the card lost in the middle of PACE; the chip requires SM (sm=1)
can=012345
SM=1 start_card --ext 1
read_pcsc pcsc: --can $can --ext-le 4096
want_rc 0
expect_ok 1 32 pace
read_pcsc "pcsc:Virtual?ext=0" --can $can --ext-le 4096
expect_ok 1 102 pace
read_pcsc pcsc: --can 012346
want_rc 1
grep -q '^read 1: error pace: GENERAL AUTHENTICATE: SW 6300' "$t/out"
ctl_read pcsc: pace --can $can
ctl_read "pcsc:Virtual PCD" pace --bac 200012345,000201,400201
stop_card
SM=1 start_card --pace 0
read_pcsc pcsc: --bac 200012345,000201,400201
want_rc 0
expect_ok 1 96 bac
ctl_read pcsc: bac --bac 200012345,000201,400201
stop_card
SM=1 start_card --drop-after 4
read_pcsc pcsc: --reads 2 --can $can
expect_error 1 'link_pcsc'
expect_ok 2 102 pace
stop_card

# 4. the card leaves mid-read: an empty answer from SCardTransmit is an error, not data
start_card --drop-after 20
read_pcsc pcsc: --reads 2
expect_error 1 'link_pcsc'
expect_ok 2 85
stop_card

# 5. a chip that stops answering: the link's own deadline ends the APDU
start_card --mute-after 20 --mute-ms 3000
s0=$(date +%s)
read_pcsc pcsc: --reads 2
expect_error 1 'no answer in 1000 ms'
expect_ok 2 85
[ $(($(date +%s) - s0)) -lt 15 ]
stop_card

# 6. half an answer, then the card leaves: never data; a later read succeeds
start_card --truncate-at 20
read_pcsc pcsc: --reads 3
expect_error 1 ''
expect_ok 3 85
stop_card

# 7. the card's client is killed mid-APDU (reader side gone), then a new one plugs in
start_card --mute-after 20 --mute-ms 30000
timeout 60 "$rd" pcsc: --timeout-ms 5000 --wait-ms 8000 --reads 2 >"$t/out" 2>&1 &
rp=$!
for _ in $(seq 50); do grep -q '^muted' "$t/card.log" && break; sleep 0.1; done
stop_card
start_card
wait "$rp" || true
rp=
expect_error 1 'link_pcsc'
expect_ok 2 85
stop_card

# 8. pcscd restarts mid-APDU: the link re-establishes its context
start_card --mute-after 20 --mute-ms 30000
timeout 60 "$rd" pcsc: --timeout-ms 5000 --wait-ms 10000 --reads 2 >"$t/out" 2>&1 &
rp=$!
for _ in $(seq 50); do grep -q '^muted' "$t/card.log" && break; sleep 0.1; done
stop_pcscd
stop_card 0
start_pcscd
start_card
wait "$rp" || true
rp=
expect_error 1 'link_pcsc'
expect_ok 2 85
stop_card

# 9. pcscd restarted three times while the link waits for a card (nothing in flight): each time
#    the link drops the dead context and connects to the new pcscd; then a card reads. A client
#    that connects while the killed pcscd still holds its socket is reset, which pcsc-lite
#    reports as SCARD_W_SECURITY_VIOLATION, "Access denied.": the link retries it like a restart.
timeout 60 "$rd" pcsc: --timeout-ms 1000 --wait-ms 40000 >"$t/out" 2>&1 &
rp=$!
for _ in 1 2 3; do
	wait_pcscd_client
	stop_pcscd
	start_pcscd
done
wait_pcscd_client
start_card
wait "$rp" || true
rp=
expect_ok 1 85
echo "PC/SC reader tests passed"
