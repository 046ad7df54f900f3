using GslbDns.Protocol;
using GslbDns.Zones;
using GslbDns.Zones.Reading;

namespace GslbDns.Tests.Zones;

public class RRsetNormalizerTests
{
    private static ZoneRecord A(string owner, uint ttl, byte last, int line) =>
        new(DnsName.Parse(owner), RecordType.A, ttl, new byte[] { 192, 0, 2, last }, new SourceLocation("z.zone", line));

    [Fact]
    public void ExactDuplicates_CollapseToTheFirst()
    {
        var result = RRsetNormalizer.Normalize([A("a.test.", 60, 1, 1), A("A.test.", 60, 1, 2), A("a.test.", 60, 2, 3)]);

        Assert.Equal([1, 3], result.Select(r => r.Source.Line));
    }

    [Fact]
    public void DifferingTtlsInOneRRset_TakeTheFirstTtl()
    {
        var result = RRsetNormalizer.Normalize([A("a.test.", 60, 1, 1), A("b.test.", 10, 1, 2), A("a.test.", 600, 2, 3)]);

        Assert.Equal([60u, 10u, 60u], result.Select(r => r.Ttl));
    }

    [Fact]
    public void RecordsWithNothingToChange_AreNotCopied()
    {
        List<ZoneRecord> records = [A("a.test.", 60, 1, 1), A("a.test.", 60, 2, 2), A("b.test.", 10, 1, 3)];

        Assert.Same(records, RRsetNormalizer.Normalize(records, out var owners));
        Assert.Same(records, owners.Records);
    }

    [Fact]
    public void AChangeAfterManyRecords_KeepsEveryRecordBeforeIt()
    {
        var records = Enumerable.Range(0, 1000).Select(i => A($"n{i}.test.", 60, 1, i + 1)).ToList();
        records.Add(A("n500.test.", 60, 1, 1001)); // a duplicate
        records.Add(A("n7.test.", 30, 2, 1002));   // a second record of an RRset, with another TTL

        var result = RRsetNormalizer.Normalize(records, out var owners);

        Assert.NotSame(records, result);
        Assert.Equal([.. Enumerable.Range(1, 1000), 1002], result.Select(r => r.Source.Line));
        Assert.Equal(60u, result[^1].Ttl);
        Assert.Same(result, owners.Records);
    }
}

public class RRsetNormalizerReferenceTests
{
    /// <summary>The rule written the plain way: a set of (owner, type, octets) seen, the first TTL per RRset.</summary>
    private static List<ZoneRecord> Reference(IReadOnlyList<ZoneRecord> records)
    {
        var firstTtl = new Dictionary<(DnsName, RecordType), uint>();
        var seen = new HashSet<(DnsName, RecordType, string)>();
        var result = new List<ZoneRecord>();
        foreach (var record in records)
        {
            if (!seen.Add((record.Owner, record.Type, Convert.ToHexString(record.Data.Span)))) continue;
            if (!firstTtl.TryGetValue((record.Owner, record.Type), out uint ttl)) firstTtl.Add((record.Owner, record.Type), ttl = record.Ttl);
            result.Add(record with { Ttl = ttl });
        }
        return result;
    }

    private static List<ZoneRecord> RandomRecords(int seed)
    {
        var rng = new Random(seed);
        var records = new List<ZoneRecord>();
        DnsName? previous = null;
        for (int i = 0; i < 20_000; i++)
        {
            // Now and then the same name object again, as the reader hands out for consecutive lines.
            var owner = previous is { } same && rng.Next(3) == 0
                ? same
                : DnsName.Parse($"{(rng.Next(2) == 0 ? "n" : "N")}{rng.Next(500)}.test.");
            previous = owner;
            var type = rng.Next(3) switch { 0 => RecordType.A, 1 => RecordType.TXT, _ => RecordType.MX };
            byte[] data = [(byte)rng.Next(4), (byte)rng.Next(3)];
            records.Add(new ZoneRecord(owner, type, (uint)rng.Next(1, 5) * 60, data, new SourceLocation("z.zone", i + 1)));
        }
        return records;
    }

    [Fact]
    public void TheGroupingMadeWhileNormalizing_IsTheGroupingOfTheResult()
    {
        var actual = RRsetNormalizer.Normalize(RandomRecords(12), out var owners);
        var expected = OwnerGroups.Of(actual);

        Assert.Same(actual, owners.Records);
        Assert.Equal(expected.Count, owners.Count);
        for (int id = 0; id < expected.Count; id++)
        {
            Assert.Equal(expected.Owner(id), owners.Owner(id));
            Assert.Equal(expected[id].ToArray(), owners[id].ToArray());
        }
    }

    [Fact]
    public void RandomRecordsWithDuplicates_NormalizeAsTheReferenceRule()
    {
        var records = RandomRecords(11);

        var expected = Reference(records);
        var actual = RRsetNormalizer.Normalize(records);

        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Source, actual[i].Source);
            Assert.Equal(expected[i].Ttl, actual[i].Ttl);
        }
    }
}
