#!/usr/bin/env bash
# bench_readers.sh - full-read time and APDU count of the virtual CCCD (EF.COM DG1 DG2 DG13 DG14
# DG15 SOD; plain, and PACE with the CAN under secure messaging; no artificial latency) over each
# real reader stack, beside the in-process
# sim link, so the cost of each stack is visible: libnfc's pn532_uart driver against
# tools/gen/pn532-sim on a pty (38400-baud framing is not modelled: a pty moves bytes at once),
# and pcsc-lite + pcscd + vpcd against tools/gen/vpcd-card (needs root for the private pcscd).
# One figure per line, the median of N reads after one warm-up read; never asserted.
set -u
cd "$(dirname "$0")/../.."
b=${BUILD:-build}
rd="$b/tools/link-read"
card=tests/fixtures/cards/an.ini
n=${BENCH_READS:-21}
t=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$t"
}
trap cleanup EXIT

# median ms and the APDU count of the last read, from link-read's output in $1
stats() {
	local ms apdus
	ms=$(sed -n 's/^read [0-9]*: ok .* ms=\([0-9.]*\) .*/\1/p' "$1" | tail -n +2 | sort -n |
		awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "-"}')
	apdus=$(sed -n 's/^read [0-9]*: ok .* apdus=\([0-9]*\) .*/\1/p' "$1" | tail -1)
	echo "$ms ${apdus:--}"
}

report() { # label, "ms apdus", peer label, "ms apdus"
	set -- "$1" $2 "$3" $4
	echo "full read $1: $2 ms  (peer $4: $5 ms)"
	echo "apdus $1: $3  (peer $4: $6)"
}

can=012345
"$rd" "sim:$card?sm=0" --reads $((n + 1)) >"$t/sim" 2>&1
"$rd" "sim:$card?sm=0&ext=1" --reads $((n + 1)) --ext-le 4096 >"$t/simx" 2>&1
"$rd" "sim:$card" --reads $((n + 1)) --can $can >"$t/simp" 2>&1
"$rd" "sim:$card?ext=1" --reads $((n + 1)) --can $can --ext-le 4096 >"$t/simpx" 2>&1
sim=$(stats "$t/sim")
simx=$(stats "$t/simx")
simp=$(stats "$t/simp")
simpx=$(stats "$t/simpx")
echo "full read sim (in process): ${sim% *} ms"
echo "apdus sim (in process): ${sim#* }"
echo "full read sim PACE (in process): ${simp% *} ms"
echo "apdus sim PACE (in process): ${simp#* }"

# --- libnfc: the real pn532_uart driver over a pty ---
"$b/tools/pn532-sim" "$card" --link "$t/tty" --sm 0 --exit-after-ms 120000 >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -e "$t/tty" ] && break; sleep 0.1; done
timeout 120 "$rd" "libnfc:pn532_uart:$t/tty" --reads $((n + 1)) >"$t/nfc" 2>/dev/null
timeout 120 "$rd" "libnfc:pn532_uart:$t/tty" --reads $((n + 1)) --can $can >"$t/nfcp" 2>/dev/null
report "libnfc pn532_uart (424 kbit/s)" "$(stats "$t/nfc")" "sim" "$sim"
report "libnfc pn532_uart PACE (424 kbit/s)" "$(stats "$t/nfcp")" "sim PACE" "$simp"

# --- PC/SC: pcscd + vpcd in a private mount namespace ---
if [ "$(id -u)" != 0 ] || ! command -v pcscd >/dev/null; then
	echo "full read pcsc: not measured (needs root and pcscd)"
	exit 0
fi
BENCH_T=$t BENCH_RD=$rd BENCH_VC="$b/tools/vpcd-card" BENCH_N=$n BENCH_CARD=$card \
	unshare --mount --propagation private bash -c '
	set -u
	mount -t tmpfs cccd-bench-run /run && mkdir -p /run/pcscd "$BENCH_T/conf"
	port=$((20000 + RANDOM % 30000))
	printf "FRIENDLYNAME \"Virtual PCD\"\nDEVICENAME /dev/null:%s\nLIBPATH /usr/lib/pcsc/drivers/serial/libifdvpcd.so\nCHANNELID %s\n" \
		$port $port >"$BENCH_T/conf/vpcd"
	pcscd -f -c "$BENCH_T/conf" >/dev/null 2>&1 & pp=$!
	for _ in $(seq 50); do [ -S /run/pcscd/pcscd.comm ] && break; sleep 0.1; done
	for mode in short ext; do
		x=0; le=0; [ $mode = ext ] && x=1 le=4096
		"$BENCH_VC" "$BENCH_CARD" --port $port --sm 0 --ext $x --exit-after-ms 120000 & cp=$!
		timeout 120 "$BENCH_RD" pcsc: --reads $((BENCH_N + 1)) --ext-le $le --wait-ms 5000 \
			>"$BENCH_T/pcsc-$mode" 2>/dev/null
		timeout 120 "$BENCH_RD" pcsc: --reads $((BENCH_N + 1)) --ext-le $le --wait-ms 5000 \
			--can 012345 >"$BENCH_T/pcsc-pace-$mode" 2>/dev/null
		kill -9 $cp; wait $cp 2>/dev/null; sleep 1
	done
	kill -9 $pp; wait $pp 2>/dev/null'
report "pcsc vpcd (short APDUs)" "$(stats "$t/pcsc-short")" "sim" "$sim"
report "pcsc vpcd (extended, Le 4096)" "$(stats "$t/pcsc-ext")" "sim ext=1" "$simx"
report "pcsc vpcd PACE (short APDUs)" "$(stats "$t/pcsc-pace-short")" "sim PACE" "$simp"
report "pcsc vpcd PACE (extended, Le 4096)" "$(stats "$t/pcsc-pace-ext")" "sim PACE ext=1" "$simpx"
