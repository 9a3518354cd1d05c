#!/usr/bin/env bash
# test_scan_mrz.sh - the "mrz" object of `cccdctl scan` on frames made here by tools/gen/mrzgen
# (seed 20261128, document 3 turned a quarter, take 1; ICAO 9303-5 TD1, CCCD layout): the three
# lines equal the ground truth, the parsed keys and the chip's access keys (MRZ key, CAN = last
# 6 digits of the ID) come out; the takes of one glob are voted together; a card front has
# no MRZ ({"found":false}).
# PII: synthetic.
set -eu
: "${CCCDCTL:=build/cccdctl}"
tools="$(dirname "$CCCDCTL")/tools"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$tools/mrzgen" --out "$tmp" --first 3 --count 1 --takes 3 --quarter 1 --seed 20261128
"$tools/cardgen" --out "$tmp" --kind front --count 1 --seed 20261128 >/dev/null
truth="$tmp/mrz-20261128-0003.json"

out=$("$CCCDCTL" scan "$tmp/mrz-20261128-0003-1.jpg" || true)
mrz=$(printf '%s' "$out" | jq -c .mrz)
[ "$(printf '%s' "$mrz" | jq -c .lines)" = "$(jq -c .mrz "$truth")" ] ||
	{ echo "lines: $mrz"; exit 1; }
[ "$(printf '%s' "$mrz" | jq -r .valid)" = true ]
id=$(jq -r '.mrz[0][15:27]' "$truth")
[ "$(printf '%s' "$mrz" | jq -r .document.number)" = "$id" ]
[ "$(printf '%s' "$mrz" | jq -r .access.can)" = "${id:6:6}" ]
[ "$(printf '%s' "$mrz" | jq -r .access.mrz_key | cut -c1-9)" = "${id:3:9}" ]

# a glob is one document seen three times: the last frame reports the vote (take 0 of this
# set fails most check digits on its own and is left out of it: 2 frames voted)
last=$("$CCCDCTL" scan "$tmp/mrz-20261128-0003-*.jpg" | tail -n 1 || true)
[ "$(printf '%s' "$last" | jq -r .mrz.frames)" = 2 ] || { echo "vote: $last"; exit 1; }
[ "$(printf '%s' "$last" | jq -r .mrz.complete)" = true ]
[ "$(printf '%s' "$last" | jq -c .mrz.lines)" = "$(jq -c .mrz "$truth")" ]

# no MRZ on a card front
[ "$("$CCCDCTL" scan "$tmp/front-20261128-0000.jpg" | jq -c .mrz)" = '{"found":false}' ]
echo ok
