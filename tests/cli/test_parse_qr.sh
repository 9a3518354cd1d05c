#!/usr/bin/env bash
# cccdctl parse qr: fixtures from a file and from stdin, RESULT-shaped JSON checked with python3,
# rejected input (exit 1, the field named), usage errors (exit 2).
set -eu
: "${CCCDCTL:?set CCCDCTL to the cccdctl binary}"
fx=$(cd "$(dirname "$0")/../fixtures/qr" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check_json() { # file python-asserts (j is the parsed object)
	python3 -c "import json,sys; j=json.load(open(sys.argv[1])); $2" "$1"
}

expect_rc() { # want-rc stderr-file cmd...
	local want=$1 errf=$2 rc=0
	shift 2
	"$@" >"$tmp/stdout" 2>"$errf" || rc=$?
	if [ "$rc" != "$want" ]; then
		echo "FAIL: $* -> exit $rc, want $want"
		cat "$errf"
		exit 1
	fi
}

# good, from a file
"$CCCDCTL" parse qr "$fx/cccd.txt" >"$tmp/a.json"
check_json "$tmp/a.json" '
d, p, a = j["document"], j["person"], j["access"]
assert d == {"number": "001200012345", "issue_date": "2021-03-15"}, d
assert p["full_name"] == "Nguyễn Văn An" and p["birth_date"] == "2000-02-01", p
assert p["sex"] == "M" and p["residence"] == "Số 1, Hà Nội", p
assert "old_id_number" not in p, "empty old ID must be omitted"
assert a["doc_number"] == "200012345" and a["can"] == "012345", a
assert a["expiry_candidates"][0] == "2025-02-01", a
assert a["mrz_expiry_candidates"][0] == "250201", a
assert "extra_fields" not in j and "warnings" not in j
'

# the same bytes from stdin give the same output
"$CCCDCTL" parse qr - <"$fx/cccd.txt" >"$tmp/b.json"
cmp "$tmp/a.json" "$tmp/b.json"
"$CCCDCTL" parse qr <"$fx/cccd.txt" >"$tmp/c.json"
cmp "$tmp/a.json" "$tmp/c.json"

# 2024 card: extra fields kept, old ID present
"$CCCDCTL" parse qr "$fx/cancuoc2024.txt" >"$tmp/d.json"
check_json "$tmp/d.json" '
assert j["extra_fields"] == ["01022040", "Bộ Công an"], j
assert j["person"]["old_id_number"] == "025123456" and j["person"]["sex"] == "F"
assert j["access"]["expiry_candidates"][0] == "2033-07-12", j["access"]
'

# decomposed input comes out NFC
"$CCCDCTL" parse qr "$fx/nfd.txt" >"$tmp/e.json"
check_json "$tmp/e.json" '
import unicodedata
n = j["person"]["full_name"]
assert n == "Nguyễn Thị Nữ" and unicodedata.is_normalized("NFC", n), n
assert unicodedata.is_normalized("NFC", j["person"]["residence"])
assert j["person"]["sex"] == "F"
'

# no expiry: the guesses only
"$CCCDCTL" parse qr "$fx/no_expiry.txt" >"$tmp/f.json"
check_json "$tmp/f.json" '
a = j["access"]
assert a["no_expiry"] is True and "renew_age" not in a, a
assert a["mrz_expiry_candidates"] == ["<<<<<<", "991231"], a
assert a["expiry_candidates"] == ["2099-12-31"], a
'

# rejected input: exit 1, the field and the byte named, nothing on stdout
expect_rc 1 "$tmp/err" "$CCCDCTL" parse qr "$fx/bad_birth_date.txt"
grep -q "field 4 (birth date) at byte 31" "$tmp/err"
[ ! -s "$tmp/stdout" ]
expect_rc 1 "$tmp/err" "$CCCDCTL" parse qr - <"$fx/bad_utf8.txt"
grep -q "byte 19: invalid UTF-8" "$tmp/err"
printf '00120001234||An|01022000|Nam|Hà Nội|15032021' >"$tmp/id11"
expect_rc 1 "$tmp/err" "$CCCDCTL" parse qr "$tmp/id11"
grep -q "field 1 (ID number)" "$tmp/err"
if grep -q "00120001234" "$tmp/err"; then # the number itself never shows
	echo "FAIL: ID number in the error message"
	exit 1
fi

# usage: exit 2
expect_rc 2 "$tmp/err" "$CCCDCTL" parse qr "$fx/cccd.txt" extra-arg
grep -q "usage" "$tmp/err"
expect_rc 2 "$tmp/err" "$CCCDCTL" parse
expect_rc 2 "$tmp/err" "$CCCDCTL" parse qr "$tmp/no-such-file"
echo "test_parse_qr: ok"
