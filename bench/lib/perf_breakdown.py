#!/usr/bin/python3
"""Splits a perf recording of the server's UDP thread into user and kernel time, the kernel part by
system call and the user part by query-path step and by function.

  perf script -i FILE.perf.data -F comm,tid,ip,sym,dso | python3 bench/lib/perf_breakdown.py [QUERIES]

QUERIES (answered queries during the recording) turns shares into microseconds per query when the
recording's duration and CPU share are known: pass them as SECONDS=.. CPU_SHARE=.. in the
environment (CPU_SHARE: the thread's share of one core while recorded). Standard library only.
"""
import collections
import os
import re
import sys

THREAD = re.compile(r"^dns-udp")
# First match walking from the sampled frame towards the thread's start names the step. Runtime and
# BCL frames (Memmove, SequenceEqual, P/Invoke stubs) are charged to the step that called them.
STEPS = [
    ("parse", re.compile(r"GslbDns\.Parsing\.")),
    ("geo tree walk", re.compile(r"GslbDns\.Steering\.Geo\.")),
    ("region choice", re.compile(r"GslbDns\.Steering\.Choice\.|RegionState|StateTable|AnswerCounter")),
    ("zone look-up", re.compile(r"GslbDns\.Zones\.|WireComparer|DnsName::")),
    ("steering (other)", re.compile(r"GslbDns\.Steering\.")),
    ("encode", re.compile(r"GslbDns\.Answering\.|GslbDns\.Writing\.|ClientSubnetWriter")),
    ("metrics tap", re.compile(r"GslbDns\.Metrics\.")),
    ("cookies", re.compile(r"GslbDns\.Cookies\.")),
    ("pipeline (inlined steps)", re.compile(r"GslbDns\.Pipeline\.QueryPipeline")),
    ("receive loop + batch", re.compile(r"GslbDns\.Listening\.")),
]
SYSCALLS = re.compile(r"__x64_sys_(\w+)|__sys_(\w+)")


def samples(lines):
    block = []
    for line in lines:
        if not line.strip():
            if block:
                yield block
            block = []
            continue
        block.append(line.rstrip("\n"))
    if block:
        yield block


def main():
    queries = float(sys.argv[1]) if len(sys.argv) > 1 else 0.0
    total = 0
    kernel = collections.Counter()
    user_steps = collections.Counter()
    user_self = collections.Counter()
    kinds = collections.Counter()
    for block in samples(sys.stdin):
        header, frames = block[0], block[1:]
        comm = header.rsplit(None, 1)[0].strip() if header.split() else ""
        if not THREAD.match(comm) or not frames:
            continue
        total += 1
        parsed = []
        for frame in frames:
            m = re.match(r"\s*([0-9a-f]+)\s+(.*?)\s+\((.*)\)\s*$", frame)
            if m:
                parsed.append((m.group(2), m.group(3)))
        if not parsed:
            continue
        sym, dso = parsed[0]
        if dso == "[kernel.kallsyms]":
            kinds["kernel"] += 1
            call = "other (interrupts, scheduling)"
            for s, d in parsed:
                if d != "[kernel.kallsyms]":
                    break
                m = SYSCALLS.match(s)
                if m:
                    call = (m.group(1) or m.group(2))
            kernel[call] += 1
            continue
        kinds["user"] += 1
        name = sym if sym != "[unknown]" else os.path.basename(dso)
        name = re.sub(r"\[(OptimizedTier1|OptimizedTier1OSR|Optimized|QuickJitted|Tier0|Tier1|Instrumented\w*)\]$", "", name)
        user_self[name] += 1
        step = "runtime, libc (P/Invoke, errno)"
        for s, d in parsed:
            # Match the method's own name, not the types in its signature.
            m = re.search(r"([\w.`<>+/]+::[\w.`<>|]+)\(", s)
            method = m.group(1) if m else s
            hit = next((label for label, rx in STEPS if rx.search(method)), None)
            if hit:
                step = hit
                break
        user_steps[step] += 1

    if total == 0:
        print("no samples of the UDP thread")
        return
    seconds = float(os.environ.get("SECONDS", "0") or 0)
    share = float(os.environ.get("CPU_SHARE", "0") or 0)
    per_sample_us = (seconds * share * 1e6 / total) if seconds and share else 0.0

    def us(n):
        return f" {n * per_sample_us / queries:6.3f}" if per_sample_us and queries else ""

    unit = " us/q" if per_sample_us and queries else ""
    print(f"samples of the UDP thread: {total}")
    print(f"| part | share |{unit} |")
    print("|---|---|---|")
    for k in ("user", "kernel"):
        print(f"| {k} | {100.0 * kinds[k] / total:5.1f} % |{us(kinds[k])} |")
    print()
    print("| kernel, by system call | share of thread |" + unit + " |")
    print("|---|---|---|")
    for k, n in kernel.most_common():
        print(f"| {k} | {100.0 * n / total:5.1f} % |{us(n)} |")
    print()
    print("| user mode, by step | share of thread | share of user |" + unit + " |")
    print("|---|---|---|---|")
    for k, n in user_steps.most_common():
        print(f"| {k} | {100.0 * n / total:5.1f} % | {100.0 * n / max(1, kinds['user']):5.1f} % |{us(n)} |")
    print()
    print("| user mode, top functions (self) | share of thread |")
    print("|---|---|")
    for k, n in user_self.most_common(15):
        short = re.sub(r"\(.*\)", "(...)", k)
        short = re.sub(r"valuetype |class |instance |\[[\w.]+\] ", "", short)
        print(f"| `{short[:110]}` | {100.0 * n / total:5.1f} % |")


main()
