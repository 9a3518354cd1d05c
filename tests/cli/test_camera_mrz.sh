#!/usr/bin/env bash
# test_camera_mrz.sh - cccd-gatewayd reads a card with the key from the MRZ its camera sees (issue
# 6): the camera (file:) shows the back of the sim card (tests/fixtures/cards/an.ini; its MRZ is
# the chip's, vchip-gen's mrz.txt, drawn by tools/gen/mrzgen --mrz, OCR-B, ICAO 9303-5 TD1), no
# QR. 1. one MRZ event (kind cccd, can), the card placed is read with PACE and the MRZ key
# (PROGRESS key "mrz"), RESULT of Nguyen Van An with "mrz" among the sources; a typed key still
# wins over the MRZ; the card placed again is read again. 2. the same back with a wrong document
# number check digit: no MRZ event, no read (the card waits), until the operator types the CAN.
# 3. [camera] mrz = false: QR only, the MRZ reader never runs. 4. a card without expiry
# (no-expiry.ini, expiry <<<<<<, no BAC): the MRZ gives the CAN alone (last 6 digits of the ID),
# which opens the chip; the same MRZ typed is refused (no CAN is added to a typed key).
# No timing asserts; every wait has a deadline. PII: synthetic.
set -eu
WAIT_S=30
. "$(dirname "$0")/lib/daemon.sh"
card=$here/tests/fixtures/cards/an.ini
sim_chip "$card" "$tmp/chip" # the virtual chip's TEST-ONLY CSCA goes to $tmp/trust
mrz=$(cat "$tmp/chip/mrz.txt")
[ "${mrz:0:30}" = "IDVNM2000123457001200012345<<8" ] || fail "the sim card's MRZ: $mrz"
# the card's back, 4 takes (seed 7: spoiled as mrzgen spoils, some takes unreadable alone)
"$bin/tools/mrzgen" --out "$tmp/good" --count 1 --takes 4 --seed 7 --mrz "$tmp/chip/mrz.txt"
# the same with the document number's check digit 7 -> 1 (line 1 col 15)
printf '%s1%s' "${mrz:0:14}" "${mrz:15}" >"$tmp/bad.txt"
"$bin/tools/mrzgen" --out "$tmp/bad" --count 1 --takes 4 --seed 7 --mrz "$tmp/bad.txt"

