#!/usr/bin/python3
"""Generate the setups of bench/regions.sh, deterministic for a given SEED (standard library only).

usage: generate.py OUTDIR SEED GEOJSON DNSWIRE_DIR

One zone `cdn.test` whose steered names are s0000..s0999.cdn.test in every setup, and per setup
a folder with the zone file and its policy:

OUTDIR/a/   1,000 services x 3 regions (each service its own 3 of the 100 sites, rules and weights)
OUTDIR/b/   1,000 services x 100 regions (every site; each service its own rules, weights,
            fallbacks and 1-2 addresses per region)
OUTDIR/c/   s0000 of setup a alone (1 service x 3 regions)
OUTDIR/queries-1000.bin   A queries over all 1,000 names, each with its own ECS (dnsperf -B)
OUTDIR/queries-1.bin      the same ECS sequence for s0000 only
OUTDIR/{a,b,c}/cases.json first queries with the regions the policy allows (all regions up)

Locations come from GEOJSON (the JSON source of the GeoIP database the server reads), so the
expected answers are the database's. Region addresses encode the region: 10.(s/256).(s%256).(2r+1)
and, for a second address, 2r+2.
"""
import ipaddress
import json
import math
import os
import random
import struct
import sys

CONTINENTS = ["AF", "AS", "EU", "NA", "OC", "SA"]
CENTRE = {"AF": (5, 20), "AS": (30, 100), "EU": (50, 10), "NA": (40, -95), "OC": (-25, 140), "SA": (-15, -60)}
# Countries the policies name beyond the database's: a real policy lists more than a test database holds.
EXTRA_COUNTRIES = {"AF": "ZA NG EG KE MA", "AS": "IN ID TH VN MY", "EU": "PT GR IS EE LT", "NA": "CA MX PA CR",
                   "OC": "NZ FJ", "SA": "BR AR CL CO PE"}
SERVICES = 1000
SITES = 100
WEIGHTS = [100, 100, 100, 50, 200, 500, 1000]
QUERIES = 200_000
CASES = 600


def load_geo(path):
    """[(network, country, continent, (lat, lon) or None)] of the located networks, IPv4 and IPv6."""
    out = []
    with open(path) as f:
        for entry in json.load(f):
            for net, rec in entry.items():
                n = ipaddress.ip_network(net)
                if n.version == 6 and (n.subnet_of(ipaddress.ip_network("::/80"))):
                    continue  # IPv4 space as ::a.b.c.d; the IPv4 entries cover it
                country = (rec.get("country") or {}).get("iso_code")
                continent = (rec.get("continent") or {}).get("code")
                loc = rec.get("location") or {}
                point = (loc["latitude"], loc["longitude"]) if "latitude" in loc and "longitude" in loc else None
                if country or continent:
                    out.append((n, country, continent, point))
    return out


def locate(nets, addr):
    """The most specific database network holding addr (None: not located)."""
    best = None
    for n, country, continent, point in nets:
        if n.version == addr.version and addr in n and (best is None or n.prefixlen > best[0].prefixlen):
            best = (n, country, continent, point)
    return best


def make_sites(rng):
    sites = []
    for i in range(SITES):
        cont = CONTINENTS[i % len(CONTINENTS)]
        lat0, lon0 = CENTRE[cont]
        sites.append({"name": f"r{i:02d}", "continent": cont,
                      "lat": round(lat0 + rng.uniform(-15, 15), 2), "lon": round(lon0 + rng.uniform(-25, 25), 2)})
    return sites


def prefer_list(rng, home, pool, ranks):
    """A preference list: the home region first, then ranks of one or two regions (a shared rank
    splits by weight)."""
    out, used = [[home]], {home}
    for _ in range(ranks - 1):
        free = [r for r in pool if r not in used]
        if not free:
            break
        take = rng.sample(free, min(len(free), 2 if rng.random() < 0.3 else 1))
        used.update(take)
        out.append(take)
    return out


