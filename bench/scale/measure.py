#!/usr/bin/python3
"""bench/scale.sh's measurements: GslbDns next to gdnsd (GeoIP + policies) and knot (a 1M-record
zone), one server at a time, pinned to CPU 1, dnsperf on CPU 0. Progress to stderr; the results
as JSON to --json (scale_report.py turns them into the table).

usage: measure.py --data DIR --bin DIR --run DIR --json FILE
"""
import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dnsprobe  # noqa: E402

HOST = "127.0.0.1"
PORT_GEO, PORT_BIG, API_GEO, API_BIG = 5381, 5382, 28181, 28182
PORT_GDNSD, PORT_KNOT = 5387, 5388
SERVER_CPU, CLIENT_CPU = "1", "0"
START_TIMEOUT = float(os.environ.get("START_TIMEOUT", "300"))


def log(msg):
    print(f"scale: {time.strftime('%H:%M:%S')} {msg}", file=sys.stderr, flush=True)


# ---- processes and memory -------------------------------------------------------------------

def tree(pid):
    """pid and its descendants"""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for t in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{t}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out


def status(pid):
    """VmRSS, VmHWM, RssAnon, RssFile in MiB, summed over the process tree"""
    total = {"VmRSS": 0.0, "VmHWM": 0.0, "RssAnon": 0.0, "RssFile": 0.0}
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    key, _, value = line.partition(":")
                    if key in total:
                        total[key] += int(value.split()[0]) / 1024
        except OSError:
            pass
    return total


def reset_peak(pid):
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/clear_refs", "w") as f:
                f.write("5")  # resets VmHWM to the current RSS (Linux >= 4.0)
        except OSError:
            pass


class Sampler:
    """RSS of a process tree every 20 ms, in a thread: the peak between start and stop"""

    def __init__(self, pid):
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, status(self.pid)["VmRSS"])
            time.sleep(0.02)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *_):
        self._stop.set()
        self._thread.join()


def pin(pid):
    subprocess.run(["taskset", "-a", "-p", "-c", SERVER_CPU, str(pid)], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)


class Server:
    def __init__(self, label, cmd, logfile, cwd=None):
        self.label, self.cmd, self.logfile, self.cwd = label, cmd, logfile, cwd
        self.proc = None

    def start(self):
        self.log = open(self.logfile, "w")
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(["taskset", "-c", SERVER_CPU] + self.cmd, stdout=self.log,
                                     stderr=subprocess.STDOUT, cwd=self.cwd)
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    @property
    def pid(self):
        return self.proc.pid


def wait_for(server, port, name, qtype, ecs, good, timeout=START_TIMEOUT):
    """Seconds from the process start (or `since`) until a reply passes `good`"""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise SystemExit(f"scale: {server.label} exited ({server.proc.returncode}); see {server.logfile}")
        reply = dnsprobe.ask(HOST, port, name, qtype, ecs, timeout=0.05)
        if reply is not None and good(reply):
            return time.monotonic()
        time.sleep(0.005)
    raise SystemExit(f"scale: {server.label}: no good answer for {name} within {timeout} s; see {server.logfile}")


def wait_serial(server, port, zone, serial, timeout=START_TIMEOUT):
    return wait_for(server, port, zone, "SOA", None, lambda r: r[0] == 0 and r[2] == serial, timeout)


def settle(pid, seconds=5):
    """Resident memory after `seconds` of idling (median of 5 samples over the last second)"""
    time.sleep(max(0, seconds - 1))
    samples = []
    for _ in range(5):
        samples.append(status(pid))
        time.sleep(0.2)
    return {k: statistics.median(s[k] for s in samples) for k in samples[0]}


# ---- GeoIP + policies -----------------------------------------------------------------------

def check_cases(port, cases):
    wrong = []
    for c in cases:
        reply = dnsprobe.ask(HOST, port, c["name"], "A", c["ecs"], timeout=0.5) or dnsprobe.ask(HOST, port, c["name"], "A", c["ecs"], timeout=1)
        got = reply[1] if reply else None
        if not got or got[0] != c["expect"]:
            wrong.append({**c, "got": got})
    return wrong


