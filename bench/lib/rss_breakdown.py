"""Resident memory of a running gslbdns by part, from /proc/PID/smaps: the Native AOT image (code,
read-only data, the method tables rebuilt at start), GC regions, malloc, thread stacks, libraries.

  python3 bench/lib/rss_breakdown.py PID      # a markdown table, MB
"""
import re, sys, collections
pid = sys.argv[1]
maps = []
cur = None
for line in open(f"/proc/{pid}/smaps"):
    m = re.match(r"^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$", line)
    if m:
        cur = dict(start=int(m[1],16), end=int(m[2],16), perm=m[3], name=m[4].strip(), rss=0, anon=0)
        maps.append(cur); continue
    k, _, v = line.partition(":")
    if k == "Rss": cur["rss"] = int(v.split()[0])
    if k == "Anonymous": cur["anon"] = int(v.split()[0])
exe = [m for m in maps if m["name"].endswith("/gslbdns")]
exe_end = max(m["end"] for m in exe)
cats = collections.Counter()
for i, m in enumerate(maps):
    n = m["name"]
    if n.endswith("/gslbdns"):
        kind = {"r-xp": "code", "r--p": "read-only data", "rw-p": "data"}.get(m["perm"], m["perm"])
        cats[f"AOT image, {kind} (file)"] += m["rss"] - m["anon"]; cats["AOT image, written pages (anon)"] += m["anon"]
    elif m["start"] == exe_end:
        cats["AOT image .bss/.hydrated: method tables rebuilt at start (anon)"] += m["rss"]
    elif n == "[heap]":
        cats["malloc main arena [heap] (anon)"] += m["rss"]
    elif n == "[stack]":
        cats["main thread stack (anon)"] += m["rss"]
    elif n.startswith("/"):
        lib = n.split("/")[-1]
        cats[f"{lib} (file)"] += m["rss"] - m["anon"]
        if m["anon"]: cats["shared libraries, written pages (anon)"] += m["anon"]
    elif n == "":
        prev = maps[i-1] if i else None
        # A thread stack is an anonymous rw mapping just above a ---p guard page.
        if m["perm"] == "rw-p" and prev and prev["perm"] == "---p" and prev["end"] == m["start"] and (m["end"]-m["start"]) <= 8*1024*1024+4096 and (m["end"]-m["start"]) >= 64*1024 and (prev["end"]-prev["start"]) <= 64*1024:
            cats["thread stacks (anon)"] += m["rss"]
        elif m["rss"] >= 1024:
            cats["GC heap regions and bookkeeping (anon, >= 1 MB mappings)"] += m["rss"]
        else:
            cats["other anonymous (< 1 MB each: GC tables, malloc arenas, runtime)"] += m["rss"]
    else:
        cats[n] += m["rss"]
total = sum(cats.values())
print(f"| part | MB |\n|---|---|")
for k, v in cats.most_common():
    if v >= 100: print(f"| {k} | {v/1024:.1f} |")
print(f"| **total (VmRSS)** | **{total/1024:.1f}** |")
