"""A minimal DNS client for bench/scale: one UDP question (optionally with ECS), the reply's rcode,
the A/AAAA addresses of the answer section and the SOA serial (standard library only)."""
import ipaddress
import random
import socket
import struct

TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "MX": 15, "TXT": 16, "AAAA": 28, "SRV": 33}


def build(name, qtype="A", ecs=None, qid=None):
    qid = random.getrandbits(16) if qid is None else qid
    labels = b"".join(bytes([len(p)]) + p.encode() for p in name.rstrip(".").split(".")) + b"\0"
    body = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 1 if ecs else 0) + labels + struct.pack(">HH", TYPES[qtype], 1)
    if ecs:
        net = ipaddress.ip_network(ecs)
        family = 1 if net.version == 4 else 2
        nbytes = (net.prefixlen + 7) // 8
        addr = net.network_address.packed[:nbytes]
        opt = struct.pack(">HBB", family, net.prefixlen, 0) + addr
        option = struct.pack(">HH", 8, len(opt)) + opt
        body += b"\0" + struct.pack(">HHIH", 41, 1232, 0, len(option)) + option
    return qid, body


def _skip_name(msg, i):
    while True:
        n = msg[i]
        if n == 0:
            return i + 1
        if n & 0xC0 == 0xC0:
            return i + 2
        i += 1 + n


def parse(msg):
    """(rcode, [addresses in the answer section], soa serial or None)"""
    _, flags, qd, an, _, _ = struct.unpack(">HHHHHH", msg[:12])
    i = 12
    for _ in range(qd):
        i = _skip_name(msg, i) + 4
    addrs, serial = [], None
    for _ in range(an):
        i = _skip_name(msg, i)
        rtype, _, _, rdlen = struct.unpack(">HHIH", msg[i:i + 10])
        i += 10
        rdata = msg[i:i + rdlen]
        if rtype == 1:
            addrs.append(str(ipaddress.IPv4Address(rdata)))
        elif rtype == 28:
            addrs.append(str(ipaddress.IPv6Address(rdata)))
        elif rtype == 6:
            j = _skip_name(msg, i)
            j = _skip_name(msg, j)
            serial = struct.unpack(">I", msg[j:j + 4])[0]
        i += rdlen
    return flags & 0xF, addrs, serial


def ask(host, port, name, qtype="A", ecs=None, timeout=0.2):
    """The parsed reply, or None on a timeout or a refused port."""
    qid, q = build(name, qtype, ecs)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        try:
            s.sendto(q, (host, port))
            while True:
                msg, _ = s.recvfrom(4096)
                if struct.unpack(">H", msg[:2])[0] == qid:
                    return parse(msg)
        except (socket.timeout, ConnectionRefusedError, OSError):
            return None
