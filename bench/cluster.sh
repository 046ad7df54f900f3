#!/usr/bin/env bash
# Cluster benchmark: a real three-member etcd and three GslbDns instances on loopback. Measures
# (1) how long a load report posted to one instance takes until all three answer with the new
# shedding, (2) how long until all three agree that a broken (and then restored) LB is down (up),
# and (3) DNS CPU per query of a clustered instance, with load reports arriving, next to one
# running alone, in one ../shared/bench batch. Markdown to stdout and bench/results/cluster-<date>.md,
# progress to stderr. See bench/README.md.
#   bash bench/cluster.sh                          # defaults: ~10-12 minutes
#   REPORTS=20 TRIES=3 CPU=0 bash bench/cluster.sh # a quick look: ~1 minute
# Knobs: REPORTS=200 TRIES=20 AGREE=quorum SEED=n (parts 1, 2); CPU=1 RATE=50 RUNS=3 DURATION=15
# SCENARIOS="udp-www udp-mix-ecs-rand tcp-www" (part 3; CPU=0 skips it).
# Ports: etcd clients 23701-23703, peers 23711-23713; instances DNS 5361-5366, API 28161-28166;
# LB stand-ins 127.0.0.41-42, probe sources 127.0.0.111-113.
set -euo pipefail
. "$(dirname "$0")/lib/setup.sh" cluster
export REPORTS=${REPORTS:-200} TRIES=${TRIES:-20}
cpu=${CPU:-1} rate=${RATE:-50}
flock /tmp/cpu-heavy.lock dotnet build bench/Cluster -c Release -nologo -v quiet >&2
tool=(dotnet exec bench/Cluster/bin/Release/net10.0/cluster.dll)

# etcd: three members on loopback, on CPU 0 (the harness's client CPU; DNS servers measured run on CPU 1).
peers=m1=http://127.0.0.1:23711,m2=http://127.0.0.1:23712,m3=http://127.0.0.1:23713
etcd_urls=http://127.0.0.1:23701,http://127.0.0.1:23702,http://127.0.0.1:23703
for i in 1 2 3; do
  taskset -c 0 etcd --name "m$i" --data-dir "$work/etcd-m$i" \
    --listen-client-urls "http://127.0.0.1:2370$i" --advertise-client-urls "http://127.0.0.1:2370$i" \
    --listen-peer-urls "http://127.0.0.1:2371$i" --initial-advertise-peer-urls "http://127.0.0.1:2371$i" \
    --initial-cluster "$peers" --initial-cluster-state new --initial-cluster-token gslbdns-bench \
    --logger zap --log-level error >"$work/etcd-m$i.log" 2>&1 &
  pids+=($!)
done
for _ in $(seq 1 100); do
  healthy=0
  for i in 1 2 3; do curl -sf "http://127.0.0.1:2370$i/health" | grep -q '"health":"true"' && healthy=$((healthy + 1)); done
  [ "$healthy" = 3 ] && break
  sleep 0.2
done
[ "$healthy" = 3 ] || { echo "cluster: etcd did not get healthy (see $work/etcd-m*.log)" >&2; tail -n 5 "$work"/etcd-m*.log >&2; exit 1; }
echo "cluster: etcd $(etcd --version | head -n 1 | awk '{print $3}'), 3 members healthy at $etcd_urls" >&2

report="$work/report.md"
{
  echo "# Cluster benchmark, $(date -u +'%Y-%m-%d %H:%M UTC')"
  echo
  echo "Commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (modified)'), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(uname -sr), etcd $(etcd --version | head -n 1 | awk '{print $3}') (3 members, loopback, data on $(df --output=source "$work" | tail -n 1)); REPORTS=$REPORTS TRIES=$TRIES CPU=$cpu${AGREE:+ AGREE=$AGREE}."
  echo
} >"$report"

# Parts 1 and 2: timing, so under the CPU lock (nothing else heavy on the machine meanwhile).
echo "cluster: report propagation and LB failure agreement" >&2
flock /tmp/cpu-heavy.lock "${tool[@]}" timing --server "$work/bin/gslbdns.dll" --geoip geoip --etcd "$etcd_urls" >>"$report"
# What a write costs in etcd here: every report is two raft commits (its lease, then the key), each
# waiting for a WAL fsync on the leader and a follower.
for i in 1 2 3; do
  curl -sf "http://127.0.0.1:2370$i/metrics" | awk -v m="m$i" '
    /^etcd_disk_wal_fsync_duration_seconds_sum/ {fs = $2} /^etcd_disk_wal_fsync_duration_seconds_count/ {fc = $2}
    /^etcd_server_is_leader/ {leader = $2} /^etcd_server_proposals_committed_total/ {pc = $2}
    END {if (fc > 0) printf "etcd %s%s: %d proposals committed, %d WAL fsyncs, mean fsync %.1f ms\n", m, leader == 1 ? " (leader)" : "", pc, fc, 1000 * fs / fc}'
done | sed 's/^/- /' >>"$report"
echo >>"$report"