start() { # frames-dir [mrz setting]
	rm -rf "$tmp/frames" "$tmp/slot.ini"
	cat >"$tmp/gateway.ini" <<INI
[api]
socket = $sock
[daemon]
allow_root = true
[reader]
uri = sim:$tmp/slot.ini?watch=1
poll_ms = 20
[camera]
uri = file:$tmp/frames/*.jpg
${2:-}
[trust]
dir = $tmp/trust
INI
	"$gwd" -f -c "$tmp/gateway.ini" 2>"$tmp/log" &
	pid=$!
	wait_for '[ -S "$sock" ]'
	"$ctl" watch --json --socket "$sock" >"$tmp/events" 2>/dev/null &
	wpid=$!
	wait_for '[ "$(num watchers)" = 1 ]'
	cp -r "$1" "$tmp/frames.new" # the camera starts seeing the card's back now
	mv "$tmp/frames.new" "$tmp/frames"
}
stop() {
	kill "$wpid" 2>/dev/null || true
	wait "$wpid" 2>/dev/null || true
	wpid=
	kill -TERM "$pid"
	wait "$pid" || fail "daemon exit status $?"
	pid=
	grep -q "stopped" "$tmp/log" || fail "no clean stop"
}
ev() { grep "\"class\":\"$1\"" "$tmp/events" || true; }

# 1. the MRZ gives the key
start "$tmp/good"
wait_for '[ -n "$(ev MRZ)" ]'
[ "$(ev MRZ | wc -l)" = 1 ] || fail "MRZ events: $(ev MRZ)"
ev MRZ | grep -q '"class":"MRZ","device":"file:[^"]*","kind":"cccd","format":"TD1","can":true,"frames":[1-9]' ||
	fail "MRZ event: $(ev MRZ)"
if ev MRZ | grep -q "001200012345\|NGUYEN"; then fail "the MRZ event carries personal data"; fi
if grep -q "001200012345\|200012345\|NGUYEN" "$tmp/log"; then fail "unmasked in the log"; fi
grep -q "MRZ read (TD1 0012\*\*\*\*\*\*45" "$tmp/log" || fail "no masked MRZ log line"
echo "frames given to the MRZ reader by the first MRZ event: $(num mrz_frames)" # for the report
cp "$card" "$tmp/slot.ini" # the card is placed: no key typed, no QR
wait_for '[ -n "$(ev RESULT)" ]'
ev PROGRESS | head -1 | grep -q '"step":"access","key":"mrz"' || fail "key source: $(ev PROGRESS)"
r=$(ev RESULT)
echo "$r" | grep -q '"card":{"type":"cccd","access":"pace"}' || fail "not PACE: ${r:0:200}"
echo "$r" | grep -q '"number":"001200012345"' || fail "document: ${r:0:300}"
echo "$r" | grep -q '"full_name":"Nguyễn Văn An"' || fail "person: ${r:0:300}"
echo "$r" | grep -q '"mrz_match":true' || fail "mrz_match: $r"
echo "$r" | grep -q '"sources":\["chip","mrz"\]' || fail "sources: $r"
echo "$r" | grep -q '"verdict":"genuine"' || fail "verdict: $r"
# a typed key outranks the camera's MRZ (a wrong CAN is refused as the operator's)
$cli "$sock" request '{"cmd":"read","key":{"can":"999999"}}' ERROR RESULT >"$tmp/r1" || true
grep -q "refused the operator key" "$tmp/r1" || fail "typed key priority: $(cat "$tmp/r1")"
# taken away and placed again: read again with the MRZ (the vote restarted, the key is fresh)
rm "$tmp/slot.ini"
wait_for 'grep -q "\"state\":\"removed\"" "$tmp/events"'
cp "$card" "$tmp/slot.ini"
wait_for '[ "$(ev RESULT | wc -l)" = 2 ]'
[ "$(ev PROGRESS | grep -c '"key":"mrz"')" = 2 ] || fail "second read: $(ev PROGRESS)"
wait_for '[ "$(ev MRZ | wc -l)" = 2 ]' # announced again after the card left
stop

# 2. a wrong check digit gives no key: the card waits until a key is typed
start "$tmp/bad"
cp "$card" "$tmp/slot.ini"
wait_for 'grep -q "\"state\":\"present\"" "$tmp/events"'
wait_for '[ "$(num mrz_frames)" -ge 12 ]' # every take went through the MRZ reader 3 times
[ -z "$(ev MRZ)$(ev PROGRESS)$(ev RESULT)" ] || fail "a key from a bad MRZ: $(cat "$tmp/events")"
[ "$(num mrz_reads)" = 0 ] || fail "mrz_reads $(num mrz_reads)"
st | grep -q '"state":"card"' || fail "state: $(st)"
"$ctl" read --can 012345 --json --socket "$sock" >"$tmp/r2" || fail "typed CAN: $(cat "$tmp/r2")"
grep -q '"full_name":"Nguyễn Văn An"' "$tmp/r2" || fail "typed CAN: $(cat "$tmp/r2")"
stop

# 3. [camera] mrz = false: frames are read for QR codes only
start "$tmp/good" "mrz = false"
wait_for '[ "$(num frames)" -ge 8 ]'
st | grep -q '"mrz_reader":"off","mrz_reads":0,"mrz_frames":0' || fail "mrz off: $(st)"
[ -z "$(ev MRZ)" ] || fail "MRZ event with mrz = false"
stop

# 4. no expiry: the CAN from the MRZ's ID opens the chip
ne=$here/tests/fixtures/cards/no-expiry.ini
mkdir -p "$tmp/nechip"
"$bin/tools/vchip-gen" card "$ne" "$tmp/nechip" >/dev/null
nemrz=$(cat "$tmp/nechip/mrz.txt")
[ "${nemrz:38:6}" = "<<<<<<" ] || fail "no-expiry MRZ: $nemrz"
"$bin/tools/mrzgen" --out "$tmp/ne" --count 1 --takes 4 --seed 7 --mrz "$tmp/nechip/mrz.txt"
start "$tmp/ne"
wait_for '[ -n "$(ev MRZ)" ]'
ev MRZ | grep -q '"kind":"cccd","format":"TD1","can":true' || fail "no-expiry MRZ event: $(ev MRZ)"
cp "$ne" "$tmp/slot.ini"
wait_for '[ -n "$(ev RESULT)$(ev ERROR)" ]'
ev PROGRESS | head -1 | grep -q '"key":"mrz"' || fail "key source: $(ev PROGRESS)"
r=$(ev RESULT)
echo "$r" | grep -q '"access":"pace"' || fail "no-expiry: $(cat "$tmp/events")"
echo "$r" | grep -q '"number":"036060001122"' || fail "no-expiry document: ${r:0:300}"
typed="${nemrz:0:30}\\n${nemrz:30:30}\\n${nemrz:60:30}" # JSON "\n" between lines
$cli "$sock" request "{\"cmd\":\"read\",\"key\":{\"mrz\":\"$typed\"}}" ERROR RESULT >"$tmp/r3" || true
grep -q "the MRZ has no expiry date: type the CAN" "$tmp/r3" || fail "typed no-expiry MRZ: $(cat "$tmp/r3")"
stop
echo "camera MRZ: key from a complete read (PACE, RESULT), typed key first, reread, wrong check digit gives none, mrz = false, CAN alone without expiry"
