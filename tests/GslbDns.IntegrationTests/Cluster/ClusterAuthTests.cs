using System.Net;
using GslbDns.IntegrationTests.Infrastructure;

namespace GslbDns.IntegrationTests.Cluster;

/// <summary>
/// A real etcd with user/password authentication on (<c>--cluster-etcd-credentials</c>): the right
/// password shares a report; a wrong one leaves that instance without the store but answering; a
/// malformed credentials file stops the server at startup, naming the file and line.
/// </summary>
public sealed class ClusterAuthTests
{
    private const string Eu = "198.51.100.10", Us = "192.0.2.10";
    private const string Credentials = "Server:ClusterEtcdCredentials";

    [EtcdFact]
    public async Task RightPasswordSharesAReport_WrongPasswordLeavesTheStoreDownButDnsAnswering()
    {
        await using var etcd = await EtcdCluster.StartAsync();
        await EtcdAuth.EnableAsync(etcd, "gslbdns", "the-right-password");
        string folder = TempFolder.Create();
        try
        {
            string right = Path.Combine(folder, "right.yaml"), wrong = Path.Combine(folder, "wrong.yaml");
            await File.WriteAllTextAsync(right, "# etcd login of the GSLB instances\nuser: gslbdns\npassword: \"the-right-password\"\n");
            await File.WriteAllTextAsync(wrong, "user: gslbdns\npassword: not-the-password\n");
            await using var cluster = await ClusterScenario.StartAsync(etcd, extra: new() { [Credentials] = right },
                overrides: i => i == 2 ? new() { [Credentials] = wrong } : []);
            await ClusterTlsTests.WaitForStoreAsync(cluster, 0, "up");
            await ClusterTlsTests.WaitForStoreAsync(cluster, 1, "up");

            await cluster.ReportAsync(0, "eu", 0.95, ttlSeconds: 60);
            await cluster.WaitForAnswerAsync([1], "www", Us, TimeSpan.FromSeconds(10));

            await ClusterTlsTests.WaitForStoreAsync(cluster, 2, "stale");
            Assert.Contains("authentication failed", await cluster.GetAsync(2, "/api/v1/status"), StringComparison.Ordinal);
            Assert.Equal(Eu, await cluster.AnswerAsync(2, "www"));
            using var response = await cluster.PostAsync(2, "/api/v1/load/www.example.com/ap", "{\"cpu\":0.5,\"ttl\":60}");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [EtcdFact]
    public async Task MalformedCredentialsFile_IsAStartupErrorNamingFileAndLine()
    {
        string folder = TempFolder.Create();
        try
        {
            string zones = Path.Combine(folder, "zones"), credentials = Path.Combine(folder, "etcd-login.yaml");
            Directory.CreateDirectory(zones);
            await File.WriteAllTextAsync(Path.Combine(zones, "example.com.zone"), ClusterScenario.Zone);
            await File.WriteAllTextAsync(credentials, "user: gslbdns\npassword = secret\n");
            // No etcd needed: the file is refused before any connection.
            using var server = Process.ServerProcess.Start("--zones", zones, "--listen", "127.0.0.1:0",
                "--cluster-etcd", "http://127.0.0.1:1", "--instance-name", "a", "--cluster-etcd-credentials", credentials);
            int code = await server.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.NotEqual(0, code);
            Assert.Contains($"{credentials}:2", server.Stderr, StringComparison.Ordinal);
            Assert.Contains("expected 'user: NAME' or 'password: SECRET'", server.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
