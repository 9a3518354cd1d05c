#!/usr/bin/env bash
# test_outputs_daemon.sh - issue 8 "Done means": one sim read in cccd-gatewayd reaches every
# enabled output, and what each output carried is decoded and compared with the RESULT the
# socket's watchers saw: five keyboard wedges (one per text strategy, file: sinks, decoded with
# `cccdctl kbd decode`), two serial outputs on pty pairs (template text and one JSON RESULT per
# line), and the Modbus TCP server's register map and its state register as the card is
# acknowledged and taken away. Then a second run with one keyboard sink
# unwritable: that output fails (logged with gateway.ini:LINE, counted in status) and the
# others still deliver. The card is long-address.ini (long Vietnamese text, many diacritics);
# the trust dir holds the virtual chip's TEST-ONLY CSCA, so the verdict is genuine.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
ctl=$(cd "$(dirname "$CCCDCTL")" && pwd)/$(basename "$CCCDCTL")
gwd=$(dirname "$ctl")/cccd-gatewayd
cli="python3 $here/tests/cli/lib/apiclient.py"
oc="python3 $here/tests/cli/lib/outcheck.py"
tmp=$(mktemp -d)
pid='' wpid='' p1='' p2=''
cleanup() {
	rc=$?
	for p in $wpid $p1 $p2 $pid; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$tmp"
	exit $rc
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -f "$tmp/log" ] && grep -v "api: client" "$tmp/log" | tail -n 20; exit 1; }
wait_for() { # deadline loop: up to 20 s
	local end=$((SECONDS + 20))
	while [ "$SECONDS" -le "$end" ]; do
		if eval "$1"; then return 0; fi
		sleep 0.05
	done
	fail "timed out waiting for: $1"
}
sock=$tmp/api.sock
card=$here/tests/fixtures/cards/long-address.ini
can=004321 # the last 6 digits of its ID (FIELD-NOTES)
strategies="ascii unicode-windows unicode-linux telex vni"
leds() { # the host LED state each file: sink plays: Num off (windows), Caps on (linux)
	case $1 in unicode-windows) echo 0 ;; unicode-linux) echo 2 ;; *) echo 1 ;; esac
}
mkdir -p "$tmp/chip" "$tmp/trust"
"$(dirname "$ctl")/tools/vchip-gen" card "$card" "$tmp/chip" >/dev/null
cp "$tmp/chip/csca.pem" "$tmp/trust/" # the virtual chip's TEST-ONLY CSCA

# two pseudo-terminals: the helper holds each master and copies what arrives to a file
$oc pty "$tmp/pty1" "$tmp/serial-text" &
p1=$!
$oc pty "$tmp/pty2" "$tmp/serial-json" &
p2=$!
wait_for '[ -s "$tmp/pty1" ] && [ -s "$tmp/pty2" ]'
mport=$($oc freeport)

