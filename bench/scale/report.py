#!/usr/bin/python3
"""The markdown table of bench/scale.sh from measure.py's JSON. usage: report.py RESULTS.json"""
import json
import sys


def ratio(a, b):
    return a / b if a is not None and b else None


def fmt(x, unit="", digits=2):
    if x is None:
        return "-"
    return f"{x:.{digits}f}{unit}"


def verdict(value, limit):
    if value is None:
        return "not measured"
    return "**met**" if value <= limit else "**missed**"


def main():
    r = json.load(open(sys.argv[1]))
    info = r.get("info", {})
    g, d = r["geo"].get("gslbdns"), r["geo"].get("gdnsd")
    b, k = r["big"].get("gslbdns"), r["big"].get("knot")
    build = r.get("build", {})
    rows = []
    print(f"Data: {info.get('networks', '?'):,} networks ({info.get('ipv4', '?'):,} IPv4, {info.get('ipv6', '?'):,} IPv6, "
          f"{info.get('records_geo', '?'):,} distinct records), {info.get('services')} services over {info.get('regions')} regions; "
          f"zone of {info.get('records', '?'):,} records ({info.get('names', '?'):,} names). "
          f"`gslbdns geoip build`: {fmt(build.get('seconds'), ' s', 1)}, peak RSS {fmt(build.get('max_rss_mib'), ' MiB', 0)}, "
          f"{fmt(build.get('mmdb_mib'), ' MiB', 0)} file.")
    print()
    print("| # | measure | GslbDns | peer | GslbDns / peer | target | |")
    print("|---|---|---:|---:|---:|---|---|")

    def row(n, what, ours, peer, rat, target, met):
        rows.append((n, what, ours, peer, rat, target, met))
        print(f"| {n} | {what} | {ours} | {peer} | {rat} | {target} | {met} |")

    if g and d:
        geo_rows(row, g, d)
    if b and k:
        zone_rows(row, b, k)


def geo_rows(row, g, d):
    x = ratio(g["load_s"], d["load_s"])
    row("1", "GeoIP + policies: start to first correct answer (vs gdnsd)", fmt(g["load_s"], " s"), fmt(d["load_s"], " s"),
        fmt(x, "x"), "≤ 2x", verdict(x, 2))
    row("1", "answers as the policy says (sampled networks)", f"{g['cases'] - g['wrong']}/{g['cases']}",
        f"{d['cases'] - d['wrong']}/{d['cases']}", "", "all", "")
    x = ratio(g["steady"]["VmRSS"], d["steady"]["VmRSS"])
    row("1", "steady RSS (anon + file)", f"{fmt(g['steady']['VmRSS'], ' MiB', 0)} ({g['steady']['RssAnon']:.0f} + {g['steady']['RssFile']:.0f})",
        f"{fmt(d['steady']['VmRSS'], ' MiB', 0)} ({d['steady']['RssAnon']:.0f} + {d['steady']['RssFile']:.0f})", fmt(x, "x"), "≤ 2x", verdict(x, 2))
    row("1", "database replaced: until the new data is in force", fmt(g["reload_s"], " s"), fmt(d["reload_s"], " s") + " (incl. 5 s quiescence)",
        fmt(ratio(g["reload_s"], d["reload_s"]), "x"), "", "")
    x = ratio(g["reload_peak_mib"], g["steady"]["VmRSS"])
    row("1", "peak RSS during the database reload (ratio: / GslbDns steady)", fmt(g["reload_peak_mib"], " MiB", 0),
        fmt(d["reload_peak_mib"], " MiB", 0), fmt(x, "x"), "≤ 3x own steady", verdict(x, 3))


