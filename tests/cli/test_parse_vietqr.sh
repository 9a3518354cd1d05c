#!/usr/bin/env bash
# test_parse_vietqr.sh - `cccdctl parse vietqr` on the fixtures: values, exit codes, reasons.
set -eu
cd "$(dirname "$0")/../.."
: "${CCCDCTL:?set CCCDCTL to the cccdctl binary}"
fx=tests/fixtures/vietqr
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect_json FILE PYTHON-ASSERTIONS: the JSON on stdout must satisfy every assertion (j = payload).
expect_json() {
	python3 -c '
import json, sys
root = json.load(open(sys.argv[1]))
assert list(root) == ["payment"], root
j = root["payment"]
assert None not in j.values(), j
exec(sys.argv[2])
' "$1" "$2"
}

# 1. good codes: exit 0 and the values
"$CCCDCTL" parse vietqr "$fx/static_account.txt" >"$tmp/out"
expect_json "$tmp/out" '
assert j["bank_bin"] == "970436" and j["bank"] == "Vietcombank" and j["bank_known"] is True
assert j["account"] == "0123456789" and j["service"] == "account"
assert j["currency"] == "VND" and j["country"] == "VN" and j["dynamic"] is False
for k in ("amount", "purpose", "merchant_name", "merchant_city"):
    assert k not in j, k'

"$CCCDCTL" parse vietqr <"$fx/dynamic_account.txt" >"$tmp/out" # stdin, no FILE
expect_json "$tmp/out" '
assert j["dynamic"] is True and j["amount"] == "150000"
assert j["purpose"] == "HOC PHI THANG 11"
assert j["merchant_name"] == "NGUYEN VAN AN" and j["merchant_city"] == "HA NOI"'

"$CCCDCTL" parse vietqr - <"$fx/dynamic_card.txt" >"$tmp/out" # stdin as "-"
expect_json "$tmp/out" '
assert j["service"] == "card" and j["bank"] == "BIDV"
assert j["account"] == "9704180012345678" and j["amount"] == "1200.50"'

"$CCCDCTL" parse vietqr "$fx/unknown_bin.txt" >"$tmp/out"
expect_json "$tmp/out" '
assert j["bank_bin"] == "123456" and j["bank_known"] is False
assert "bank" not in j and "bank_name" not in j'

"$CCCDCTL" parse vietqr "$fx/extras_lowercase_crc_crlf.txt" --pretty >"$tmp/out"
expect_json "$tmp/out" '
assert j["purpose"] == "DONG GOP" and j["bill_number"] == "HD0001"
assert j["terminal_label"] == "QUAY2"'

# 2. rejected input: exit 1, the reason on stderr, nothing on stdout
reject() { # FILE EXPECTED-SUBSTRING
	rc=0
	"$CCCDCTL" parse vietqr "$1" >"$tmp/out" 2>"$tmp/err" || rc=$?
	[ "$rc" = 1 ] || { echo "$1: exit $rc, want 1"; exit 1; }
	[ ! -s "$tmp/out" ] || { echo "$1: output on rejection"; exit 1; }
	grep -qF -- "$2" "$tmp/err" || { echo "$1: stderr lacks '$2':"; cat "$tmp/err"; exit 1; }
}
reject "$fx/bad_crc.txt" "vietqr: tag 63 at byte 83: CRC 6A16, computed 6A15"
reject "$fx/napas_spec_account.txt" "byte 60: 1 stray byte(s) at the end of tag 38.01"
printf '0002010102113854' >"$tmp/cut"
reject "$tmp/cut" "tag 38 at byte 12: length 54 runs past the end of the payload"
: >"$tmp/empty"
reject "$tmp/empty" "empty payload"

# 3. usage and system errors: exit 2
usage() {
	rc=0
	"$CCCDCTL" "$@" >/dev/null 2>"$tmp/err" || rc=$?
	[ "$rc" = 2 ] || { echo "cccdctl $*: exit $rc, want 2"; exit 1; }
}
usage parse
usage parse vietqr "$fx/static_account.txt" extra-argument
usage parse vietqr "$tmp/does-not-exist"
grep -q "does-not-exist" "$tmp/err"
echo "ok"
