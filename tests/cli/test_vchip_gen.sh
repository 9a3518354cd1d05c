#!/usr/bin/env bash
# test_vchip_gen.sh - the virtual chip's TEST-ONLY PKI and EF.SOD checked by an independent
# implementation (OpenSSL): certificate chain and extensions, CMS signature, and every data group
# hash in the LDSSecurityObject against `openssl dgst`; then the fault modes fail where they must.
set -eu
gen="$(dirname "$CCCDCTL")/tools/vchip-gen"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
cards=tests/fixtures/cards

# --- the PKI: chain, names, extensions; same seed, same bytes -------------------------------
for alg in ecdsa-brainpoolP256r1 ecdsa-secp256r1 rsa2048; do
	mkdir -p "$t/$alg"
	"$gen" pki "$t/$alg" -c "$alg" -d "$alg"
	openssl verify -CAfile "$t/$alg/csca.pem" "$t/$alg/ds.pem" | grep -q ': OK$'
	openssl x509 -in "$t/$alg/csca.pem" -noout -text >"$t/csca.txt"
	grep -q 'O = TEST ONLY cccd-gateway' "$t/csca.txt"
	grep -q 'CA:TRUE' "$t/csca.txt"
	grep -A1 'Key Usage: critical' "$t/csca.txt" | grep -q 'Certificate Sign, CRL Sign'
	openssl x509 -in "$t/$alg/ds.pem" -noout -text >"$t/ds.txt"
	grep -A1 'Key Usage: critical' "$t/ds.txt" | grep -q 'Digital Signature'
	grep -q 'Issuer: C = VN, O = TEST ONLY cccd-gateway, OU = NOT FOR PRODUCTION, CN = TEST CSCA VN' "$t/ds.txt"
done
mkdir -p "$t/again"
"$gen" pki "$t/again" -c rsa2048 -d rsa2048
cmp "$t/again/ds.der" "$t/rsa2048/ds.der"
mkdir -p "$t/other"
"$gen" pki "$t/other" -s "another seed"
! cmp -s "$t/other/csca.der" "$t/ecdsa-brainpoolP256r1/csca.der"
openssl verify -CAfile "$t/other/csca.pem" "$t/ecdsa-brainpoolP256r1/ds.pem" >/dev/null 2>&1 && exit 1
"$gen" pki "$t/x" -c rot13 2>/dev/null && exit 1

# EF.SOD = 77 L <CMS>: cut the tag and length off
cms_of() {
	local b1 skip
	b1=$(od -An -tx1 -j1 -N1 "$1" | tr -d ' ')
	case $b1 in 81) skip=3 ;; 82) skip=4 ;; *) skip=2 ;; esac
	[ "$(od -An -tx1 -N1 "$1" | tr -d ' ')" = 77 ]
	tail -c +$((skip + 1)) "$1" >"$2"
}

# The hashes in the LDSSecurityObject, "num hash" per line.
so_hashes() {
	openssl asn1parse -inform DER -in "$1" | awk '
		/INTEGER/ { split($0, a, ":"); num = a[length(a)] }
		/OCTET STRING/ { split($0, a, ":"); print num, tolower(a[length(a)]) }'
}

# (set -e is off inside a function called from `if`: every step returns on failure itself)
check_card() { # dataset dir
	local d=$2 num h f
	mkdir -p "$d"
	"$gen" card "$1" "$d" || return 1
	cms_of "$d/sod.bin" "$d/cms.der" || return 1
	openssl cms -verify -inform DER -in "$d/cms.der" -CAfile "$d/csca.pem" -binary \
		-out "$d/so.der" 2>"$d/verify.log" || return 2
	grep -q 'Verification successful' "$d/verify.log" || return 2
	openssl asn1parse -inform DER -in "$d/cms.der" | grep -q ':2.23.136.1.1.1' || return 1
	so_hashes "$d/so.der" >"$d/hashes" || return 1
	[ "$(wc -l <"$d/hashes")" = 6 ] || return 1 # DG1 DG2 DG3 DG13 DG14 DG15
	while read -r num h; do
		f="$d/dg$((16#$num)).bin"
		[ -f "$f" ] || return 1
		[ "$(openssl dgst -sha256 -r "$f" | cut -d' ' -f1)" = "$h" ] || return 3
	done <"$d/hashes"
}

