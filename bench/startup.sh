#!/usr/bin/env bash
# Startup and resident memory of the three builds, JIT (dotnet exec gslbdns.dll), ReadyToRun and
# Native AOT, each serving the README's defaults (zones/ and geoip/ of this repository):
# - exec to the first correct UDP answer for www.example.com, RUNS times (default 20), polled every
#   millisecond by bench/lib/startup_probe.py;
# - VmRSS, anonymous and file-backed, after the first answer and IDLE seconds (default 5), then after
#   LOAD seconds (default 10) of light load (one query at a time, ~200 a second), RSS_RUNS times
#   (default 3).
# Prints a markdown table of medians and writes it to bench/results/startup-<date>.md.
#   bash bench/startup.sh
#   RUNS=5 RSS_RUNS=1 BUILDS="aot" bash bench/startup.sh
#   ENV="DOTNET_GCgen0size=100000" BUILDS=aot bash bench/startup.sh   # a runtime setting to try
# The builds and the measurements hold /tmp/cpu-heavy.lock (the machine's CPU lock).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-20}
rss_runs=${RSS_RUNS:-3}
builds=${BUILDS:-jit r2r aot}
lock=${CPU_LOCK:-/tmp/cpu-heavy.lock}
port=${PORT:-5395}
api=${API_PORT:-28195}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

publish() { flock "$lock" dotnet publish src/GslbDns -c Release --nologo -v quiet -o "$work/$1" "${@:2}"; }
for build in $builds; do
  case $build in
    jit) publish jit ;;
    r2r) publish r2r -p:PublishProfile=r2r ;;
    aot) publish aot -p:PublishProfile=aot ;;
    *) echo "startup: unknown build $build (jit, r2r, aot)" >&2; exit 2 ;;
  esac
done

command_for() {
  case $1 in
    jit) echo "dotnet exec $work/jit/gslbdns.dll" ;;
    *) echo "$work/$1/gslbdns" ;;
  esac
}

# Each run gets its own ports: a port the previous run just closed can still be held for a moment.
measure() {
  local build=$1 rss=$2 n=$3
  for i in $(seq 1 "$n"); do
    local p=$((port + i % 20)) a=$((api + i % 20))
    # As the Dockerfile and the systemd unit start it (MALLOC_ARENA_MAX, see docs/benchmarks.md).
    # shellcheck disable=SC2046,SC2086
    env MALLOC_ARENA_MAX=2 ${ENV:-} python3 bench/lib/startup_probe.py --port "$p" $rss \
      --idle "${IDLE:-5}" --load "${LOAD:-10}" -- $(command_for "$build") --listen "127.0.0.1:$p" --api-listen "127.0.0.1:$a"
  done
}

exec 9>"$lock"
flock 9
for build in $builds; do
  measure "$build" "" "$runs" > "$work/$build.startup"
  measure "$build" --rss "$rss_runs" > "$work/$build.rss"
done
flock -u 9

machine="commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ' (src modified)'), $(nproc) CPUs, Linux $(uname -r)"
python3 - "$work" "$builds" "$runs" "$rss_runs" "${ENV:-}" "$machine" <<'PY' | tee "bench/results/startup-$(date -u +%F).md"
import json, statistics, sys
work, builds, runs, rss_runs, env, machine = sys.argv[1], sys.argv[2].split(), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
names = {"jit": "JIT (dotnet exec)", "r2r": "ReadyToRun", "aot": "Native AOT"}
def rows(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]
print(f"# Startup and resident memory, {machine}")
print()
print(f"Startup: median of {runs} runs, exec to the first correct UDP answer. Memory: median of {rss_runs} runs,"
      " MB (MiB) from /proc/PID/status, after 5 s idle and after 10 s of ~200 queries a second."
      + (f" Environment: `{env}`." if env else ""))
print()
print("| build | startup ms (median) | min | max | RSS idle | anon | file | RSS after load | anon | file | threads |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for b in builds:
    s = [r["startup_ms"] for r in rows(f"{work}/{b}.startup")]
    m = rows(f"{work}/{b}.rss")
    med = lambda phase, key: statistics.median(r[phase][key] for r in m)
    print(f"| {names[b]} | {statistics.median(s):.1f} | {min(s):.1f} | {max(s):.1f} | "
          f"{med('idle', 'rss_mb'):.1f} | {med('idle', 'anon_mb'):.1f} | {med('idle', 'file_mb'):.1f} | "
          f"{med('load', 'rss_mb'):.1f} | {med('load', 'anon_mb'):.1f} | {med('load', 'file_mb'):.1f} | {med('load', 'threads'):.0f} |")
PY