def zone_rows(row, b, k):
    x = ratio(b["load_s"], k["load_s"])
    row("2", "1M-record zone: start to first answer (vs knot)", fmt(b["load_s"], " s"), fmt(k["load_s"], " s"), fmt(x, "x"), "≤ 1.5x", verdict(x, 1.5))
    x = ratio(b["reload_s"], k["reload_s"])
    row("2", "zone reload, idle: new file renamed in + SIGHUP / `knotc zone-reload` to new serial", fmt(b["reload_s"], " s"),
        fmt(k["reload_s"], " s"), fmt(x, "x"), "≤ 1.5x", verdict(x, 1.5))
    x = ratio(b["steady"]["VmRSS"], k["steady"]["VmRSS"])
    row("2", "steady RSS (anon + file)", f"{fmt(b['steady']['VmRSS'], ' MiB', 0)} ({b['steady']['RssAnon']:.0f} + {b['steady']['RssFile']:.0f})",
        f"{fmt(k['steady']['VmRSS'], ' MiB', 0)} ({k['steady']['RssAnon']:.0f} + {k['steady']['RssFile']:.0f})", fmt(x, "x"), "≤ 2x", verdict(x, 2))
    row("2", "peak RSS during the idle zone reload", fmt(b["reload_peak_mib"], " MiB", 0), fmt(k["reload_peak_mib"], " MiB", 0),
        fmt(ratio(b["reload_peak_mib"], k["reload_peak_mib"]), "x"), "", "")
    row("3", "closed-loop peak on the zone (dnsperf, mixed questions)", fmt(b["peak_qps"] / 1000, " k qps", 1),
        fmt(k["peak_qps"] / 1000, " k qps", 1), fmt(ratio(b["peak_qps"], k["peak_qps"]), "x"), "", "")
    bu, ku = b["under_load"], k["under_load"]
    row("3", f"fixed rate {b['rate']:,} qps (50 % of GslbDns's peak): reload under load, time to new serial",
        fmt(bu["reload_s"], " s"), fmt(ku["reload_s"], " s"), fmt(ratio(bu["reload_s"], ku["reload_s"]), "x"), "", "")
    lost = (bu["lost"] or 0)
    row("3", "lost queries in the run with the reload (sent)", f"{bu['lost']:.0f} ({bu['sent']:.0f})",
        f"{ku['lost']:.0f} ({ku['sent']:.0f})", "", "0", "**met**" if lost == 0 else "**missed**")
    row("3", "of those, dropped at the server's own sockets (/proc/net/udp)", f"{bu.get('server_socket_drops', 0):.0f}",
        f"{ku.get('server_socket_drops', 0):.0f}", "", "", "")
    row("3", "dropped at the clients' sockets: replies sent that dnsperf had no room for (RcvbufErrors)",
        f"{bu.get('client_socket_drops', 0):.0f}", f"{ku.get('client_socket_drops', 0):.0f}", "", "", "")
    row("3", "lost queries at the same rate without a reload (sent)", f"{b['idle']['lost']:.0f} ({b['idle']['sent']:.0f})",
        f"{k['idle']['lost']:.0f} ({k['idle']['sent']:.0f})", "", "", "")
    ms = 1000
    row("3", "p99 latency idle (same rate, no reload)", fmt(b["idle"]["p99_s"] and b["idle"]["p99_s"] * ms, " ms", 3),
        fmt(k["idle"]["p99_s"] and k["idle"]["p99_s"] * ms, " ms", 3), "", "", "")
    x = ratio(bu["p99_reload_s"], b["idle"]["p99_s"])
    row("3", "p99 latency during the reload (ratio: / own idle p99)", fmt(bu["p99_reload_s"] and bu["p99_reload_s"] * ms, " ms", 3),
        fmt(ku["p99_reload_s"] and ku["p99_reload_s"] * ms, " ms", 3) + f" ({fmt(ratio(ku['p99_reload_s'], k['idle']['p99_s']), 'x')})",
        fmt(x, "x"), "≤ 3x own idle", verdict(x, 3))
    x = ratio(bu.get("p99_all_s"), b["idle"]["p99_s"])
    row("3", "p99 latency over the whole run with the reload, the collection after it included",
        fmt(bu.get("p99_all_s") and bu["p99_all_s"] * ms, " ms", 3),
        fmt(ku.get("p99_all_s") and ku["p99_all_s"] * ms, " ms", 3) + f" ({fmt(ratio(ku.get('p99_all_s'), k['idle']['p99_s']), 'x')})",
        fmt(x, "x"), "", "")
    row("3", "max latency in the run with the reload", fmt(bu["max_s"] and bu["max_s"] * ms, " ms", 1),
        fmt(ku["max_s"] and ku["max_s"] * ms, " ms", 1), "", "", "")

    def collections(gc):
        if not gc:
            return "n/a"
        return f"{gc.get('gen0', 0):.0f}/{gc.get('gen1', 0):.0f}/{gc.get('gen2', 0):.0f}, {gc.get('pause_s', 0) * ms:.0f} ms"
    row("3", "GslbDns's collections gen0/1/2 and pause: idle run / run with the reload (its /metrics)",
        f"{collections(b['idle'].get('gc'))} / {collections(bu.get('gc'))}", "", "", "", "")


if __name__ == "__main__":
    main()