def make_service(rng, k, sites, countries, nregions):
    """One service: its regions (names of sites), weights, addresses per region and topology."""
    chosen = sites if nregions >= SITES else rng.sample(sites, nregions)
    names = [s["name"] for s in chosen]
    by_cont = {}
    for s in chosen:
        by_cont.setdefault(s["continent"], []).append(s["name"])
    depth = 2 if nregions <= 3 else 4
    rules = []
    for c in sorted(rng.sample(sorted(countries), rng.randint(0, min(len(countries), 40 if nregions > 3 else 6)))):
        home = rng.choice(by_cont.get(countries[c], names))
        rules.append(({"country": [c]}, prefer_list(rng, home, names, rng.randint(1, depth))))
    for cont in CONTINENTS:
        if rng.random() < 0.15:
            continue  # left to the default rule
        if rng.random() < 0.3:
            rules.append(({"continent": [cont]}, "nearest"))
        else:
            home = rng.choice(by_cont.get(cont, names))
            rules.append(({"continent": [cont]}, prefer_list(rng, home, names, rng.randint(2, depth + 1))))
    if rng.random() < 0.4:
        default = ("nearest", prefer_list(rng, rng.choice(names), names, 2))
    else:
        default = (prefer_list(rng, rng.choice(names), names, min(len(names), 3)), None)
    return {"name": f"s{k:04d}", "regions": names, "sites": {s["name"]: s for s in chosen},
            "weights": {n: rng.choice(WEIGHTS) for n in names},
            "addresses": {n: 2 if rng.random() < 0.3 else 1 for n in names},
            "mode": "address" if rng.random() < 0.3 else "cname", "ttl": rng.choice([20, 30, 60]),
            "rules": rules, "default": default}


def address(k, region, which):
    r = int(region[1:])
    return f"10.{k // 256}.{k % 256}.{2 * r + 1 + which}"


def yaml_list(ranks):
    return "[" + ", ".join(r[0] if len(r) == 1 else "[" + ", ".join(r) + "]" for r in ranks) + "]"


def write_setup(folder, services):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "cdn.test.zone"), "w") as f:
        f.write("$ORIGIN cdn.test.\n$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n"
                "ns1 A 192.0.2.53\nstatic A 192.0.2.1\n")
        for k, s in services:
            for r in s["regions"]:
                for i in range(s["addresses"][r]):
                    f.write(f"{r}.{s['name']} 60 A {address(k, r, i)}\n")
    with open(os.path.join(folder, "cdn.test.gslb.yaml"), "w") as f:
        f.write("# generated by bench/regions/generate.py\nservices:\n")
        for _, s in services:
            f.write(f"  {s['name']}:\n    mode: {s['mode']}\n    ttl: {s['ttl']}\n    regions:\n")
            for r in s["regions"]:
                site = s["sites"][r]
                f.write(f"      {r}: {{ target: {r}.{s['name']}, location: [{site['lat']}, {site['lon']}],"
                        f" weight: {s['weights'][r]} }}\n")
            f.write("    topology:\n")
            for match, prefer in s["rules"]:
                key, values = next(iter(match.items()))
                f.write(f"      - match: {{ {key}: [{', '.join(values)}] }}\n")
                f.write("        nearest: true\n" if prefer == "nearest" else f"        prefer: {yaml_list(prefer)}\n")
            default, fallback = s["default"]
            if default == "nearest":
                f.write(f"      - default: nearest\n        fallback: {yaml_list(fallback)}\n")
            else:
                f.write(f"      - default: {yaml_list(default)}\n")


