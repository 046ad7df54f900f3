using System.Net;
using GslbDns.Pipeline;
using MaxMind.Db;
using Microsoft.Win32.SafeHandles;

namespace GslbDns.Steering.Geo;

/// <summary>
/// One open MaxMind DB file: memory-mapped for point look-ups through MaxMind.Db, plus a handle on the
/// same file for walking its search tree when a look-up tree is compiled. The whole file is checked at
/// open (every tree record and every data record steering reads), so a corrupt file fails there with
/// <see cref="GeoDatabaseException"/> instead of failing later.
/// </summary>
public sealed class GeoDatabase : IDisposable
{
    private readonly Reader _reader;
    private readonly SafeFileHandle _file;
    private readonly MmdbMetadata _metadata;
    private readonly long _metadataStart;

    private GeoDatabase(string path, Reader reader, SafeFileHandle file, MmdbMetadata metadata, long metadataStart)
    {
        Path = path;
        _reader = reader;
        _file = file;
        _metadata = metadata;
        _metadataStart = metadataStart;
    }

    public string Path { get; }

    public GeoDatabaseKind Kind { get; private set; }

    /// <summary>The metadata database_type, e.g. "GeoLite2-City".</summary>
    public string DatabaseType => _metadata.DatabaseType;

    public DateTimeOffset BuildTime => DateTimeOffset.FromUnixTimeSeconds((long)Math.Min(_metadata.BuildEpoch, (ulong)long.MaxValue / 1000));

    /// <summary>Networks with data, counted at open.</summary>
    public int NetworkCount { get; private set; }

    /// <summary>Distinct data records, counted at open.</summary>
    public int RecordCount { get; private set; }

    /// <summary>
    /// Networks the file's search tree points at its IPv4 subtree (e.g. ::/96, 2001::/32 and 2002::/16
    /// in MaxMind's IPv6 files): an address in one is located as the IPv4 address in the bits after the
    /// prefix, as MaxMind's readers do. Found at open.
    /// </summary>
    public IReadOnlyList<IpPrefix> Ipv4Aliases { get; private set; } = [];

    /// <summary>Opens and fully checks a database; throws <see cref="GeoDatabaseException"/> naming the file and the problem.</summary>
    /// <param name="path">The .mmdb file.</param>
    /// <param name="inMemory">
    /// Copy the file into memory instead of mapping it. Needed when files may be rewritten in place: a
    /// mapped file that is truncated underneath faults on the next read of the old mapping.
    /// </param>
    public static GeoDatabase Open(string path, bool inMemory = false)
    {
        SafeFileHandle? file = null;
        Reader? reader = null;
        try
        {
            file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var length = RandomAccess.GetLength(file);
            var tail = new byte[MmdbMetadata.TailLength(length)];
            RandomAccess.Read(file, tail, length - tail.Length);
            var metadata = MmdbMetadata.Read(tail, length);
            var markerAt = length - tail.Length + tail.AsSpan().LastIndexOf(MetadataMarker);
            reader = new Reader(path, inMemory ? FileAccessMode.Memory : FileAccessMode.MemoryMapped);
            if (reader.Metadata.DatabaseType != metadata.DatabaseType || (ulong)reader.Metadata.BuildDate.Subtract(DateTime.UnixEpoch).TotalSeconds != metadata.BuildEpoch)
            {
                // The path was replaced between our two opens; the caller retries on the next change.
                throw new InvalidDatabaseException("file changed while it was being opened");
            }
            var database = new GeoDatabase(path, reader, file, metadata, markerAt);
            database.Check();
            return database;
        }
        catch (Exception e) when (e is InvalidDatabaseException or DeserializationException or IOException or UnauthorizedAccessException
                                      or InvalidOperationException or ArgumentException or OverflowException or IndexOutOfRangeException)
        {
            reader?.Dispose();
            file?.Dispose();
            throw new GeoDatabaseException($"{path}: {Describe(e)}", e);
        }
    }

    /// <summary>What this database says about an address (via MaxMind.Db; for explaining, not per query).</summary>
    public GeoFacts Lookup(ClientAddress address)
    {
        var ip = address.ToIPAddress();
        GeoRecord? record;
        int prefixLength;
        try
        {
            record = _reader.Find<GeoRecord>(ip, out prefixLength);
        }
        catch (Exception e) when (e is InvalidDatabaseException or DeserializationException)
        {
            // Damage the load check did not reach (it walks the tree; the reader also follows data
            // pointers): this address is unknown to this database, rather than a failed explain.
            return GeoFacts.Unknown;
        }
        if (record is null)
        {
            return GeoFacts.Unknown;
        }
        var length = address.IsIPv4 ? Math.Clamp(96 + prefixLength, 96, 128) : prefixLength;
        return ToFacts(record) with { MatchedNetwork = new IpPrefix(address.Bits, length) };
    }

