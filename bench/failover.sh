#!/usr/bin/env bash
# Failover benchmark: builds Release, runs bench/Failover against the real gslbdns process and
# writes a markdown table to stdout and bench/results/failover-<date>.md.
# Options (environment): TRIES=20 FLAP_SECONDS=300 SEED=<n> (random by default).
# Exits non-zero only when something could not be measured, never on a missed target.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export TRIES="${TRIES:-20}" FLAP_SECONDS="${FLAP_SECONDS:-300}"

dotnet build src/GslbDns -c Release -nologo -v quiet >&2
dotnet build bench/Failover -c Release -nologo -v quiet >&2

mkdir -p bench/results
out="bench/results/failover-$(date -u +%Y-%m-%d).md"
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
{
  echo "# Failover benchmark, $(date -u +'%Y-%m-%d %H:%M UTC')"
  echo
  echo "Commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (modified)'), $(nproc) CPUs, $(uname -sr), TRIES=$TRIES FLAP_SECONDS=$FLAP_SECONDS."
  echo
} >"$tmp"

# The run measures timing: keep other CPU-heavy jobs (which take the same lock) off the machine.
flock /tmp/cpu-heavy.lock \
  dotnet exec bench/Failover/bin/Release/net10.0/failover.dll \
    --server src/GslbDns/bin/Release/net10.0/gslbdns.dll --geoip geoip >>"$tmp"

cp "$tmp" "$out"
cat "$out"
echo "written to $out" >&2
