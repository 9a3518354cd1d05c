#!/usr/bin/env bash
# test_trust.sh - `cccdctl trust import|list` and `cccdctl verify-sod` on the openssl-made PKI in
# tests/fixtures/pki: exit codes (0 ok, 1 rejected / failed check, 2 usage), file names (SHA-256
# of the DER, computed here with openssl), modes, and the passive-authentication outcomes.
set -eu
: "${CCCDCTL:?path to cccdctl}"
P=tests/fixtures/pki
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
D=$T/trust

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
fp() { openssl dgst -sha256 -r "$1" | cut -d' ' -f1; }

# usage errors
expect 2 "$CCCDCTL" trust
expect 2 "$CCCDCTL" trust frobnicate
expect 2 "$CCCDCTL" trust import
expect 2 "$CCCDCTL" trust import "$T/no-such-file" --dir "$D"

# the default trust dir is never implied in tests: an empty dir lists nothing
mkdir -p "$T/empty"
expect 0 "$CCCDCTL" trust list --dir "$T/empty" --json
has "$T/out" "[]"

# a PEM CSCA becomes <sha256 of DER>.der, 0644; importing again adds nothing
expect 0 "$CCCDCTL" trust import "$P/csca-rsa.pem" --dir "$D"
has "$T/out" "1 added, 0 already present"
f=$D/$(fp "$P/csca-rsa.der").der
[ -f "$f" ] || { echo "FAIL: $f missing"; ls -l "$D"; exit 1; }
[ "$(stat -c %a "$f")" = 644 ] || { echo "FAIL: mode $(stat -c %a "$f")"; exit 1; }
cmp -s "$f" "$P/csca-rsa.der" || { echo "FAIL: $f differs from the DER"; exit 1; }
expect 0 "$CCCDCTL" trust import "$P/csca-rsa.der" --dir "$D"
has "$T/out" "0 added, 1 already present"

# a document signer is not a CA: rejected, nothing written
expect 1 "$CCCDCTL" trust import "$P/ds-rsa.der" --dir "$D"
has "$T/err" "not a CA certificate"
[ "$(ls "$D" | wc -l)" = 1 ] || { echo "FAIL: a DS was written"; ls "$D"; exit 1; }

# an ICAO master list: its signature is checked, its two CSCAs imported
expect 0 "$CCCDCTL" trust import "$P/csca.ml" --dir "$D"
has "$T/out" "signature valid"
has "$T/out" "2 added"
[ -f "$D/$(fp "$P/csca-bp.der").der" ] && [ -f "$D/$(fp "$P/csca-p256.der").der" ] ||
	{ echo "FAIL: master list CSCAs missing"; ls "$D"; exit 1; }

# an altered master list is refused whole
cp "$P/csca.ml" "$T/bad.ml"
printf '\x00' | dd of="$T/bad.ml" bs=1 seek=$(($(stat -c %s "$T/bad.ml") - 10)) conv=notrunc 2>/dev/null
expect 1 "$CCCDCTL" trust import "$T/bad.ml" --dir "$T/other"
has "$T/err" "master list signature invalid"

# list: three CSCAs, with fingerprint, validity and subject
expect 0 "$CCCDCTL" trust list --dir "$D"
[ "$(wc -l <"$T/out")" = 3 ] || { echo "FAIL: list"; cat "$T/out"; exit 1; }
has "$T/out" "$(fp "$P/csca-bp.der")  2015-01-01..2045-01-01"
has "$T/out" "CN=TEST CSCA secp256r1 explicit  (explicit EC parameters)"
expect 0 "$CCCDCTL" trust list --dir "$D" --json
has "$T/out" "\"fingerprint\":\"$(fp "$P/csca-rsa.der")\""

# verify-sod: ok, tampered DG, unknown CSCA, no trust dir, expired DS, bad DG file
for s in rsa pss bp p256 indef; do
	expect 0 "$CCCDCTL" verify-sod "$P/sod-$s.bin" "$P/dg1.bin" "$P/dg13.bin" --trust "$D"
	has "$T/out" "passive: ok"
done
cp "$P/dg13.bin" "$T/dg13.bin"
printf 'X' | dd of="$T/dg13.bin" bs=1 seek=8 conv=notrunc 2>/dev/null
expect 1 "$CCCDCTL" verify-sod "$P/sod-rsa.bin" "$P/dg1.bin" "$T/dg13.bin" --trust "$D"
has "$T/out" "passive: failed (DG13 hash mismatch)"
expect 1 "$CCCDCTL" verify-sod "$P/sod-other.bin" "$P/dg1.bin" --trust "$D" --json
has "$T/out" '{"checks":{"passive":"untrusted"}'
expect 1 "$CCCDCTL" verify-sod "$P/sod-rsa.bin" "$P/dg1.bin"
has "$T/out" "passive: untrusted (no CSCA for issuer"
expect 1 "$CCCDCTL" verify-sod "$P/sod-expired.bin" "$P/dg1.bin" --trust "$D"
has "$T/out" "DS certificate not valid at signing time"
expect 1 "$CCCDCTL" verify-sod "$P/sod-rsa.bin" "$P/lds.der" --trust "$D"
has "$T/err" "not a data group"
expect 0 "$CCCDCTL" verify-sod "$P/sod-rsa.bin" "13=$P/dg13.bin" --trust "$D"
expect 2 "$CCCDCTL" verify-sod
expect 2 "$CCCDCTL" verify-sod "$P/sod-rsa.bin" --bogus
echo "trust CLI: ok"
