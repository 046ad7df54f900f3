using System.Net;
using GslbDns.Api;
using GslbDns.Commands;
using GslbDns.Configuration;
using GslbDns.Hosting;
using GslbDns.IntegrationTests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace GslbDns.IntegrationTests.Deployment;

/// <summary>
/// deploy/kubernetes against the binary: the container's options are the server's own, its ports,
/// probes and mounts are those the options say, and the Services, budget and monitor point at them.
/// </summary>
public sealed class KubernetesManifestTests
{
    /// <summary>The API paths the manifests may name; the probe paths among them are GET on a running server below.</summary>
    private static readonly string[] ServedPaths = [ProbeEndpoints.HealthzPath, ProbeEndpoints.ReadyzPath, "/metrics"];

    private readonly KubernetesManifests _manifests = KubernetesManifests.Load();

    private YamlMappingNode Workload => Assert.Single(_manifests.OfKind("StatefulSet").Concat(_manifests.OfKind("Deployment")));

    private YamlMappingNode PodSpec => Workload.Map("spec").Map("template").Map("spec");

    private YamlMappingNode Container => Assert.Single(PodSpec.Seq("containers").Maps(), c => c.Str("name") == "gslbdns");

    private ServerOptions Options => DeployedOptions.From(
        Container.Get("env") is YamlSequenceNode env ? env.Children.Maps().ToDictionary(e => e.Str("name")!, e => e.Str("value") ?? "") : [],
        Container.Seq("args").Select(a => a.Text()).ToList());

    [Fact]
    public void Workload_HasThreeReplicas_OnePerNode()
    {
        Assert.Equal("3", Workload.Map("spec").Str("replicas"));
        var term = Assert.Single(PodSpec.Map("affinity").Map("podAntiAffinity").Seq("requiredDuringSchedulingIgnoredDuringExecution").Maps());
        Assert.Equal("kubernetes.io/hostname", term.Str("topologyKey"));
        Assert.Equal(PodLabels, term.Map("labelSelector").Map("matchLabels").Labels());
    }

    [Fact]
    public void ContainerOptions_AreTheServersOwn_AndItsPortsAreTheListenPorts()
    {
        var options = Options;
        var ports = Container.Seq("ports").Maps().ToList();
        foreach (var dns in DeployedOptions.DnsPorts(options))
        {
            foreach (var protocol in new[] { "UDP", "TCP" })
                Assert.Contains(ports, p => p.Str("containerPort") == $"{dns}" && p.Str("protocol") == protocol);
        }
        Assert.Equal($"{DeployedOptions.ApiPort(options)}", NamedPort("api").Str("containerPort"));
        // The API on the pod's address, not loopback: the kubelet and Prometheus come from outside the container.
        Assert.Equal(IPAddress.Any, ServerOptionsValidator.ApiEndpoint(options)!.Address);
        Assert.All(ports, p => Assert.True(
            DeployedOptions.DnsPorts(options).Contains(int.Parse(p.Str("containerPort")!, System.Globalization.CultureInfo.InvariantCulture))
            || p.Str("name") == "api", $"container port {p.Str("name")} is neither a DNS listen port nor the API"));
    }

    [Fact]
    public void Probes_AskTheApiPort_ForPathsTheServerMaps()
    {
        var probes = ProbePaths().ToList();
        Assert.Contains(("readinessProbe", ProbeEndpoints.ReadyzPath), probes);
        Assert.Contains(("livenessProbe", ProbeEndpoints.HealthzPath), probes);
        foreach (var (kind, _) in probes)
        {
            var port = Container.Map(kind).Map("httpGet").Str("port")!;
            Assert.Equal($"{DeployedOptions.ApiPort(Options)}", NamedPort(port).Str("containerPort"));
        }
        Assert.All(probes, p => Assert.Contains(p.Path, ServedPaths));
    }

