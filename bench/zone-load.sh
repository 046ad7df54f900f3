#!/usr/bin/env bash
# One zone file through each stage of the load (read, normalize, validate, compile), with the time,
# the bytes allocated and the collections of each stage (bench/ZoneLoad). Without a file, the
# 1,000,000-record zone of bench/scale.sh (SEED=42) is generated first.
#   bash bench/zone-load.sh                       # the generated 1M-record zone, 2 rounds
#   bash bench/zone-load.sh zones/example.com.zone 3
# YOUNG_GC=1 also times a young collection after each stage (what the stage's large arrays cost it).
# BUILD=aot runs it as a Native AOT binary, the build the server ships: its write barrier marks a card
# for every reference stored, so its young collections cost what the JIT build's do not.
#   bash bench/zone-load.sh --card-cost           # that difference alone, without a zone (run it both ways)
# Holds /tmp/cpu-heavy.lock for the build and the run.
set -euo pipefail
cd "$(dirname "$0")/.."
lock=${CPU_LOCK-/tmp/cpu-heavy.lock}
locked() { if [ -n "$lock" ] && command -v flock >/dev/null 2>&1; then flock "$lock" "$@"; else "$@"; fi; }
file=${1:-}
rounds=${2:-2}
if [ "$file" != --card-cost ] && [ -z "$file" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  python3 -c "import random, sys; sys.path.insert(0, 'bench/scale'); import generate; generate.write_big_zone(random.Random(43), '$work', ${RECORDS:-1000000})"
  file="$work/big-zones/big.test.zone"
fi
if [ "${BUILD:-jit}" = aot ]; then
  out=$(mktemp -d)
  trap 'rm -rf "${work:-}" "$out"' EXIT
  # The server's AOT profile sets these for src/GslbDns; this tool is published without it.
  linker=()
  [ ! -e /usr/bin/clang ] && [ -e /usr/bin/clang-14 ] && linker=(-p:CppCompilerAndLinker=clang-14)
  locked dotnet publish bench/ZoneLoad -c Release -p:PublishAot=true -p:RuntimeIdentifier=linux-x64 \
    "${linker[@]}" -p:WarningsNotAsErrors=IL3053 -o "$out" --nologo -v quiet >&2
  run=("$out/ZoneLoad")
else
  locked dotnet build bench/ZoneLoad -c Release --nologo -v quiet >&2
  run=(dotnet bench/ZoneLoad/bin/Release/net10.0/ZoneLoad.dll)
fi
if [ "$file" = --card-cost ]; then locked "${run[@]}" --card-cost; else locked "${run[@]}" "$file" "$rounds"; fi
