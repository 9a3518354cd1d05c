#!/usr/bin/env bash
# make fuzz: runs every libFuzzer target for a bounded time over a scratch copy of its seed corpus.
# New crashes land in tests/fuzz/regress/<name>/ to be fixed and kept (make test replays them).
# Usage: run-fuzz.sh BUILD_DIR SECONDS_PER_TARGET
set -u
b=$1
secs=$2
cd "$(dirname "$0")/../.."
rc=0
for t in $(find "$b/tests/fuzz" -type f -perm -u+x | sort); do
	name=$(basename "$t")
	name=${name#fuzz_}
	work=$(mktemp -d)
	[ -d "tests/fuzz/corpus/$name" ] && cp -r "tests/fuzz/corpus/$name/." "$work/"
	# libFuzzer writes artifacts only where the directory exists; keep it only if it got one.
	mkdir -p "tests/fuzz/regress/$name"
	echo "== fuzz $name for ${secs}s"
	if ! "$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
		-artifact_prefix="tests/fuzz/regress/$name/" -print_final_stats=1 "$work" \
		>"$work.log" 2>&1; then
		echo "FAIL $name: see tests/fuzz/regress/$name/"
		tail -n 30 "$work.log"
		rc=1
	else
		grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$work.log" | tail -n 2
	fi
	rm -rf "$work" "$work.log"
	rmdir "tests/fuzz/regress/$name" 2>/dev/null || true # empty: nothing found
done
exit $rc
