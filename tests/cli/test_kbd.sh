#!/usr/bin/env bash
# test_kbd.sh - `cccdctl kbd encode|decode|type`: reports as hex, round trips under every
# strategy, the file: sink, lock correction, exit codes (0 ok, 1 rejected, 2 usage).
set -eu
cd "$(dirname "$0")/../.."
: "${CCCDCTL:?set CCCDCTL to the cccdctl binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fx=tests/fixtures/out

fail() { echo "FAIL: $*" >&2; exit 1; }
expect_rc() { # want_rc cmd...
	local want=$1 rc=0
	shift
	"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	[ "$rc" = "$want" ] || fail "$* exited $rc, want $want: $(cat "$tmp/err")"
}

# 1. the worked example of cmd_kbd.c: "A" = Shift+a press, release
expect_rc 0 "$CCCDCTL" kbd encode --strategy ascii A
printf '02 00 04 00 00 00 00 00\n00 00 00 00 00 00 00 00\n' | cmp - "$tmp/out" || fail "encode A"

# 2. "ễ" per strategy: the key sequence each host expects
"$CCCDCTL" kbd encode --strategy telex 'ễ' | awk 'NR % 2 == 1 {print $3}' | tr '\n' ' ' >"$tmp/k"
[ "$(cat "$tmp/k")" = "08 08 1B " ] || fail "telex ễ = e e x, got $(cat "$tmp/k")"
"$CCCDCTL" kbd encode --strategy vni 'ễ' | awk 'NR % 2 == 1 {print $3}' | tr '\n' ' ' >"$tmp/k"
[ "$(cat "$tmp/k")" = "08 23 21 " ] || fail "vni ễ = e 6 4, got $(cat "$tmp/k")"
[ "$("$CCCDCTL" kbd encode --strategy unicode-linux 'ễ' | wc -l)" = 12 ] || fail "linux ễ"

# 3. round trip of a name line under every strategy, from hex on stdin
line='Nguyễn Văn Hòa	Trần Thị Thủy	Đặng Quốc Khánh'
for s in ascii unicode-windows unicode-linux telex vni; do
	"$CCCDCTL" kbd encode --strategy "$s" "$line" >"$tmp/hex"
	got=$("$CCCDCTL" kbd decode --strategy "$s" <"$tmp/hex")
	want=$line
	[ "$s" = ascii ] && want='Nguyen Van Hoa	Tran Thi Thuy	Dang Quoc Khanh'
	[ "$got" = "$want" ] || fail "$s round trip: got '$got'"
done

# 4. a RESULT through the clinic profile into a file: sink (raw reports), decoded from the file
for s in ascii telex vni unicode-windows unicode-linux; do
	rm -f "$tmp/sink"
	expect_rc 0 "$CCCDCTL" kbd type --profile clinic --strategy "$s" --sink "file:$tmp/sink?leds=2" \
		"$fx/result_genuine.json"
	[ $(($(stat -c %s "$tmp/sink") % 8)) = 0 ] || fail "sink holds partial reports"
	got=$("$CCCDCTL" kbd decode --strategy "$s" --leds 2 "$tmp/sink")
	case $s in
	ascii) want='001200012345	Nguyen Van Hoa	01/02/2000	M	So 5, Phuong Hang Bac, Quan Hoan Kiem, Ha Noi' ;;
	*) want='001200012345	Nguyễn Văn Hòa	01/02/2000	M	Số 5, Phường Hàng Bạc, Quận Hoàn Kiếm, Hà Nội' ;;
	esac
	[ "$got" = "$want" ] || fail "type $s: got '$got'"
done
# decoded without knowing Caps Lock was on, the text is wrong: the correction is real
got=$("$CCCDCTL" kbd decode --strategy unicode-linux "$tmp/sink")
[ "$got" != "$want" ] || fail "decoding with the wrong lock state should differ"
case $got in 001200012345*nGUY*) ;; *) fail "caps-inverted text expected, got '$got'" ;; esac
"$CCCDCTL" kbd type --profile hotel "$fx/result_genuine.json" | "$CCCDCTL" kbd decode --strategy ascii >"$tmp/h"
grep -q '^Nguyen Van Hoa	001200012345	01/02/2000	VNM	01/02/2040	' "$tmp/h" || fail "hotel"

# 5. rejected input: exit 1 with a reason
expect_rc 1 "$CCCDCTL" kbd encode --strategy ascii '€'
grep -q 'col 1: no ASCII form' "$tmp/err" || fail "€ reason"
expect_rc 1 "$CCCDCTL" kbd encode --strategy telex 'Hoà'
grep -q 'col 1: word not typable in telex' "$tmp/err" || fail "Hoà reason"
printf '00 00 04' | { expect_rc 1 "$CCCDCTL" kbd decode --strategy ascii -; }
grep -q '3 bytes: not whole 8-byte reports' "$tmp/err" || fail "partial report reason"
expect_rc 1 "$CCCDCTL" kbd type --profile clinic "$fx/result_suspect.json"
grep -q 'does not send this result' "$tmp/err" || fail "suspect"
echo 'not json' >"$tmp/bad.json"
expect_rc 1 "$CCCDCTL" kbd type --profile clinic "$tmp/bad.json"

# 6. usage errors: exit 2
expect_rc 2 "$CCCDCTL" kbd
expect_rc 2 "$CCCDCTL" kbd encode A
expect_rc 2 "$CCCDCTL" kbd encode --strategy unikey A
expect_rc 2 "$CCCDCTL" kbd decode --strategy ascii --leds 99
expect_rc 2 "$CCCDCTL" kbd type --profile bank "$fx/result_genuine.json"
expect_rc 2 "$CCCDCTL" kbd decode --strategy ascii /nonexistent/file
expect_rc 0 "$CCCDCTL" kbd encode --strategy ascii -- -x
[ "$(wc -l <"$tmp/out")" = 4 ] || fail "-- TEXT"
echo ok
