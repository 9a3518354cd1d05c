# SPDX-License-Identifier: MIT
# daemon.sh - sourced by the CLI tests that run cccd-gatewayd: paths, a private temp dir removed on
# exit with the daemon ($pid) and the watcher ($wpid), fail (shows the daemon's log), a deadline
# loop, STATUS helpers, and the virtual chip of a dataset with its TEST-ONLY CSCA as trust.
# Set WAIT_S (deadline of wait_for, default 20 s) before sourcing. Needs $CCCDCTL.
here=$(cd "$(dirname "$0")/../.." && pwd)
ctl=$(cd "$(dirname "$CCCDCTL")" && pwd)/$(basename "$CCCDCTL")
bin=$(dirname "$ctl")
gwd=$bin/cccd-gatewayd
cli="python3 $here/tests/cli/lib/apiclient.py"
tmp=$(mktemp -d)
sock=$tmp/api.sock
pid=
wpid=
# Every step tolerates failure: under set -e a killed daemon's wait status (143) would otherwise
# end the trap before the watcher is killed and the temp dir removed.
cleanup() {
	for p in $wpid $pid; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -f "$tmp/log" ] && tail -n 30 "$tmp/log"; exit 1; }
wait_for() { # deadline loop: up to WAIT_S seconds
	for _ in $(seq $((${WAIT_S:-20} * 20))); do
		if eval "$1"; then return 0; fi
		sleep 0.05
	done
	fail "timed out waiting for: $1"
}
st() { "$ctl" status --json --socket "$sock" 2>/dev/null | tr -d ' '; }
num() { st | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
# sim_chip DATASET DIR: the virtual chip's files in DIR, its CSCA added to $tmp/trust
sim_chip() {
	mkdir -p "$2" "$tmp/trust"
	"$bin/tools/vchip-gen" card "$1" "$2" >/dev/null
	cp "$2/csca.pem" "$tmp/trust/"
}
