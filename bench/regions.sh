#!/usr/bin/env bash
# Many regions: server CPU per steered query with 1,000 services of 100 regions each against
# 1,000 services of 3 regions (and 1 service of 3 regions), same zone names, same GeoIP database.
#   bash bench/regions.sh                      # ~4-5 minutes on 2 cores
#   RUNS=5 DURATION=20 bash bench/regions.sh   # more rounds
#   SEED=7 bash bench/regions.sh               # other policies (default SEED=42: the same bytes each run)
#   SETUPS="a b" bash bench/regions.sh         # leave out the 1-service baseline
#   BIN=/tmp/other-build bash bench/regions.sh # measure another published build (before/after)
# Writes a markdown table to stdout and bench/results/regions-<date>.md; progress to stderr.
# Holds /tmp/cpu-heavy.lock for the whole run (build, data, measurements). Needs dnsperf
# (installed with apt when missing) and the shared harness (its DNS wire helpers).
set -euo pipefail
SEED=${SEED:-42}
export RUNS=${RUNS:-3} DURATION=${DURATION:-15} WARMUP=${WARMUP:-5}

if ! command -v dnsperf >/dev/null; then
  echo "regions: installing dnsperf" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dnsperf >&2
fi

exec 9>>/tmp/cpu-heavy.lock
echo "regions: waiting for /tmp/cpu-heavy.lock" >&2
flock 9
started=$(date +%s)
echo "regions: building Release" >&2
# This script holds the lock already (fd 9): setup.sh must not wait for it again.
CPU_LOCK=""
# shellcheck source=lib/setup.sh
. "$(dirname "$0")/lib/setup.sh" regions

# The City test database the harness uses, with its JSON source for the expected answers; else
# the repository's sample (its JSON beside it).
geodb=$(bench_geoip)
geojson=${geodb%.mmdb}.json
if [ ! -s "$geodb" ] || [ ! -s "$geojson" ]; then
  geodb=$(ls geoip/*.mmdb | head -1)
  geojson=$(ls geoip/*.json | head -1)
fi
data="$work/data"
echo "regions: generating SEED=$SEED from $(basename "$geodb")" >&2
python3 bench/regions/generate.py "$data" "$SEED" "$geojson" "$bench/lib" >"$work/info.json"
mkdir -p "$work/run"
# shellcheck disable=SC2086
python3 bench/regions/measure.py --data "$data" --bin "${BIN:-$work/bin}" --run "$work/run" --json "$work/results.json" \
  --wire "$bench/lib" --geoip "$geodb" --setups ${SETUPS:-a b c}

mkdir -p bench/results
out="bench/results/regions-$(date -u +%Y-%m-%d).md"
{
  echo "# Many regions, $(date -u +'%Y-%m-%d %H:%M UTC')"
  echo
  echo "Commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (modified)'), $(nproc) CPUs, $(uname -sr), SEED=$SEED, GeoIP $(basename "$geodb"), dnsperf $(dnsperf -h 2>&1 | grep -o 'Version [0-9.]*' | cut -d' ' -f2). Server on CPU 1 (every thread), dnsperf on CPU 0 (-c 4 -q 100 -T 2, one A query per packet, each with its own ECS); run took $(( ($(date +%s) - started) / 60 )) min."
  echo
  echo "Policies: $(cat "$work/info.json")"
  echo
  python3 bench/regions/report.py "$work/results.json"
} >"$work/table.md"
cp "$work/table.md" "$out"
cat "$out"
echo "regions: written to $out" >&2
