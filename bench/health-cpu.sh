#!/usr/bin/env bash
# DNS CPU per query with health checks running against the same build without them, next to
# gdnsd, on the GSLB scenario of ../shared/bench (see docs/benchmarks.md). Both GslbDns instances
# serve the bench zone; the second probes one loopback HTTP listener per region (the bench's pool
# addresses are documentation addresses, so each region's checks go to health.address on loopback)
# with interval 1s, fast-interval 250ms, timeout 500ms, fall 3, rise 2.
#   SCENARIOS="udp-www udp-mix-ecs-rand" RUNS=1 bash bench/health-cpu.sh
set -euo pipefail
. "$(dirname "$0")/lib/setup.sh" health-cpu
mkdir -p "$work/plain" "$work/checked" "$work/www"
bench_zone "$work/plain"
cp "$work/plain/example.com.zone" "$work/checked/example.com.zone"
policy() {
  cat <<YAML
services:
  www:
$1
    regions:
      ap: { target: ap.www$2 }
      eu: { target: eu.www$3 }
      us: { target: us.www$4 }
    topology:
      - match: { continent: [AS] }
        prefer: [ap, us]
      - match: { continent: [EU] }
        prefer: [eu, us]
      - default: [us, eu]
YAML
}
policy "" "" "" "" > "$work/plain/example.com.gslb.yaml"
health='    health: { check: http, port: 18080, path: /healthz, expect: { body: ok }, interval: 1s, fast-interval: 250ms, timeout: 500ms, rise: 2, fall: 3 }'
policy "$health" ", health: { address: 127.0.0.31 }" ", health: { address: 127.0.0.32 }" ", health: { address: 127.0.0.33 }" \
  > "$work/checked/example.com.gslb.yaml"
echo ok > "$work/www/healthz"
for a in 31 32 33; do
  (cd "$work/www" && exec python3 -m http.server 18080 --bind "127.0.0.$a" >/dev/null 2>&1) &
  pids+=($!)
done
# The LBs and the probes' peers run on CPU 0 with dnsperf; the servers on CPU 1.
start() {
  taskset -c 1 "$work/bin/gslbdns" --zones "$work/$1" --listen "127.0.0.1:$2" --api-listen "127.0.0.1:$3" --no-watch \
    --geoip "$(bench_geoip)" --log-level Warning >"$work/$1.log" 2>&1 &
  pids+=($!)
  started=$!
}
start plain 5300 18053; plain=$started
start checked 5310 18054; checked=$started
sleep 3
taskset -a -p -c 1 "$plain" >/dev/null
taskset -a -p -c 1 "$checked" >/dev/null
curl -sf 127.0.0.1:18054/api/v1/health | grep -c '"verdict": "up"' | sed 's/^/health-cpu: addresses up in the checked instance: /'
EXTRA_TARGETS="gslbdns:127.0.0.1:5300:$plain:gslb gslbdns-checks:127.0.0.1:5310:$checked:gslb" PEERS=${PEERS:-gdnsd} \
  bash "$bench/run-peers.sh"
curl -sf 127.0.0.1:18054/api/v1/health | grep -E '"(lastResult|successes)"' | sort | uniq -c | sed 's/^/health-cpu: /'