if [ "$cpu" != 0 ]; then
  # Part 3: the bench zone with a load-shedding policy, as bench/load-reports.sh serves it.
  bench_zone "$work/zones"
  cat > "$work/zones/example.com.gslb.yaml" <<'YAML'
services:
  www:
    load: { shed: { start: 0.80, full: 0.95 }, spill: next, report-ttl: 30s }
    regions:
      ap: { target: ap.www, capacity: 5000 }
      eu: { target: eu.www, capacity: 5000 }
      us: { target: us.www, capacity: 5000 }
    topology:
      - match: { continent: [AS] }
        prefer: [ap, us]
      - match: { continent: [EU] }
        prefer: [eu, us]
      - default: [us, eu]
YAML
  secret=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
  printf 'tokens:\n  bench: { secret: "%s", load: ["*/*"] }\n' "$secret" > "$work/tokens.yaml"
  # start CPU DNS-PORT API-PORT [cluster options...]
  start() {
    local on=$1 dns=$2 api=$3; shift 3
    taskset -c "$on" "$work/bin/gslbdns" --zones "$work/zones" --listen "127.0.0.1:$dns" --api-listen "127.0.0.1:$api" --no-watch \
      --api-tokens "$work/tokens.yaml" --state-dir "$work/state-$dns" --geoip "$(bench_geoip)" --log-level Warning "$@" \
      >"$work/$dns.log" 2>&1 &
    pids+=($!)
    started=$!
  }
  cluster_options=(--cluster-etcd "$etcd_urls" --cluster-prefix /gslbdns-cpu/)
  start 1 5364 28164 "${cluster_options[@]}" --instance-name cpu-clustered; clustered=$started
  start 0 5365 28165 "${cluster_options[@]}" --instance-name cpu-peer
  start 1 5366 28166; alone=$started
  for api in 28164 28165 28166; do
    for _ in $(seq 1 150); do curl -sf -o /dev/null "http://127.0.0.1:$api/readyz" && break; sleep 0.2; done
  done
  taskset -a -p -c 1 "$clustered" >/dev/null
  taskset -a -p -c 1 "$alone" >/dev/null
  taskset -c 0 "${tool[@]}" post --rate "$rate" --secret "$secret" \
    --members http://127.0.0.1:28164/,http://127.0.0.1:28165/ --alone http://127.0.0.1:28166/ 2>"$work/poster.log" &
  pids+=($!)
  sleep 3
  # The poster sends three reports (one per region) to one member, then three to the other: look a
  # few times for a report the clustered instance has from its peer, through etcd.
  via=
  for _ in $(seq 1 100); do
    via=$(curl -sf http://127.0.0.1:28164/api/v1/status | grep -o 'via cpu-peer' | head -n 1 || true)
    [ -n "$via" ] && break
    sleep 0.05
  done
  echo "cluster: CPU part, $rate reports/s, the clustered instance sees the peer's reports: ${via:-NO}" >&2
  # The harness takes the CPU lock itself around each run; exit status 3: another harness is running.
  for attempt in $(seq 1 40); do
    rc=0
    OUTDIR="$work/cpu" PEERS=" " SCENARIOS="${SCENARIOS:-udp-www udp-mix-ecs-rand tcp-www}" RUNS="${RUNS:-3}" \
      EXTRA_TARGETS="alone:127.0.0.1:5366:$alone:gslb clustered:127.0.0.1:5364:$clustered:gslb" \
      bash "$bench/run-peers.sh" >"$work/cpu.out" || rc=$?
    [ "$rc" = 3 ] || break
    echo "cluster: another harness is running; waiting 30 s (attempt $attempt)" >&2
    rm -rf "$work/cpu"
    sleep 30
  done
  [ "$rc" = 0 ] || { echo "cluster: the harness failed ($rc)" >&2; cat "$work/cpu.out" >&2; exit 1; }
  {
    echo "## DNS CPU per query, clustered vs alone (${SCENARIOS:-udp-www udp-mix-ecs-rand tcp-www}; ${RUNS:-3} runs of ${DURATION:-15} s each, interleaved)"
    echo
    echo "Both instances on CPU 1, dnsperf on CPU 0, one ../shared/bench batch (\`PEERS=\" \"\`, both as \`EXTRA_TARGETS\`). $rate load reports a second (www's three regions in turn, below the shed start), each to the instance alone and to one of the two cluster members in turn, so the clustered one applies half of them from its API and half through etcd; etcd, the peer and the poster run on CPU 0. Within noise: the two targets' run ranges overlap."
    echo
    "${tool[@]}" cpu-table "$work/cpu/results.jsonl" alone clustered
    echo
    echo "Poster: $(tail -n 1 "$work/poster.log"). The clustered instance's status named a report via its peer: ${via:-no}."
    echo
  } >>"$report"
fi

mkdir -p bench/results
out="bench/results/cluster-$(date -u +%Y-%m-%d).md"
cp "$report" "$out"
cat "$out"
echo "written to $out" >&2