def distance(p, q):
    la1, lo1, la2, lo2 = map(math.radians, (p[0], p[1], q[0], q[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def allowed(s, located):
    """Regions the policy gives a client with every region up: the first rank of the first matching
    rule (nearest: the nearest region, within rounding)."""
    country, continent, point = (located[1], located[2], located[3]) if located else (None, None, None)

    def nearest():
        d = {r: distance(point, (s["sites"][r]["lat"], s["sites"][r]["lon"])) for r in s["regions"]}
        low = min(d.values())
        return [r for r, v in d.items() if v <= low + 1e-3]
    for match, prefer in s["rules"]:
        key, values = next(iter(match.items()))
        if (country if key == "country" else continent) not in values:
            continue
        if prefer != "nearest":
            return prefer[0]
        if point is not None:
            return nearest()
    default, fallback = s["default"]
    if default != "nearest":
        return default[0]
    return nearest() if point is not None else fallback[0]


def random_ecs(rng, v4, v6):
    r = rng.random()
    if r < 0.45:  # a located IPv4 network: a random /24 inside it, or the network itself when smaller
        net = rng.choice(v4)[0]
        sub = 24 - net.prefixlen
        if sub <= 0:
            return net
        return ipaddress.ip_network((int(net.network_address) + (rng.getrandbits(sub) << 8), 24))
    if r < 0.65:  # a located IPv6 network: a random /56 inside it
        net = rng.choice(v6)[0]
        sub = 56 - net.prefixlen
        if sub <= 0:
            return net
        return ipaddress.ip_network((int(net.network_address) + (rng.getrandbits(sub) << 72), 56))
    while True:  # anywhere in public IPv4: mostly not located, the default rule
        first = rng.randint(1, 223)
        if first not in (10, 127):
            return ipaddress.ip_network(((first << 24) | (rng.getrandbits(16) << 8), 24))


def main():
    out, seed, geojson, wiredir = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    sys.path.insert(0, wiredir)
    import dnswire  # the shared harness's query builder
    nets = load_geo(geojson)
    countries = {c: cont for _, c, cont, _ in nets if c and cont}
    for cont, codes in EXTRA_COUNTRIES.items():
        for c in codes.split():
            countries.setdefault(c, cont)
    rng = random.Random(seed)
    sites = make_sites(rng)
    setups = {
        "a": [(k, make_service(random.Random(seed * 7919 + k), k, sites, countries, 3)) for k in range(SERVICES)],
        "b": [(k, make_service(random.Random(seed * 104729 + k), k, sites, countries, SITES)) for k in range(SERVICES)],
    }
    setups["c"] = setups["a"][:1]
    for name, services in setups.items():
        write_setup(os.path.join(out, name), services)

    v4 = [n for n in nets if n[0].version == 4]
    v6 = [n for n in nets if n[0].version == 6]
    qrng = random.Random(seed + 1)
    ecs = [random_ecs(qrng, v4, v6) for _ in range(QUERIES)]
    picks = [qrng.randrange(SERVICES) for _ in range(QUERIES)]
    for label, pick in (("1000", picks), ("1", [0] * QUERIES)):
        with open(os.path.join(out, f"queries-{label}.bin"), "wb") as f:
            for k, e in zip(pick, ecs):
                pkt = dnswire.build_query(f"s{k:04d}.cdn.test", "A", ecs=e)
                f.write(struct.pack("!H", len(pkt)) + pkt)
    for name, services in setups.items():
        by_k = dict(services)
        cases = []
        for i in range(CASES):
            k = picks[i] if len(services) > 1 else 0
            located = locate(nets, ecs[i].network_address)
            # A client whose record lacks a country or a location may be classified by fields this
            # script does not model: any region of the service is then accepted.
            sure = located is None or (located[1] and located[2] and located[3] is not None)
            regions = allowed(by_k[k], located) if sure else by_k[k]["regions"]
            cases.append({"name": f"s{k:04d}.cdn.test", "ecs": str(ecs[i]), "k": k, "allowed": sorted(regions)})
        with open(os.path.join(out, name, "cases.json"), "w") as f:
            json.dump(cases, f, indent=0)
    print(json.dumps({s: {"services": len(v), "regions": sum(len(x["regions"]) for _, x in v),
                          "rules": sum(len(x["rules"]) + 1 for _, x in v)} for s, v in setups.items()}))


if __name__ == "__main__":
    main()
