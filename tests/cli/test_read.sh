#!/usr/bin/env bash
# test_read.sh - `cccdctl read --reader sim:...` end to end on the virtual CCCD: each key kind
# (--can, --mrz, --bac, --qr), the RESULT in JSON and as text, --photo, --trust with the test CSCA
# (written by vchip-gen), the chip's faults, and the exit codes (0 read, 1 refused key or failed
# check, 2 usage or system error). stderr never carries the person's data.
set -eu
: "${CCCDCTL:?path to cccdctl}"
gen="$(dirname "$CCCDCTL")/tools/vchip-gen"
C=tests/fixtures/cards
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

expect() { # want_rc cmd...
	local want=$1 rc=0
	shift
	"$@" >"$T/out" 2>"$T/err" || rc=$?
	if [ "$rc" != "$want" ]; then
		echo "FAIL: '$*' exited $rc, expected $want"
		cat "$T/out" "$T/err"
		exit 1
	fi
}
has() { # file text
	grep -qF -- "$2" "$1" || { echo "FAIL: '$2' not in $1:"; cat "$1"; exit 1; }
}
hasnt() { # file text
	if grep -qF -- "$2" "$1"; then echo "FAIL: '$2' in $1:"; cat "$1"; exit 1; fi
}

# usage: no key, two keys, unknown option, a malformed key
expect 2 "$CCCDCTL" read --reader "sim:$C/an.ini"
expect 2 "$CCCDCTL" read --reader "sim:$C/an.ini" --can 012345 --bac 1,2,3
expect 2 "$CCCDCTL" read --reader "sim:$C/an.ini" --can 012345 --frob
# without --reader, read is the daemon's: no daemon on this socket is a system error
expect 2 "$CCCDCTL" read --can 012345 --socket "$T/no-daemon.sock"
expect 1 "$CCCDCTL" read --reader "sim:$C/an.ini" --can 12ab56
expect 1 "$CCCDCTL" read --reader "sim:$C/an.ini" --bac 200012345,000201
expect 2 "$CCCDCTL" read --reader "nosuch:x" --can 012345

# PACE with the CAN: the RESULT, one JSON line
expect 0 "$CCCDCTL" read --reader "sim:$C/an.ini" --can 012345 --json
[ "$(wc -l <"$T/out")" = 1 ] || { echo "FAIL: not one line"; exit 1; }
has "$T/out" '"class":"RESULT"'
has "$T/out" '"card":{"type":"cccd","access":"pace"}'
has "$T/out" '"number":"001200012345","doc_number":"200012345"'
has "$T/out" '"full_name":"Nguyễn Văn An","mrz_name":"NGUYEN VAN AN","birth_date":"2000-02-01"'
has "$T/out" '"passive":"untrusted","active":"ok","chip":"ok","verdict":"suspect"'
has "$T/out" '"sources":["chip"]'
hasnt "$T/out" 'null'
hasnt "$T/out" '"photo"'
[ ! -s "$T/err" ] || { echo "FAIL: stderr not empty"; cat "$T/err"; exit 1; }

# PACE with the MRZ (as DG1 holds it, or as three lines) and its cross-check
mrz="IDVNM2000123457001200012345<<80002015M4002013VNM<<<<<<<<<<<8NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"
expect 0 "$CCCDCTL" read --reader "sim:$C/an.ini" --mrz "$mrz" --json
has "$T/out" '"mrz_match":true'
has "$T/out" '"sources":["chip","mrz"]'
expect 0 "$CCCDCTL" read --reader "sim:$C/an.ini" --mrz "${mrz:0:30}
${mrz:30:30}
${mrz:60:30}"
has "$T/out" "checks.mrz_match: yes"

# BAC on a chip without PACE; the CAN cannot open it (refused key: 1)
expect 0 "$CCCDCTL" read --reader "sim:$C/an.ini?pace=0" --bac 200012345,000201,400201 --json
has "$T/out" '"access":"bac"'
expect 1 "$CCCDCTL" read --reader "sim:$C/an.ini?pace=0" --can 012345

