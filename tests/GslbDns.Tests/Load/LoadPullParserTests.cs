using System.Text;
using GslbDns.Load;

namespace GslbDns.Tests.Load;

/// <summary>The pulled body formats: report JSON (strict) and HAProxy CSV stats.</summary>
public class LoadPullParserTests
{
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
