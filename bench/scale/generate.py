#!/usr/bin/python3
"""Generate the data of bench/scale.sh, deterministic for a given SEED (standard library only).

usage: generate.py OUTDIR SEED [NETWORKS] [RECORDS]

OUTDIR/geo.csv              GeoIP source for `gslbdns geoip build` (network,country_code,
                            continent_code,latitude,longitude): ~NETWORKS networks, 72 % IPv4
OUTDIR/geo-zones/           zone geo.test (10 steered services over 100 regions) + its policy
OUTDIR/gdnsd/               gdnsd config (one geoip map and resource per service) + zone
OUTDIR/big-zones/big.test.zone   RECORDS records of mixed types (GslbDns and knot read this file)
OUTDIR/cases.json           probe questions with the expected answer (the same for both servers)
"""
import ipaddress
import json
import os
import random
import sys

CONTINENTS = {
    "AF": "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW KE KM LR LS LY MA MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TG TN TZ UG YT ZA ZM ZW",
    "AS": "AE AF AM AZ BD BH BN BT CC CN CX GE HK ID IL IN IO IQ IR JO JP KG KH KP KR KW KZ LA LB LK MM MN MO MV MY NP OM PH PK PS QA SA SG SY TH TJ TL TM TR TW UZ VN YE",
    "EU": "AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA XK",
    "NA": "AG AI AW BB BL BM BQ BS BZ CA CR CU CW DM DO GD GL GP GT HN HT JM KN KY LC MF MQ MS MX NI PA PM PR SV SX TC TT US VC VG VI",
    "OC": "AS AU CK FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM VU WF WS",
    "SA": "AR BO BR CL CO EC FK GF GY PE PY SR UY VE",
}
# rough centre of each continent, for cities and regions
CENTRE = {"AF": (5, 20), "AS": (30, 100), "EU": (50, 10), "NA": (40, -95), "OC": (-25, 140), "SA": (-15, -60)}
# share of networks per continent (GeoLite2-like: NA and EU and AS dominate)
SHARE = {"NA": 30, "EU": 30, "AS": 25, "SA": 7, "OC": 4, "AF": 4}
RESERVED4 = [ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
    "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/3")]
SERVICES = 10
REGIONS = 100


def countries_of():
    country_continent = {}
    for cont, codes in CONTINENTS.items():
        for c in codes.split():
            country_continent[c] = cont
    return country_continent


def make_cities(rng, country_continent, n):
    """n cities (country, lat, lon), weighted towards big countries of the big continents."""
    by_cont = {}
    for c, cont in sorted(country_continent.items()):
        by_cont.setdefault(cont, []).append(c)
    cities = []
    conts = sorted(SHARE)
    weights = [SHARE[c] for c in conts]
    for _ in range(n):
        cont = rng.choices(conts, weights)[0]
        codes = by_cont[cont]
        # a few countries hold most networks (US, DE, CN ...): Zipf-like weights
        country = codes[min(int(rng.paretovariate(1.2)) - 1, len(codes) - 1)] if rng.random() < 0.6 else rng.choice(codes)
        lat0, lon0 = CENTRE[cont]
        cities.append((country, cont, round(max(-89.9, min(89.9, lat0 + rng.uniform(-20, 20))), 4),
                       round(max(-179.9, min(179.9, lon0 + rng.uniform(-30, 30))), 4)))
    return cities


def ipv4_networks(rng, target):
    """Consecutive networks over the public IPv4 space with gaps, prefix lengths /12../30."""
    reserved = [(int(n.network_address), int(n.broadcast_address)) for n in RESERVED4]
    # mean block ~ (space / target): pick lengths around that
    lengths = [20, 22, 23, 24, 24, 24, 24, 24, 24, 25, 26, 27, 28, 29, 30]
    cursor = 1 << 24
    end = 224 << 24
    out = []
    while cursor < end and len(out) < target:
        hit = next(((lo, hi) for lo, hi in reserved if lo <= cursor <= hi), None)
        if hit:
            cursor = hit[1] + 1
            continue
        p = rng.choice(lengths)
        while cursor % (1 << (32 - p)):
            p += 1
        size = 1 << (32 - p)
        nxt = next((lo for lo, hi in reserved if cursor < lo < cursor + size), None)
        while nxt is not None and cursor + size > nxt:
            p += 1
            size = 1 << (32 - p)
        out.append((4, cursor, p))
        cursor += size
        if rng.random() < 0.15:  # unallocated gap
            cursor += (1 << (32 - rng.choice([20, 22, 24]))) * rng.randint(1, 4)
            cursor -= cursor % 256
    return out


