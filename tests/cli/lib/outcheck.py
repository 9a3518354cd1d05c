#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Helpers for tests/cli/test_outputs_daemon.sh: a pty that stands for a serial terminal, and
the checks that compare what each output carried with the RESULT. Every wait has a deadline;
every check prints what differed and exits 1.

  outcheck.py pty NAMEFILE OUT       open a pty pair (raw), write the slave's path to NAMEFILE,
                                     copy what arrives on the master to OUT until SIGTERM
  outcheck.py freeport               a TCP port free on 127.0.0.1 now
  outcheck.py text RESULT.json [ascii]  the test profiles' text for RESULT (ID, name, birth
                                     date dd/mm/yyyy, residence, Tab between, Enter at the end);
                                     ascii: diacritics stripped, Đ -> D
  outcheck.py serialjson OUT RESULT.json N   OUT holds N JSON lines, the last equal to RESULT
  outcheck.py modbus PORT RESULT.json  holding registers 0..27 (docs/modbus.md) against RESULT
  outcheck.py outputs                status JSON on stdin: "name type sent failed" per output
  outcheck.py mbstate PORT           print holding register 1 (state) and discrete input 0
  outcheck.py mback PORT             write coil 1 (acknowledge) ON
"""
import json
import os
import pty
import select
import signal
import socket
import sys
import tty
import unicodedata

DEADLINE = 20.0


def pty_copy(namefile, out):
    master, slave = pty.openpty()
    tty.setraw(slave)  # no ONLCR: the bytes the daemon writes are the bytes we see
    with open(namefile + ".new", "w") as f:
        f.write(os.ttyname(slave) + "\n")
    os.replace(namefile + ".new", namefile)  # the test polls for the whole name
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # the slave stays open here, so the daemon closing it never gives EIO on the master
    with open(out, "ab") as f:
        while True:
            if select.select([master], [], [], 1.0)[0]:
                f.write(os.read(master, 65536))
                f.flush()
            if os.getppid() == 1:  # the test died without killing us
                return 0


def freeport():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
    s.close()
    return 0


def field(res, path):
    for k in path.split("."):
        res = res[k]
    return res


def ascii_fold(s):
    s = s.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def text(result, strategy=None):
    res = json.load(open(result, encoding="utf-8"))
    y, m, d = field(res, "person.birth_date").split("-")
    t = "\t".join([field(res, "document.number"), field(res, "person.full_name"),
                   "%s/%s/%s" % (d, m, y), field(res, "person.residence")]) + "\n"
    sys.stdout.write(ascii_fold(t) if strategy == "ascii" else t)
    return 0


def diff(a, b, path=""):
    """Paths where two JSON values differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append("%s.%s only in %s" % (path, k, "serial" if k in a else "RESULT"))
            else:
                out += diff(a[k], b[k], path + "." + k)
        return out
    return [] if a == b else ["%s: serial %r, RESULT %r" % (path, a, b)]


def serialjson(out, result, n):
    res = json.load(open(result, encoding="utf-8"))
    raw = open(out, "rb").read()
    lines = raw.split(b"\n")
    if lines[-1] != b"" or len(lines) - 1 != n:
        print("serial json: %d complete lines (want %d), tail %r" % (len(lines) - 1, n, raw[-40:]))
        return 1
    for ln in lines[:-1]:
        json.loads(ln.decode("utf-8"))  # every line is one whole JSON object
    d = diff(json.loads(lines[-2].decode("utf-8")), res)  # the newest line is this RESULT
    if d:
        print("serial json line %d differs from the RESULT:\n  %s" % (n, "\n  ".join(d[:10])))
        return 1
    return 0


