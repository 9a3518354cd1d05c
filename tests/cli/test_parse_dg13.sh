#!/usr/bin/env bash
# cccdctl parse dg13: binary file, hex text on stdin, rejected input (exit 1 naming the field),
# usage errors (exit 2). Fixtures: tests/fixtures/dg13/ (synthetic people, see its README.md).
set -eu
cd "$(dirname "$0")/../.."
: "${CCCDCTL:?set CCCDCTL to the cccdctl binary}"
fx=tests/fixtures/dg13
fail() { echo "FAIL: $*" >&2; exit 1; }

# A whole card, binary, with a 200-byte residence (long-form lengths).
out=$("$CCCDCTL" parse dg13 "$fx/card.bin")
for want in '"number":"001200012345"' '"issue_date":"2021-08-15"' '"expiry_date":"2025-02-01"' \
	'"full_name":"Nguyễn Văn An"' '"birth_date":"2000-02-01"' '"sex":"M"' \
	'"father":"Nguyễn Văn Bình"' '"mother":"Trần Thị Cúc"' '"religion":"Không"'; do
	case $out in *"$want"*) ;; *) fail "card.bin: missing $want in $out" ;; esac
done
case $out in *spouse*|*old_id_number*|*expiry_text*|*null*) fail "card.bin: empty keys printed: $out" ;; esac
res=$(printf '%s' "$out" | sed -E 's/.*"residence":"([^"]*)".*/\1/')
[ "$(printf '%s' "$res" | wc -c)" = 200 ] || fail "residence is not 200 bytes"

# The same bytes as hex text give the same JSON.
out2=$(od -An -tx1 -v "$fx/card.bin" | "$CCCDCTL" parse dg13 -) # od: coreutils
[ "$out" = "$out2" ] || fail "hex and binary differ"

# A no-expiry card with a spouse, hex on stdin: expiry is text, no expiry_date.
out=$("$CCCDCTL" parse dg13 - <"$fx/no_expiry_spouse.hex")
case $out in *'"expiry_text":"Không thời hạn"'*) ;; *) fail "expiry_text: $out" ;; esac
case $out in *'"spouse":"Hoàng Văn Minh"'*) ;; *) fail "spouse: $out" ;; esac
case $out in *expiry_date*) fail "expiry_date for a text expiry: $out" ;; esac

# Rejected input: exit 1 and the message names the field and the byte.
set +e
err=$("$CCCDCTL" parse dg13 "$fx/bad_utf8_field2.bin" 2>&1 >/dev/null)
rc=$?
[ $rc = 1 ] || fail "bad UTF-8: exit $rc"
case $err in *"field 2 at byte 49"*) ;; *) fail "bad UTF-8 message: $err" ;; esac
err=$(printf '6D0' | "$CCCDCTL" parse dg13 - 2>&1 >/dev/null)
[ $? = 1 ] || fail "odd hex accepted"
head -c 100 "$fx/card.bin" | "$CCCDCTL" parse dg13 - >/dev/null 2>&1
[ $? = 1 ] || fail "truncated file accepted"

# Usage: exit 2.
"$CCCDCTL" parse dg13 a b c >/dev/null 2>&1
[ $? = 2 ] || fail "extra arguments"
"$CCCDCTL" parse dg13 /nonexistent/dg13.bin >/dev/null 2>&1
[ $? = 2 ] || fail "missing file"
exit 0
