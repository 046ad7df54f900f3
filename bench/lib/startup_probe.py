"""Starts a server command and measures it from outside: exec to the first correct UDP answer,
then resident memory after an idle pause and after a light load.

  python3 startup_probe.py --port 5391 [--rss] -- CMD ARG...

Prints one JSON line: {"startup_ms": ..., "idle": {...}, "load": {...}} (the memory parts only
with --rss). The answer counts as correct when it is www.example.com's CNAME to us.www plus its
address, as the README shows for a loopback client.
"""
import argparse
import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import time

QUESTION = b"\x03www\x07example\x03com\x00" + struct.pack(">HH", 1, 1)


def query(qid):
    # RD set, as dig sends it; no EDNS so the answer does not depend on cookies.
    return struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + QUESTION


def is_expected(reply, qid):
    if len(reply) < 12:
        return False
    rid, flags, qd, an = struct.unpack(">HHHH", reply[:8])
    # QR set, RCODE 0, the CNAME and the target's A, and the target is the us region.
    return rid == qid and flags & 0x8000 and flags & 0x000F == 0 and an == 2 and b"\x02us" in reply[12 + len(QUESTION):]


def wait_for_answer(sock, port, deadline):
    qid = 1
    while time.monotonic() < deadline:
        qid = qid % 65535 + 1
        try:
            sock.sendto(query(qid), ("127.0.0.1", port))
        except OSError:
            pass  # ICMP port unreachable from an earlier probe: nobody is bound yet
        # Poll every millisecond: the resolution of the measurement.
        ready, _, _ = select.select([sock], [], [], 0.001)
        while ready:
            try:
                reply = sock.recv(4096)
            except OSError:
                break
            if is_expected(reply, qid):
                return True
            ready, _, _ = select.select([sock], [], [], 0)
    return False


def memory(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "RssAnon", "RssFile", "Threads"):
                fields[name] = int(value.split()[0])
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            name, _, value = line.partition(":")
            if name in ("Anonymous", "Private_Clean", "Shared_Clean"):
                fields[name] = int(value.split()[0])
    return {
        "rss_mb": fields["VmRSS"] / 1024,
        "anon_mb": fields["RssAnon"] / 1024,
        "file_mb": fields["RssFile"] / 1024,
        "threads": fields["Threads"],
    }


def light_load(sock, port, seconds, rate=200):
    """About `rate` queries a second, one at a time, each waiting for its reply."""
    end = time.monotonic() + seconds
    qid = 0
    answered = 0
    while time.monotonic() < end:
        qid = qid % 65535 + 1
        sock.sendto(query(qid), ("127.0.0.1", port))
        ready, _, _ = select.select([sock], [], [], 0.05)
        if ready and is_expected(sock.recv(4096), qid):
            answered += 1
        time.sleep(1 / rate)
    return answered


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rss", action="store_true")
    parser.add_argument("--idle", type=float, default=5)
    parser.add_argument("--load", type=float, default=10)
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    cmd = args.cmd[1:] if args.cmd and args.cmd[0] == "--" else args.cmd

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setblocking(False)
    start = time.monotonic()
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    result = {}
    try:
        if not wait_for_answer(sock, args.port, start + args.timeout):
            server.kill()
            sys.stderr.write(server.stderr.read().decode(errors="replace"))
            sys.exit(f"startup_probe: no correct answer within {args.timeout} s")
        result["startup_ms"] = (time.monotonic() - start) * 1000
        if args.rss:
            sock.setblocking(True)
            time.sleep(args.idle)
            result["idle"] = memory(server.pid)
            result["answered"] = light_load(sock, args.port, args.load)
            result["load"] = memory(server.pid)
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