def mb_request(port, pdu, want):
    """One Modbus/TCP request (unit 1) and its answer's PDU of want bytes; None on a short or
    exception answer (printed)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=DEADLINE)
    s.sendall(bytes([0, 7, 0, 0, 0, len(pdu) + 1, 1]) + bytes(pdu))
    buf = b""
    while len(buf) < 7 + want:
        chunk = s.recv(7 + want - len(buf))
        if not chunk:
            break
        buf += chunk
        if len(buf) >= 8 and buf[7] & 0x80:
            break
    s.close()
    if len(buf) < 7 + want or buf[7] != pdu[0]:
        print("modbus: unexpected answer %s to %s" % (buf.hex(), bytes(pdu).hex()))
        return None
    return buf[7:]


def mbstate(port):
    regs = mb_request(port, [3, 0, 1, 0, 1], 4)  # FC 03: register 1
    inp = mb_request(port, [2, 0, 0, 0, 1], 3)  # FC 02: discrete input 0
    if regs is None or inp is None:
        return 1
    print(int.from_bytes(regs[2:4], "big"), inp[2] & 1)
    return 0


def mback(port):
    return 0 if mb_request(port, [5, 0, 1, 0xFF, 0], 5) is not None else 1  # FC 05 coil 1 ON


def modbus(port, result):
    res = json.load(open(result, encoding="utf-8"))
    buf = mb_request(port, [3, 0, 0, 0, 28], 2 + 56)  # FC 03, 28 registers from 0
    if buf is None:
        return 1
    if buf[1] != 56:
        print("modbus: unexpected answer %s" % buf[:2].hex())
        return 1
    r = [int.from_bytes(buf[2 + 2 * i:4 + 2 * i], "big") for i in range(28)]
    idn = field(res, "document.number")
    verdicts = {"genuine": 1, "suspect": 2, "failed": 3}
    passive = {"ok": 1, "failed": 2, "untrusted": 3}
    want = {
        "version (0)": 1,
        "state (1, result ready)": 3,
        "verdict (13)": verdicts[field(res, "checks.verdict")],
        "passive (14)": passive.get(res["checks"].get("passive"), 0),
        "id_ascii (19-24)": idn,
        "id_num (25-27)": [int(idn[0:4]), int(idn[4:8]), int(idn[8:12])],
    }
    got = {
        "version (0)": r[0],
        "state (1, result ready)": r[1],
        "verdict (13)": r[13],
        "passive (14)": r[14],
        "id_ascii (19-24)": b"".join(x.to_bytes(2, "big") for x in r[19:25]).decode("latin-1"),
        "id_num (25-27)": r[25:28],
    }
    bad = [k for k in want if want[k] != got[k]]
    for k in bad:
        print("modbus %s: register %r, RESULT says %r" % (k, got[k], want[k]))
    results, genuine = r[3] << 16 | r[4], r[5] << 16 | r[6]
    print("modbus: sequence %d results %d genuine %d verdict %d id %s" %
          (r[2], results, genuine, r[13], got["id_ascii (19-24)"]))
    if results < 1 or r[2] != results & 0xFFFF:
        print("modbus: sequence %d and results %d disagree" % (r[2], results))
        bad.append("counters")
    return 1 if bad else 0


def find(v, key):
    """The first value named key anywhere in v (the status object nests the pipeline's)."""
    if isinstance(v, dict):
        if key in v:
            return v[key]
        v = list(v.values())
    if isinstance(v, list):
        for x in v:
            got = find(x, key)
            if got is not None:
                return got
    return None


def outputs():
    st = json.load(sys.stdin)
    for o in find(st, "outputs") or []:
        print(o["name"], o["type"], o["sent"], o["failed"], o.get("error", ""))
    return 0


def main(a):
    if a[1] == "pty":
        return pty_copy(a[2], a[3])
    if a[1] == "freeport":
        return freeport()
    if a[1] == "text":
        return text(a[2], a[3] if len(a) > 3 else None)
    if a[1] == "serialjson":
        return serialjson(a[2], a[3], int(a[4]))
    if a[1] == "modbus":
        return modbus(int(a[2]), a[3])
    if a[1] == "outputs":
        return outputs()
    if a[1] == "mbstate":
        return mbstate(int(a[2]))
    if a[1] == "mback":
        return mback(int(a[2]))
    raise SystemExit("unknown helper " + a[1])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