    [Fact]
    public async Task ProbePaths_Answer200_OnARunningServer()
    {
        await using var server = await TestServer.StartAsync("example.com.zone", Process.RunningServer.Zone);
        using var http = new HttpClient();
        // The probes, and the path the ServiceMonitor scrapes.
        var scraped = _manifests.Single("ServiceMonitor").Map("spec").Seq("endpoints").Maps().Select(e => e.Str("path")!);
        foreach (var path in ProbePaths().Select(p => p.Path).Concat(scraped))
        {
            using var response = await http.GetAsync(new Uri(server.ApiBase!, path));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public void Container_IsNonRoot_ReadOnly_WithoutCapabilities_BelowPort1024Only()
    {
        Assert.Equal("true", PodSpec.Map("securityContext").Str("runAsNonRoot"));
        var security = Container.Map("securityContext");
        Assert.Equal("true", security.Str("readOnlyRootFilesystem"));
        Assert.Equal("false", security.Str("allowPrivilegeEscalation"));
        var capabilities = security.Map("capabilities");
        Assert.Equal(["ALL"], capabilities.Seq("drop").Select(c => c.Text()));
        var added = capabilities.Get("add") is YamlSequenceNode add ? add.Children.Select(c => c.Text()).ToList() : [];
        Assert.Equal(DeployedOptions.DnsPorts(Options).Any(p => p < 1024) ? ["NET_BIND_SERVICE"] : [], added);
    }

    [Fact]
    public void ZonesConfigMap_AndTokensSecret_AreMountedWhereTheOptionsRead()
    {
        var options = Options;
        var zones = Mount(v => v.Get("configMap") is YamlMappingNode c ? c.Str("name") : null, out var configMapName);
        Assert.Equal(options.Zones, zones.Str("mountPath"));
        Assert.Equal(configMapName, _manifests.Named("ConfigMap", configMapName).Map("metadata").Str("name"));

        var tokens = Mount(v => v.Get("secret") is YamlMappingNode s ? s.Str("secretName") : null, out var secretName);
        Assert.Equal(Path.GetDirectoryName(options.ApiTokens), tokens.Str("mountPath"));
        var secret = _manifests.Named("Secret", secretName);
        Assert.NotNull(secret.Map("stringData").Get(Path.GetFileName(options.ApiTokens!)));

        // The state folder is writable: the root file system is not.
        var state = Assert.Single(Container.Seq("volumeMounts").Maps(), m => m.Str("mountPath") == ServerOptionsValidator.StateDir(options));
        Assert.NotEqual("true", state.Str("readOnly"));
    }

    [Fact]
    public void ZonesConfigMap_PassesCheck_AndTheTokensSecretReads()
    {
        var folder = TempFolder.Create();
        try
        {
            foreach (var (name, text) in _manifests.Single("ConfigMap").Map("data").Children)
                File.WriteAllText(Path.Combine(folder, name.Text()), text.Text());
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            Assert.True(CommandVerbs.TryRun(["check", folder], stdout, stderr) == 0, stdout.ToString() + stderr);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        var file = Path.GetFileName(Options.ApiTokens!);
        var (tokens, problems) = ApiTokensReader.ReadText(_manifests.Single("Secret").Map("stringData").Str(file)!, file);
        Assert.Empty(problems);
        Assert.NotEmpty(tokens!.Tokens);
    }

    [Fact]
    public void Shutdown_FitsInTheTerminationGracePeriod()
    {
        var grace = ServerOptionsValidator.ShutdownGrace(Options) + GslbDnsServiceCollectionExtensions.ShutdownMargin;
        var preStop = Container.Get("lifecycle") is YamlMappingNode lifecycle
            ? TimeSpan.FromSeconds(int.Parse(lifecycle.Map("preStop").Map("exec").Seq("command")[1].Text(), System.Globalization.CultureInfo.InvariantCulture))
            : TimeSpan.Zero;
        var period = TimeSpan.FromSeconds(int.Parse(PodSpec.Str("terminationGracePeriodSeconds")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(period > preStop + grace, $"terminationGracePeriodSeconds {period} does not cover preStop {preStop} + shutdown {grace}");
    }

    [Fact]
    public void DnsService_IsALoadBalancer_KeepingClientAddresses_OnPort53_ToTheContainerPorts()
    {
        var spec = _manifests.Named("Service", "gslbdns-dns").Map("spec");
        Assert.Equal("LoadBalancer", spec.Str("type"));
        Assert.Equal("Local", spec.Str("externalTrafficPolicy"));
        Assert.Equal(PodLabels, spec.Map("selector").Labels());
        var ports = spec.Seq("ports").Maps().ToList();
        Assert.Equal(["TCP", "UDP"], ports.Select(p => p.Str("protocol")).Order());
        foreach (var port in ports)
        {
            Assert.Equal("53", port.Str("port"));
            var target = NamedPort(port.Str("targetPort")!);
            Assert.Equal(port.Str("protocol"), target.Str("protocol"));
            Assert.Contains(int.Parse(target.Str("containerPort")!, System.Globalization.CultureInfo.InvariantCulture), DeployedOptions.DnsPorts(Options));
        }
    }

    [Fact]
    public void ApiService_PodBudget_AndServiceMonitor_PointAtTheApiPort()
    {
        var api = _manifests.Named("Service", "gslbdns-api");
        Assert.Equal("ClusterIP", api.Map("spec").Str("type"));
        Assert.Equal(PodLabels, api.Map("spec").Map("selector").Labels());
        var apiPort = Assert.Single(api.Map("spec").Seq("ports").Maps());
        Assert.Equal($"{DeployedOptions.ApiPort(Options)}", NamedPort(apiPort.Str("targetPort")!).Str("containerPort"));

        var budget = _manifests.Single("PodDisruptionBudget").Map("spec");
        Assert.True(budget.Str("minAvailable") == "2" || budget.Str("maxUnavailable") == "1");
        Assert.Equal(PodLabels, budget.Map("selector").Map("matchLabels").Labels());

        var monitor = _manifests.Single("ServiceMonitor");
        Assert.Equal("monitoring.coreos.com/v1", monitor.Str("apiVersion"));
        var selected = monitor.Map("spec").Map("selector").Map("matchLabels").Labels();
        var scraped = Assert.Single(_manifests.OfKind("Service"), s => selected.All(l => s.Map("metadata").Map("labels").Labels().GetValueOrDefault(l.Key) == l.Value));
        Assert.Same(api, scraped);
        var endpoint = Assert.Single(monitor.Map("spec").Seq("endpoints").Maps());
        Assert.Equal(apiPort.Str("name"), endpoint.Str("port"));
        Assert.Equal("/metrics", endpoint.Str("path"));
        Assert.Contains(endpoint.Str("path"), ServedPaths);
    }

    private Dictionary<string, string> PodLabels => Workload.Map("spec").Map("template").Map("metadata").Map("labels").Labels();

    private IEnumerable<(string Kind, string Path)> ProbePaths()
    {
        foreach (var kind in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
        {
            if (Container.Get(kind) is YamlMappingNode probe) yield return (kind, probe.Map("httpGet").Str("path")!);
        }
    }

    private YamlMappingNode NamedPort(string name) => Assert.Single(Container.Seq("ports").Maps(), p => p.Str("name") == name);

    /// <summary>The container's mount of the one pod volume that <paramref name="source"/> names a source for.</summary>
    private YamlMappingNode Mount(Func<YamlMappingNode, string?> source, out string sourceName)
    {
        var volume = Assert.Single(PodSpec.Seq("volumes").Maps(), v => source(v) is not null);
        sourceName = source(volume)!;
        return Assert.Single(Container.Seq("volumeMounts").Maps(), m => m.Str("name") == volume.Str("name"));
    }
}
