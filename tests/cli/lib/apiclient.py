#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Socket-level helpers for tests/cli/test_pipeline.sh and tests/bench/bench_pipeline.sh: many
watchers, a slow client, a malformed client, requests; every wait has a deadline.

  apiclient.py SOCK watchers N CMDJSON     N watchers, then CMDJSON on another connection; prints
                                           how many watchers saw the RESULT and, for each, the ms
                                           from the RESULT reaching the first to reaching it
  apiclient.py SOCK request CMDJSON CLASS...  send, print every object until one of CLASS
  apiclient.py SOCK malformed              garbage lines, then status on the same connection
  apiclient.py SOCK slow SECONDS           watch and never read for SECONDS
  apiclient.py SOCK cards N SLOT CARD W    present CARD N times (a fresh copy replaces SLOT, the
                                           sim watch=1 file) with a read request holding its CAN,
                                           while W watchers read everything; prints RESULT count
                                           and the median timing_ms.present_to_result
"""
import os
import shutil
import statistics
import json
import select
import socket
import sys
import time

DEADLINE = 20.0


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s


class Lines:
    def __init__(self, s):
        self.s, self.buf = s, b""

    def next(self, timeout=DEADLINE):
        end = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.s], [], [], left)[0]:
                raise TimeoutError("no line within %.0f s" % timeout)
            chunk = self.s.recv(65536)
            if not chunk:
                raise EOFError("daemon closed the connection")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)


def open_watcher(path):
    s = connect(path)
    ln = Lines(s)
    assert ln.next()["class"] == "VERSION"
    s.sendall(b'{"cmd":"watch","enable":true}\n')
    assert ln.next()["class"] == "WATCH"
    return s, ln


def drain(s, buf):
    """One recv on a ready socket: (complete objects, the rest)."""
    chunk = s.recv(65536)
    if not chunk:
        raise EOFError("daemon closed a watcher")
    buf += chunk
    *lines, rest = buf.split(b"\n")
    return [json.loads(x) for x in lines if x], rest


def watchers(path, n, cmd):
    conns = [open_watcher(path) for _ in range(n)]
    bufs = {s: ln.buf for s, ln in conns}
    req = connect(path)
    Lines(req).next()
    req.sendall(cmd.encode() + b"\n")
    got = {}
    end = time.monotonic() + DEADLINE
    while len(got) < n and time.monotonic() < end:
        waiting = [s for s, _ in conns if s not in got]
        for s in select.select(waiting, [], [], 1.0)[0]:
            evs, bufs[s] = drain(s, bufs[s])
            if any(e["class"] == "RESULT" for e in evs):
                got[s] = time.monotonic()
    print("watchers_with_result", len(got))
    if got:
        first = min(got.values())
        print("fanout_ms_last", "%.2f" % ((max(got.values()) - first) * 1000))
    for s, _ in conns:
        s.close()
    req.close()
    return 0 if len(got) == n else 1


def request(path, cmd, classes):
    s = connect(path)
    ln = Lines(s)
    ln.next()
    s.sendall(cmd.encode() + b"\n")
    while True:
        ev = ln.next()
        print(json.dumps(ev, ensure_ascii=False, separators=(",", ":")))
        sys.stdout.flush()
        if ev["class"] in classes:
            return 0 if ev["class"] == classes[0] else 1


def malformed(path):
    s = connect(path)
    ln = Lines(s)
    ln.next()
    for bad in (b'{"cmd" "status"}', b'["status"]', b'{"cmd":"frob"}', b"\xff\xfe",
                b'{"cmd":"read","key":{"can":"12"}}', b'{"cmd":"read","photo":1}'):
        s.sendall(bad + b"\n")
        ev = ln.next()
        assert ev["class"] == "ERROR", ev
    s.sendall(b'{"cmd":"status"}\n')
    ev = ln.next()
    assert ev["class"] == "STATUS", ev
    print("malformed ok: 6 ERRORs, then STATUS on the same connection")
    return 0


def slow(path, seconds):
    s, _ = open_watcher(path)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    time.sleep(seconds)
    s.close()
    return 0


def cards(path, n, slot, card, w):
    conns = [open_watcher(path) for _ in range(w)]
    bufs = {s: ln.buf for s, ln in conns}
    req = connect(path)
    rl = Lines(req)
    rl.next()
    times, results = [], 0
    for i in range(n):
        shutil.copyfile(card, slot + ".new")
        os.replace(slot + ".new", slot)
        req.sendall(b'{"cmd":"read","key":{"can":"012345"}}\n')
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end:
            ready = select.select([req] + [c for c, _ in conns], [], [], 1.0)[0]
            for c in ready:
                if c is not req:
                    _, bufs[c] = drain(c, bufs[c])
            if req in ready or b"\n" in rl.buf:
                ev = rl.next()
                if ev["class"] in ("RESULT", "ERROR"):
                    break
        else:
            raise TimeoutError("card %d: no RESULT" % i)
        if ev["class"] == "RESULT":
            results += 1
            times.append(ev["timing_ms"]["present_to_result"])
    print("results", results)
    print("present_to_result_median_ms", statistics.median(times) if times else -1)
    return 0 if results == n else 1


def modbus(port):
    """Read holding registers 0..27 (docs/modbus.md) over Modbus TCP; print results and ID."""
    s = socket.create_connection(("127.0.0.1", port), timeout=DEADLINE)
    s.sendall(bytes([0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 28]))
    want, buf = 9 + 56, b""
    while len(buf) < want:
        chunk = s.recv(want - len(buf))
        if not chunk:
            raise EOFError("modbus server closed")
        buf += chunk
    s.close()
    regs = [int.from_bytes(buf[9 + 2 * i:11 + 2 * i], "big") for i in range(28)]
    print("results", regs[3] << 16 | regs[4])
    print("verdict", regs[13])
    print("id", b"".join(r.to_bytes(2, "big") for r in regs[19:25]).decode())
    return 0


def main(argv):
    path, what = argv[1], argv[2]
    if what == "watchers":
        return watchers(path, int(argv[3]), argv[4])
    if what == "request":
        return request(path, argv[3], argv[4:])
    if what == "malformed":
        return malformed(path)
    if what == "modbus":
        return modbus(int(argv[3]))
    if what == "cards":
        return cards(path, int(argv[3]), argv[4], argv[5], int(argv[6]))
    if what == "slow":
        return slow(path, float(argv[3]))
    raise SystemExit("unknown helper " + what)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
