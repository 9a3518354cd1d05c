#!/usr/bin/env bash
# cccdctl parse mrz: a good CCCD TD1 from a file and from stdin (exit 0, RESULT-shaped JSON),
# a bad check digit (exit 1, error names line and col), usage errors (exit 2).
set -eu
cd "$(dirname "$0")/../.."
: "${CCCDCTL:?path to cccdctl}"
fx=tests/fixtures/mrz
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# The output is one compact line with keys in a fixed order: compare it whole, or look for one
# "key":"value" pair (no python or jq needed on the test machine).
f1995='{"card":{"type":"cccd"},"document":{"number":"079195001234","doc_number":"195001234",'\
'"expiry_date":"2035-03-15"},"person":{"mrz_name":"TRAN THI BICH NGOC","birth_date":"1995-03-15","sex":"F",'\
'"nationality":"VNM"},"mrz":{"format":"TD1","document_code":"ID","issuer":"VNM",'\
'"key":"195001234795031573503155"}}'

check_f1995() {
	[ "$(cat "$out")" = "$f1995" ] || fail "got $(cat "$out")"
}

expect() { # key value
	grep -qF "\"$1\":\"$2\"" "$out" || fail "$1 is not '$2' in $(cat "$out")"
}

# good, from a file
"$CCCDCTL" parse mrz "$fx/cccd-f-1995.mrz" >"$out" || fail "file: exit $?"
check_f1995

# good, from stdin, with CRLF line ends
sed 's/$/\r/' "$fx/cccd-f-1995.mrz" | "$CCCDCTL" parse mrz - >"$out" || fail "stdin: exit $?"
check_f1995

# good, the expired card still reads with its real expiry
"$CCCDCTL" parse mrz "$fx/cccd-m-2000.mrz" >"$out" || fail "m-2000: exit $?"
expect number 001200012345
expect doc_number 200012345
expect expiry_date 2025-02-01
expect birth_date 2000-02-01
expect sex M
expect key 200012345700020152502014

# ICAO specimen TD3 (not Vietnamese): number is the document number, type td3
printf 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10\n' |
	"$CCCDCTL" parse mrz >"$out" || fail "td3: exit $?"
expect number L898902C3
expect type td3
expect document_code P
expect birth_date 1974-08-12
expect expiry_date 2012-04-15
expect mrz_name "ERIKSSON ANNA MARIA"

# bad composite check digit: exit 1, the error names line and col, nothing on stdout
rc=0
"$CCCDCTL" parse mrz "$fx/cccd-bad-composite.mrz" >"$out" 2>"$err" || rc=$?
[ "$rc" = 1 ] || fail "bad composite: exit $rc, want 1"
grep -q "line 2 col 30: check digit '3', computed 2" "$err" || fail "bad composite: $(cat "$err")"
[ ! -s "$out" ] || fail "bad composite printed JSON"

# bad document number check digit, from stdin
rc=0
sed '1s/^IDVNM1950012347/IDVNM1950012348/' "$fx/cccd-f-1995.mrz" |
	"$CCCDCTL" parse mrz - >"$out" 2>"$err" || rc=$?
[ "$rc" = 1 ] || fail "bad doc cd: exit $rc, want 1"
grep -q "line 1 col 15: check digit '8', computed 7" "$err" || fail "bad doc cd: $(cat "$err")"

# lowercase: rejected with the position
rc=0
tr 'T' 't' <"$fx/cccd-f-1995.mrz" | "$CCCDCTL" parse mrz - >"$out" 2>"$err" || rc=$?
[ "$rc" = 1 ] || fail "lowercase: exit $rc, want 1"
grep -q "line 3 col 1: invalid character 't'" "$err" || fail "lowercase: $(cat "$err")"

# usage: too many arguments, unknown kind, missing file
for args in "parse mrz a b" "parse" "parse nosuchkind"; do
	rc=0
	# shellcheck disable=SC2086
	"$CCCDCTL" $args >"$out" 2>"$err" </dev/null || rc=$?
	[ "$rc" = 2 ] || fail "'$args': exit $rc, want 2"
	grep -q usage "$err" || fail "'$args': no usage line"
done
rc=0
"$CCCDCTL" parse mrz "$fx/no-such-file.mrz" >"$out" 2>"$err" || rc=$?
[ "$rc" = 2 ] || fail "missing file: exit $rc, want 2"
echo "ok test_parse_mrz"
