using GslbDns.Configuration;
using GslbDns.Steering;
using GslbDns.Steering.Geo;
using GslbDns.Zones;
using GslbDns.Zones.Reading;
using System.Net;
using GslbDns.Protocol;

namespace GslbDns.Commands;

/// <summary>What `gslbdns explain` was asked: a name, a client, and where the configuration lives.</summary>
public sealed record ExplainRequest(string Name, RecordType Type, IPAddress? Client, IpPrefix? Subnet,
    string Zones, IReadOnlyList<string> GeoIp)
{
    /// <summary>A running server's API: its health verdicts replace the ones <c>initial</c> gives.</summary>
    public Uri? Server { get; init; }

    public const string Usage = "usage: gslbdns explain NAME [--client IP | --subnet CIDR] [--type A|AAAA|...] [--zones DIR] [--geoip PATH]... [--server ADDR:PORT]";

    public static bool TryParse(IReadOnlyList<string> args, out ExplainRequest request, out string error)
    {
        request = null!;
        error = "";
        string? name = null, zones = "zones";
        var type = RecordType.A;
        IPAddress? client = null;
        IpPrefix? subnet = null;
        var geoIp = new List<string>();
        Uri? server = null;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (name is not null)
                {
                    error = $"more than one name given ('{name}', '{arg}')";
                    return false;
                }
                name = arg;
                continue;
            }
            if (i + 1 >= args.Count)
            {
                error = $"option '{arg}' needs a value";
                return false;
            }
            string value = args[++i];
            switch (arg)
            {
                case "--client":
                    if (!IPAddress.TryParse(value, out client))
                    {
                        error = $"--client '{value}' is not an IP address";
                        return false;
                    }
                    break;
                case "--subnet":
                    if (!IpPrefix.TryParse(value, out var parsed, out var cidrError))
                    {
                        error = $"--subnet {cidrError}";
                        return false;
                    }
                    subnet = parsed;
                    break;
                case "--type":
                    if (!RecordTypeNames.TryParse(value, out type))
                    {
                        error = $"--type '{value}' is not a record type";
                        return false;
                    }
                    break;
                case "--zones":
                    zones = value;
                    break;
                case "--geoip":
                    geoIp.Add(value);
                    break;
                case "--server":
                    // The running server's API listener (--api-listen), whose health verdicts are used.
                    if (!Uri.TryCreate(value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value, UriKind.Absolute, out server)
                        || server.Scheme is not ("http" or "https"))
                    {
                        error = $"--server '{value}' is not ADDR:PORT or an http(s) URL";
                        return false;
                    }
                    break;
                default:
                    error = $"unknown option '{arg}'";
                    return false;
            }
        }
        if (name is null)
        {
            error = "no name given";
            return false;
        }
        if (client is not null && subnet is not null)
        {
            error = "give --client or --subnet, not both";
            return false;
        }
        request = new ExplainRequest(name, type, client, subnet, zones, geoIp) { Server = server };
        return true;
    }
}
