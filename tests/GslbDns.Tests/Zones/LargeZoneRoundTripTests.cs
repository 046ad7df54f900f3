using GslbDns.Protocol;
using GslbDns.Zones;
using GslbDns.Zones.Reading;

namespace GslbDns.Tests.Zones;

/// <summary>
/// A big generated zone through the whole load (read, normalize, validate, compile) and back out
/// through look-ups: every record read is served by its owner's RRset, and nothing else is.
/// </summary>
public class LargeZoneRoundTripTests
{
    private static readonly DnsName Origin = DnsName.Parse("big.test.");

    private static (IReadOnlyList<ZoneRecord> Records, CompiledZone Zone) Load(int records)
    {
        var read = MasterFileReader.ReadText(GeneratedZone.Text(records, seed: 7), "big.test.zone", Origin);
        Assert.Empty(read.Problems);
        // As the server loads a zone: the grouping by owner made while normalizing is what the
        // checks and the compiler use.
        var normalized = RRsetNormalizer.Normalize(read.Records, out var grouped);
        OwnerGroups? owners = grouped;
        Assert.Empty(ZoneValidator.Validate(Origin, normalized, "big.test.zone", ref owners));
        Assert.Same(grouped, owners);
        return (normalized, ZoneCompiler.Compile(new ZoneFileResult("big.test.zone", Origin, normalized, []) { Owners = owners }));
    }

    [Fact]
    public void EveryRecordRead_IsInItsOwnersRRset_AndNothingMore()
    {
        var (records, zone) = Load(200_000);

        Assert.Equal(records.Count, zone.RecordCount);
        foreach (var record in records)
        {
            var set = zone.Find(record.Owner)?.Find(record.Type);
            Assert.NotNull(set);
            Assert.Contains(set.Value.Records.ToArray(), r => r.Bytes.SequenceEqual(record.Data.Span));
        }
        int served = zone.Nodes.Sum(n => n.Sets.ToArray().Sum(s => s.Records.Length));
        Assert.Equal(records.Count, served);
    }

    [Fact]
    public void EveryNodeButTheApex_HasItsParent_AndLinksMatchTheRecords()
    {
        var (_, zone) = Load(50_000);

        foreach (var node in zone.Nodes)
        {
            if (node.Name.Equals(Origin)) continue;
            var found = zone.Find(node.Name.Parent());
            Assert.NotNull(found);
            var parent = found.Value;
            var expectedCut = parent.Delegation ?? (node.Find(RecordType.NS) is not null ? node : null);
            Assert.Equal(expectedCut, node.Delegation);
            if (node.Name.IsWildcard) Assert.Equal(node, parent.Wildcard);
        }
        Assert.NotNull(zone.Find(DnsName.Parse("wild.big.test."))!.Value.Wildcard);
    }

    [Fact]
    public void InZoneTargets_GetTheirAddressesAsAdditionalData_OutOfZoneOnesNone()
    {
        var (_, zone) = Load(50_000);

        int checkedSets = 0;
        foreach (var node in zone.Nodes)
        {
            if (!node.TryFind(RecordType.MX, out var mx)) continue;
            foreach (var record in mx.Records)
            {
                var target = DnsName.FromWire(record.Bytes[2..]);
                bool hasAddress = zone.Find(target) is { } targetNode && targetNode.Delegation is null
                    && (targetNode.Find(RecordType.A) ?? targetNode.Find(RecordType.AAAA)) is not null;
                Assert.Equal(hasAddress, mx.Additional.ToArray().Any(a => a.Owner.Equals(target)));
            }
            checkedSets++;
        }
        Assert.True(checkedSets > 1000);
    }

    [Fact]
    public void OwnersWrittenInUpperCase_AreFoundInLowerCase()
    {
        var (_, zone) = Load(20_000);

        Assert.NotNull(zone.Find(DnsName.Parse("h97.big.test.")));
        Assert.Equal("h97.big.test.", zone.Find(DnsName.Parse("H97.BIG.TEST."))!.Value.Name.ToString());
    }
}
