#!/usr/bin/env python3
"""Where a thread was held: the stretches a thread spent off its CPU, from a perf sched_switch trace.

For each stretch longer than --over milliseconds it prints when it began (seconds into the trace),
how long it lasted, the state the thread left the CPU in (S: waiting, R: preempted) and which
threads ran on that CPU meanwhile, in milliseconds. With `perf record -g` the trace also holds the
stack at each switch; `perf script` shows them (a UDP thread waiting in futex while the reload
thread runs is a collection that stopped it; waiting in recvmmsg is an empty socket).

    perf record -e sched:sched_switch -C 1 -o sched.data -- sleep 30   # beside a bench run
    perf script -i sched.data -F time,trace > sched.txt
    python3 bench/lib/thread_stalls.py sched.txt --thread dns-udp --over 30
"""
import argparse
import collections
import re

SWITCH = re.compile(r"\s*([\d.]+): prev_comm=(.*?) prev_pid=(\d+) prev_prio=\d+ prev_state=(\S+) "
                    r"==> next_comm=(.*?) next_pid=(\d+) next_prio=\d+")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trace", help="perf script -F time,trace output of sched:sched_switch on one CPU")
    parser.add_argument("--thread", default="dns-udp", help="name prefix of the threads to follow")
    parser.add_argument("--over", type=float, default=20, help="shortest stretch to print, ms")
    args = parser.parse_args()

    events, names = [], {}
    for line in open(args.trace, errors="replace"):
        m = SWITCH.match(line)
        if not m:
            continue
        t, prev, prev_pid, state, nxt, next_pid = float(m[1]), m[2], int(m[3]), m[4], m[5], int(m[6])
        events.append((t, prev_pid, state, next_pid))
        names[prev_pid], names[next_pid] = prev, nxt
    if not events:
        raise SystemExit(f"{args.trace}: no sched_switch lines")
    start = events[0][0]

    # who was on the CPU when: one segment per switch
    segments = [(a[0], b[0], a[3]) for a, b in zip(events, events[1:])]
    busy = collections.Counter()
    for s, e, pid in segments:
        busy[pid] += e - s
    followed = [pid for pid, name in names.items() if name.startswith(args.thread)]
    print(f"{len(events)} switches over {events[-1][0] - start:.1f} s; on CPU: " +
          ", ".join(f"{names[p]} [{p}] {busy[p]:.2f} s" for p in followed))

    for pid in followed:
        left, state = None, None
        for t, prev_pid, st, next_pid in events:
            if prev_pid == pid:
                left, state = t, st
            elif next_pid == pid and left is not None:
                if (t - left) * 1000 > args.over:
                    ran = collections.Counter()
                    for s, e, p in segments:
                        if e > left and s < t:
                            ran["idle" if p == 0 else names.get(p, str(p))] += min(e, t) - max(s, left)
                    others = ", ".join(f"{k} {v * 1000:.0f}" for k, v in ran.most_common(4))
                    print(f"t+{left - start:8.3f} s  {names[pid]} [{pid}] off {1000 * (t - left):7.1f} ms ({state}): {others}")
                left = None


if __name__ == "__main__":
    main()
