#!/usr/bin/env bash
# Server CPU per query next to gdnsd (and any other peer of ../shared/bench), for both builds that
# ship: the JIT build (dotnet run, the tests) and the Native AOT binary (the Docker image and the
# release artefacts), on the harness's GSLB scenario (the harness zone, www steered by continent).
#   bash bench/peers.sh                                   # 4 scenarios, RUNS=3: about 15 minutes
#   SCENARIOS="udp-www tcp-www" RUNS=1 bash bench/peers.sh
#   PEERS="gdnsd knot" bash bench/peers.sh
# The harness prints its tables to stdout and keeps them under its results folder; both servers run
# on CPU 1 like the peers. Holds /tmp/cpu-heavy.lock for the builds; the harness takes it itself.
set -euo pipefail
# shellcheck source=lib/setup.sh
. "$(dirname "$0")/lib/setup.sh" peers
flock "${CPU_LOCK-/tmp/cpu-heavy.lock}" dotnet publish src/GslbDns -c Release -p:PublishProfile=aot -o "$work/aot" --nologo -v quiet
bench_zone "$work/zones"
cat > "$work/zones/example.com.gslb.yaml" <<'YAML'
services:
  www:
    regions: { ap: { target: ap.www }, eu: { target: eu.www }, us: { target: us.www } }
    topology:
      - match: { continent: [AS] }
        prefer: [ap, us]
      - match: { continent: [EU] }
        prefer: [eu, us]
      - default: [us, eu]
YAML
start() {
  local binary=$1 port=$2 api=$3
  taskset -c 1 "$binary" --zones "$work/zones" --listen "127.0.0.1:$port" --api-listen "127.0.0.1:$api" --no-watch \
    --state-dir "$work/state-$port" --geoip "$(bench_geoip)" --log-level Warning >"$work/$port.log" 2>&1 &
  pids+=($!)
  started=$!
}
start "$work/bin/gslbdns" 5300 28053; jit=$started
start "$work/aot/gslbdns" 5310 28054; aot=$started
for port in 5300 5310; do
  for _ in $(seq 1 100); do dig @127.0.0.1 -p "$port" +short +time=1 +tries=1 static.example.com A 2>/dev/null | grep -q . && break; sleep 0.2; done
done
for p in "$jit" "$aot"; do
  kill -0 "$p" 2>/dev/null || { echo "peers: a server did not start:" >&2; cat "$work"/*.log >&2; exit 1; }
  taskset -a -p -c 1 "$p" >/dev/null
done
EXTRA_TARGETS="gslbdns-jit:127.0.0.1:5300:$jit:gslb gslbdns-aot:127.0.0.1:5310:$aot:gslb" \
  SCENARIOS=${SCENARIOS:-"udp-www udp-mix-ecs-rand udp-mix-ecs-eu tcp-www"} PEERS=${PEERS:-gdnsd} bash "$bench/run-peers.sh"
