#!/usr/bin/env bash
# test_pipeline.sh - cccd-gatewayd's card pipeline driven through its socket (issue 7): many
# watchers see one RESULT each, a read request with a key (and a refused key retried by the
# operator), the same card twice, removal mid-read (sim drop_after), device loss and return
# (sim device=PATH), a slow client dropped, malformed requests answered, SIGHUP reload while
# clients stay connected, DG2 after the RESULT (PHOTO), and the outputs: a keyboard wedge that
# types every genuine RESULT while a broken serial output is logged with gateway.ini:LINE.
# Counts are asserted, never elapsed time; every wait has a deadline.
set -eu
. "$(dirname "$0")/lib/daemon.sh"
card=$here/tests/fixtures/cards/an.ini
sim_chip "$card" "$tmp/chip" # the virtual chip's TEST-ONLY CSCA goes to $tmp/trust
touch "$tmp/reader-plugged"
mport=$((20000 + $$ % 20000)) # the Modbus server's port; a clash fails the modbus check only

write_ini() { # extra reader knobs, poll_ms
	cat >"$tmp/gateway.ini" <<INI
[api]
socket = $sock
client_buffer = 65536
[daemon]
allow_root = true
[reader]
uri = sim:$tmp/slot.ini?watch=1&device=$tmp/reader-plugged$1
poll_ms = $2
[trust]
dir = $tmp/trust
[output.desk]
type = keyboard
profile = clinic
uri = file:$tmp/kbd.bin
[output.lcd]
type = serial
uri = /dev/nonexistent-tty-cccd
[output.plc]
type = modbus
uri = tcp:127.0.0.1:$mport
unit_id = 1
INI
}
start() {
	"$gwd" -f -c "$tmp/gateway.ini" 2>"$tmp/log" &
	pid=$!
	wait_for '[ -S "$sock" ]'
}
stop() {
	kill -TERM "$pid"
	wait "$pid" || fail "daemon exit status $?"
	pid=
	grep -q "stopped" "$tmp/log" || fail "no clean stop"
}

write_ini "&drop_after=6" 10
start
wait_for '[ "$(num reader_open)" != "" ] || st | grep -q "\"reader_open\":true"'

# 1. removal mid-read: the first presentation loses the card after 6 APDUs -> ERROR, CARD
# removed; the same card comes back (the sim presents it again) and is read: RESULT
"$ctl" watch --json --socket "$sock" >"$tmp/events" 2>/dev/null &
wpid=$!
wait_for '[ "$(num watchers)" = 1 ]'
cp "$card" "$tmp/slot.ini" # the card is placed; no key yet (no camera): waits
wait_for 'grep -q "\"state\":\"present\"" "$tmp/events"'
$cli "$sock" request '{"cmd":"read","key":{"can":"012345"}}' ERROR RESULT >"$tmp/r1" || true
grep -q '"class":"ERROR".*card removed during the read' "$tmp/r1" || fail "mid-read removal: $(cat "$tmp/r1")"
wait_for 'grep -q "\"state\":\"removed\"" "$tmp/events"'
$cli "$sock" request '{"cmd":"read","key":{"can":"012345"}}' RESULT ERROR >"$tmp/r2" ||
	fail "read after removal: $(tail -1 "$tmp/r2")"
grep -q '"verdict":"genuine"' "$tmp/r2" || fail "not genuine: $(tail -1 "$tmp/r2")"
grep -q '"present_to_result":' "$tmp/r2" || fail "no per-stage timing"

# 2. a refused key, then the operator types the right one: retried on the same presentation
$cli "$sock" request '{"cmd":"read","key":{"can":"999999"}}' ERROR RESULT >"$tmp/r3" || true
grep -q "refused the operator key" "$tmp/r3" || fail "wrong CAN: $(cat "$tmp/r3")"
"$ctl" read --can 012345 --json --socket "$sock" >"$tmp/r4" || fail "operator retry"
grep -q '"class":"RESULT"' "$tmp/r4" || fail "retry: no RESULT"

# 3. the same card taken away and presented again is read again (no stale result)
n=$(num results)
rm "$tmp/slot.ini"
wait_for '[ "$(grep -c "\"state\":\"removed\"" "$tmp/events")" -ge 2 ]'
cp "$card" "$tmp/slot.ini"
$cli "$sock" request '{"cmd":"read","key":{"can":"012345"}}' RESULT ERROR >/dev/null || fail "reread"
[ "$(num results)" = $((n + 1)) ] || fail "results $(num results), expected $((n + 1))"

# 4. DG2 only when asked: RESULT first, then PHOTO
$cli "$sock" request '{"cmd":"read","key":{"can":"012345"},"photo":true}' PHOTO ERROR >"$tmp/r5" ||
	fail "photo: $(tail -1 "$tmp/r5")"
grep -n '"class":"RESULT"' "$tmp/r5" | grep -q '^2:' || fail "RESULT is not first: $(cut -c1-60 "$tmp/r5")"
grep -q '"class":"PHOTO","device":"[^"]*","format":"jpeg".*"passive":"ok","data":"/9j/' "$tmp/r5" ||
	fail "PHOTO: $(tail -1 "$tmp/r5" | cut -c1-200)"

