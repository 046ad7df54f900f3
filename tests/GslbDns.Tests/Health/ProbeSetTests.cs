using GslbDns.Health;
using GslbDns.Health.Probes;

namespace GslbDns.Tests.Health;

public class ProbeSetTests
{
    [Theory]
    [InlineData(CheckKind.Tcp, typeof(TcpProbe))]
    [InlineData(CheckKind.Http, typeof(HttpProbe))]
    [InlineData(CheckKind.Https, typeof(HttpProbe))]
    [InlineData(CheckKind.Dns, typeof(DnsProbe))]
    public void Default_HasAProbeForEveryProbedKind(CheckKind kind, Type type)
    {
        Assert.True(ProbeSet.CreateDefault().TryGet(kind, out var probe));
        Assert.IsType(type, probe);
        Assert.Equal(kind, probe.Kind);
    }

    [Fact]
    public void None_HasNoProbe() => Assert.False(ProbeSet.CreateDefault().TryGet(CheckKind.None, out _));

    [Fact]
    public void TwoProbesForOneKind_AreRefused() =>
        Assert.Throws<ArgumentException>(() => new ProbeSet([new TcpProbe(), new TcpProbe()]));
}