def ipv6_networks(rng, target):
    """Consecutive networks from 2400::, prefix lengths /29../48, with gaps (clear of 2001::/32 and
    2002::/16, which gdnsd maps onto IPv4 as Teredo and 6to4)."""
    cursor = 0x2400 << 112
    lengths = [29, 32, 32, 36, 40, 44, 48, 48, 48]
    out = []
    while len(out) < target:
        p = rng.choice(lengths)
        while cursor % (1 << (128 - p)):
            p += 1
        out.append((6, cursor, p))
        cursor += 1 << (128 - p)
        if rng.random() < 0.2:
            cursor += (1 << (128 - 32)) * rng.randint(1, 3)
            cursor -= cursor % (1 << 80)
    return out


def fmt(net):
    family, addr, p = net
    if family == 4:
        return f"{ipaddress.IPv4Address(addr)}/{p}"
    return f"{ipaddress.IPv6Address(addr)}/{p}"


def write_geo(rng, out, total):
    country_continent = countries_of()
    cities = make_cities(rng, country_continent, 60000)
    nets = ipv4_networks(rng, int(total * 0.72))
    nets += ipv6_networks(rng, total - len(nets))
    assigned = []
    with open(os.path.join(out, "geo.csv"), "w") as f:
        f.write("network,country_code,continent_code,latitude,longitude\n")
        city = None
        run = 0
        for net in nets:
            if run == 0:  # neighbouring networks tend to be in the same place
                city = rng.choice(cities)
                run = int(rng.expovariate(1 / 6)) + 1
            run -= 1
            f.write(f"{fmt(net)},{city[0]},{city[1]},{city[2]},{city[3]}\n")
            assigned.append((net, city))
    return country_continent, assigned


def make_regions(rng):
    conts = sorted(SHARE)
    regions = []
    for i in range(REGIONS):
        cont = conts[i % len(conts)]
        lat0, lon0 = CENTRE[cont]
        regions.append({"name": f"r{i:03d}", "continent": cont, "lat": round(lat0 + rng.uniform(-15, 15), 2),
                        "lon": round(lon0 + rng.uniform(-25, 25), 2)})
    return regions


def make_services(rng, regions, country_continent):
    """10 services, each its own region subset and rule shape. A rule: (kind, key, [regions])."""
    countries = sorted(country_continent)
    services = []
    shapes = [  # (regions used, countries with a rule of their own)
        (3, 0), (6, 10), (12, 40), (20, 80), (30, 120), (40, 160), (55, 200), (70, 240), (85, 30), (100, 249)]
    for k, (nreg, ncountries) in enumerate(shapes):
        used = sorted(rng.sample(range(REGIONS), nreg))
        names = [regions[i]["name"] for i in used]
        by_cont = {}
        for i in used:
            by_cont.setdefault(regions[i]["continent"], []).append(regions[i]["name"])
        rules = []
        for c in sorted(rng.sample(countries, min(ncountries, len(countries)))):
            cont = country_continent[c]
            home = by_cont.get(cont, names)
            first = rng.choice(home)
            rest = rng.sample([n for n in names if n != first], min(2, len(names) - 1))
            rules.append(("country", c, [first] + rest))
        for cont in sorted(CONTINENTS):
            if k % 3 == 2 and cont in ("AF", "OC"):
                continue  # some services leave continents to the default
            home = by_cont.get(cont, names)
            first = rng.choice(home)
            rest = rng.sample([n for n in names if n != first], min(2, len(names) - 1))
            rules.append(("continent", cont, [first] + rest))
        default = rng.sample(names, min(3, len(names)))
        services.append({"name": f"s{k}", "regions": names, "rules": rules, "default": default})
    return services


def region_ip(s, r):
    """The address of region r (r000..r099) for service s (s0..s9): 10.s.r.1 / fd00::s:r:1."""
    si, ri = int(s[1:]), int(r[1:])
    return f"10.{si}.{ri}.1"


