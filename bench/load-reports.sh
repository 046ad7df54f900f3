#!/usr/bin/env bash
# DNS CPU per query while 200 load reports per second arrive over the API, against the same build
# without reports, next to gdnsd, on the GSLB scenario of ../shared/bench (see docs/benchmarks.md).
# Both GslbDns instances serve the bench zone with a policy that sheds by load; the second gets
# reports for its three regions round-robin from a poster on CPU 0 (loads 0.20..0.70, below the
# shed start, so the answers the harness checks stay the same). The API work is the server's: it
# runs on the server's CPU and counts in its CPU per query.
#   SCENARIOS="udp-www udp-mix-ecs-rand" RUNS=1 bash bench/load-reports.sh
set -euo pipefail
. "$(dirname "$0")/lib/setup.sh" load-reports
rate=${RATE:-200}
bench_zone "$work/zones"
cat > "$work/zones/example.com.gslb.yaml" <<'YAML'
services:
  www:
    load: { shed: { start: 0.80, full: 0.95 }, spill: next, report-ttl: 30s }
    regions:
      ap: { target: ap.www, capacity: 5000 }
      eu: { target: eu.www, capacity: 5000 }
      us: { target: us.www, capacity: 5000 }
    topology:
      - match: { continent: [AS] }
        prefer: [ap, us]
      - match: { continent: [EU] }
        prefer: [eu, us]
      - default: [us, eu]
YAML
secret=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
printf 'tokens:\n  bench: { secret: "%s", load: ["*/*"] }\n' "$secret" > "$work/tokens.yaml"
start() {
  taskset -c 1 "$work/bin/gslbdns" --zones "$work/zones" --listen "127.0.0.1:$1" --api-listen "127.0.0.1:$2" --no-watch \
    --api-tokens "$work/tokens.yaml" --state-dir "$work/state-$1" \
    --geoip "$(bench_geoip)" --log-level Warning >"$work/$1.log" 2>&1 &
  pids+=($!)
  started=$!
}
start 5300 18053; plain=$started
start 5310 18054; reported=$started
sleep 3
taskset -a -p -c 1 "$plain" >/dev/null
taskset -a -p -c 1 "$reported" >/dev/null
# The poster: one keep-alive connection, $rate reports a second, paced by the clock.
cat > "$work/poster.py" <<'PY'
import http.client, json, random, sys, time
port, secret, rate = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
conn = http.client.HTTPConnection("127.0.0.1", port)
headers = {"Authorization": "Bearer " + secret, "Content-Type": "application/json"}
regions, sent, failed, start = ["ap", "eu", "us"], 0, 0, time.monotonic()
while True:
    body = json.dumps({"cpu": round(random.uniform(0.2, 0.7), 3), "memory": 0.5,
                       "connections": random.randint(1000, 3000), "ttl": 30})
    try:
        conn.request("POST", "/api/v1/load/www.example.com/" + regions[sent % 3], body, headers)
        response = conn.getresponse()
        response.read()
        if response.status != 204: failed += 1
    except Exception:
        failed += 1
        conn = http.client.HTTPConnection("127.0.0.1", port)
    sent += 1
    if sent % (int(rate) * 10) == 0:
        print(f"load-reports: {sent} reports sent, {failed} failed, {sent / (time.monotonic() - start):.0f}/s", flush=True)
    delay = start + sent / rate - time.monotonic()
    if delay > 0: time.sleep(delay)
PY
taskset -c 0 python3 "$work/poster.py" 18054 "$secret" "$rate" > "$work/poster.log" 2>&1 &
pids+=($!)
sleep 2
curl -sf -o /dev/null -w 'load-reports: a report over the API answers %{http_code}\n' -H "Authorization: Bearer $secret" \
  -H 'Content-Type: application/json' -d '{"cpu":0.3}' 127.0.0.1:18054/api/v1/load/www.example.com/us
EXTRA_TARGETS="gslbdns:127.0.0.1:5300:$plain:gslb gslbdns-reports:127.0.0.1:5310:$reported:gslb" PEERS=${PEERS:-gdnsd} \
  bash "$bench/run-peers.sh"
tail -n 1 "$work/poster.log"
curl -sf 127.0.0.1:18054/api/v1/status | head -c 2000; echo
