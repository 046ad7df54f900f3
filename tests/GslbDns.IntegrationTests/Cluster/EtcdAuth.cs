using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace GslbDns.IntegrationTests.Cluster;

/// <summary>
/// Turns on etcd's user/password authentication through its JSON gateway (no etcdctl needed): a
/// root user (etcd will not enable auth without one) and a user whose role may read and write every key.
/// </summary>
public static class EtcdAuth
{
    public const string RootPassword = "root-password-for-tests";

    public static async Task EnableAsync(EtcdCluster etcd, string user, string password)
    {
        string role = user + "-role";
        await PostAsync(etcd, "/v3/auth/user/add", new JsonObject { ["name"] = "root", ["password"] = RootPassword });
        await PostAsync(etcd, "/v3/auth/role/add", new JsonObject { ["name"] = "root" });
        await PostAsync(etcd, "/v3/auth/user/grant", new JsonObject { ["user"] = "root", ["role"] = "root" });
        await PostAsync(etcd, "/v3/auth/user/add", new JsonObject { ["name"] = user, ["password"] = password });
        await PostAsync(etcd, "/v3/auth/role/add", new JsonObject { ["name"] = role });
        // key "\0" to range_end "\0": every key (etcd's spelling of "from the first key on").
        await PostAsync(etcd, "/v3/auth/role/grant", new JsonObject
        {
            ["name"] = role,
            ["perm"] = new JsonObject { ["permType"] = "READWRITE", ["key"] = "AA==", ["range_end"] = "AA==" },
        });
        await PostAsync(etcd, "/v3/auth/user/grant", new JsonObject { ["user"] = user, ["role"] = role });
        await PostAsync(etcd, "/v3/auth/enable", new JsonObject());
    }

    private static async Task PostAsync(EtcdCluster etcd, string path, JsonObject body)
    {
        using var response = await etcd.Http.PostAsJsonAsync(etcd.ClientUrl(0) + path, body);
        string text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || text.Contains("\"error\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"etcd {path}: HTTP {(int)response.StatusCode} {text}");
        }
    }
}
