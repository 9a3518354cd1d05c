#!/usr/bin/env bash
# test_scan.sh - `cccdctl scan` on a small fixed subset of cardgen frames, made here at test time
# (tools/gen/cardgen, seed 20261128): card fronts whose QR text must equal the ground truth byte
# for byte (NFC), one read only through the crop-and-upscale path, two (2.7 px/module smeared by
# 3.8 px) that neither decoder alone reads and ours reads after deconvolution; phone screens with a VietQR,
# one in dark mode (inverted code), two that zbar alone misses and zxing-cpp reads; a card back
# (no QR: exit 1); usage and unreadable files (exit 2).
# PII: synthetic (names, IDs and accounts are drawn by cardgen).
set -eu
: "${CCCDCTL:=build/cccdctl}"
gen="$(dirname "$CCCDCTL")/tools/cardgen"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
seed=20261128

"$gen" --out "$tmp" --kind front --first 0 --count 4 --seed $seed
for i in 178 252; do
	"$gen" --out "$tmp" --kind front --first $i --count 1 --seed $seed
done
"$gen" --out "$tmp" --kind back --first 0 --count 1 --seed $seed
for i in 15 40 42; do
	"$gen" --out "$tmp" --kind phone --first $i --count 1 --seed $seed
done

# Scan f and check that exactly the ground truth's payload came out; print the code object.
read_ok() {
	local f=$1 out want got
	out=$("$CCCDCTL" scan "$tmp/$f.jpg")
	want=$(jq -r .qr.payload "$tmp/$f.json")
	got=$(printf '%s' "$out" | jq -r '.qr[0].text')
	[ "$(printf '%s' "$out" | jq '.qr | length')" = 1 ] || { echo "$f: not one code"; exit 1; }
	[ "$got" = "$want" ] || { echo "$f: read '$got', want '$want'"; exit 1; }
	printf '%s' "$out" | jq -c '.qr[0]'
}

for i in 0000 0001 0002 0003; do
	code=$(read_ok "front-$seed-$i")
	[ "$(printf '%s' "$code" | jq -r .kind)" = cccd ]
	# the name on the RESULT keys is the ground truth's, diacritics and all
	[ "$(printf '%s' "$code" | jq -r .person.full_name)" = \
		"$(jq -r .person.full_name "$tmp/front-$seed-$i.json")" ]
	[ "$(printf '%s' "$code" | jq -r .document.number)" = \
		"$(jq -r .person.number "$tmp/front-$seed-$i.json")" ]
done
# frame 3 has 2.3 px/module: read from the rectified, upscaled crop
[ "$(read_ok front-$seed-0003 | jq -r .cropped)" = true ]

# motion-smeared card QRs: zbar and zxing-cpp alone read nothing (exit 1); ours reads the
# deconvolved crop
for i in 0178 0252; do
	[ "$(jq -r .camera.motion_px "$tmp/front-$seed-$i.json" | cut -c1)" = 3 ]
	for d in zbar zxing; do
		set +e
		out=$("$CCCDCTL" scan --decoder $d "$tmp/front-$seed-$i.jpg")
		rc=$?
		set -e
		[ $rc = 1 ] && [ "$(printf '%s' "$out" | jq '.qr | length')" = 0 ]
	done
	code=$(read_ok "front-$seed-$i")
	[ "$(printf '%s' "$code" | jq -r .cropped)" = true ]
	[ "$(printf '%s' "$code" | jq -r .kind)" = cccd ]
done

# dark-mode phone: light modules on dark ground
code=$(read_ok "phone-$seed-0015")
[ "$(jq -r .qr.inverted "$tmp/phone-$seed-0015.json")" = true ]
[ "$(printf '%s' "$code" | jq -r .inverted)" = true ]
[ "$(printf '%s' "$code" | jq -r .kind)" = vietqr ]
[ "$(printf '%s' "$code" | jq -r .payment.bank_bin)" != null ]

# zbar alone reads nothing here (exit 1, empty list); ours falls back to zxing-cpp
for i in 0040 0042; do
	set +e
	out=$("$CCCDCTL" scan --decoder zbar "$tmp/phone-$seed-$i.jpg")
	rc=$?
	set -e
	[ $rc = 1 ] && [ "$(printf '%s' "$out" | jq '.qr | length')" = 0 ]
	[ "$(read_ok "phone-$seed-$i" | jq -r .decoder)" = zxing-cpp ]
done
[ "$(read_ok "phone-$seed-0040" | jq -r .kind)" = vietqr ]
[ "$(read_ok "phone-$seed-0042" | jq -r .kind)" = other ]

# a glob gives one line per frame, in name order
[ "$("$CCCDCTL" scan "$tmp/front-$seed-000[0-2].jpg" | jq -r .image | xargs -n1 basename | tr '\n' ' ')" = \
	"front-$seed-0000.jpg front-$seed-0001.jpg front-$seed-0002.jpg " ]

# the back has no QR: exit 1, the frame still reported
set +e
out=$("$CCCDCTL" scan "$tmp/back-$seed-0000.jpg")
rc=$?
set -e
[ $rc = 1 ] && [ "$(printf '%s' "$out" | jq '.qr | length')" = 0 ]
[ "$(printf '%s' "$out" | jq .width)" -gt 0 ]

# usage and unreadable input: exit 2
set +e
"$CCCDCTL" scan >/dev/null 2>&1; [ $? = 2 ] || exit 1
"$CCCDCTL" scan --decoder quirc "$tmp/back-$seed-0000.jpg" >/dev/null 2>&1; [ $? = 2 ] || exit 1
"$CCCDCTL" scan "$tmp/none.jpg" >/dev/null 2>&1; [ $? = 2 ] || exit 1
printf 'not a jpeg' >"$tmp/bad.jpg"
"$CCCDCTL" scan "$tmp/bad.jpg" >/dev/null 2>"$tmp/err"; [ $? = 2 ] || exit 1
grep -q "cannot decode image" "$tmp/err" || exit 1
echo ok
