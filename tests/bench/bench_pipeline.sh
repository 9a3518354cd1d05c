#!/usr/bin/env bash
# bench_pipeline.sh - cccd-gatewayd end to end on the sim link (issue 7), one figure per line:
#   card present -> RESULT (the daemon's own timing_ms.present_to_result, median of 50 cards
#     presented one after another, key sent with the read request), beside a direct read of the
#     same card without the daemon (cccdctl read --reader, timing_ms.total, median of 20)
#   fan-out: from the first to the 100th watching client receiving one RESULT (client side,
#     median of 5 reads)
#   peak RSS (VmHWM) of the daemon after serving 100 watching clients and 1000 cards
# Reported, never asserted. The sim link models no air time here (latency_us=0): these are the
# daemon's own costs (crypto, parsing, fan-out); a real reader adds ~30-70 ms per APDU.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
b=$(cd "${BUILD:-build}" && pwd)
cli="python3 $here/tests/cli/lib/apiclient.py"
card=$here/tests/fixtures/cards/an.ini
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
sock=$tmp/api.sock
cat >"$tmp/gateway.ini" <<INI
[api]
socket = $sock
[daemon]
allow_root = true
[reader]
uri = sim:$tmp/slot.ini?watch=1
poll_ms = 10
[log]
level = warning
INI
"$b/cccd-gatewayd" -f -c "$tmp/gateway.ini" 2>"$tmp/log" &
pid=$!
for _ in $(seq 200); do [ -S "$sock" ] && break; sleep 0.05; done
idle=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status")

med=$($cli "$sock" cards 50 "$tmp/slot.ini" "$card" 0 | sed -n 's/present_to_result_median_ms //p')
direct=$(for _ in $(seq 20); do
	"$b/cccdctl" read --reader "sim:$card" --can 012345 --json |
		sed -n 's/.*"total":\([0-9]*\).*/\1/p'
done | sort -n | sed -n 10p)
echo "pipeline card-present-to-RESULT (sim link, median of 50 cards): ${med} ms  (peer direct read without the daemon: ${direct} ms)"

fan=$(for _ in 1 2 3 4 5; do
	$cli "$sock" watchers 100 '{"cmd":"read","key":{"can":"012345"}}' | sed -n 's/fanout_ms_last //p'
done | sort -n | sed -n 3p)
echo "pipeline fan-out RESULT to the 100th client (median of 5): ${fan} ms"

$cli "$sock" cards 1000 "$tmp/slot.ini" "$card" 100 >"$tmp/cards" || echo "cards run failed: $(tail -1 "$tmp/cards")"
rss=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status")
echo "pipeline peak RSS with 100 clients after $(sed -n 's/^results //p' "$tmp/cards") cards: $((rss / 1024)) MiB (VmHWM ${rss} kB; peer the same daemon idle after start: $((idle / 1024)) MiB)"
kill -TERM "$pid"
wait "$pid"
pid=
