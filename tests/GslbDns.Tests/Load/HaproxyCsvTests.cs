using GslbDns.Load;

namespace GslbDns.Tests.Load;

public sealed class HaproxyCsvTests
{
    [Fact]
    public void AllBackends_SumUpServersOnly_CapacityUnknownWhenAnUpServerHasNoLimit()
    {
        // app: web1 37 + web3 12 (no check) + web5 8 (no slim); static: s1 4; api: a1 150 + a2 90.
        // FRONTEND and BACKEND rows, DOWN, MAINT, DRAIN and DOWN 1/2 servers are not counted.
        Assert.Equal(new HaproxyLoad(301, null, 6, 10), HaproxyCsv.Parse(HaproxySample.Csv, null));
    }

    [Fact]
    public void Backend_WithAnUnlimitedServer_HasConnectionsButNoCapacity()
    {
        Assert.Equal(new HaproxyLoad(57, null, 3, 5), HaproxyCsv.Parse(HaproxySample.Csv, "app"));
    }

    [Fact]
    public void Backend_CountsUpGoingDown_NotDrainingOrComingUp()
    {
        Assert.Equal(new HaproxyLoad(240, 500, 2, 4), HaproxyCsv.Parse(HaproxySample.Csv, "api"));
    }

    [Fact]
    public void Backend_OfNoCheckServers_IsUp()
    {
        Assert.Equal(new HaproxyLoad(4, 20, 1, 1), HaproxyCsv.Parse(HaproxySample.Csv, "static"));
    }

    [Fact]
    public void BackendNames_AreCaseSensitive_AndAnUnknownOneIsAnError()
    {
        var e = Assert.Throws<FormatException>(() => HaproxyCsv.Parse(HaproxySample.Csv, "API"));
        Assert.Contains("no proxy named 'API'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AProxyWithoutServers_HasNoLoad()
    {
        Assert.Equal(new HaproxyLoad(0, 0, 0, 0), HaproxyCsv.Parse(HaproxySample.Csv, "www"));
    }

    [Fact]
    public void ColumnsAreFoundByName_QuotedFieldsAndCrLfAreRead()
    {
        const string csv = "# svname,status,extra,pxname,slim,scur,check_desc\r\n"
            + "a1,UP,x,api,10,3,\"Layer7, \"\"ok\"\"\"\r\n"
            + "a2,no check,x,api,20,4,\r\n"
            + "BACKEND,UP,x,api,30,7,\r\n";
        Assert.Equal(new HaproxyLoad(7, 30, 2, 2), HaproxyCsv.Parse(csv, "api"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html><body>Statistics Report</body></html>")]
    [InlineData("pxname,svname,scur,slim,status\napi,a1,1,2,UP\n")]
    public void TextWithoutTheHeader_IsAFormatError(string text)
    {
        var e = Assert.Throws<FormatException>(() => HaproxyCsv.Parse(text, null));
        Assert.Contains("'# pxname,svname,...' header", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHeaderWithoutAColumn_NamesIt()
    {
        var e = Assert.Throws<FormatException>(() => HaproxyCsv.Parse("# pxname,svname,scur,status\napi,a1,1,UP\n", null));
        Assert.Contains("slim", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANonNumericCount_OrAShortLine_IsAFormatError()
    {
        Assert.Throws<FormatException>(() => HaproxyCsv.Parse("# pxname,svname,scur,slim,status\napi,a1,many,2,UP\n", null));
        Assert.Throws<FormatException>(() => HaproxyCsv.Parse("# pxname,svname,scur,slim,status\napi,a1,1\n", null));
    }
}
