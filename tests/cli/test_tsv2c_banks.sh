#!/usr/bin/env bash
# test_tsv2c_banks.sh - tools/tsv2c-banks.sh stops the build on a bad bank table, naming the line,
# and turns a good one into C that compiles (the shipped table is compiled by every build).
set -eu
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tab=$(printf '\t')

bad() { # EXPECTED-STDERR LINE...
	local want=$1
	shift
	printf '%s\n' "$@" >"$tmp/t.tsv"
	if sh tools/tsv2c-banks.sh "$tmp/t.tsv" >"$tmp/t.c" 2>"$tmp/err"; then
		echo "accepted a bad table (want: $want)"
		exit 1
	fi
	grep -qF -- "$want" "$tmp/err" || { echo "stderr lacks '$want':"; cat "$tmp/err"; exit 1; }
}
bad "t.tsv:3: BIN 970415 comes after 970436 (line 2)" "# header" "970436${tab}VCB${tab}Vietcombank" \
	"970415${tab}ICB${tab}VietinBank"
bad "t.tsv:2: duplicate BIN 970436 (first on line 1)" "970436${tab}A${tab}B" "970436${tab}C${tab}D"
bad 't.tsv:1: BIN "97043" is not 6 digits' "97043${tab}A${tab}B"
bad 't.tsv:1: BIN "97043a" is not 6 digits' "97043a${tab}A${tab}B"
bad "t.tsv:1: expected 3 tab-separated fields" "970436${tab}A B"
bad "t.tsv:1: empty bank name" "970436${tab}${tab}B"
bad "no banks" "# only a comment"

# quotes, backslashes and '?' (trigraphs under -std=c11) come out as the same bytes
printf '970436\tA"b\\c??=\tNgân hàng\n' >"$tmp/t.tsv"
sh tools/tsv2c-banks.sh "$tmp/t.tsv" >"$tmp/t.c"
cat >"$tmp/main.c" <<'C'
#include <stdio.h>
#include <string.h>
#include "doc/vietqr_banks.h"
int main(void)
{
	size_t n;
	const struct vietqr_bank *t = vietqr_bank_table(&n);
	return !(n == 1 && !strcmp(t[0].short_name, "A\"b\\c?\?=") && !strcmp(t[0].name, "Ngân hàng"));
}
C
cc -std=c11 -Wall -Werror -Idaemon "$tmp/t.c" "$tmp/main.c" -o "$tmp/a.out"
"$tmp/a.out"
echo "ok"
