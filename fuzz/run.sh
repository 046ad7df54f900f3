#!/usr/bin/env bash
# Fuzzes one target with AFL++ for SECONDS and reports executions, coverage and crashes.
#   fuzz/run.sh TARGET SECONDS        targets: query-parser pipeline master-file policy geoip
#   fuzz/run.sh TARGET --replay FILE  runs one input once (a crash's stack trace, in a debugger)
# Needs afl-fuzz (Debian: afl++) and the SharpFuzz tool (restored from .config/dotnet-tools.json).
# Inputs and findings go to $FUZZ_OUT (default /tmp/gslbdns-fuzz/TARGET); crashes are copied to
# fuzz/crashes/TARGET/ so each can become a regression test. Exit 1 when a crash was found.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz/run.sh TARGET SECONDS | TARGET --replay FILE}
out=${FUZZ_OUT:-/tmp/gslbdns-fuzz}/$target
bin=$out/bin

# A fresh copy each time: SharpFuzz refuses an assembly it has already instrumented.
rm -rf "$bin"
dotnet publish fuzz/GslbDns.Fuzz -c Release -o "$bin" --nologo -v quiet
if [ "${2:-}" = "--replay" ]; then
  exec dotnet "$bin/GslbDns.Fuzz.dll" "$target" "${3:?a file to replay}"
fi
seconds=${2:-60}
command -v afl-fuzz >/dev/null || { echo "fuzz: afl-fuzz not found (apt-get install afl++)" >&2; exit 2; }
[ -d "fuzz/seeds/$target" ] || { echo "fuzz: no seeds for target '$target'" >&2; exit 2; }

# Coverage for our code and the parsers it leans on (the MaxMind reader, YAML).
dotnet tool restore >/dev/null
for dll in gslbdns.dll MaxMind.Db.dll YamlDotNet.dll; do
  dotnet tool run sharpfuzz "$bin/$dll" >/dev/null
done

rm -rf "$out/afl"
# The target is `dotnet`, not an AFL-built binary; SharpFuzz runs the fork server inside it.
AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
  afl-fuzz -V "$seconds" -t 10000 -m none -i "fuzz/seeds/$target" -o "$out/afl" -- dotnet "$bin/GslbDns.Fuzz.dll" "$target" \
  > "$out/afl.log" 2>&1 || { tail -30 "$out/afl.log" >&2; echo "fuzz: afl-fuzz failed" >&2; exit 2; }

stats=$out/afl/default/fuzzer_stats
field() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
crashes=$(find "$out/afl/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
echo "fuzz $target: ${seconds} s, $(field execs_done) executions ($(field execs_per_sec)/s), corpus $(field corpus_count), coverage $(field bitmap_cvg) of the map, $crashes crash(es), $(field saved_hangs) hang(s)"
if [ "$crashes" -gt 0 ]; then
  mkdir -p "fuzz/crashes/$target"
  cp "$out"/afl/default/crashes/id:* "fuzz/crashes/$target/"
  echo "fuzz $target: crashing inputs copied to fuzz/crashes/$target/; replay one with fuzz/run.sh $target --replay FILE" >&2
  exit 1
fi