# --- every shipped card: the SOD verifies and every hash matches ---------------------------
for c in "$cards"/*.ini; do
	check_card "$c" "$t/$(basename "$c" .ini)" || { echo "$c: check $?"; exit 1; }
done
# DG1 is the TD1 MRZ, DG2 holds a JPEG, DG13 reads back, DG15 a public key OpenSSL can read
"$CCCDCTL" parse dg13 "$t/long-address/dg13.bin" | grep -q '"full_name":"Trần Thị Bích Ngọc"'
"$CCCDCTL" parse dg13 "$t/no-expiry/dg13.bin" | grep -q '"expiry_text":"Không thời hạn"' 
grep -q '^IDVNM2000123457001200012345<<8' "$t/an/mrz.txt"
fold -w30 "$t/an/mrz.txt" | "$CCCDCTL" parse mrz - | grep -q '"number":"001200012345"' 
openssl asn1parse -inform DER -in "$t/an/dg15.bin" -strparse 2 >/dev/null
grep -c 'JFIF' "$t/an/dg2.bin" >/dev/null

# --- faults: each negative twin fails at the right place -----------------------------------
with_fault() { # fault -> dataset path
	cp "$cards/an.ini" "$t/$1.ini"
	printf '[chip]\nfaults = %s\n' "$1" >>"$t/$1.ini"
	echo "$t/$1.ini"
}
rc=0
check_card "$(with_fault tamper_dg1)" "$t/tamper" || rc=$?
[ $rc = 3 ] # the signature holds, the DG1 hash does not
rc=0
check_card "$(with_fault unknown_csca)" "$t/unknown" || rc=$?
[ $rc = 2 ]
grep -q 'unable to get local issuer certificate' "$t/unknown/verify.log"
rc=0
check_card "$(with_fault expired_ds)" "$t/expired" || rc=$?
[ $rc = 2 ]
grep -q 'expired' "$t/expired/verify.log"
openssl cms -verify -inform DER -in "$t/expired/cms.der" -CAfile "$t/expired/csca.pem" -binary \
	-attime 1546300800 -out /dev/null 2>/dev/null # valid in 2019
echo "vchip-gen: PKI, SOD and faults cross-checked with OpenSSL"

# --- and our own passive authentication agrees (cccdctl verify-sod, daemon/verify) -----------
mkdir -p "$t/trust"
cp "$t/an/csca.pem" "$t/trust/"
pa() { "$CCCDCTL" verify-sod "$1/sod.bin" "$1/dg1.bin" "$1/dg2.bin" "$1/dg13.bin" \
	"$1/dg14.bin" "$1/dg15.bin" --trust "$t/trust" || true; }
pa "$t/an" | grep -q '^passive: ok'
pa "$t/tamper" | grep -q '^passive: failed (DG1 hash mismatch)'
pa "$t/unknown" | grep -q '^passive: untrusted'
pa "$t/expired" | grep -q '^passive: failed (DS certificate not valid'
"$CCCDCTL" verify-sod "$t/an/sod.bin" "$t/an/dg1.bin" | grep -q '^passive: untrusted' # no trust
for c in rsa-old-id no-expiry long-address; do
	mkdir -p "$t/trust-$c"
	cp "$t/$c/csca.pem" "$t/trust-$c/"
	"$CCCDCTL" verify-sod "$t/$c/sod.bin" "$t/$c/dg1.bin" "$t/$c/dg2.bin" "$t/$c/dg13.bin" \
		--trust "$t/trust-$c" | grep -q '^passive: ok'
done
echo "vchip-gen: cccdctl verify-sod agrees"
