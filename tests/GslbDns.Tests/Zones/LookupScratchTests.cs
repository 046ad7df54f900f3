using GslbDns.Protocol;
using GslbDns.Zones;
using GslbDns.Zones.Reading;

namespace GslbDns.Tests.Zones;

/// <summary>
/// The query path reuses one look-up result per thread; what one query leaves in it must neither
/// reach the next query nor keep a replaced zone alive.
/// </summary>
public class LookupScratchTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.test.");

    private static CompiledZone Zone()
    {
        var read = MasterFileReader.ReadText("""
            $TTL 300
            @     SOA ns1 host 1 3600 600 86400 300
            @     NS  ns1
            ns1   A   192.0.2.1
            www   CNAME ns1
            """, "example.test.zone", Origin);
        Assert.Empty(read.Problems);
        return ZoneCompiler.Compile(Origin, RRsetNormalizer.Normalize(read.Records), "example.test.zone");
    }

    [Fact]
    public void Released_Result_HoldsNothing_AndTheNextQueryStartsEmpty()
    {
        var weak = AnswerAndRelease();

        ref var second = ref LookupScratch.Begin();
        Assert.Equal(0, second.Count);
        Assert.False(second.HasTtlCap);
        Assert.Null(second.Zone);
        Assert.False(second.Owners[1].HasValue);
        Assert.Equal(0, second.Sets[0].Records.Length);
        // Nothing but the weak reference is left of the zone: the thread's result does not keep it.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(weak.IsAlive);
    }

    // Not inlined, so no local of the test itself still refers to the zone.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference AnswerAndRelease()
    {
        var zone = Zone();
        ref var first = ref LookupScratch.Begin();
        ZoneLookup.Lookup(zone, DnsName.Parse("www.example.test.").Wire, RecordType.A, true, ref first);
        first.HasTtlCap = true;
        first.TtlCap = 5;
        Assert.Equal(2, first.Count);
        first.Release();
        return new WeakReference(zone);
    }

    [Fact]
    public void A_QueryThatNeverReleased_IsClearedByTheNextBegin()
    {
        var zone = Zone();
        ref var first = ref LookupScratch.Begin();
        ZoneLookup.Lookup(zone, DnsName.Parse("www.example.test.").Wire, RecordType.A, true, ref first);
        first.HasTtlCap = true;

        ref var second = ref LookupScratch.Begin();
        Assert.Equal(0, second.Count);
        Assert.False(second.HasTtlCap);
        Assert.Equal(0, second.Sets[1].Records.Length);
        second.Release();
    }
}