def metric(api, name):
    try:
        with urllib.request.urlopen(f"http://{HOST}:{api}/metrics", timeout=2) as r:
            text = r.read().decode()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(name):
            return line.rsplit(" ", 1)[1]
    return None


def replace_file(src, dst):
    """copy src next to dst and rename it into place (a new inode, as geoipupdate does)"""
    tmp = os.path.join(os.path.dirname(dst), "." + os.path.basename(dst) + ".new")
    shutil.copyfile(src, tmp)
    os.rename(tmp, dst)


def geo_run(label, server, port, cases, db_path, db_source, reloaded):
    """start, first correct answer, all answers checked, steady RSS, then the database replaced"""
    server.start()
    first = cases[0]
    t = wait_for(server, port, first["name"], "A", first["ecs"],
                 lambda r: r[0] == 0 and r[1][:1] == [first["expect"]])
    load_s = t - server.t0
    pin(server.pid)
    log(f"{label}: first correct answer after {load_s:.2f} s")
    wrong = check_cases(port, cases)
    log(f"{label}: {len(cases) - len(wrong)}/{len(cases)} answers as expected")
    steady = settle(server.pid)
    log(f"{label}: steady RSS {steady['VmRSS']:.0f} MiB (anon {steady['RssAnon']:.0f}, file {steady['RssFile']:.0f})")
    reset_peak(server.pid)
    with Sampler(server.pid) as sampler:
        t0 = time.monotonic()
        replace_file(db_source, db_path)
        reload_s = reloaded(t0)
        time.sleep(3)
    after = status(server.pid)
    peak = max(sampler.peak, after["VmHWM"])
    wrong_after = check_cases(port, cases[:20])
    log(f"{label}: database reload {reload_s if reload_s is None else round(reload_s, 2)} s, peak RSS {peak:.0f} MiB, "
        f"after {after['VmRSS']:.0f} MiB, {len(wrong_after)} wrong after")
    server.stop()
    return {"load_s": load_s, "cases": len(cases), "wrong": len(wrong), "wrong_examples": wrong[:3],
            "steady": steady, "reload_s": reload_s, "reload_peak_mib": peak, "after_reload": after,
            "wrong_after_reload": len(wrong_after)}


def measure_geo(args, data, run, results):
    geo = os.path.join(run, "geo")
    os.makedirs(geo, exist_ok=True)
    db = os.path.join(geo, "geo.mmdb")
    built = os.path.join(data, "geo.mmdb")
    shutil.copyfile(built, db)
    cases = json.load(open(os.path.join(data, "cases.json")))
    zones = os.path.join(geo, "zones")
    shutil.copytree(os.path.join(data, "geo-zones"), zones, dirs_exist_ok=True)

    gslb = Server("GslbDns", [os.path.join(args.bin, "gslbdns"), "--zones", zones, "--geoip", db,
                              "--listen", f"{HOST}:{PORT_GEO}", "--listen", f"127.0.0.51:{PORT_GEO}",
                              "--api-listen", f"{HOST}:{API_GEO}"], os.path.join(run, "gslbdns-geo.log"))

    def logged(path, pattern, count, t0):
        """seconds from t0 until the log holds `count` lines matching pattern"""
        deadline = t0 + 300
        while time.monotonic() < deadline:
            if len(re.findall(pattern, open(path, errors="replace").read())) >= count:
                return time.monotonic() - t0
            time.sleep(0.05)
        return None

    # GslbDns logs "Steering geo.test. with 10 service(s)" when the policy's trees are compiled: once
    # at start and once when the recompiled steering is in force after the database changed
    def gslb_reloaded(t0):
        return logged(gslb.logfile, r"Steering geo\.test\. with", 2, t0)

    log("GslbDns: GeoIP + 10 policies")
    results["geo"]["gslbdns"] = geo_run("GslbDns", gslb, PORT_GEO, cases, db, built, gslb_reloaded)

    gdir = os.path.join(run, "gdnsd")
    os.makedirs(os.path.join(gdir, "zones"), exist_ok=True)
    gdb = os.path.join(gdir, "geo.mmdb")
    shutil.copyfile(built, gdb)
    conf = open(os.path.join(data, "gdnsd", "config.in")).read()
    conf = conf.replace("@PORT@", str(PORT_GDNSD)).replace("@RUN@", gdir).replace("@GEODB@", gdb)
    open(os.path.join(gdir, "config"), "w").write(conf)
    shutil.copyfile(os.path.join(data, "gdnsd", "zones", "geo.test"), os.path.join(gdir, "zones", "geo.test"))
    glog = os.path.join(run, "gdnsd.log")
    gd = Server("gdnsd", ["gdnsd", "-c", gdir, "start"], glog)

    def gdnsd_reloaded(t0):
        # gdnsd logs "map 'sN' runtime db updated" per map at start and when it swapped in the new
        # database (after 5 s of quiescence on the file)
        return logged(glog, r"runtime db updated", 20, t0)

    log("gdnsd: GeoIP + 10 maps")
    results["geo"]["gdnsd"] = geo_run("gdnsd", gd, PORT_GDNSD, cases, gdb, built, gdnsd_reloaded)


