#!/usr/bin/env bash
# Soak: MINUTES (default 30) of mixed UDP and TCP load at half the measured peak, with the zone and
# its policy rewritten every 2 s, the GeoIP database replaced every minute and junk packets mixed
# in. Every minute it prints the probe client's answered/lost counts and p50/p99 latency, the
# server's resident memory, GC counts, the time collections paused it, the managed heap and the
# zone serial it serves; at the end the load's lost
# queries (must be 0: rate limiting is off) and whether memory stayed flat after the warm-up (see
# the criterion at the end of the probe).
#   MINUTES=10 bash bench/soak.sh
#   RATE=10000 MINUTES=15 bash bench/soak.sh   # a fixed rate instead of half the measured peak
# Needs dnsperf (Debian's package; ../shared/bench installs it) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${MINUTES:-30}
port=${PORT:-5340}
api=${API_PORT:-28060}
command -v dnsperf >/dev/null || { echo "soak: dnsperf not found (apt-get install dnsperf)" >&2; exit 2; }
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
dotnet publish src/GslbDns -c Release -o "$work/bin" --nologo -v quiet
mkdir -p "$work/zones" "$work/geoip"
cp zones/example.com.zone zones/example.com.gslb.yaml "$work/zones/"
cp geoip/GslbDns-Sample-City.mmdb "$work/geoip/city.mmdb"

# As the Dockerfile and the systemd unit start it: two malloc arenas (docs/benchmarks.md, the soak).
MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} taskset -c 1 "$work/bin/gslbdns" --zones "$work/zones" --geoip "$work/geoip" --listen "127.0.0.1:$port" \
  --api-listen "127.0.0.1:$api" --state-dir "$work/state" --log-level Warning > "$work/server.log" 2>&1 &
server=$!
pids+=($server)
for _ in $(seq 50); do curl -sf "127.0.0.1:$api/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
taskset -a -p -c 1 "$server" >/dev/null

# Queries: the steered name with and without ECS, a plain name, NXDOMAIN.
python3 - "$work/queries" <<'PY'
import random, sys
random.seed(7)
with open(sys.argv[1], "w") as f:
    for i in range(200000):
        r = random.random()
        if r < 0.5: f.write("www.example.com A\n")
        elif r < 0.7: f.write("api.example.com AAAA\n")
        elif r < 0.9: f.write("ns1.example.com A\n")
        else: f.write(f"nope{i}.example.com A\n")
PY
if [ -n "${RATE:-}" ]; then
  rate=$RATE
  echo "soak: loading at ${rate} qps (RATE; 90 % UDP, 10 % TCP) for ${minutes} min"
else
  peak=$(taskset -c 0 dnsperf -s 127.0.0.1 -p "$port" -d "$work/queries" -l 5 -c 4 -q 100 2>/dev/null | awk '/Queries per second/ { printf "%d", $4 }')
  rate=$((peak / 2))
  echo "soak: peak ${peak} qps over UDP; loading at ${rate} qps (90 % UDP, 10 % TCP) for ${minutes} min"
fi

seconds=$((minutes * 60))
taskset -c 0 dnsperf -s 127.0.0.1 -p "$port" -d "$work/queries" -l "$seconds" -Q $((rate * 9 / 10)) -c 4 -q 200 > "$work/udp.txt" 2>&1 &
pids+=($!)
taskset -c 0 dnsperf -m tcp -s 127.0.0.1 -p "$port" -d "$work/queries" -l "$seconds" -Q $((rate / 10)) -c 4 -q 50 > "$work/tcp.txt" 2>&1 &
pids+=($!)

# Reloads every 2 s: a new serial, and the policy's first rule flipped between two preferences.
( serial=2026120200; flip=0
  while true; do
    sleep 2; serial=$((serial + 1)); flip=$((1 - flip))
    sed -E "s/[0-9]{10}( *; *serial)?/$serial\1/" zones/example.com.zone > "$work/zones/.z" && mv "$work/zones/.z" "$work/zones/example.com.zone"
    if [ $flip = 1 ]; then sed 's/prefer: \[eu, us, ap\]/prefer: [eu, ap, us]/' zones/example.com.gslb.yaml; else cat zones/example.com.gslb.yaml; fi > "$work/zones/.p"
    mv "$work/zones/.p" "$work/zones/example.com.gslb.yaml"
  done ) &
pids+=($!)
# The GeoIP database replaced (renamed over) every minute.
( while sleep 60; do cp geoip/GslbDns-Sample-City.mmdb "$work/geoip/.new" && touch "$work/geoip/.new" && mv "$work/geoip/.new" "$work/geoip/city.mmdb"; done ) &
pids+=($!)

