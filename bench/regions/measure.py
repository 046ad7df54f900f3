#!/usr/bin/python3
"""The measurements of bench/regions.sh: start one server per setup on CPU 1, record its load time
and resident memory, check a sample of answers, then run dnsperf (CPU 0) against the setups in
turn, RUNS rounds, and record the server's CPU time per answered query. Results as JSON.

usage: measure.py --data DIR --bin DIR --run DIR --json FILE --wire DIR [--setups a b c]
env:   RUNS (3), DURATION (15 s), WARMUP (5 s)
"""
import argparse
import ipaddress
import json
import os
import re
import socket
import subprocess
import sys
import time

CLK = os.sysconf("SC_CLK_TCK")
HOST = "127.0.0.1"
SERVER_CPU, CLIENT_CPU = "1", "0"
PORTS = {"a": 5381, "b": 5382, "c": 5383}
QUERIES = {"a": "queries-1000.bin", "b": "queries-1000.bin", "c": "queries-1.bin"}


def log(msg):
    print(f"regions: {msg}", file=sys.stderr, flush=True)


def cpu_ticks(pid):
    """utime + stime of the whole process (every thread, live or exited), in clock ticks."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def cpu_busy(cpu):
    """Busy jiffies of one CPU (user, nice, system, irq, softirq, steal) from /proc/stat."""
    with open("/proc/stat") as f:
        for line in f:
            if line.startswith(f"cpu{cpu} "):
                user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, line.split()[1:9])
                return user + nice + system + irq + softirq + steal
    return 0


def status_kib(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return None


def ask(dnswire, port, name, ecs, timeout=1.0):
    pkt = dnswire.build_query(name, "A", ecs=ipaddress.ip_network(ecs) if ecs else None, qid=os.getpid() & 0xFFFF)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.sendto(pkt, (HOST, port))
        return dnswire.parse_response(s.recv(65535))


def region_of(k, answer):
    """The region an answer's A record names (10.k/256.k%256.2r+1|2r+2), or None."""
    for _, rtype, _, data in answer["answers"]:
        if rtype != "A":
            continue
        a, b, c, d = map(int, data.split("."))
        if (a, b, c) == (10, k // 256, k % 256):
            return f"r{(d - 1) // 2:02d}"
    return None


def start(setup, data, args, run, dnswire):
    port = PORTS[setup]
    cmd = ["taskset", "-c", SERVER_CPU, os.path.join(args.bin, "gslbdns"), "--zones", os.path.join(data, setup),
           "--geoip", args.geoip, "--listen", f"{HOST}:{port}", "--api-listen", "none", "--no-watch",
           "--log-level", "Warning"]
    logf = open(os.path.join(run, f"server-{setup}.log"), "w")
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT)
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"regions: server {setup} exited ({proc.returncode}), see {logf.name}")
        try:
            if ask(dnswire, port, "s0000.cdn.test", "2.2.3.0/24", 0.2)["rcode"] == 0:
                break
        except (socket.timeout, ConnectionRefusedError):
            pass
        if time.monotonic() - t0 > 300:
            raise SystemExit(f"regions: server {setup} did not answer within 300 s")
        time.sleep(0.02)
    loaded = time.monotonic() - t0
    subprocess.run(["taskset", "-a", "-p", "-c", SERVER_CPU, str(proc.pid)], stdout=subprocess.DEVNULL, check=True)
    log(f"setup {setup}: answering after {loaded:.2f} s, pid {proc.pid}")
    return proc, loaded


def verify(setup, data, dnswire):
    with open(os.path.join(data, setup, "cases.json")) as f:
        cases = json.load(f)
    bad = []
    for case in cases:
        try:
            res = ask(dnswire, PORTS[setup], case["name"], case["ecs"])
        except socket.timeout:
            bad.append((case, "timeout"))
            continue
        got = region_of(case["k"], res)
        if res["rcode"] != 0 or got not in case["allowed"]:
            bad.append((case, f"rcode {res['rcode']} region {got}"))
    for case, why in bad[:10]:
        log(f"setup {setup}: WRONG {case['name']} ECS {case['ecs']}: {why}, allowed {case['allowed'][:5]}")
    return len(cases), len(bad)


