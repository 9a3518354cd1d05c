#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Tiny cccd-gatewayd client (python3 standard library only): connect, print the VERSION
greeting, enable watch, print every event line. See docs/api.md.

    python3 client.py [SOCKET] [COUNT]     (default /run/cccd-gateway/api.sock, COUNT = forever)
"""
import json
import socket
import sys


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "/run/cccd-gateway/api.sock"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else -1
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect(path)
        lines = s.makefile("r", encoding="utf-8", newline="\n")
        version = json.loads(lines.readline())
        assert version["class"] == "VERSION", version
        print("VERSION", version["release"], "protocol %d.%d" % (version["proto_major"], version["proto_minor"]))
        s.sendall(b'{"cmd":"watch","enable":true}\n')
        print(json.loads(lines.readline())["class"])  # WATCH
        sys.stdout.flush()
        while count != 0:
            line = lines.readline()
            if not line:
                return 1  # the daemon went away
            event = json.loads(line)
            print(event["class"], line.strip())
            sys.stdout.flush()
            count -= 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
