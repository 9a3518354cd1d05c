#!/usr/bin/env bash
# Runs every test of `make test` over each build dir given (plain, then sanitizers) and ends with
# the one summary line CI reads: "test: N passed, N failed".
#   unit     every cmocka binary under <build>/tests/unit (each cmocka case counts)
#   replay   every fuzz target over its seed corpus and past finds (tests/fuzz/{corpus,regress}/X)
#   cli      every tests/cli/test_*.sh against <build>/cccdctl
#   lint     every exported *_parse() has a fuzz target
set -u
cd "$(dirname "$0")/.."
pass=0
fail=0
failed_names=()
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

record() { # name rc [count_pass count_fail]
	local name=$1 rc=$2 np=${3:-} nf=${4:-}
	if [ -z "$np" ]; then
		if [ "$rc" = 0 ]; then np=1 nf=0; else np=0 nf=1; fi
	fi
	if [ "$rc" != 0 ] && [ "$nf" = 0 ]; then nf=1; fi # crashed outside a counted case
	pass=$((pass + np))
	fail=$((fail + nf))
	if [ "$nf" != 0 ]; then
		failed_names+=("$name")
		echo "FAIL $name (rc=$rc)"
		tail -n 40 "$log/out"
	else
		echo "ok   $name ($np)"
	fi
}

for b in "$@"; do
	echo "== $b: unit tests"
	while IFS= read -r t; do
		"$t" >"$log/out" 2>&1
		rc=$?
		# cmocka's closing lines go to two streams and may share a line: match anywhere.
		np=$(grep -oE '\[  PASSED  \] [0-9]+' "$log/out" | awk '{s+=$NF} END {print s+0}')
		nf=$(grep -oE '\[  FAILED  \] [0-9]+' "$log/out" | awk '{s+=$NF} END {print s+0}')
		record "$t" "$rc" "$np" "$nf"
	done < <(find "$b/tests/unit" -type f -perm -u+x 2>/dev/null | sort)

	echo "== $b: fuzz corpus replay"
	while IFS= read -r t; do
		name=$(basename "$t")
		name=${name#fuzz_}
		dirs=()
		for d in tests/fuzz/corpus/$name tests/fuzz/regress/$name; do
			[ -d "$d" ] && dirs+=("$d")
		done
		if [ ${#dirs[@]} = 0 ]; then
			echo "no seed corpus tests/fuzz/corpus/$name" >"$log/out"
			record "$t" 1
			continue
		fi
		"$t" "${dirs[@]}" >"$log/out" 2>&1
		record "$t" $?
	done < <(find "$b/tests/replay" -type f -perm -u+x 2>/dev/null | sort)

	echo "== $b: cccdctl"
	for t in tests/cli/test_*.sh; do
		[ -e "$t" ] || continue
		CCCDCTL="$b/cccdctl" bash "$t" >"$log/out" 2>&1
		record "$t [$b]" $?
	done
done

# A parser of outside input is any exported X_parse(const uint8_t *buf, size_t len, ...).
echo "== lint: every exported *_parse has a fuzz target"
: >"$log/out"
lint_rc=0
for name in $(grep -hoE '^[a-z_ ]*int ([a-z0-9_]+)_parse\(const uint8_t \*' daemon/*/*.h drivers/*.h drivers/*/*.h 2>/dev/null |
	sed -E 's/.*int ([a-z0-9_]+)_parse\(.*/\1/' | sort -u); do
	if ! ls tests/fuzz/*/fuzz_"$name".c >/dev/null 2>&1; then
		echo "${name}_parse has no tests/fuzz/<module>/fuzz_$name.c" >>"$log/out"
		lint_rc=1
	fi
done
record "fuzz-target coverage" $lint_rc

echo
if [ "$fail" != 0 ]; then
	echo "failed:"
	printf '  %s\n' "${failed_names[@]}"
fi
echo "test: $pass passed, $fail failed"
[ "$fail" = 0 ]
