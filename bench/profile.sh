#!/usr/bin/env bash
# Profiles the running server under dnsperf load with Linux perf: where a query's CPU time goes,
# user mode against kernel, by function. For each scenario it starts a Release build on the bench
# zone pinned to CPU 1 (DOTNET_PerfMapEnabled=1, so JIT-compiled frames have names), drives it from
# CPU 0 with the harness's query files, records CPU 1 for SECONDS, and writes the top functions.
#   bash bench/profile.sh                          # udp-www and udp-mix-ecs-rand, 10 s each
#   SCENARIOS=udp-www SECONDS_=20 bash bench/profile.sh
#   BIN=/tmp/other-build bash bench/profile.sh     # profile another published build
# Needs perf (Debian's linux-perf), dnsperf and the harness's query files (/tmp/gslb-bench/queries,
# made by its first run). Holds /tmp/cpu-heavy.lock while recording. Output: $OUT (a folder).
set -euo pipefail
. "$(dirname "$0")/lib/setup.sh" profile
scenarios=${SCENARIOS:-"udp-www udp-mix-ecs-rand"}
seconds=${SECONDS_:-10}
port=${PORT:-5371}
api=${API_PORT:-28171}
qdir=${GSLB_BENCH_WORK:-/tmp/gslb-bench}/queries
out=${OUT:-/tmp/gslbdns-profile-$(date -u +%Y%m%dT%H%M%S)}
bin=${BIN:-$work/bin}
lock=${CPU_LOCK-/tmp/cpu-heavy.lock}
mkdir -p "$out"
[ -s "$qdir/www.txt" ] || { echo "profile: $qdir/www.txt missing: run ../shared/bench/measure.sh once (it generates the query files)" >&2; exit 2; }
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

for scenario in $scenarios; do
  case $scenario in
    udp-www) load=(-d "$qdir/www.txt") ;;
    udp-mix-ecs-rand) load=(-B -d "$qdir/generated/mix-ecs-rand.bin") ;;
    udp-mix) load=(-d "$qdir/generated/mix.txt") ;;
    *) echo "profile: unknown scenario $scenario" >&2; exit 2 ;;
  esac
  DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 taskset -c 1 "$bin/gslbdns" --zones "$work/zones" --listen "127.0.0.1:$port" \
    --api-listen "127.0.0.1:$api" --no-watch --geoip "$(bench_geoip)" --log-level Warning &
  server=$!
  pids+=("$server")
  for _ in $(seq 1 100); do dig @127.0.0.1 -p "$port" +short +time=1 +tries=1 static.example.com A 2>/dev/null | grep -q . && break; sleep 0.2; done
  taskset -a -p -c 1 "$server" >/dev/null
  # The lock covers the load and the recording only (the build above ran under setup.sh's own terms).
  if [ -n "$lock" ]; then exec 8>>"$lock"; flock 8; fi
  taskset -c 0 dnsperf -s 127.0.0.1 -p "$port" "${load[@]}" -c 4 -q 100 -T 2 -t 2 -l $((seconds + 9)) > "$out/$scenario.dnsperf.txt" 2>&1 &
  load_pid=$!
  sleep 3  # warm-up: tiered JIT has settled
  read -r -a st0 < "/proc/$server/stat"
  perf record -g -C 1 -o "$out/$scenario.perf.data" -- sleep "$seconds" 2> "$out/$scenario.perf-record.txt"
  read -r -a st1 < "/proc/$server/stat"
  # System calls per query: how full the recvmmsg/sendmmsg batches are.
  perf stat -e syscalls:sys_enter_recvmmsg,syscalls:sys_enter_sendmmsg,syscalls:sys_enter_futex -p "$server" -o "$out/$scenario.syscalls.txt" -- sleep 3 2>/dev/null || true
  wait "$load_pid" || true
  if [ -n "$lock" ]; then flock -u 8; exec 8>&-; fi
  # utime and stime are fields 14 and 15 of /proc/PID/stat (clock ticks).
  echo "utime_ticks=$((st1[13] - st0[13])) stime_ticks=$((st1[14] - st0[14])) hz=$(getconf CLK_TCK) seconds=$seconds" > "$out/$scenario.cputime.txt"
  kill "$server"; wait "$server" 2>/dev/null || true
  perf report -i "$out/$scenario.perf.data" --no-children -g none --sort dso,sym --pid "$server" --stdio 2>/dev/null | head -80 > "$out/$scenario.top.txt" || true
  qps=$(awk '/Queries per second/ {print $4}' "$out/$scenario.dnsperf.txt")
  # The UDP thread's share of CPU 1 while recorded: its samples over all samples of the CPU.
  share=$(perf report -i "$out/$scenario.perf.data" --no-children -g none --sort comm --stdio 2>/dev/null | awk '/dns-udp/ {gsub("%","",$1); s += $1} END {print s / 100}')
  perf script -i "$out/$scenario.perf.data" -F comm,tid,ip,sym,dso 2>/dev/null \
    | SECONDS=$seconds CPU_SHARE=$share python3 bench/lib/perf_breakdown.py "$(awk -v q="$qps" -v s="$seconds" 'BEGIN {print q * s}')" > "$out/$scenario.breakdown.md"
  { echo "qps=$qps udp_thread_share_of_cpu1=$share"; cat "$out/$scenario.breakdown.md"; } >&2
  echo "profile: $scenario -> $out/$scenario.top.txt" >&2
done
echo "$out"