# ---- the 1M-record zone ---------------------------------------------------------------------

def with_serial(src, dst, serial):
    """src with its SOA serial replaced, written beside dst (the caller renames it into place)"""
    tmp = os.path.join(os.path.dirname(dst), "." + os.path.basename(dst) + f".{serial}")
    with open(src) as f, open(tmp, "w") as out:
        for line in f:
            if " SOA " in line:
                parts = line.split()
                parts[parts.index("SOA") + 3] = str(serial)
                line = " ".join(parts) + "\n"
            out.write(line)
    return tmp


PROBE_RATE = 2000  # qps of the latency probe that runs beside the fixed-rate load
# dnsperf's socket buffers: with the default (rmem_default, about 200 KiB) a server that catches up
# after a pause of a few milliseconds sends faster than dnsperf reads, and the client's own socket
# drops replies the server did send (counted below as the clients' drops). Capped by net.core.rmem_max.
CLIENT_BUFFER_KIB = 4096


def dnsperf(port, queries, seconds, rate=None, verbose=False, out=None):
    """dnsperf on the client CPU. Only the latency probe (a low rate) asks for per-reply lines
    (-v): at tens of thousands of replies a second, printing them is what fell behind, and the
    replies the client's socket then dropped were counted as lost by the server."""
    cmd = ["taskset", "-c", CLIENT_CPU, "dnsperf", "-s", HOST, "-p", str(port), "-d", queries,
           "-l", str(seconds), "-t", "2", "-b", str(CLIENT_BUFFER_KIB)]
    if verbose:
        cmd += ["-c", "1", "-T", "1", "-q", "1000", "-Q", str(PROBE_RATE), "-v"]
    elif rate:
        cmd += ["-c", "4", "-T", "2", "-q", "20000", "-Q", str(rate)]
    else:
        cmd += ["-c", "4", "-q", "100", "-T", "2"]
    return subprocess.Popen(cmd, stdout=out or subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def udp_drops(port):
    """Datagrams the kernel dropped at the server's own UDP sockets (the drops column of
    /proc/net/udp and udp6 for sockets bound to port): losses that are the server's, not the client's."""
    total = 0
    for table in ("/proc/net/udp", "/proc/net/udp6"):
        try:
            lines = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 12 and int(fields[1].rsplit(":", 1)[1], 16) == port:
                total += int(fields[-1])
    return total


def receive_buffer_errors():
    """Datagrams dropped because a receiving UDP socket's buffer was full, over every socket of the
    machine (RcvbufErrors of /proc/net/snmp and Udp6RcvbufErrors of /proc/net/snmp6). Less the
    server's own drops, these are the replies the clients' sockets had no room for."""
    total = 0
    try:
        lines = [l.split() for l in open("/proc/net/snmp") if l.startswith("Udp:")]
        total += int(lines[1][lines[0].index("RcvbufErrors")])
    except (OSError, ValueError, IndexError):
        pass
    try:
        for line in open("/proc/net/snmp6"):
            if line.startswith("Udp6RcvbufErrors"):
                total += int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return total


def fixed_rate(port, queries, seconds, rate, probe_path):
    """The fixed-rate load (summary only) and the latency probe (per reply, into probe_path) together."""
    drops = (udp_drops(port), receive_buffer_errors())
    load = dnsperf(port, queries, seconds, rate - PROBE_RATE)
    probe_out = open(probe_path, "w")
    probe = dnsperf(port, queries, seconds, verbose=True, out=probe_out)
    return load, probe, probe_out, port, drops


def fixed_rate_done(load, probe, probe_out, port, drops, probe_path):
    """Sent and lost over both clients, with the probe's per-reply latencies."""
    text = load.communicate()[0]
    probe.wait()
    probe_out.close()
    probe_text = open(probe_path, errors="replace").read()
    a, b = dnsperf_summary(text), dnsperf_summary(probe_text[-4000:])
    total = {k: (a[k] or 0) + (b[k] or 0) for k in ("sent", "completed", "lost", "qps")}
    total["avg_lat_s"] = a["avg_lat_s"]
    total["load_lost"], total["probe_lost"] = a["lost"], b["lost"]
    total["server_socket_drops"] = udp_drops(port) - drops[0]
    total["client_socket_drops"] = max(0, receive_buffer_errors() - drops[1] - total["server_socket_drops"])
    return total, latencies(probe_path)


def dnsperf_summary(text):
    def num(pattern):
        m = re.search(pattern, text)
        return float(m.group(1)) if m else None
    return {"sent": num(r"Queries sent:\s+(\d+)"), "completed": num(r"Queries completed:\s+(\d+)"),
            "lost": num(r"Queries lost:\s+(\d+)"), "qps": num(r"Queries per second:\s+([\d.]+)"),
            "avg_lat_s": num(r"Average Latency \(s\):\s+([\d.]+)")}


def latencies(path):
    """per-reply latencies (s) in arrival order from dnsperf -v"""
    out = []
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("> "):
                try:
                    out.append(float(line.rsplit(None, 1)[1]))
                except (ValueError, IndexError):
                    pass
    return out


def p99(xs):
    if not xs:
        return None
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(0.99 * len(xs)))]


