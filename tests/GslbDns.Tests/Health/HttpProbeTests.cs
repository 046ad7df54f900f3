using System.Collections.Immutable;
using GslbDns.Health;
using GslbDns.Health.Probes;
using static GslbDns.Tests.Health.ProbeTesting;

namespace GslbDns.Tests.Health;

public class HttpProbeTests
{
    private static readonly HealthCheckSpec Spec = new() { Kind = CheckKind.Http, Path = "/healthz" };
    private static readonly HttpProbe Http = new(CheckKind.Http);

    [Fact]
    public async Task Status200_IsSuccess()
    {
        await using var server = new TestHttpServer(_ => TestHttpServer.Response(200, "fine"));
        var result = await Probe(Http, server.Endpoint, Spec);
        Assert.True(result.Success, result.Detail);
        Assert.Equal("HTTP 200", result.Detail);
    }

    [Fact]
    public async Task Status500_IsFailure()
    {
        await using var server = new TestHttpServer(_ => TestHttpServer.Response(500));
        var result = await Probe(Http, server.Endpoint, Spec);
        Assert.Equal(ProbeResult.Fail("HTTP 500", result.Latency), result);
    }

    [Theory]
    [InlineData(302, "200-204", false, "HTTP 302 not in 200-204")]
    [InlineData(204, "200-204", true, "HTTP 204")]
    [InlineData(404, "200,404", true, "HTTP 404")]
    [InlineData(201, "200,404", false, "HTTP 201 not in 200,404")]
    public async Task Status_IsComparedWithTheExpectedList(int status, string expect, bool success, string detail)
    {
        var ranges = expect.Split(',').Select(part => part.Split('-') is [var low, var high]
            ? new StatusRange(int.Parse(low), int.Parse(high))
            : new StatusRange(int.Parse(part), int.Parse(part))).ToImmutableArray();
        await using var server = new TestHttpServer(_ => TestHttpServer.Response(status));
        var result = await Probe(Http, server.Endpoint, Spec with { ExpectStatus = ranges });
        Assert.Equal(success, result.Success);
        Assert.Equal(detail, result.Detail);
    }

    [Fact]
    public async Task ExpectedBody_MustBeInTheBody()
    {
        await using var server = new TestHttpServer(_ => TestHttpServer.Response(200, "status: degraded"));
        var missing = await Probe(Http, server.Endpoint, Spec with { ExpectBody = "ok" });
        var present = await Probe(Http, server.Endpoint, Spec with { ExpectBody = "degraded" });
        Assert.Equal(ProbeResult.Fail("body lacks \"ok\"", missing.Latency), missing);
        Assert.True(present.Success, present.Detail);
    }

    [Fact]
    public async Task ChunkedBody_IsDecoded()
    {
        // "o" and "k" in separate chunks: the match is on the decoded body, not on one read.
        const string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=1\r\nall o\r\n1\r\nk\r\n0\r\n\r\n";
        await using var server = new TestHttpServer(_ => chunked);
        var result = await Probe(Http, server.Endpoint, Spec with { ExpectBody = "all ok" });
        Assert.True(result.Success, result.Detail);
    }

    [Fact]
    public async Task BodyWithoutLength_IsReadToTheEnd()
    {
        await using var server = new TestHttpServer(_ => "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nup and ok");
        var result = await Probe(Http, server.Endpoint, Spec with { ExpectBody = "ok" });
        Assert.True(result.Success, result.Detail);
    }

    [Fact]
    public async Task Head_ReadsNoBody()
    {
        // The server announces a body it does not send, as a HEAD reply does (RFC 9110 §9.3.2).
        await using var server = new TestHttpServer(_ => "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
        var result = await Probe(Http, server.Endpoint, Spec with { Method = "HEAD" });
        Assert.True(result.Success, result.Detail);
        Assert.True(server.Requests.TryPeek(out var request));
        Assert.StartsWith("HEAD /healthz HTTP/1.1\r\n", request);
    }

    [Fact]
    public async Task Request_CarriesPathHostAndClose()
    {
        await using var server = new TestHttpServer(_ => TestHttpServer.Response(200));
        await Probe(Http, server.Endpoint, Spec with { Path = "/status?deep=1" });
        await Probe(Http, server.Endpoint, Spec with { Host = "lb.example.net" });
        var requests = server.Requests.ToArray();
        Assert.Equal(
            "GET /status?deep=1 HTTP/1.1\r\nHost: www.example.test\r\nUser-Agent: gslbdns-health\r\nAccept: */*\r\nConnection: close\r\n\r\n",
            requests[0]);
        Assert.Contains("\r\nHost: lb.example.net\r\n", requests[1]);
    }

    [Fact]
    public async Task EachProbe_OpensItsOwnConnection_AndClosesItWithFin()
    {
        await using var server = new TestHttpServer(_ => TestHttpServer.Response(200));
        for (int i = 0; i < 3; i++) Assert.True((await Probe(Http, server.Endpoint, Spec)).Success);
        Assert.Equal(3, server.Accepted);
        await Eventually(() => server.GracefulCloses == 3);
    }

    [Fact]
    public async Task ClosedPort_IsConnectRefused()
    {
        var result = await Probe(Http, ClosedPort(), Spec);
        Assert.Equal("connect refused", result.Detail);
    }

    [Fact]
    public async Task NoResponse_IsAFailure()
    {
        await using var server = new TestHttpServer(_ => "");
        var result = await Probe(Http, server.Endpoint, Spec);
        Assert.Equal("HTTP: connection closed before a response", result.Detail);
    }

    [Fact]
    public async Task SilentServer_EndsPromptlyOnCancellation()
    {
        await using var server = new TestHttpServer(_ => null);
        var took = await CancelledAfterShortWait(Http, server.Endpoint, Spec);
        Assert.True(took < Deadline, $"took {took}");
        Assert.Single(server.Requests); // the request did reach the server: it was the answer that never came
    }

    [Fact]
    public async Task Source_IsTheLocalAddressTheServerSees()
    {
        if (SecondLoopback() is not { } source) return; // 127.0.0.2 not bindable here
        await using var server = new TestHttpServer(_ => TestHttpServer.Response(200));
        var result = await Probe(Http, server.Endpoint, Spec with { Source = source });
        Assert.True(result.Success, result.Detail);
        Assert.True(server.Peers.TryPeek(out var peer));
        Assert.Equal(source, peer.Address);
    }
}
