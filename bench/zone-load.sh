#!/usr/bin/env bash
# One zone file through each stage of the load (read, normalize, validate, compile), with the time,
# the bytes allocated and the collections of each stage (bench/ZoneLoad). Without a file, the
# 1,000,000-record zone of bench/scale.sh (SEED=42) is generated first.
#   bash bench/zone-load.sh                       # the generated 1M-record zone, 2 rounds
#   bash bench/zone-load.sh zones/example.com.zone 3
# YOUNG_GC=1 also times a young collection after each stage (what the stage's large arrays cost it).
# Holds /tmp/cpu-heavy.lock for the build and the run.
set -euo pipefail
cd "$(dirname "$0")/.."
lock=${CPU_LOCK-/tmp/cpu-heavy.lock}
locked() { if [ -n "$lock" ] && command -v flock >/dev/null 2>&1; then flock "$lock" "$@"; else "$@"; fi; }
file=${1:-}
rounds=${2:-2}
if [ -z "$file" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  python3 -c "import random, sys; sys.path.insert(0, 'bench/scale'); import generate; generate.write_big_zone(random.Random(43), '$work', ${RECORDS:-1000000})"
  file="$work/big-zones/big.test.zone"
fi
locked dotnet build bench/ZoneLoad -c Release --nologo -v quiet >&2
locked dotnet bench/ZoneLoad/bin/Release/net10.0/ZoneLoad.dll "$file" "$rounds"
