# Build: docker build -t gslbdns .
# Run:   docker run -p 53:53/udp -p 53:53/tcp -v "$PWD/zones:/etc/gslbdns/zones:ro" gslbdns
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
# The same command .ci/smoke runs and tests.
RUN dotnet publish src/GslbDns -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/runtime:10.0
WORKDIR /app
COPY --from=build /app ./
COPY zones /etc/gslbdns/zones
COPY geoip /etc/gslbdns/geoip
# API drains are kept here across restarts; mount a volume to keep them across containers too.
RUN mkdir -p /var/lib/gslbdns && chown "$APP_UID" /var/lib/gslbdns
VOLUME /var/lib/gslbdns
# Docker lets unprivileged users bind ports below 1024 inside the container
# (net.ipv4.ip_unprivileged_port_start=0 since Docker 20.10); on Kubernetes listen on 5353
# and map 53 -> 5353 in the Service, or grant NET_BIND_SERVICE.
USER $APP_UID
EXPOSE 53/udp 53/tcp
ENV GSLBDNS_Server__Zones=/etc/gslbdns/zones \
    GSLBDNS_Server__GeoIp__0=/etc/gslbdns/geoip \
    GSLBDNS_Server__StateDir=/var/lib/gslbdns
ENTRYPOINT ["/app/gslbdns", "--listen", "0.0.0.0:53", "--listen", "[::]:53"]
