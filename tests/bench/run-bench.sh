#!/usr/bin/env bash
# make bench: runs every benchmark binary; each prints one figure per line as
#   <name>: <value> <unit>  (peer <peer name>: <value> <unit>)
# Timings are medians of repeated runs on this machine; they are reported, never asserted.
set -u
b=${1:-build}
cd "$(dirname "$0")/../.."
rc=0
for t in $(find "$b/tests/bench" -type f -perm -u+x 2>/dev/null | sort); do
	echo "== $(basename "$t")"
	"$t" || rc=1
done
for s in tests/bench/bench_*.sh; do
	[ -e "$s" ] || continue
	echo "== $(basename "$s")"
	BUILD="$b" bash "$s" || rc=1
done
exit $rc
