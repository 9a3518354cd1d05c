#!/usr/bin/env bash
# test_daemon.sh - cccdctl's daemon subcommands and the two example clients (docs/examples)
# against the real cccd-gatewayd binary built beside $CCCDCTL, on a private socket.
# Waits poll with a deadline; nothing asserts on elapsed time.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
ctl=$(cd "$(dirname "$CCCDCTL")" && pwd)/$(basename "$CCCDCTL")
gwd=$(dirname "$ctl")/cccd-gatewayd
[ -x "$gwd" ] || { echo "FAIL: no daemon binary at $gwd"; exit 1; }
tmp=$(mktemp -d)
chmod 755 "$tmp" # the EACCES check below runs a client as another user
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
sock=$tmp/api.sock
fail() { echo "FAIL: $*"; [ -f "$tmp/log" ] && tail -n 20 "$tmp/log"; exit 1; }
expect_rc() { # want cmd...: run, keep stdout/stderr in $tmp/out and $tmp/err
	local want=$1 rc=0
	shift
	"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	[ "$rc" = "$want" ] || fail "$* exited $rc, expected $want: $(cat "$tmp/err")"
}
wait_for() { # deadline loop: up to 10 s, checking every 50 ms
	for _ in $(seq 200); do
		if eval "$1"; then return 0; fi
		sleep 0.05
	done
	fail "timed out waiting for: $1"
}
printf '[api]\nsocket = %s\n[daemon]\nallow_root = true\n[reader]\nuri =\n' "$sock" >"$tmp/gateway.ini"

# 1. no daemon: a clear message and exit 2
expect_rc 2 "$ctl" status --socket "$sock"
grep -q "the daemon is not running" "$tmp/err" || fail "no 'not running' message"

# 2. -t checks the configuration; a bad one names file:line
expect_rc 0 "$gwd" -t -c "$tmp/gateway.ini"
printf '[api]\nsocket = %s\nmax_clients = 0\n' "$sock" >"$tmp/bad.ini"
expect_rc 1 "$gwd" -t -c "$tmp/bad.ini"
grep -q "bad.ini:3: \[api\] max_clients: expected 1..1024" "$tmp/err" || fail "-t message"
expect_rc 0 "$gwd" -t -c "$here/docs/gateway.ini.example" # the shipped example stays valid

"$gwd" -f -c "$tmp/gateway.ini" 2>"$tmp/log" &
pid=$!
wait_for '[ -S "$sock" ]'

# 3. status, devices, config
expect_rc 0 "$ctl" status --socket "$sock"
grep -qE '^clients +1$' "$tmp/out" || fail "status: $(cat "$tmp/out")"
expect_rc 0 "$ctl" status --json --socket "$sock"
grep -q '"class":"STATUS"' "$tmp/out" || fail "status --json"
expect_rc 0 "$ctl" devices --socket "$sock"
grep -qx 'no devices' "$tmp/out" || fail "devices: $(cat "$tmp/out")"
export CCCD_SOCKET=$sock
expect_rc 0 "$ctl" config get log.level
grep -qx 'log.level = info' "$tmp/out" || fail "config get: $(cat "$tmp/out")"
expect_rc 0 "$ctl" config
grep -qx 'api.max_clients = 128' "$tmp/out" || fail "config (all)"
grep -q 'tcp_token' "$tmp/out" && fail "config shows the secret key"
expect_rc 1 "$ctl" config set api.socket /tmp/x
grep -q "cannot be changed at run time" "$tmp/err" || fail "config set non-reloadable"
expect_rc 1 "$ctl" config set reader.timeout_ms 5
grep -q "expected 10..60000" "$tmp/err" || fail "config set out of range"
expect_rc 2 "$ctl" config get
expect_rc 2 "$ctl" status --bogus

# 4. read: no reader configured ([reader] uri empty), so the daemon says so; bad keys are rejected too
expect_rc 1 "$ctl" read --can 123456
grep -q "no reader configured" "$tmp/err" || fail "read: $(cat "$tmp/err")"
expect_rc 1 "$ctl" read --can 12
grep -q "key.can: expected 6 digits" "$tmp/err" || fail "read --can 12: $(cat "$tmp/err")"

# 5. watch (human and --json) and both example clients see a CONFIG change
"$ctl" watch --count 1 >"$tmp/watch.txt" 2>/dev/null &
w1=$!
"$ctl" watch --json --count 1 >"$tmp/watch.json" &
w2=$!
python3 "$here/docs/examples/client.py" "$sock" 1 >"$tmp/py.txt" &
w3=$!
cc -std=c11 -Wall -Wextra -Werror -o "$tmp/client" "$here/docs/examples/client.c"
"$tmp/client" "$sock" 1 >"$tmp/c.txt" &
w4=$!
wait_for '"$ctl" status --json | grep -q "\"watchers\":4"'
expect_rc 0 "$ctl" config set log.level debug
grep -qx 'log.level = debug' "$tmp/out" || fail "config set: $(cat "$tmp/out")"
wait "$w1" "$w2" "$w3" "$w4" || fail "a watcher failed"
grep -qx 'CONFIG values.log.level=debug' "$tmp/watch.txt" || fail "watch: $(cat "$tmp/watch.txt")"
grep -qx '{"class":"CONFIG","values":{"log.level":"debug"}}' "$tmp/watch.json" ||
	fail "watch --json: $(cat "$tmp/watch.json")"
grep -q '^VERSION 0' "$tmp/py.txt" && grep -q '^WATCH$' "$tmp/py.txt" &&
	grep -q '^CONFIG {"class":"CONFIG"' "$tmp/py.txt" || fail "client.py: $(cat "$tmp/py.txt")"
grep -q '"class":"VERSION"' "$tmp/c.txt" && grep -q '"class":"WATCH"' "$tmp/c.txt" &&
	grep -q '"class":"CONFIG"' "$tmp/c.txt" || fail "client.c: $(cat "$tmp/c.txt")"

# 6. a socket the user may not open: exit 2 and say what to do
if [ "$(id -u)" = 0 ]; then
	if setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null &&
		setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$ctl"; then
		expect_rc 2 setpriv --reuid=65534 --regid=65534 --clear-groups "$ctl" status
		grep -q "no permission to use" "$tmp/err" || fail "EACCES: $(cat "$tmp/err")"
	else
		echo "note: cannot run cccdctl as nobody here; EACCES message not exercised"
	fi
else
	chmod 000 "$sock"
	expect_rc 2 "$ctl" status
	grep -q "no permission to use" "$tmp/err" || fail "EACCES: $(cat "$tmp/err")"
	chmod 660 "$sock"
fi

# 7. SIGTERM: clean exit, socket removed
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
pid=
[ "$rc" = 0 ] || fail "daemon exited $rc"
[ ! -e "$sock" ] || fail "socket left behind"
expect_rc 2 "$ctl" status
echo "ok"
