#!/usr/bin/python3
"""The markdown table of bench/regions.sh from measure.py's JSON.

usage: report.py RESULTS.json
"""
import json
import statistics
import sys

TARGET = 1.10
LABELS = {"a": "(a) 1,000 services x 3 regions", "b": "(b) 1,000 services x 100 regions",
          "c": "(c) 1 service x 3 regions"}


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def main():
    with open(sys.argv[1]) as f:
        res = json.load(f)
    setups = res["setups"]
    cost = {s: median([r["us_per_q"] for r in v["runs"]]) for s, v in setups.items()}
    print(f"{res['runs']} interleaved runs of {res['duration']} s per setup; server CPU µs per answered "
          "query (utime + stime of the server process, /proc/PID/stat), median and min-max.")
    print()
    print("| setup | CPU µs/query | min-max | q/s (median) | lost | vs (a) | RSS after load | RSS after runs | load time |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s, v in setups.items():
        us = [r["us_per_q"] for r in v["runs"]]
        ratio = f"{cost[s] / cost['a']:.3f}" if "a" in cost and cost["a"] else "-"
        print(f"| {LABELS[s]} | {cost[s]:.2f} | {min(us):.2f}-{max(us):.2f} | {median([r['qps'] for r in v['runs']]):,.0f} "
              f"| {sum(r['lost'] for r in v['runs'])} | {ratio} | {v['rss_loaded_kib'] / 1024:.0f} MiB "
              f"| {v['rss_kib'] / 1024:.0f} MiB | {v['load_s']:.2f} s |")
    other = max(r.get("cpu1_other_s", 0) for v in setups.values() for r in v["runs"])
    print()
    print(f"Most CPU time on the server's CPU that was not the server's, in any one run: {other:.1f} s "
          f"of {res['duration']} s (other programs, interrupts; above ~0.5 s a run is disturbed).")
    if cost.get("a") and cost.get("b"):
        ratio = cost["b"] / cost["a"]
        # Each round's own ratio: a and b measured a few seconds apart, so drift of the machine
        # between rounds cancels out of it.
        rounds = [b["us_per_q"] / a["us_per_q"] for a, b in zip(setups["a"]["runs"], setups["b"]["runs"])]
        print()
        print(f"Target: (b) / (a) ≤ {TARGET:.2f}. Measured {ratio:.3f} (ratio of the medians): "
              f"{'met' if ratio <= TARGET else 'NOT met'}; per round {', '.join(f'{r:.3f}' for r in rounds)}, "
              f"median {statistics.median(rounds):.3f}.")
    print()
    print("Answers checked before timing: " + ", ".join(
        f"{s} {v['checked']} queries" for s, v in setups.items()) + ", every one naming a region the policy allows.")


if __name__ == "__main__":
    main()
