using System.Text.Json;
using GslbDns.Api;

namespace GslbDns.Commands;

/// <summary><c>gslbdns drain|undrain SERVICE/REGION --token-file F [--api URL]</c>: a region's API drain, set over the running server's API.</summary>
public static class DrainCommand
{
    public static int Run(string verb, string[] args, TextWriter stdout, TextWriter stderr)
    {
        using var client = ApiClient.Create(args, needsToken: true, out var rest, out var error);
        int slash = rest.Count == 1 ? rest[0].IndexOf('/', StringComparison.Ordinal) : -1;
        if (client is null || slash <= 0 || slash == rest[0].Length - 1)
        {
            stderr.WriteLine($"gslbdns {verb}: {(client is null ? error : "give one SERVICE/REGION, e.g. www.example.com/eu")}");
            stderr.WriteLine($"usage: gslbdns {verb} SERVICE/REGION --token-file F [--api URL]");
            return 2;
        }
        string service = rest[0][..slash], region = rest[0][(slash + 1)..];
        var url = client.Url($"/api/v1/regions/{Uri.EscapeDataString(service)}/{Uri.EscapeDataString(region)}/{verb}");
        try
        {
            using var response = client.Http.PostAsync(url, null).GetAwaiter().GetResult();
            var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode)
            {
                string reason = body;
                try
                {
                    reason = JsonSerializer.Deserialize(body, ApiJsonContext.Default.ApiError)?.Error ?? body;
                }
                catch (JsonException)
                {
                }
                stderr.WriteLine($"gslbdns {verb}: {(int)response.StatusCode} {reason}");
                return 1;
            }
            var view = JsonSerializer.Deserialize(body, StatusJsonContext.Default.AdminStateView) ?? throw new JsonException("empty body");
            stdout.WriteLine($"{view.Service}/{view.Region}: {view.Admin} (admin-state.yaml: {view.Sources.File}, api drain: {(view.Sources.Api ? "yes" : "no")})");
            return 0;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or NotSupportedException)
        {
            stderr.WriteLine($"gslbdns {verb}: cannot reach {client.BaseAddress}: {StatusCommand.OneLine(e)}");
            return 1;
        }
    }
}
