using GslbDns.Configuration;
using GslbDns.Steering.Geo;
using GslbDns.Steering.State;
using GslbDns.Zones;
using Microsoft.Extensions.Logging.Abstractions;

namespace GslbDns.Tests.Configuration;

/// <summary>
/// A reload compiles again only what changed: a zone or policy file whose content is the same is
/// served as the very same compiled object, and a change of one record, even of the same length, is not missed.
/// </summary>
public sealed class ZoneCatalogChangeTests : IDisposable
{
    private const string Zone = """
        $ORIGIN example.com.
        @       3600 SOA   ns1 hostmaster 1 7200 900 1209600 300
        @       3600 NS    ns1
        ns1     3600 A     192.0.2.53
        eu.www  60   A     192.0.2.11
        us.www  60   A     192.0.2.21
        """;

    private const string Policy = """
        services:
          www:
            regions:
              eu: { target: eu.www }
              us: { target: us.www }
            topology:
              - default: [eu, us]
        """;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "gslbdns-catalog-" + Guid.NewGuid().ToString("N"));
    private readonly ZoneStore _store = new();
    private readonly ZoneCatalogLoader _loader;

    public ZoneCatalogChangeTests()
    {
        Directory.CreateDirectory(_folder);
        Write("example.com.zone", Zone);
        Write("example.com.gslb.yaml", Policy);
        _loader = new ZoneCatalogLoader(_store, new RegionStateStore(), _folder, () => GeoDatabaseSet.Empty, NullLogger<ZoneCatalogLoader>.Instance);
        _loader.LoadInitial();
    }

    private ServedZone Served => Assert.Single(_store.Current.Zones);

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_folder, name), text);

    [Fact]
    public void FilesWrittenAgainUnchanged_KeepTheCompiledZoneAndSteering()
    {
        var before = Served;
        Write("example.com.zone", Zone);
        Write("example.com.gslb.yaml", Policy);

        Assert.Empty(_loader.Load());

        Assert.Same(before.Zone, Served.Zone);
        Assert.Same(before.Steering, Served.Steering);
    }

    [Fact]
    public void OneRecordChanged_SameLength_CompilesTheZoneAgain()
    {
        var before = Served;
        Write("example.com.zone", Zone.Replace("192.0.2.21", "192.0.2.22", StringComparison.Ordinal));

        Assert.Empty(_loader.Load());

        Assert.NotSame(before.Zone, Served.Zone);
        Assert.Equal(before.Zone.RecordCount, Served.Zone.RecordCount);
    }

    [Fact]
    public void PolicyChanged_ZoneNot_CompilesTheSteeringAgainOnly()
    {
        var before = Served;
        Write("example.com.gslb.yaml", Policy.Replace("[eu, us]", "[us, eu]", StringComparison.Ordinal));

        Assert.Empty(_loader.Load());

        Assert.Same(before.Zone, Served.Zone);
        Assert.NotSame(before.Steering, Served.Steering);
    }

    [Fact]
    public void AdminStateChanged_SameLength_IsReadAgain()
    {
        Write(ZoneCatalogLoader.AdminStateFileName, "www.example.com: { eu: drain }\n");
        Assert.Empty(_loader.Load());
        Write(ZoneCatalogLoader.AdminStateFileName, "www.example.com: { eu: drian }\n");
        Assert.Contains(_loader.Load(), p => p.Location.File.EndsWith(ZoneCatalogLoader.AdminStateFileName, StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