def write_steering(out, regions, services):
    z = os.path.join(out, "geo-zones")
    os.makedirs(z, exist_ok=True)
    loc = {r["name"]: r for r in regions}
    with open(os.path.join(z, "geo.test.zone"), "w") as f:
        f.write("$ORIGIN geo.test.\n$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\n")
        for s in services:
            for r in s["regions"]:
                f.write(f"{r}.{s['name']} 60 A {region_ip(s['name'], r)}\n")
    with open(os.path.join(z, "geo.test.gslb.yaml"), "w") as f:
        f.write("# generated by bench/scale/generate.py\ndefaults:\n  ttl: 30\nservices:\n")
        for s in services:
            f.write(f"  {s['name']}:\n    mode: address\n    regions:\n")
            for r in s["regions"]:
                f.write(f"      {r}: {{ target: {r}.{s['name']}, location: [{loc[r]['lat']}, {loc[r]['lon']}] }}\n")
            f.write("    topology:\n")
            for kind, key, prefer in s["rules"]:
                f.write(f"      - match: {{ {kind}: {key} }}\n        prefer: [{', '.join(prefer)}]\n")
            f.write(f"      - default: [{', '.join(s['default'])}]\n")
    # gdnsd: per service a map (country entries inside their continent) and a resource
    g = os.path.join(out, "gdnsd")
    os.makedirs(os.path.join(g, "zones"), exist_ok=True)
    cc = countries_of()
    with open(os.path.join(g, "config.in"), "w") as f:
        f.write("options => {\n  listen => [ 127.0.0.1:@PORT@ ]\n  udp_threads => 1\n  tcp_threads => 1\n"
                "  edns_client_subnet => true\n  run_dir => \"@RUN@/run\"\n  state_dir => \"@RUN@/state\"\n}\n")
        f.write("plugins => {\n  geoip => {\n    maps => {\n")
        for s in services:
            f.write(f"      {s['name']} => {{\n        geoip2_db => \"@GEODB@\"\n"
                    f"        datacenters => [{', '.join(s['regions'])}]\n        map => {{\n"
                    f"          default => [{', '.join(s['default'])}]\n")
            conts = {key: prefer for kind, key, prefer in s["rules"] if kind == "continent"}
            countries = {}
            for kind, key, prefer in s["rules"]:
                if kind == "country":
                    countries.setdefault(cc[key], []).append((key, prefer))
            for cont in sorted(set(conts) | set(countries)):
                inner = [f"default => [{', '.join(conts.get(cont, s['default']))}]"]
                inner += [f"{c} => [{', '.join(p)}]" for c, p in countries.get(cont, [])]
                f.write(f"          {cont} => {{ {' '.join(inner)} }}\n")
            f.write("        }\n      }\n")
        f.write("    }\n    resources => {\n")
        for s in services:
            f.write(f"      {s['name']} => {{\n        map => {s['name']}\n        service_types => up\n        dcmap => {{\n")
            for r in s["regions"]:
                f.write(f"          {r} => {region_ip(s['name'], r)}\n")
            f.write("        }\n      }\n")
        f.write("    }\n  }\n}\n")
    with open(os.path.join(g, "zones", "geo.test"), "w") as f:
        f.write("$TTL 300\n@ SOA ns1.geo.test. hostmaster.geo.test. 1 7200 3600 1209600 300\n@ NS ns1.geo.test.\n"
                "ns1 A 192.0.2.53\n")
        for s in services:
            f.write(f"{s['name']} 30 DYNA geoip!{s['name']}\n")


def expected(service, country, continent):
    for kind, key, prefer in service["rules"]:
        if (kind == "country" and key == country) or (kind == "continent" and key == continent):
            return prefer[0]
    return service["default"][0]


def write_cases(rng, out, services, assigned):
    cases = []
    for s in services:
        for net, city in rng.sample(assigned, 20):
            family, addr, p = net
            # a /24 (IPv4) or /48 (IPv6) inside the network as the ECS subnet
            sub = max(p, 24) if family == 4 else max(p, 48)
            first = ipaddress.ip_network(f"{fmt((family, addr, p)).split('/')[0]}/{sub}")
            cases.append({"name": f"{s['name']}.geo.test", "ecs": str(first),
                          "expect": region_ip(s["name"], expected(s, city[0], city[1]))})
        cases.append({"name": f"{s['name']}.geo.test", "ecs": None, "expect": region_ip(s["name"], s["default"][0])})
    with open(os.path.join(out, "cases.json"), "w") as f:
        json.dump(cases, f, indent=0)


