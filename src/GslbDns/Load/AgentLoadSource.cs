using System.Net.Sockets;
using System.Text;

namespace GslbDns.Load;

/// <summary>
/// Polls an HAProxy agent-check endpoint: connect over TCP, read one line (up to a newline or the
/// close, at most 1 KiB), and read it with <see cref="AgentLine"/>.
/// </summary>
public static class AgentLoadSource
{
    public const int MaxLine = 1024;

    public static async Task<LoadPollResult> FetchAsync(string agent, CancellationToken cancellation)
    {
        int colon = agent.LastIndexOf(':');
        var host = agent[..colon].Trim('[', ']');
        int port = int.Parse(agent.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture);
        string line;
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, cancellation).ConfigureAwait(false);
            var stream = client.GetStream();
            var buffer = new byte[MaxLine];
            int length = 0;
            while (length < buffer.Length)
            {
                int read = await stream.ReadAsync(buffer.AsMemory(length), cancellation).ConfigureAwait(false);
                if (read == 0) break;
                int newline = Array.IndexOf(buffer, (byte)'\n', length, read);
                length += read;
                if (newline >= 0)
                {
                    length = newline;
                    break;
                }
            }
            if (length == 0) return LoadPollResult.Fail("the agent closed without a reply");
            line = Encoding.ASCII.GetString(buffer, 0, length).TrimEnd('\r');
        }
        catch (SocketException ex)
        {
            return LoadPollResult.Fail(ex.Message);
        }
        catch (IOException ex)
        {
            return LoadPollResult.Fail(ex.InnerException?.Message ?? ex.Message);
        }
        if (!AgentLine.TryParse(line, out var reply, out string error)) return LoadPollResult.Fail(error);
        var report = reply.Utilization is { } utilization ? new Steering.State.LoadReport(null, null, null, null, utilization) : (Steering.State.LoadReport?)null;
        return new LoadPollResult(null, report, null, reply);
    }
}
