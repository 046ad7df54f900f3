using GslbDns.Protocol;
using GslbDns.Zones;
using GslbDns.Zones.Reading;

namespace GslbDns.Tests.Zones;

public class RRsetNormalizerTests
{
    private static ZoneRecord A(string owner, uint ttl, byte last, int line) =>
        new(DnsName.Parse(owner), RecordType.A, ttl, [192, 0, 2, last], new SourceLocation("z.zone", line));

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
}