def gc_counters(api_port):
    """GslbDns's own collections (by generation) and total pause from its /metrics; None without an API."""
    if api_port is None:
        return None
    try:
        text = urllib.request.urlopen(f"http://{HOST}:{api_port}/metrics", timeout=5).read().decode()
    except OSError:
        return None
    out = {"pause_s": 0.0}
    for line in text.splitlines():
        m = re.match(r'gslbdns_dotnet_gc_collections(?:_total)?\{generation="(\d)"\} ([\d.e+]+)', line)
        if m:
            out[f"gen{m.group(1)}"] = float(m.group(2))
        m = re.match(r"gslbdns_dotnet_gc_pause_seconds(?:_total)? ([\d.e+-]+)", line)
        if m:
            out["pause_s"] = float(m.group(1))
    return out


def gc_delta(before, after):
    if before is None or after is None:
        return None
    return {k: round(after.get(k, 0) - before.get(k, 0), 4) for k in after}


def big_run(label, server, port, zone_file, trigger, run, queries, rate_from=None, api_port=None):
    server.start()
    t = wait_serial(server, port, "big.test", 1)
    load_s = t - server.t0
    pin(server.pid)
    log(f"{label}: 1M-record zone answered after {load_s:.2f} s")
    steady = settle(server.pid)
    log(f"{label}: steady RSS {steady['VmRSS']:.0f} MiB (anon {steady['RssAnon']:.0f}, file {steady['RssFile']:.0f})")

    # idle reload: new serial, renamed into place, then the server's reload command
    tmp = with_serial(zone_file, zone_file, 2)
    reset_peak(server.pid)
    with Sampler(server.pid) as sampler:
        t0 = time.monotonic()
        os.rename(tmp, zone_file)
        trigger()
        reload_s = wait_serial(server, port, "big.test", 2) - t0
        time.sleep(3)
    after = status(server.pid)
    peak = max(sampler.peak, after["VmHWM"])
    log(f"{label}: idle reload {reload_s:.2f} s, peak RSS {peak:.0f} MiB, after {after['VmRSS']:.0f} MiB")

    # closed-loop peak, then a fixed rate without and with a reload
    p = dnsperf(port, queries, 8)
    peak_qps = dnsperf_summary(p.communicate()[0])["qps"]
    rate = rate_from or int(peak_qps * 0.5)
    log(f"{label}: closed-loop peak {peak_qps:.0f} qps; fixed rate {rate} qps")
    idle_path = os.path.join(run, f"dnsperf-{label}-idle.txt")
    gc0 = gc_counters(api_port)
    idle, idle_lat = fixed_rate_done(*fixed_rate(port, queries, 10, rate, idle_path), idle_path)
    idle["gc"] = gc_delta(gc0, gc_counters(api_port))
    os.remove(idle_path) if not os.environ.get("KEEP") else None

    tmp = with_serial(zone_file, zone_file, 3)
    # Long enough for the reload under load (GslbDns reloads at a lower CPU priority than it answers,
    # so beside a busy core it takes several times its idle time) and for the collection after it.
    seconds = int(2 + reload_s * 5 + 6)
    load_path = os.path.join(run, f"dnsperf-{label}-reload.txt")
    gc0 = gc_counters(api_port)
    clients = fixed_rate(port, queries, seconds, rate, load_path)
    start = time.monotonic()
    time.sleep(2)
    t0 = time.monotonic()
    os.rename(tmp, zone_file)
    trigger()
    t1 = wait_serial(server, port, "big.test", 3, timeout=seconds)
    loaded, lat = fixed_rate_done(*clients, load_path)
    loaded["gc"] = gc_delta(gc0, gc_counters(api_port))
    os.remove(load_path) if not os.environ.get("KEEP") else None
    # the probe's replies arrive in order at its fixed rate: reply k was sent about k / rate after the start
    lo, hi = int((t0 - start) * PROBE_RATE), int((t1 - start) * PROBE_RATE) + 1
    window = lat[lo:hi]
    result = {"load_s": load_s, "steady": steady, "reload_s": reload_s, "reload_peak_mib": peak,
              "after_reload": after, "peak_qps": peak_qps, "rate": rate,
              "idle": {**idle, "p99_s": p99(idle_lat), "max_s": max(idle_lat) if idle_lat else None},
              "under_load": {**loaded, "reload_s": t1 - t0, "p99_all_s": p99(lat), "p99_reload_s": p99(window),
                             "window_replies": len(window), "max_s": max(lat) if lat else None}}
    log(f"{label}: at {rate} qps idle p99 {result['idle']['p99_s']}, lost {idle['lost']:.0f} (load {idle['load_lost']}, probe {idle['probe_lost']}, dropped at the server's sockets {idle['server_socket_drops']}); during reload "
        f"({t1 - t0:.2f} s) p99 {result['under_load']['p99_reload_s']}, lost {loaded['lost']} (dropped at the server's sockets {loaded['server_socket_drops']}, at the clients' {loaded['client_socket_drops']}); collections idle {idle['gc']}, with the reload {loaded['gc']}")
    server.stop()
    return result


