using GslbDns.Api;
using GslbDns.Configuration;
using GslbDns.Hosting;

namespace GslbDns.Commands;

/// <summary>
/// <c>gslbdns healthcheck [--ready] [--api URL]</c>: exit 0 when a running server's <c>/healthz</c>
/// (or, with <c>--ready</c>, <c>/readyz</c>) answers 200, 1 otherwise. For Docker's HEALTHCHECK: the
/// runtime image has no curl.
/// </summary>
public static class HealthcheckCommand
{
    private const string Usage = "usage: gslbdns healthcheck [--ready] [--api URL]";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        using var client = ApiClient.Create(["--api", DefaultApi(), .. args], needsToken: false, out var rest, out var error);
        bool ready = rest.Remove("--ready");
        if (client is null || rest.Count > 0)
        {
            stderr.WriteLine($"gslbdns healthcheck: {(client is null ? error : $"unexpected '{rest[0]}'")}");
            stderr.WriteLine(Usage);
            return 2;
        }
        client.Http.Timeout = Timeout;
        var url = client.Url(ready ? ProbeEndpoints.ReadyzPath : ProbeEndpoints.HealthzPath);
        try
        {
            using var response = client.Http.GetAsync(url).GetAwaiter().GetResult();
            var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult().Trim();
            if (response.IsSuccessStatusCode)
            {
                stdout.WriteLine($"{url}: {body}");
                return 0;
            }
            stderr.WriteLine($"gslbdns healthcheck: {url}: {(int)response.StatusCode} {body}");
            return 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            stderr.WriteLine($"gslbdns healthcheck: {url}: {StatusCommand.OneLine(e)}");
            return 1;
        }
    }

    /// <summary>
    /// The server's own API address when the environment configures it (as the Docker image does with
    /// GSLBDNS_Server__ApiListen), a wildcard read as loopback; else the API's default address.
    /// </summary>
    private static string DefaultApi()
    {
        var listen = Environment.GetEnvironmentVariable(ServerHost.EnvironmentPrefix + "Server__ApiListen");
        if (string.IsNullOrWhiteSpace(listen) || ServerOptionsValidator.IsNone(listen) || !ListenAddress.TryParse(listen, out var endpoint, out _))
            return ApiClient.DefaultUrl;
        var host = endpoint.Address.Equals(System.Net.IPAddress.Any) ? "127.0.0.1"
            : endpoint.Address.Equals(System.Net.IPAddress.IPv6Any) ? "[::1]"
            : endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]"
            : endpoint.Address.ToString();
        var tls = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ServerHost.EnvironmentPrefix + "Server__ApiTlsCert"));
        return $"{(tls ? "https" : "http")}://{host}:{endpoint.Port}";
    }
}
