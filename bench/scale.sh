#!/usr/bin/env bash
# Scale benchmark: GslbDns with a GeoLite2-City-sized database and 10 policies next to gdnsd, and
# with a 1,000,000-record zone next to knot (load time, RSS, reloads, a reload under load).
#   bash bench/scale.sh                         # ~12-15 minutes on 2 cores
#   SEED=7 bash bench/scale.sh                  # other data (default SEED=42: the same bytes each run)
#   NETWORKS=500000 RECORDS=200000 bash bench/scale.sh   # a quick look
#   ONLY=big NETWORKS=1000 bash bench/scale.sh           # the zone part alone (or ONLY=geo)
#   BUILD=aot bash bench/scale.sh               # the Native AOT binary the Docker image ships (default: JIT)
# Writes a markdown table to stdout and bench/results/scale-<date>.md; progress to stderr.
# Holds /tmp/cpu-heavy.lock for the whole run (build, data, measurements). Needs root (it resets
# the servers' peak RSS through /proc/PID/clear_refs) and Debian's gdnsd, knot and dnsperf
# (installed with apt when missing). Exits non-zero only when something could not be measured.
set -euo pipefail
SEED=${SEED:-42} NETWORKS=${NETWORKS:-3500000} RECORDS=${RECORDS:-1000000} ONLY=${ONLY:-}

need=""
command -v gdnsd >/dev/null || need="$need gdnsd"
command -v knotd >/dev/null || need="$need knot"
command -v knotc >/dev/null || need="$need knot"
command -v dnsperf >/dev/null || need="$need dnsperf"
if [ -n "$need" ]; then
  echo "scale: installing$need" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >&2
fi

exec 9>>/tmp/cpu-heavy.lock
echo "scale: waiting for /tmp/cpu-heavy.lock" >&2
flock 9
started=$(date +%s)
echo "scale: building Release" >&2
# This script holds the lock already (fd 9): setup.sh must not wait for it again.
CPU_LOCK=""
# shellcheck source=lib/setup.sh
. "$(dirname "$0")/lib/setup.sh" scale

data="$work/data"
echo "scale: generating SEED=$SEED: $NETWORKS networks, $RECORDS records" >&2
python3 bench/scale/generate.py "$data" "$SEED" "$NETWORKS" "$RECORDS" >"$work/info.json"
cp "$(bench_geoip)" "$data/small.mmdb"   # the 1M-zone instances need some database; this one is tiny
mkdir -p "$work/run"
python3 bench/scale/measure.py --data "$data" --bin "$work/bin" --run "$work/run" \
  --json "$work/results.json" --info "$work/info.json" ${ONLY:+--only "$ONLY"}

mkdir -p bench/results
tag="$(date -u +%Y-%m-%d)${ONLY:+-$ONLY}${BUILD:+-$BUILD}"
out="bench/results/scale-$tag.md"
{
  echo "# Scale benchmark, $(date -u +'%Y-%m-%d %H:%M UTC')"
  echo
  echo "Commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (modified)'), ${BUILD:-jit} build, $(nproc) CPUs, $(uname -sr), SEED=$SEED, $(gdnsd -h 2>&1 | grep -m1 version || true), knot $(knotd -V 2>&1 | grep -o '[0-9][0-9.]*' | head -1), dnsperf $(dnsperf -h 2>&1 | grep -o 'Version [0-9.]*' | cut -d' ' -f2). Servers on CPU 1 (every thread), dnsperf on CPU 0; run took $(( ($(date +%s) - started) / 60 )) min."
  echo
  python3 bench/scale/report.py "$work/results.json"
} >"$work/table.md"
cp "$work/table.md" "$out"
cp "$work/results.json" "bench/results/scale-$tag.json"
cat "$out"
echo "scale: written to $out" >&2