KNOT_CONF = """server:
    rundir: "{run}"
    pidfile: "{run}/knot.pid"
    listen: {host}@{port}
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: "{run}"
control:
    listen: "{run}/knot.sock"
log:
  - target: stderr
    any: info
template:
  - id: default
    storage: "{run}"
    semantic-checks: off
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
zone:
  - domain: big.test
    file: "{run}/big.test.zone"
"""


def measure_big(args, data, run, results):
    src = os.path.join(data, "big-zones", "big.test.zone")
    queries = os.path.join(data, "queries-big.txt")
    zdir = os.path.join(run, "big", "zones")
    os.makedirs(zdir, exist_ok=True)
    zfile = os.path.join(zdir, "big.test.zone")
    shutil.copyfile(src, zfile)
    gslb = Server("GslbDns", [os.path.join(args.bin, "gslbdns"), "--zones", zdir,
                              "--geoip", os.path.join(data, "small.mmdb"), "--no-watch",
                              "--listen", f"{HOST}:{PORT_BIG}", "--listen", f"127.0.0.51:{PORT_BIG}",
                              "--api-listen", f"{HOST}:{API_BIG}"], os.path.join(run, "gslbdns-big.log"))
    log("GslbDns: 1M-record zone")
    results["big"]["gslbdns"] = big_run("GslbDns", gslb, PORT_BIG, zfile, lambda: os.kill(gslb.pid, signal.SIGHUP),
                                        run, queries, api_port=API_BIG)
    rate = results["big"]["gslbdns"]["rate"]

    kdir = os.path.join(run, "knot")
    os.makedirs(kdir, exist_ok=True)
    kfile = os.path.join(kdir, "big.test.zone")
    shutil.copyfile(src, kfile)
    conf = os.path.join(kdir, "knot.conf")
    open(conf, "w").write(KNOT_CONF.format(run=kdir, host=HOST, port=PORT_KNOT))
    knot = Server("knot", ["knotd", "-c", conf], os.path.join(run, "knot.log"))

    def knot_reload():
        subprocess.run(["knotc", "-c", conf, "zone-reload", "big.test"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)

    log("knot: 1M-record zone")
    results["big"]["knot"] = big_run("knot", knot, PORT_KNOT, kfile, knot_reload, run, queries, rate)


def build_db(args, data, results):
    """gslbdns geoip build geo.csv geo.mmdb: wall time and peak RSS (the server is not running)"""
    src, db = os.path.join(data, "geo.csv"), os.path.join(data, "geo.mmdb")
    log(f"gslbdns geoip build {src} ({os.path.getsize(src) / 2**20:.0f} MiB)")
    t0 = time.monotonic()
    p = subprocess.Popen([os.path.join(args.bin, "gslbdns"), "geoip", "build", src, db],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         env={**os.environ, "SOURCE_DATE_EPOCH": "1796083200"})
    out = p.stdout.read()
    _, code, usage = os.wait4(p.pid, 0)
    p.returncode = code
    if code != 0:
        raise SystemExit(f"scale: geoip build failed: {out}")
    m = re.search(r"(\d+) data records", out)
    results["build"] = {"seconds": time.monotonic() - t0, "max_rss_mib": usage.ru_maxrss / 1024,
                        "mmdb_mib": os.path.getsize(db) / 2**20, "output": out.strip()}
    results["info"]["records_geo"] = int(m.group(1)) if m else None
    log(f"geoip build: {results['build']['seconds']:.1f} s, peak RSS {results['build']['max_rss_mib']:.0f} MiB: {out.strip()}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--run", required=True)
    ap.add_argument("--json", required=True)
    ap.add_argument("--only", choices=["geo", "big"])
    ap.add_argument("--info", help="generate.py's summary (JSON)")
    args = ap.parse_args()
    results = {"geo": {}, "big": {}, "info": {}}
    if os.path.exists(args.json):
        results.update(json.load(open(args.json)))
    if args.info:
        results["info"].update(json.load(open(args.info)))
    if not os.path.exists(os.path.join(args.data, "geo.mmdb")):
        build_db(args, args.data, results)
    if args.only in (None, "geo"):
        measure_geo(args, args.data, args.run, results)
    if args.only in (None, "big"):
        measure_big(args, args.data, args.run, results)
    with open(args.json, "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
