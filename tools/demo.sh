#!/usr/bin/env bash
# make demo: the main job on the embedded default, with no hardware.
# Today the daemon is not built yet, so the demo runs what exists end to end: the offline decoders
# on the shipped synthetic samples — a card's MRZ, its QR with the access keys derived from it, its
# DG13 (the chip's Vietnamese data group), and a school-fee VietQR — and one rejected input per
# kind, showing the error the operator would see. It grows into the daemon demo (issue 7).
set -u
b=${1:-build}
ctl="$b/cccdctl"
cd "$(dirname "$0")/.."

show() { # title, kind, file
	printf '\n\033[1m== %s\033[0m  (cccdctl parse %s %s)\n' "$1" "$2" "$3"
	"$ctl" parse "$2" "$3" --pretty
	echo "   exit $?"
}

echo "cccd-gateway demo: offline decoders on synthetic cards (PII: synthetic)"
[ -e tests/fixtures/mrz/vn_td1.txt ] && show "MRZ from the back of a CCCD" mrz tests/fixtures/mrz/vn_td1.txt
show "QR on the card: identity and the keys to open the chip" qr tests/fixtures/qr/cccd.txt
show "DG13 read from the chip" dg13 tests/fixtures/dg13/card.bin
show "VietQR a parent shows at the school cashier" vietqr tests/fixtures/vietqr/dynamic_account.txt
printf '\n\033[1m== Rejected inputs\033[0m\n'
for k in "qr tests/fixtures/qr/bad_birth_date.txt" "vietqr tests/fixtures/vietqr/bad_crc.txt" \
	"dg13 tests/fixtures/dg13/bad_utf8_field2.bin"; do
	set -- $k
	printf '%-7s %-45s ' "$1" "$2"
	"$ctl" parse "$1" "$2" >/dev/null 2>"$b/demo.err"
	echo "exit $?: $(cat "$b/demo.err")"
done
rm -f "$b/demo.err"