# 5. 50 watchers each get the RESULT of one read
$cli "$sock" watchers 50 '{"cmd":"read","key":{"can":"012345"}}' >"$tmp/fan" || fail "fan-out: $(cat "$tmp/fan")"
grep -qx "watchers_with_result 50" "$tmp/fan" || fail "fan-out: $(cat "$tmp/fan")"

# 6. malformed requests get ERROR and the connection stays usable; a slow client is dropped
$cli "$sock" malformed >/dev/null || fail "malformed client"
d0=$(num dropped_slow)
$cli "$sock" slow 60 &
spid=$!
wait_for '[ "$(num watchers)" = 2 ]'
for _ in $(seq 60); do # PHOTO events (tens of KB) fill its buffer quickly
	$cli "$sock" request '{"cmd":"read","key":{"can":"012345"},"photo":true}' PHOTO ERROR >/dev/null ||
		fail "read while a client is slow"
	[ "$(num dropped_slow)" -gt "$d0" ] && break
done
wait_for '[ "$(num dropped_slow)" -gt "$d0" ]'
kill "$spid" 2>/dev/null || true
wait "$spid" 2>/dev/null || true

# 7. outputs: the keyboard typed the genuine RESULTs; the broken serial output is logged with
# file:line and did not stop the keyboard
wait_for '[ -s "$tmp/kbd.bin" ]'
"$ctl" kbd decode --strategy ascii "$tmp/kbd.bin" >"$tmp/typed"
grep -q "^001200012345	Nguyen Van An	01/02/2000	M	" "$tmp/typed" || fail "typed: $(head -2 "$tmp/typed")"
grep -q "gateway.ini:17: \[output.lcd\]" "$tmp/log" || fail "serial failure not logged with file:line"
st | grep -q '"name":"desk","type":"keyboard","sent":[1-9]' || fail "status outputs: $(st)"
$cli "$sock" modbus "$mport" >"$tmp/mb" || fail "modbus: $(cat "$tmp/mb")"
grep -qx "id 001200012345" "$tmp/mb" || fail "modbus map: $(cat "$tmp/mb")"
[ "$(sed -n 's/^results //p' "$tmp/mb")" -ge 5 ] || fail "modbus results: $(cat "$tmp/mb")"

# 8. device loss and return: the reader vanishes (ERROR, devices unavailable) and is reopened
rm "$tmp/reader-plugged"
wait_for 'grep -q "reader lost" "$tmp/events"'
"$ctl" devices --json --socket "$sock" | grep -q '"state":"unavailable"' || fail "devices during loss"
touch "$tmp/reader-plugged"
mport=$((20000 + $$ % 20000)) # the Modbus server's port; a clash fails the modbus check only
# reopened >= 1, not == 1: with the camera still offering the QR key the daemon may read (and lose,
# by drop_after) the card again before this poll, and that may count another reopen.
wait_for '"$ctl" devices --json --socket "$sock" | grep -qE "\"kind\":\"reader\",\"state\":\"open\",\"reopened\":[1-9]"'
# the reopened sim link applies drop_after=6 again: one more removal mid-read, then a read
expect_read() { # want-exit: cccdctl read through the daemon
	local rc=0
	"$ctl" read --can 012345 --socket "$sock" >/dev/null 2>"$tmp/err" || rc=$?
	[ "$rc" = "$1" ] || fail "read exited $rc, expected $1: $(cat "$tmp/err")"
}
expect_read 1
grep -q "card removed during the read" "$tmp/err" || fail "after return: $(cat "$tmp/err")"
expect_read 0

# 9. SIGHUP reload while a watcher stays connected: reloadable keys apply, events keep coming
sed -i 's/^poll_ms = 10/poll_ms = 20/' "$tmp/gateway.ini"
kill -HUP "$pid"
wait_for '[ "$(num reloads)" = 1 ]'
"$ctl" config get reader.poll_ms --socket "$sock" | grep -qx "reader.poll_ms = 20" || fail "poll_ms"
n=$(grep -c '"class":"RESULT"' "$tmp/events")
"$ctl" read --can 012345 --socket "$sock" >/dev/null || fail "read after reload"
wait_for '[ "$(grep -c "\"class\":\"RESULT\"" "$tmp/events")" -gt "$n" ]'
# the trust store is re-read on SIGHUP: without the CSCA the same card is only "suspect"
mv "$tmp/trust/csca.pem" "$tmp/csca.pem"
kill -HUP "$pid"
wait_for '[ "$(num reloads)" = 2 ]'
"$ctl" read --can 012345 --json --socket "$sock" >"$tmp/r6" || fail "read without trust"
grep -q '"passive":"untrusted".*"verdict":"suspect"' "$tmp/r6" || fail "untrusted: $(cat "$tmp/r6")"
mv "$tmp/csca.pem" "$tmp/trust/csca.pem"
kill -HUP "$pid"
wait_for '[ "$(num reloads)" = 3 ]'
"$ctl" read --can 012345 --json --socket "$sock" >"$tmp/r7" || fail "read with trust back"
grep -q '"verdict":"genuine"' "$tmp/r7" || fail "trust back: $(cat "$tmp/r7")"
kill -0 "$wpid" || fail "the watcher was dropped by the reloads"
kill "$wpid" 2>/dev/null || true
stop
echo "pipeline: removal mid-read, key retry, same card twice, photo, 50 watchers, slow and malformed clients, outputs (keyboard, failing serial, Modbus map), device loss, reload"
