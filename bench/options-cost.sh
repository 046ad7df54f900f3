#!/usr/bin/env bash
# What the query path's optional work costs, per query: the same build measured three ways next to
# gdnsd on the GSLB scenario of ../shared/bench (see docs/benchmarks.md):
#   gslbdns-plain    --no-metrics, no rate limiting
#   gslbdns-metrics  the default: metrics on, scraped every second (15x Prometheus's default rate)
#   gslbdns-rrl      metrics on and response rate limiting at 1,000,000 responses/s per /24, a
#                    limit nothing in the bench reaches (every query comes from 127.0.0.1), so
#                    every reply is accounted and none is limited
# The scraper runs on CPU 0 like dnsperf; the scrape's work is the server's (CPU 1) and counts in
# its CPU per query, as it would in production.
#   SCENARIOS="udp-www udp-mix-ecs-rand" RUNS=1 bash bench/options-cost.sh
set -euo pipefail
. "$(dirname "$0")/lib/setup.sh" options-cost
interval=${SCRAPE_INTERVAL:-1}
bench_zone "$work/zones"
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
    --state-dir "$work/state-$port" --geoip "$(bench_geoip)" --log-level Warning "$@" \
    >"$work/$port.log" 2>&1 &
  pids+=($!)
  started=$!
}
start 5300 28053 --no-metrics; plain=$started
start 5310 28054; metrics=$started
start 5320 28055 --rrl-responses-per-second 1000000; rrl=$started
sleep 3
for p in "$plain" "$metrics" "$rrl"; do kill -0 "$p" 2>/dev/null || { echo "options-cost: an instance did not start:" >&2; cat "$work"/*.log >&2; exit 1; }; done
for p in "$plain" "$metrics" "$rrl"; do taskset -a -p -c 1 "$p" >/dev/null; done
curl -sf -o /dev/null 127.0.0.1:28053/metrics && echo "options-cost: --no-metrics still serves /metrics" >&2
# The scrapers: GET /metrics every $interval s, like Prometheus, on CPU 0.
for api in 28054 28055; do
  ( while sleep "$interval"; do taskset -c 0 curl -sf -o /dev/null "127.0.0.1:$api/metrics" || true; done ) &
  pids+=($!)
done
EXTRA_TARGETS="gslbdns-plain:127.0.0.1:5300:$plain:gslb gslbdns-metrics:127.0.0.1:5310:$metrics:gslb gslbdns-rrl:127.0.0.1:5320:$rrl:gslb" \
  PEERS=${PEERS:-gdnsd} bash "$bench/run-peers.sh"
echo "options-cost: the last scrape with rate limiting on (nothing may have been limited):"
curl -sf 127.0.0.1:28055/metrics | grep -E '^gslbdns_(rrl_limited_responses|dns_responses)_total'
echo "options-cost: one scrape costs (wall time, 5 scrapes):"
for i in 1 2 3 4 5; do curl -sf -o /dev/null -w '  %{time_total}s %{size_download} bytes\n' 127.0.0.1:28054/metrics; done
