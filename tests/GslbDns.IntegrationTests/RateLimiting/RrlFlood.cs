using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GslbDns.IntegrationTests.Infrastructure;

namespace GslbDns.IntegrationTests.RateLimiting;

/// <summary>
/// A burst of identical UDP queries from one source address, sent back to back, with every reply
/// collected afterwards: how many came whole, truncated (TC=1), as BADCOOKIE, or not at all.
/// </summary>
public sealed record RrlFlood(int Sent, int Whole, int Truncated, int BadCookie, double SendSeconds)
{
    public int Missing => Sent - Whole - Truncated - BadCookie;

    public static async Task<RrlFlood> SendAsync(IPEndPoint server, IPAddress from, int count, string name = "ns1.example.com",
        QueryBuilder? builder = null)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveBufferSize = 4 * 1024 * 1024;
        socket.Bind(new IPEndPoint(from, 0));
        var queries = Enumerable.Range(0, count).Select(i =>
        {
            var query = (builder ?? new QueryBuilder()).Build(name, 1);
            query[0] = (byte)(i >> 8);
            query[1] = (byte)i;
            return query;
        }).ToArray();
        var clock = Stopwatch.StartNew();
        foreach (var query in queries) await socket.SendToAsync(query, SocketFlags.None, server);
        double sendSeconds = clock.Elapsed.TotalSeconds;

        var seen = new HashSet<int>();
        int whole = 0, truncated = 0, badCookie = 0;
        var buffer = new byte[4096];
        using var quiet = new CancellationTokenSource();
        while (true)
        {
            // Replies stop coming a moment after the last; 1.5 s of silence ends the collection.
            quiet.CancelAfter(TimeSpan.FromSeconds(1.5));
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), quiet.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            if (received.ReceivedBytes < 12 || !seen.Add(buffer[0] << 8 | buffer[1])) continue;
            int rcode = buffer[3] & 0x0f;
            if (rcode == 7 && received.ReceivedBytes > 12) badCookie++; // BADCOOKIE: 23 = 0x17, the low 4 bits in the header
            else if ((buffer[2] & 0x02) != 0) truncated++;
            else whole++;
        }
        return new RrlFlood(count, whole, truncated, badCookie, sendSeconds);
    }
}
