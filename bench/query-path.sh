#!/usr/bin/env bash
# In-process micro-benchmarks of the query path (bench/QueryPath, BenchmarkDotNet): parse, zone
# look-up, GeoIP tree walk, region choice, encoding and the whole pipeline, on the shared bench
# scenario. Writes the tables to stdout and to bench/results/query-path-<date>.md.
#   bash bench/query-path.sh                     # short job (3 warm-ups, 3 iterations): ~4 min
#   JOB=default bash bench/query-path.sh         # BenchmarkDotNet's default job: ~20 min, tighter errors
#   FILTER='*Pipeline*' bash bench/query-path.sh # one class (names as in bench/QueryPath/Benchmarks.cs)
# Holds /tmp/cpu-heavy.lock for the build and the run; BENCH_CPU=N pins the run to CPU N.
set -euo pipefail
cd "$(dirname "$0")/.."

job=${JOB:-short}
filter=${FILTER:-*}
cpu=${BENCH_CPU:-}
lock=${CPU_LOCK-/tmp/cpu-heavy.lock}
artifacts=$(mktemp -d)
trap 'rm -rf "$artifacts"' EXIT

locked() { if [ -n "$lock" ] && command -v flock >/dev/null 2>&1; then flock "$lock" "$@"; else "$@"; fi; }

locked dotnet build bench/QueryPath -c Release --nologo -v quiet >&2
pin=(); [ -n "$cpu" ] && pin=(taskset -c "$cpu")
locked "${pin[@]}" dotnet bench/QueryPath/bin/Release/net10.0/QueryPath.dll \
  --filter "$filter" --job "$job" --exporters github --artifacts "$artifacts" >&2

mkdir -p bench/results
out=bench/results/query-path-$(date -u +%F).md
{
  echo "# Query path micro-benchmarks, $(date -u +%F)"
  echo
  echo "Commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench/QueryPath || echo ' (with uncommitted changes)'),"
  echo "$(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), kernel $(uname -r),"
  echo "$(dotnet --version) SDK; BenchmarkDotNet job \`$job\`, ${cpu:+pinned to CPU $cpu, }load average $(cut -d" " -f1-3 /proc/loadavg) at the end. Produced by \`bench/query-path.sh\`."
  for report in "$artifacts"/results/*-report-github.md; do
    [ -e "$report" ] || continue
    name=$(basename "$report" -report-github.md)
    echo
    echo "## ${name##*.}"
    echo
    # The environment block is the same for every class: keep only the table.
    sed -n '/^| /,$p' "$report"
  done
} > "$out"
cat "$out"
echo "query-path: wrote $out" >&2