# Junk (100 a second) and the probe (20 a second, latency measured), reporting every minute.
taskset -c 0 python3 - "$port" "$api" "$server" "$minutes" <<'PY' &
import os, random, socket, struct, sys, time, urllib.request
port, api, pid, minutes = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
junk = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
probe.settimeout(2)
query = struct.pack(">HHHHHH", 0, 0x0100, 1, 0, 0, 0) + b"\x03www\x07example\x03com\x00" + struct.pack(">HH", 1, 1)
def metric(text, name):
    return sum(float(l.split()[-1]) for l in text.splitlines() if l.startswith(name))
def status(field):
    with open(f"/proc/{pid}/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith(field + ":")) // 1024
def rss():
    return status("VmRSS")
start, ident, latencies, lost, rss_seen, paused = time.monotonic(), 0, [], 0, [], 0.0
for minute in range(1, minutes + 1):
    while time.monotonic() - start < minute * 60:
        for _ in range(5): junk.sendto(os.urandom(random.randint(1, 80)), ("127.0.0.1", port))
        ident = (ident + 1) & 0xffff
        sent = time.monotonic()
        probe.sendto(struct.pack(">H", ident) + query[2:], ("127.0.0.1", port))
        try:
            while True:
                reply = probe.recv(4096)
                if reply[:2] == struct.pack(">H", ident): break
            latencies.append((time.monotonic() - sent) * 1000)
        except socket.timeout:
            lost += 1
        time.sleep(0.05)
    text = urllib.request.urlopen(f"http://127.0.0.1:{api}/metrics").read().decode()
    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else float("nan")
    rss_seen.append(rss())
    gc = [int(metric(text, 'gslbdns_dotnet_gc_collections_total{generation="%d"}' % g)) for g in range(3)]
    pause = metric(text, "gslbdns_dotnet_gc_pause_seconds_total")
    pause_ms, paused = (pause - paused) * 1000, pause
    heap = metric(text, "gslbdns_dotnet_gc_heap_bytes") / 2**20
    committed = metric(text, "gslbdns_dotnet_gc_committed_bytes") / 2**20
    jit = int(metric(text, "gslbdns_dotnet_jit_methods_total"))
    serial, junked, failures = int(metric(text, "gslbdns_zone_serial")), int(metric(text, "gslbdns_dns_dropped_total")), int(metric(text, "gslbdns_zone_load_failures_total"))
    print(f"soak: minute {minute:3d}: probe {len(latencies)} answered, {lost} lost, p50 {p(0.5):.2f} ms, p99 {p(0.99):.2f} ms; "
          f"rss {rss_seen[-1]} MiB (anonymous {status('RssAnon')}); gc gen0/1/2 {gc[0]}/{gc[1]}/{gc[2]}, paused {pause_ms:.0f} ms, heap {heap:.0f} MiB (committed {committed:.0f}); jit {jit} methods; serial {serial}; dropped junk {junked}; zone failures {failures}", flush=True)
    latencies, lost = [], 0
print(f"soak: resident memory first/last/max minute: {rss_seen[0]}/{rss_seen[-1]}/{max(rss_seen)} MiB", flush=True)
# Flat: after a warm-up (the first third: tier-ups, the collector's budgets, the allocator's arenas
# filling), resident memory rises by at most 3 % and its least-squares slope stays under 0.1 MiB a
# minute (3 MiB over a 30-minute run).
warm = max(1, len(rss_seen) // 3)
after = rss_seen[warm - 1:]
if len(after) >= 3:
    xs = range(len(after)); mx = sum(xs) / len(xs); my = sum(after) / len(after)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, after)) / sum((x - mx) ** 2 for x in xs)
    rise = max(after) - after[0]
    flat = rise <= 0.03 * after[0] and slope < 0.1
    print(f"soak: after the {warm}-minute warm-up: {after[0]} -> max {max(after)} MiB (+{rise}), slope {slope:.3f} MiB/min: {'flat' if flat else 'NOT flat'}", flush=True)
PY
prober=$!
pids+=($prober)
wait "$prober"
sleep 5
for f in udp tcp; do
  echo "soak: $f load: $(grep -E 'Queries sent|Queries completed|Queries lost' "$work/$f.txt" | tr -s ' ' | tr '\n' ';')"
done
grep -E "fail|error" -i "$work/server.log" | sort | uniq -c | sort -rn | head -5 || true
