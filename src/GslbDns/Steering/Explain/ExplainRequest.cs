using System.Globalization;
using System.Net;
using GslbDns.Protocol;

namespace GslbDns.Steering.Explain;

/// <summary>What `gslbdns explain` was asked: a name, a client, and where the configuration lives.</summary>
public sealed record ExplainRequest(string Name, RecordType Type, IPAddress? Client, IPAddress? SubnetAddress, int SubnetPrefix,
    string Zones, IReadOnlyList<string> GeoIp)
{
    public const string Usage = "usage: gslbdns explain NAME [--client IP | --subnet CIDR] [--type A|AAAA|...] [--zones DIR] [--geoip PATH]...";

    public static bool TryParse(IReadOnlyList<string> args, out ExplainRequest request, out string error)
    {
        request = null!;
        error = "";
        string? name = null, zones = "zones";
        var type = RecordType.A;
        IPAddress? client = null, subnet = null;
        int prefix = 0;
        var geoIp = new List<string>();
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
                    if (!TryParseCidr(value, out subnet, out prefix))
                    {
                        error = $"--subnet '{value}' is not ADDRESS/PREFIX with no bits set past the prefix";
                        return false;
                    }
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
        request = new ExplainRequest(name, type, client, subnet, prefix, zones, geoIp);
        return true;
    }

    private static bool TryParseCidr(string text, out IPAddress? address, out int prefix)
    {
        address = null;
        prefix = 0;
        var parts = text.Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var parsed)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out prefix))
        {
            return false;
        }
        var bytes = parsed.GetAddressBytes();
        if (prefix > bytes.Length * 8) return false;
        for (int bit = prefix; bit < bytes.Length * 8; bit++)
        {
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0) return false;
        }
        address = parsed;
        return true;
    }
}
