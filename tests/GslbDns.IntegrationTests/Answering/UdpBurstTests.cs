using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using GslbDns.IntegrationTests.Infrastructure;

namespace GslbDns.IntegrationTests.Answering;

/// <summary>
/// Bursts of queries from many clients at once: the server takes them in batches (recvmmsg on
/// Linux), and every query still gets its own answer, sent to its own client.
/// </summary>
public sealed class UdpBurstTests : IClassFixture<AnsweringServerFixture>
{
    private readonly TestServer _server;

    public UdpBurstTests(AnsweringServerFixture fixture)
    {
        _server = fixture.Server;
    }

    [Fact]
    public async Task Burst_FromManyClients_EveryQueryAnsweredToItsSender()
    {
        const int clients = 8, perClient = 60;
        var names = new[] { "www.example.com", "mail.example.com", "nope.example.com", "sip.example.com" };
        var sockets = Enumerable.Range(0, clients).Select(_ => new UdpClient(_server.Endpoint.AddressFamily)).ToArray();
        try
        {
            for (int q = 0; q < perClient; q++)
            {
                for (int c = 0; c < clients; c++)
                {
                    var query = new QueryBuilder { Id = (ushort)(c * 1000 + q) }.Build(names[q % names.Length], 1);
                    await sockets[c].SendAsync(query, _server.Endpoint);
                }
            }
            for (int c = 0; c < clients; c++)
            {
                var seen = new HashSet<int>();
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                while (seen.Count < perClient)
                {
                    var reply = DnsMessage.Parse((await sockets[c].ReceiveAsync(cts.Token)).Buffer);
                    int q = reply.TransactionID - c * 1000;
                    Assert.InRange(q, 0, perClient - 1);
                    Assert.True(seen.Add(q), $"client {c} got query {q} twice");
                    Assert.Equal(names[q % names.Length] + ".", reply.Questions.Single().Name.ToString());
                    Assert.Equal(names[q % names.Length] == "nope.example.com" ? ReturnCode.NxDomain : ReturnCode.NoError, reply.ReturnCode);
                }
            }
        }
        finally
        {
            foreach (var socket in sockets) socket.Dispose();
        }
    }
}
