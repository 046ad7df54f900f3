using GslbDns.Protocol;
using GslbDns.Pipeline;
using GslbDns.Steering.Geo;

namespace GslbDns.Tests.Geo;

/// <summary>Small databases written with our writer for reader and tree tests.</summary>
internal static class GeoFixtures
{
    public static string Write(string path, string databaseType, params (string Network, MmdbValue Data)[] networks)
    {
        using (var stream = File.Create(path))
        {
            MmdbWriter.Write(stream, networks.Select(n => (IpPrefix.Parse(n.Network), n.Data)),
                new MmdbWriterOptions(databaseType, ["en"], new Dictionary<string, string>(), 1_700_000_000));
        }
        return path;
    }

    /// <summary>Rewrites an existing file in place (truncate and write), as a non-renaming tool would.</summary>
    public static void Rewrite(string path, string databaseType, params (string Network, MmdbValue Data)[] networks)
    {
        using var buffer = new MemoryStream();
        MmdbWriter.Write(buffer, networks.Select(n => (IpPrefix.Parse(n.Network), n.Data)),
            new MmdbWriterOptions(databaseType, ["en"], new Dictionary<string, string>(), 1_700_000_001));
        using var stream = new FileStream(path, FileMode.Truncate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        buffer.Position = 0;
        buffer.CopyTo(stream);
    }

    public static MmdbValue City(string country, string continent, double latitude, double longitude, params string[] subdivisions)
    {
        var entries = new List<(string, MmdbValue)>
        {
            ("continent", MmdbMap.Of(("code", new MmdbString(continent)))),
            ("country", MmdbMap.Of(("iso_code", new MmdbString(country)))),
            ("location", MmdbMap.Of(("latitude", new MmdbDouble(latitude)), ("longitude", new MmdbDouble(longitude)))),
        };
        if (subdivisions.Length > 0)
        {
            entries.Add(("subdivisions", new MmdbArray(subdivisions.Select(s => (MmdbValue)MmdbMap.Of(("iso_code", new MmdbString(s)))).ToArray())));
        }
        return MmdbMap.Of(entries.ToArray());
    }

    public static MmdbValue Country(string country) => MmdbMap.Of(("country", MmdbMap.Of(("iso_code", new MmdbString(country)))));

    public static MmdbValue Asn(uint number, string organization) => MmdbMap.Of(
        ("autonomous_system_number", new MmdbUInt32(number)),
        ("autonomous_system_organization", new MmdbString(organization)));

    public static ClientAddress Address(string text) => ClientAddress.FromIPAddress(System.Net.IPAddress.Parse(text));
}