write_ini() { # the telex sink's path (run 2 makes it unwritable)
	{
		cat <<INI
[api]
socket = $sock
[daemon]
allow_root = true
[reader]
uri = sim:$tmp/slot.ini?watch=1
poll_ms = 10
[trust]
dir = $tmp/trust
INI
		for s in $strategies; do
			n=${s#unicode-}
			cat <<INI
[profile.p$n]
template = {document.number}\t{person.full_name}\t{person.birth_date:%d/%m/%Y}\t{person.residence}
strategy = $s
[output.kb_$n]
type = keyboard
profile = p$n
INI
			if [ "$s" = telex ]; then
				echo "uri = file:$1?leds=$(leds "$s")"
			else
				echo "uri = file:$tmp/kbd-$n.bin?leds=$(leds "$s")"
			fi
		done
		cat <<INI
[output.lcd]
type = serial
profile = pvni
uri = $(cat "$tmp/pty1")
baud = 115200
format = template
[output.pos]
type = serial
uri = $(cat "$tmp/pty2")
baud = 38400
format = json
[output.plc]
type = modbus
uri = tcp:127.0.0.1:$mport
unit_id = 1
INI
	} >"$tmp/gateway.ini"
}
start() {
	"$gwd" -f -c "$tmp/gateway.ini" 2>"$tmp/log" &
	pid=$!
	wait_for '[ -S "$sock" ]'
	"$ctl" watch --json --socket "$sock" >"$tmp/events" 2>/dev/null &
	wpid=$!
	wait_for '"$ctl" status --json --socket "$sock" | tr -d " " | grep -q "\"watchers\":1"'
}
stop() {
	kill "$wpid" 2>/dev/null || true
	wait "$wpid" 2>/dev/null || true
	wpid=
	kill -TERM "$pid"
	wait "$pid" || fail "daemon exit status $?"
	pid=
	rm -f "$sock"
}
outputs() { "$ctl" status --json --socket "$sock" | $oc outputs; }
# one read: the card is placed, the operator's key sent; the RESULT is taken from the watcher
present() {
	cp "$card" "$tmp/slot.ini"
	$cli "$sock" request "{\"cmd\":\"read\",\"key\":{\"can\":\"$can\"}}" RESULT ERROR >"$tmp/req" ||
		fail "read: $(tail -1 "$tmp/req")"
	wait_for 'grep -q "\"class\":\"RESULT\"" "$tmp/events"'
	grep -m1 '"class":"RESULT"' "$tmp/events" >"$tmp/result.json"
	grep -q '"verdict":"genuine"' "$tmp/result.json" || fail "not genuine: $(cat "$tmp/result.json")"
	# the RESULT carries the card's text (the comparisons below would also pass on empty fields)
	for k in "Trần Thị Bích Ngọc" "1985-07-15" "Căn hộ 1205 Tòa nhà Sông Hồng"; do
		grep -qF "$k" "$tmp/result.json" || fail "RESULT lacks '$k': $(cut -c1-300 "$tmp/result.json")"
	done
}
differ() { # got want: both shown with cat -A (Tab = ^I, Enter = $)
	printf '\n got:  '
	cat -A "$1"
	printf ' want: '
	cat -A "$2"
}
# each keyboard file decoded under its strategy (and LED state) equals the RESULT's text
check_kbd() { # strategies to check
	for s in "$@"; do
		n=${s#unicode-}
		f=$tmp/kbd-$n.bin
		[ $(($(stat -c %s "$f") % 8)) = 0 ] || fail "$s: partial report in $f"
		"$ctl" kbd decode --strategy "$s" --leds "$(leds "$s")" "$f" >"$tmp/typed-$n" ||
			fail "$s: decode exited $?"
		$oc text "$tmp/result.json" "$s" >"$tmp/want-$n"
		cmp -s "$tmp/typed-$n" "$tmp/want-$n" ||
			fail "keyboard $s, decoded from $f:$(differ "$tmp/typed-$n" "$tmp/want-$n")"
	done
}
check_serial() { # RESULTs expected on each pty
	local lines=$1
	$oc text "$tmp/result.json" | awk -v n="$lines" '{for (i = 0; i < n; i++) print}' >"$tmp/want-lcd"
	wait_for '[ "$(wc -c <"$tmp/serial-text")" -ge "$(wc -c <"$tmp/want-lcd")" ]'
	cmp -s "$tmp/serial-text" "$tmp/want-lcd" ||
		fail "serial template:$(differ "$tmp/serial-text" "$tmp/want-lcd")"
	wait_for '[ "$(tr -cd "\n" <"$tmp/serial-json" | wc -c)" -ge "$lines" ]'
	$oc serialjson "$tmp/serial-json" "$tmp/result.json" "$lines" >"$tmp/sj" || fail "$(cat "$tmp/sj")"
}
sent() { # name: how many RESULTs the output sent, per status
	outputs | awk -v n="$1" '$1 == n {print $3}'
}

# --- run 1: every output works ----------------------------------------------------------------
write_ini "$tmp/kbd-telex.bin"
start
present
# delivery is asynchronous (the output thread): wait until every output counts one
for o in kb_ascii kb_windows kb_linux kb_telex kb_vni lcd pos plc; do
	wait_for '[ "$(sent '"$o"')" = 1 ]'
done
outputs | awk '$4 != 0 {bad = 1} END {exit bad}' || fail "an output failed: $(outputs)"
check_kbd $strategies
check_serial 1
$oc modbus "$mport" "$tmp/result.json" >"$tmp/mb" || fail "$(cat "$tmp/mb")"
# the state register follows the reader: result ready (3) with the card still there; the PLC's
# acknowledgement gives card present (1); the card taken away gives idle (0)
[ "$($oc mbstate "$mport")" = "3 1" ] || fail "modbus state after the RESULT: $($oc mbstate "$mport")"
$oc mback "$mport" || fail "modbus acknowledge"
wait_for '[ "$($oc mbstate "$mport")" = "1 0" ]'
rm "$tmp/slot.ini"
wait_for '[ "$($oc mbstate "$mport")" = "0 0" ]'
stop

# --- run 2: the telex sink cannot be opened; the others still deliver ---------------------------
rm -f "$tmp"/kbd-*.bin
mport=$($oc freeport)
write_ini "$tmp/no-such-dir/kbd-telex.bin"
line=$(grep -n '^\[output.kb_telex\]' "$tmp/gateway.ini" | cut -d: -f1)
: >"$tmp/events"
start
present
for o in kb_ascii kb_windows kb_linux kb_vni lcd pos plc; do
	wait_for '[ "$(sent '"$o"')" = 1 ]'
done
wait_for 'outputs | grep -q "^kb_telex keyboard 0 1 .*open: No such file or directory"'
# logged with the line of its uri (section line + 3 in write_ini)
grep -q "gateway.ini:$((line + 3)): \[output.kb_telex\] file sink: open: No such file" "$tmp/log" ||
	fail "telex failure not logged at gateway.ini:$((line + 3)): $(grep -v "api: client" "$tmp/log")"
[ ! -e "$tmp/kbd-telex.bin" ] || fail "telex sink written at the old path"
check_kbd ascii unicode-windows unicode-linux vni
check_serial 2 # the same ptys: the second RESULT is appended
$oc modbus "$mport" "$tmp/result.json" >"$tmp/mb" || fail "$(cat "$tmp/mb")"
stop
echo "outputs: one read reached 5 keyboard wedges (ascii, unicode-windows, unicode-linux, telex, vni), serial template and JSON on ptys, Modbus map; a failing sink did not stop the others"