    /// <summary>
    /// Enumerates the networks with data, in address order: <paramref name="onNetwork"/> gets each network,
    /// the index of its facts in the returned list and the facts (de-duplicated by value, without MatchedNetwork).
    /// </summary>
    internal IReadOnlyList<GeoFacts> Enumerate(Action<IpPrefix, int, GeoFacts> onNetwork)
    {
        var tree = MmdbSearchTree.Read(_file, _metadata, _metadataStart);
        var factsByOffset = new Dictionary<uint, int>();
        var factsIndex = new Dictionary<GeoFacts, int>();
        var facts = new List<GeoFacts>();
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        Ipv4Aliases = tree.Walk((network, offset) =>
        {
            if (!factsByOffset.TryGetValue(offset, out var index))
            {
                var record = _reader.Find<GeoRecord>(RepresentativeAddress(network), out _)
                    ?? throw new InvalidDatabaseException($"network {network} has data in the search tree but a look-up finds none");
                var value = Intern(ToFacts(record), strings);
                if (!factsIndex.TryGetValue(value, out index))
                {
                    index = facts.Count;
                    facts.Add(value);
                    factsIndex[value] = index;
                }
                factsByOffset[offset] = index;
                if (facts.Count == 1)
                {
                    Kind = DetectKind(record);
                }
            }
            onNetwork(network, index, facts[index]);
        });
        return facts;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _file.Dispose();
    }

    public override string ToString() => $"{Path} ({DatabaseType}, {Kind}, {NetworkCount} networks)";

    private static readonly byte[] MetadataMarker = [0xAB, 0xCD, 0xEF, .. "MaxMind.com"u8];

    private void Check()
    {
        var networks = 0;
        var facts = Enumerate((_, _, _) => networks++);
        NetworkCount = networks;
        RecordCount = facts.Count;
        if (networks == 0)
        {
            Kind = _metadata.DatabaseType.Contains("ASN", StringComparison.OrdinalIgnoreCase) ? GeoDatabaseKind.Asn : GeoDatabaseKind.City;
        }
    }

    private GeoDatabaseKind DetectKind(GeoRecord first)
    {
        var type = _metadata.DatabaseType;
        if (type.Contains("ASN", StringComparison.OrdinalIgnoreCase) || type.Contains("ISP", StringComparison.OrdinalIgnoreCase))
        {
            return GeoDatabaseKind.Asn;
        }
        if (first.CountryCode is not null)
        {
            return GeoDatabaseKind.Flat;
        }
        if (type.Contains("City", StringComparison.OrdinalIgnoreCase))
        {
            return GeoDatabaseKind.City;
        }
        if (type.Contains("Country", StringComparison.OrdinalIgnoreCase))
        {
            return GeoDatabaseKind.Country;
        }
        if (first.Asn is not null && first.Country is null)
        {
            return GeoDatabaseKind.Asn;
        }
        return first.Location is not null ? GeoDatabaseKind.City : GeoDatabaseKind.Country;
    }

    private static IPAddress RepresentativeAddress(IpPrefix network)
    {
        var address = network.IsIPv4
            ? ClientAddress.FromIPv4((uint)network.Bits)
            : new ClientAddress(network.Bits, false);
        return address.ToIPAddress();
    }

    internal static GeoFacts ToFacts(GeoRecord record)
    {
        var country = Upper(record.Country?.IsoCode ?? record.RegisteredCountry?.IsoCode ?? record.CountryCode);
        var continent = Upper(record.Continent?.Code ?? record.ContinentCode) ?? CountryContinents.Of(country);
        IReadOnlyList<string> subdivisions = [];
        if (country is not null && record.Subdivisions is { Count: > 0 } list)
        {
            subdivisions = list.Where(s => !string.IsNullOrEmpty(s.IsoCode)).Select(s => $"{country}-{s.IsoCode!.ToUpperInvariant()}").ToArray();
        }
        var latitude = record.Location?.Latitude ?? Coordinate(record.Latitude);
        var longitude = record.Location?.Longitude ?? Coordinate(record.Longitude);
        if (latitude is null || longitude is null)
        {
            latitude = longitude = null;
        }
        return new GeoFacts
        {
            Country = country,
            Continent = continent,
            Subdivisions = subdivisions,
            Asn = record.Asn is >= 0 and <= uint.MaxValue ? (uint)record.Asn.Value : null,
            AsnOrganization = record.AsnOrganization,
            Latitude = latitude,
            Longitude = longitude,
        };
    }

    private static double? Coordinate(object? value) => value switch
    {
        double d => d,
        float f => f,
        _ => null,
    };

    private static string? Upper(string? code) => string.IsNullOrEmpty(code) ? null : code.ToUpperInvariant();

    private static GeoFacts Intern(GeoFacts facts, Dictionary<string, string> strings)
    {
        string? Pool(string? s)
        {
            if (s is null)
            {
                return null;
            }
            if (!strings.TryGetValue(s, out var pooled))
            {
                strings[s] = pooled = s;
            }
            return pooled;
        }
        return facts with
        {
            Country = Pool(facts.Country),
            Continent = Pool(facts.Continent),
            AsnOrganization = Pool(facts.AsnOrganization),
            Subdivisions = facts.Subdivisions.Count == 0 ? [] : facts.Subdivisions.Select(s => Pool(s)!).ToArray(),
        };
    }

    private static string Describe(Exception e) => e switch
    {
        InvalidDatabaseException or DeserializationException => $"corrupt MaxMind DB: {e.Message}",
        FileNotFoundException => "file not found",
        _ => e.Message,
    };
}

/// <summary>A GeoIP database that cannot be used; the message names the file and the problem.</summary>
public sealed class GeoDatabaseException(string message, Exception? inner = null) : Exception(message, inner);
