using System.Text;
using GslbDns.Load;

namespace GslbDns.Tests.Api;

public class LoadReportJsonTests
{
    private static (bool Ok, LoadReportBody Body, string Error) Parse(string json)
    {
        bool ok = LoadReportJson.TryParse(Encoding.UTF8.GetBytes(json), out var body, out var error);
        return (ok, body, error);
    }

    [Fact]
    public void FullReport_IsRead()
    {
        var (ok, body, error) = Parse("""{"cpu":0.72,"memory":0.55,"connections":4100,"capacity":5000,"ttl":15}""");
        Assert.True(ok, error);
        Assert.Equal(0.72, body.Report.Cpu);
        Assert.Equal(0.55, body.Report.Memory);
        Assert.Equal(4100, body.Report.Connections);
        Assert.Equal(5000, body.Report.Capacity);
        Assert.Equal(TimeSpan.FromSeconds(15), body.Ttl);
    }

    [Theory]
    [InlineData("""{"cpu":0}""")]
    [InlineData("""{"memory":1}""")]
    [InlineData("""{"connections":0}""")]
    [InlineData("""{"cpu":0.5,"memory":null,"ttl":3600}""")]
    [InlineData(" {\"cpu\" : 1.0 }\n")]
    public void MinimalReports_AreRead(string json)
    {
        var (ok, body, error) = Parse(json);
        Assert.True(ok, error);
        Assert.Null(body.Report.Capacity);
    }

    [Fact]
    public void NoTtl_IsNull_SoThePolicysApplies() => Assert.Null(Parse("""{"cpu":0.5}""").Body.Ttl);

    [Theory]
    [InlineData("", "the body is empty; send a JSON object such as {\"cpu\":0.72,\"connections\":4100}")]
    [InlineData("[1]", "the body must be a JSON object, found an array")]
    [InlineData("0.5", "the body must be a JSON object, found a number")]
    [InlineData("{\"cpu\":0.5", "the body is not valid JSON (line 1, byte 11)")]
    [InlineData("{\"cpu\":0.5,}", "the body is not valid JSON (line 1, byte 12)")]
    [InlineData("{\"cpu\":0.5} {}", "the body is not valid JSON (line 1, byte 13)")]
    [InlineData("""{"cpus":0.5}""", "unknown field 'cpus'; a report has: cpu, memory, connections, capacity, ttl")]
    [InlineData("""{"cpu":0.5,"extra":null}""", "unknown field 'extra'; a report has: cpu, memory, connections, capacity, ttl")]
    [InlineData("""{"cpu":0.5,"cpu":0.6}""", "field 'cpu' is given twice")]
    [InlineData("""{"cpu":"0.5"}""", "cpu must be a number from 0 to 1, found a string")]
    [InlineData("""{"cpu":1.01}""", "cpu must be a fraction from 0 to 1 (0.72 for 72%), found 1.01")]
    [InlineData("""{"cpu":-0.1}""", "cpu must be a fraction from 0 to 1 (0.72 for 72%), found -0.1")]
    [InlineData("""{"memory":true}""", "memory must be a number from 0 to 1, found a boolean")]
    [InlineData("""{"memory":72}""", "memory must be a fraction from 0 to 1 (0.72 for 72%), found 72")]
    [InlineData("""{"connections":-1}""", "connections must be a whole number, 0 or more, found -1")]
    [InlineData("""{"connections":4.5}""", "connections must be a whole number, 0 or more, found 4.5")]
    [InlineData("""{"connections":[1]}""", "connections must be a whole number, 0 or more, found an array")]
    [InlineData("""{"connections":1,"capacity":0}""", "capacity must be a whole number, 1 or more, found 0")]
    [InlineData("""{"connections":1,"capacity":{}}""", "capacity must be a whole number, 1 or more, found an object")]
    [InlineData("""{"cpu":0.5,"ttl":0}""", "ttl must be whole seconds from 1 to 3600, found 0")]
    [InlineData("""{"cpu":0.5,"ttl":3601}""", "ttl must be whole seconds from 1 to 3600, found 3601")]
    [InlineData("""{"cpu":0.5,"ttl":1.5}""", "ttl must be whole seconds from 1 to 3600, found 1.5")]
    [InlineData("""{"cpu":0.5,"ttl":"15"}""", "ttl must be whole seconds from 1 to 3600, found a string")]
    [InlineData("""{}""", "the report has none of cpu, memory, connections; give at least one")]
    [InlineData("""{"capacity":10,"ttl":5}""", "the report has none of cpu, memory, connections; give at least one")]
    [InlineData("""{"cpu":null}""", "the report has none of cpu, memory, connections; give at least one")]
    public void EachProblem_IsNamed(string json, string expected)
    {
        var (ok, _, error) = Parse(json);
        Assert.False(ok);
        Assert.Equal(expected, error);
    }
}