# the QR: CAN first, then the expiry candidates; on a BAC-only chip the CAN is skipped
qr="001200012345||Nguyễn Văn An|01022000|Nam|Số 12 Ngõ 34 Phố Huế, Phường Hàng Bài, Quận Hoàn Kiếm, Hà Nội|01032025"
expect 0 "$CCCDCTL" read --reader "sim:$C/an.ini?pace=0" --qr "$qr" --json
has "$T/out" '"qr_match":true'
has "$T/out" '"sources":["chip","qr"]'
has "$T/out" '"access":"bac"'
# a QR whose name differs from the chip's: read (exit 0 whatever the verdict), verdict failed
expect 0 "$CCCDCTL" read --reader "sim:$C/an.ini" --qr "${qr/An|/Anh|}" --json
has "$T/out" '"qr_match":false,"verdict":"failed"'
has "$T/out" '"QR and chip disagree on the full name"'
# a no-expiry card on BAC: the QR's expiry candidates are tried until 991231 opens it
qr2="036060001122||Lê Văn Đức|03031960|Nam|Thôn Đông, Xã Hải Hậu, Huyện Hải Hậu, Nam Định|05052021"
expect 0 "$CCCDCTL" read --reader "sim:$C/no-expiry-mrz991231.ini?pace=0&bac=1" --qr "$qr2" --json
has "$T/out" '"access":"bac"'
has "$T/out" '"qr_match":true'
hasnt "$T/out" '"expiry_date"'
# a QR for another person: every key refused
expect 1 "$CCCDCTL" read --reader "sim:$C/an.ini" --qr "${qr/001200012345/001200012346}"
has "$T/err" "refused every key"
hasnt "$T/err" "001200012346"

# wrong key: exit 1, a clear message, no personal data on stderr
expect 1 "$CCCDCTL" read --reader "sim:$C/an.ini" --can 012346
has "$T/err" "the chip refused the key after 1 attempt"
expect 1 "$CCCDCTL" read --reader "sim:$C/an.ini" --bac 200012345,000201,400202
hasnt "$T/err" "200012345"

# text output, the photo, and passive authentication with the test CSCA
mkdir -p "$T/card" "$T/trust"
"$gen" card "$C/long-address.ini" "$T/card" >/dev/null
cp "$T/card/csca.pem" "$T/trust/"
expect 0 "$CCCDCTL" read --reader "sim:$C/long-address.ini" --can 004321 --trust "$T/trust" \
	--photo "$T/p.jpg"
has "$T/out" "person.full_name: Trần Thị Bích Ngọc"
has "$T/out" "person.spouse: Võ Minh Quân"
has "$T/out" "photo.bytes: 36000"
has "$T/out" "checks.passive: ok"
has "$T/out" "checks.active: ok"
has "$T/out" "checks.chip: ok"
has "$T/out" "checks.verdict: genuine"
[ "$(head -c 3 "$T/p.jpg" | od -An -tx1 | tr -d ' ')" = ffd8ff ] || { echo "FAIL: not JPEG"; exit 1; }
[ "$(stat -c %s "$T/p.jpg")" = 36000 ] || { echo "FAIL: photo size"; exit 1; }

# the chip's faults: a tampered DG is read (exit 0) and fails passive authentication; a wrong
# MAC or a card that leaves gives no RESULT at all
expect 0 "$CCCDCTL" read --reader "sim:$C/long-address.ini?faults=tamper_dg13" --can 004321 \
	--trust "$T/trust" --json
has "$T/out" '"passive":"failed"'
has "$T/out" '"verdict":"failed"'
has "$T/out" 'DG13'
# a clone (AA key not DG15's) and a chip without DG14's key: read, verdict failed with the reason
expect 0 "$CCCDCTL" read --reader "sim:$C/long-address.ini?faults=aa_mismatch" --can 004321 \
	--trust "$T/trust" --json
has "$T/out" '"passive":"ok","active":"failed","chip":"ok","verdict":"failed"'
has "$T/out" 'active authentication failed: ECDSA: signature does not verify'
expect 0 "$CCCDCTL" read --reader "sim:$C/long-address.ini?faults=ca_wrong_key" --can 004321 \
	--trust "$T/trust" --json
has "$T/out" '"passive":"ok","active":"ok","chip":"failed","verdict":"failed"'
has "$T/out" 'chip authentication failed'
expect 1 "$CCCDCTL" read --reader "sim:$C/an.ini?faults=wrong_mac" --can 012345 --json
[ ! -s "$T/out" ] || { echo "FAIL: output after a wrong MAC"; cat "$T/out"; exit 1; }
expect 2 "$CCCDCTL" read --reader "sim:$C/an.ini?drop_after=12" --can 012345 --json
[ ! -s "$T/out" ] || { echo "FAIL: output after the card left"; cat "$T/out"; exit 1; }
has "$T/err" "card left"
echo "read: keys, RESULT, photo, trust, faults and exit codes as documented"
