# Build: docker build -t gslbdns .
# Run:   docker run -p 53:53/udp -p 53:53/tcp -p 127.0.0.1:8053:8053 -v "$PWD/zones:/etc/gslbdns/zones:ro" gslbdns
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# Native AOT links with clang and needs zlib's headers (the SDK image has neither).
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends clang zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The same command .ci/smoke runs, and the binary .ci/run's process tests run against: one native
# executable (Native AOT), first answer ~60 ms after exec instead of ~500 ms (README, Deployment).
RUN dotnet publish src/GslbDns -c Release -p:PublishProfile=aot -o /app --nologo

# The native binary needs no .NET runtime, only what runtime-deps has: glibc, OpenSSL (hashes,
# TLS to etcd), CA certificates and time zones.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
WORKDIR /app
COPY --from=build /app ./
COPY zones /etc/gslbdns/zones
COPY geoip /etc/gslbdns/geoip
# API drains are kept here across restarts; mount a volume to keep them across containers too.
RUN mkdir -p /var/lib/gslbdns && chown "$APP_UID" /var/lib/gslbdns
VOLUME /var/lib/gslbdns
# Docker lets unprivileged users bind ports below 1024 inside the container
# (net.ipv4.ip_unprivileged_port_start=0 since Docker 20.10); on Kubernetes listen on 5353
# and map 53 -> 5353 in the Service (deploy/kubernetes), or grant NET_BIND_SERVICE.
USER $APP_UID
# DNS, and the API (probes, metrics, status, load reports, drains).
EXPOSE 53/udp 53/tcp 8053/tcp
# Every option is also a GSLBDNS_Server__<Name> variable: override with docker run -e.
# The API listens on every address of the container so health probes and Prometheus reach it;
# its write endpoints (load reports, drains) still need a bearer token from --api-tokens, and
# without a tokens file they answer 401. Publish 8053 only where those callers are.
# MALLOC_ARENA_MAX=2: glibc's per-thread arenas each keep what was freed in them, and resident
# memory would creep for tens of minutes under the JIT (docs/benchmarks.md, the soak); the native
# binary frees less but keeps the same cap. glibc reads it only at start.
# ASPNETCORE_HTTP_PORTS is emptied: the base image's default (8080) is not an address of ours.
ENV GSLBDNS_Server__Zones=/etc/gslbdns/zones \
    GSLBDNS_Server__GeoIp__0=/etc/gslbdns/geoip \
    GSLBDNS_Server__StateDir=/var/lib/gslbdns \
    GSLBDNS_Server__ApiListen=0.0.0.0:8053 \
    GSLBDNS_Server__ShutdownGrace=5s \
    ASPNETCORE_HTTP_PORTS= \
    MALLOC_ARENA_MAX=2
# The runtime image has no curl: the binary asks its own /healthz (the address follows
# GSLBDNS_Server__ApiListen). Readiness (/readyz, --ready) is for load balancers and Kubernetes.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["/app/gslbdns", "healthcheck"]
# Stop with SIGTERM (docker stop's default, 10 s before SIGKILL): /readyz turns 503, the listeners
# close and TCP queries in flight get the shutdown grace.
STOPSIGNAL SIGTERM
# Arguments after the image name replace CMD: a verb (docker run gslbdns check /etc/gslbdns/zones)
# or other listen addresses (Kubernetes' args); the rest of the options come from the ENV above.
ENTRYPOINT ["/app/gslbdns"]
CMD ["--listen", "0.0.0.0:53", "--listen", "[::]:53"]