def write_big_zone(rng, out, total, serial=1):
    """total records: SOA, apex NS, then A 40 %, AAAA 15 %, CNAME 12 %, MX 8 %, TXT 12 %, SRV 5 %,
    delegations 8 % (2 NS each, a quarter in-bailiwick with glue)."""
    z = os.path.join(out, "big-zones")
    os.makedirs(z, exist_ok=True)
    path = os.path.join(z, "big.test.zone")
    n = 0
    sample = []  # (owner, type) of about 1 name in 8: dnsperf's questions
    with open(path, "w") as f:
        f.write(f"$ORIGIN big.test.\n$TTL 3600\n@ SOA ns1 hostmaster {serial} 7200 3600 1209600 300\n"
                "@ NS ns1\n@ NS ns2\nns1 A 192.0.2.53\nns2 A 192.0.2.54\n")
        n = 5
        i = 0
        while n < total:
            i += 1
            x = rng.random()
            name = f"h{i}"
            if rng.random() < 0.125:
                kind = ("A" if x < 0.40 else "AAAA" if x < 0.55 else "CNAME" if x < 0.67 else "MX" if x < 0.75
                        else "TXT" if x < 0.87 else "SRV" if x < 0.92 else "NS")
                sample.append((f"_sip._tcp.{name}" if kind == "SRV" else name, "A" if kind in ("CNAME", "NS") else kind))
                if rng.random() < 0.11:
                    sample.append((f"nx{i}", "A"))  # NXDOMAIN
            if x < 0.40:
                f.write(f"{name} A {10 + i % 200}.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}\n"); n += 1
            elif x < 0.55:
                f.write(f"{name} AAAA 2001:db8:{(i >> 16) & 0xffff:x}:{i & 0xffff:x}::1\n"); n += 1
            elif x < 0.67:
                f.write(f"{name} CNAME h{rng.randint(1, max(1, i - 1))}\n"); n += 1
            elif x < 0.75:
                f.write(f"{name} MX 10 mx{i % 50}.mail.example.net.\n{name} MX 20 h{rng.randint(1, i)}\n"); n += 2
            elif x < 0.87:
                f.write(f"{name} TXT \"v=spf1 ip4:10.{i & 255}.0.0/16 -all\" \"id={rng.getrandbits(64):016x}\"\n"); n += 1
            elif x < 0.92:
                f.write(f"_sip._tcp.{name} SRV 10 5 5060 h{rng.randint(1, i)}\n"); n += 1
            elif x < 0.98:
                f.write(f"{name} NS ns1.dns{i % 97}.example.net.\n{name} NS ns2.dns{i % 97}.example.net.\n"); n += 2
            else:
                f.write(f"{name} NS ns1.{name}\n{name} NS ns2.{name}\nns1.{name} A 192.0.2.{i % 250 + 1}\n"
                        f"ns2.{name} A 198.51.100.{i % 250 + 1}\n"); n += 4
    with open(os.path.join(out, "queries-big.txt"), "w") as f:
        for owner, kind in sample:
            f.write(f"{owner}.big.test {kind}\n")
    return n, i


def main():
    out, seed = sys.argv[1], int(sys.argv[2])
    networks = int(sys.argv[3]) if len(sys.argv) > 3 else 3_500_000
    records = int(sys.argv[4]) if len(sys.argv) > 4 else 1_000_000
    os.makedirs(out, exist_ok=True)
    rng = random.Random(seed)
    country_continent, assigned = write_geo(rng, out, networks)
    regions = make_regions(rng)
    services = make_services(rng, regions, country_continent)
    write_steering(out, regions, services)
    write_cases(rng, out, services, assigned)
    n, names = write_big_zone(random.Random(seed + 1), out, records)
    v4 = sum(1 for net, _ in assigned if net[0] == 4)
    print(json.dumps({"networks": len(assigned), "ipv4": v4, "ipv6": len(assigned) - v4,
                      "records": n, "names": names, "services": len(services), "regions": REGIONS}))


if __name__ == "__main__":
    main()
