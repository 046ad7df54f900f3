# Sourced by the bench scripts: the harness folder, a scratch folder removed on exit with every
# process started into `pids`, a Release build of the server in "$work/bin", and the bench's zone.
#   . "$(dirname "$0")/lib/setup.sh" NAME
# shellcheck shell=bash
bench_name=$1
cd "$(dirname "$0")/.."
bench=${BENCH:-../shared/bench}
[ -d "$bench" ] || { echo "$bench_name: $bench not found (the shared benchmark harness)" >&2; exit 2; }
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
# BUILD=aot or BUILD=r2r publishes with that profile (src/GslbDns/Properties/PublishProfiles/); the
# default is the JIT build that dotnet run and the tests use. Scripts start "$work/bin/gslbdns",
# which every profile writes (an AOT publish has no gslbdns.dll: cluster.sh's timing tool needs JIT).
# PUBLISH_ARGS adds publish options, e.g. PUBLISH_ARGS=-p:StripSymbols=false for perf stacks of the AOT binary.
profile=()
[ -n "${BUILD:-}" ] && [ "${BUILD}" != jit ] && profile=(-p:PublishProfile="$BUILD")
# shellcheck disable=SC2206
[ -n "${PUBLISH_ARGS:-}" ] && profile+=(${PUBLISH_ARGS})
# The build is CPU-heavy: it waits for, and holds, the machine's CPU lock (measurements run under it).
if [ -n "${CPU_LOCK-/tmp/cpu-heavy.lock}" ] && command -v flock >/dev/null 2>&1; then
  flock "${CPU_LOCK-/tmp/cpu-heavy.lock}" dotnet publish src/GslbDns -c Release "${profile[@]}" -o "$work/bin" --nologo -v quiet
else
  dotnet publish src/GslbDns -c Release "${profile[@]}" -o "$work/bin" --nologo -v quiet
fi

# bench_zone DIR: the harness's example.com without its www record (GslbDns steers www).
bench_zone() {
  mkdir -p "$1"
  grep -v '^www ' "$bench/peers/zone/example.com.zone" > "$1/example.com.zone"
}

# bench_geoip: the City test database the harness and its peers use.
bench_geoip() { echo "$(dirname "$bench")/geoip-test-data/GeoIP2-City-Test.mmdb"; }
