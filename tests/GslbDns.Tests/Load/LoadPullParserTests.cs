using System.Text;
using GslbDns.Load;

namespace GslbDns.Tests.Load;

/// <summary>The pulled body formats: report JSON (strict) and HAProxy CSV stats.</summary>
public class LoadPullParserTests
{
    [Fact]
    public void Csv_SumsTheServersInService_OfTheNamedBackend()
    {
        // web1 (UP) + web2 (UP 1/3, going down) + web5 (no check); web3 DOWN and web4 MAINT do not count.
        var load = HaproxyCsv.Parse(HaproxyStatsSample.Csv, "web");
        Assert.Equal(180 + 220 + 7, load.Connections);
        Assert.Null(load.Capacity); // web5 has no slim
        Assert.Equal(3, load.ServersUp);
        Assert.Equal(5, load.Servers);
    }

    [Fact]
    public void Csv_CapacityIsTheSumOfLimits_WhenEveryCountedServerHasOne()
    {
        var load = HaproxyCsv.Parse(HaproxyStatsSample.Csv, "api");
        Assert.Equal(new HaproxyLoad(40, 500, 1, 1), load);
    }

    [Fact]
    public void Csv_WithoutBackend_SumsEveryBackend()
    {
        var load = HaproxyCsv.Parse(HaproxyStatsSample.Csv, null);
        Assert.Equal(180 + 220 + 7 + 40, load.Connections);
        Assert.Equal(4, load.ServersUp);
        Assert.Equal(6, load.Servers);
    }

    [Theory]
    [InlineData("hello,world\n", "header")]
    [InlineData("# pxname,svname,qcur\nweb,web1,0\n", "scur")]
    public void Csv_Malformed_Throws(string text, string mentions)
    {
        var ex = Assert.Throws<FormatException>(() => HaproxyCsv.Parse(text, null));
        Assert.Contains(mentions, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_UnknownBackend_Throws()
    {
        Assert.Contains("'nope'", Assert.Throws<FormatException>(() => HaproxyCsv.Parse(HaproxyStatsSample.Csv, "nope")).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://lb/stats;csv", "# pxname,svname,scur,slim,status\nweb,s1,5,10,UP\n", "csv")]
    [InlineData("http://lb/load", "# pxname,svname,scur,slim,status\nweb,s1,5,10,UP\n", "csv")]
    [InlineData("http://lb/stats;csv", "{\"cpu\":0.5}", "json")]
    [InlineData("http://lb/load.json", " \n{\"cpu\":0.5}", "json")]
    public void Http_TellsTheFormatsApart_ByBodyThenUrl(string url, string body, string format)
    {
        var result = HttpLoadSource.Interpret(new Uri(url), null, Encoding.UTF8.GetBytes(body));
        Assert.True(result.Ok, result.Failure);
        Assert.Equal(format == "csv" ? new GslbDns.Steering.State.LoadReport(null, null, 5, 10) : new GslbDns.Steering.State.LoadReport(0.5, null, null, null),
            result.Report);
    }

    [Fact]
    public void Http_CsvUrlWithAnotherBody_FailsNamingTheFormat()
    {
        var result = HttpLoadSource.Interpret(new Uri("http://lb/stats;csv"), null, "<html>"u8);
        Assert.False(result.Ok);
        Assert.StartsWith("HAProxy CSV:", result.Failure, StringComparison.Ordinal);
    }
}