def dnsperf(setup, data, seconds, pid):
    cmd = ["taskset", "-c", CLIENT_CPU, "dnsperf", "-s", HOST, "-p", str(PORTS[setup]), "-B", "-d",
           os.path.join(data, QUERIES[setup]), "-c", "4", "-q", "100", "-T", "2", "-t", "2", "-l", str(seconds)]
    t0, b0 = (cpu_ticks(pid) if pid else 0), cpu_busy(SERVER_CPU)
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    t1, b1 = (cpu_ticks(pid) if pid else 0), cpu_busy(SERVER_CPU)

    def num(pattern, cast=float):
        m = re.search(pattern, out)
        return cast(m.group(1)) if m else 0
    completed = num(r"Queries completed:\s+(\d+)", int)
    rcodes = dict(re.findall(r"(\w+) (\d+)", (re.search(r"Response codes:\s+(.*)", out) or [None, ""])[1]))
    return {"completed": completed, "lost": num(r"Queries lost:\s+(\d+)", int), "qps": num(r"Queries per second:\s+([\d.]+)"),
            "noerror": int(rcodes.get("NOERROR", 0)), "cpu_s": (t1 - t0) / CLK,
            # Work on the server's CPU that was not the server's (other programs, interrupts): a
            # run that shared its CPU costs more per query, as the caches are shared too.
            "cpu1_other_s": max(0, (b1 - b0) - (t1 - t0)) / CLK,
            "us_per_q": 1e6 * (t1 - t0) / CLK / completed if completed else None}


def main():
    ap = argparse.ArgumentParser()
    for a in ("--data", "--bin", "--run", "--json", "--wire", "--geoip"):
        ap.add_argument(a, required=True)
    ap.add_argument("--setups", nargs="+", default=["a", "b", "c"])
    args = ap.parse_args()
    sys.path.insert(0, args.wire)
    import dnswire
    runs, duration, warmup = int(os.environ.get("RUNS", 3)), int(os.environ.get("DURATION", 15)), int(os.environ.get("WARMUP", 5))
    results = {"runs": runs, "duration": duration, "setups": {}}
    procs = {}
    try:
        # One at a time: each load has CPU 1 to itself, so load times compare.
        for setup in args.setups:
            proc, loaded = start(setup, args.data, args, args.run, dnswire)
            procs[setup] = proc
            total, wrong = verify(setup, args.data, dnswire)
            log(f"setup {setup}: {total - wrong}/{total} sampled answers name an allowed region")
            if wrong:
                raise SystemExit(f"regions: setup {setup} gave {wrong} wrong answers; nothing measured")
            results["setups"][setup] = {"load_s": loaded, "rss_loaded_kib": status_kib(proc.pid, "VmRSS"),
                                        "checked": total, "runs": []}
        for setup in args.setups:
            log(f"setup {setup}: {warmup} s warm-up (tiered JIT)")
            dnsperf(setup, args.data, warmup, None)
        # Interleaved rounds (a b c a b c ...): drift of the machine hits every setup alike.
        for r in range(runs):
            for setup in args.setups:
                res = dnsperf(setup, args.data, duration, procs[setup].pid)
                results["setups"][setup]["runs"].append(res)
                log(f"round {r + 1}/{runs} setup {setup}: {res['qps']:.0f} q/s, {res['us_per_q']:.2f} us/q, lost {res['lost']}, "
                    f"other work on CPU {SERVER_CPU} {res['cpu1_other_s']:.1f} s")
        for setup in args.setups:
            pid = procs[setup].pid
            results["setups"][setup].update(rss_kib=status_kib(pid, "VmRSS"), hwm_kib=status_kib(pid, "VmHWM"))
    finally:
        for proc in procs.values():
            proc.terminate()
        for proc in procs.values():
            proc.wait()
    with open(args.json, "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
