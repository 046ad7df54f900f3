#!/usr/bin/env bash
# DNS CPU per query with metrics on (the default, scraped every second) against the same build with
# --no-metrics, next to gdnsd, on the GSLB scenario of ../shared/bench (see docs/benchmarks.md).
# The scraper runs on CPU 0 like dnsperf; the scrape's work is the server's (CPU 1) and counts in
# its CPU per query, as it would in production. A scrape a second is 15x Prometheus's default rate.
#   SCENARIOS="udp-www udp-mix-ecs-rand" RUNS=1 bash bench/metrics.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bench=${BENCH:-../shared/bench}
[ -d "$bench" ] || { echo "metrics: $bench not found (the shared benchmark harness)" >&2; exit 2; }
interval=${SCRAPE_INTERVAL:-1}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

dotnet publish src/GslbDns -c Release -o "$work/bin" --nologo -v quiet
mkdir -p "$work/zones"
grep -v '^www ' "$bench/peers/zone/example.com.zone" > "$work/zones/example.com.zone"
cat > "$work/zones/example.com.gslb.yaml" <<'YAML'
services:
  www:
    regions:
      ap: { target: ap.www }
      eu: { target: eu.www }
      us: { target: us.www }
    topology:
      - match: { continent: [AS] }
        prefer: [ap, us]
      - match: { continent: [EU] }
        prefer: [eu, us]
      - default: [us, eu]
YAML
start() {
  local port=$1 api=$2; shift 2
  taskset -c 1 "$work/bin/gslbdns" --zones "$work/zones" --listen "127.0.0.1:$port" --api-listen "127.0.0.1:$api" --no-watch \
    --state-dir "$work/state-$port" --geoip "$(dirname "$bench")/geoip-test-data/GeoIP2-City-Test.mmdb" --log-level Warning "$@" \
    >"$work/$port.log" 2>&1 &
  pids+=($!)
  started=$!
}
start 5300 28053 --no-metrics; off=$started
start 5310 28054; on=$started
sleep 3
for p in "$off" "$on"; do kill -0 "$p" 2>/dev/null || { echo "metrics: an instance did not start:" >&2; cat "$work"/*.log >&2; exit 1; }; done
taskset -a -p -c 1 "$off" >/dev/null
taskset -a -p -c 1 "$on" >/dev/null
curl -sf -o /dev/null -w 'metrics: GET /metrics with metrics off answers %{http_code}\n' 127.0.0.1:28053/metrics || echo "metrics: off: no /metrics (as expected)"
# The scraper: GET /metrics every $interval s, like Prometheus, on CPU 0.
( while sleep "$interval"; do curl -sf -o /dev/null 127.0.0.1:28054/metrics || true; done ) &
pids+=($!)
EXTRA_TARGETS="gslbdns-metrics-off:127.0.0.1:5300:$off:gslb gslbdns-metrics-on:127.0.0.1:5310:$on:gslb" PEERS=${PEERS:-gdnsd} \
  bash "$bench/run-peers.sh"
echo "metrics: the last scrape of the instance with metrics on (query counters):"
curl -sf 127.0.0.1:28054/metrics | grep -E '^gslbdns_(dns_requests|dns_responses|steering_decisions)_total' | head -20
echo "metrics: one scrape costs (wall time, 5 scrapes):"
for i in 1 2 3 4 5; do curl -sf -o /dev/null -w '  %{time_total}s %{size_download} bytes\n' 127.0.0.1:28054/metrics; done
