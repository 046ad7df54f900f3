using GslbDns.Cluster;
using GslbDns.Configuration;

namespace GslbDns.Tests.Cluster;

public class ClusterOptionsTests
{
    private static IReadOnlyList<string> Problems(Action<ServerOptions> set)
    {
        var options = new ServerOptions();
        set(options);
        return ServerOptionsValidator.Validate(options);
    }

    [Fact]
    public void Alone_NoClusterOptions_NoProblems_NoSettings()
    {
        Assert.Empty(Problems(_ => { }));
        Assert.Null(ClusterSettings.From(new ServerOptions()));
    }

    [Fact]
    public void CommandLine_MapsEveryClusterOption()
    {
        Assert.True(CommandLine.TryParse(["--cluster-etcd", "http://10.0.0.1:2379,http://10.0.0.2:2379", "--instance-name", "dns-1",
            "--cluster-prefix", "/g/", "--cluster-stale-after", "10s", "--cluster-etcd-credentials", "/etc/c"], out var settings, out var error), error);
        Assert.Equal("http://10.0.0.1:2379,http://10.0.0.2:2379", settings["Server:ClusterEtcd"]);
        Assert.Equal("dns-1", settings["Server:InstanceName"]);
        Assert.Equal("/g/", settings["Server:ClusterPrefix"]);
        Assert.Equal("10s", settings["Server:ClusterStaleAfter"]);
        Assert.Equal("/etc/c", settings["Server:ClusterEtcdCredentials"]);
    }

    [Fact]
    public void GoodOptions_GiveSettings()
    {
        var options = new ServerOptions { ClusterEtcd = "http://127.0.0.1:2379, http://127.0.0.2:2379", InstanceName = "a", ClusterPrefix = "/x" };
        Assert.Empty(ServerOptionsValidator.Validate(options));
        var settings = ClusterSettings.From(options)!;
        Assert.Equal(2, settings.Endpoints.Count);
        Assert.Equal("/x/", settings.Prefix);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.StaleAfter);
    }

    [Theory]
    [InlineData("ClusterEtcd", "127.0.0.1:2379", "--cluster-etcd: '127.0.0.1:2379' is not an etcd endpoint URL such as http://10.0.0.1:2379 or https://etcd-0.etcd:2379")]
    [InlineData("InstanceName", "a/b", "InstanceName 'a/b' must be 1-63 letters, digits, '.', '_' or '-' (--instance-name; it names this instance's keys in etcd)")]
    [InlineData("ClusterPrefix", "gslbdns/", "ClusterPrefix 'gslbdns/' must start with '/' and hold no empty segment, such as /gslbdns/ (--cluster-prefix)")]
    [InlineData("ClusterStaleAfter", "soon", "ClusterStaleAfter 'soon' is not a duration from 500ms to 60m (--cluster-stale-after, such as 5s)")]
    [InlineData("ClusterEtcdCert", "/nonexistent/cert.pem", "ClusterEtcdCert and ClusterEtcdKey go together: give both (--cluster-etcd-cert and --cluster-etcd-key) or neither")]
    public void BadOptions_AreClearStartErrors(string option, string value, string expected)
    {
        var problems = Problems(o =>
        {
            o.ClusterEtcd = "http://127.0.0.1:2379";
            typeof(ServerOptions).GetProperty(option)!.SetValue(o, value);
        });
        Assert.Contains(expected, problems);
    }

    [Fact]
    public void ClusterOptionWithoutEtcd_IsAnError()
    {
        Assert.Equal(["--cluster-etcd-credentials needs --cluster-etcd (the etcd endpoints); without it the instance runs alone"],
            Problems(o => o.ClusterEtcdCredentials = "/etc/creds"));
    }

    [Fact]
    public void CredentialsFile_ReadsUserAndPassword()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "# etcd\nuser: gslbdns\npassword: \"s3cret: yes\"\n");
        var (credentials, problems) = EtcdCredentials.Read(path);
        Assert.Empty(problems);
        Assert.Equal(new EtcdCredentials("gslbdns", "s3cret: yes"), credentials);
        Assert.DoesNotContain("s3cret", credentials!.ToString());
        File.Delete(path);
    }

    [Fact]
    public void BadCredentialsFile_EveryProblemAtItsLine()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "user: a\nuser: b\npasword: x\njust text\n");
        var (credentials, problems) = EtcdCredentials.Read(path);
        Assert.Null(credentials);
        Assert.Equal([$"{path}:2: 'user' is given twice", $"{path}:3: unknown key 'pasword'; the file holds 'user' and 'password'",
            $"{path}:4: expected 'user: NAME' or 'password: SECRET'"], problems.Select(p => p.ToString()));
        File.Delete(path);
    }
}
