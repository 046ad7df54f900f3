using GslbDns.Tests.Geo;
using YamlDotNet.RepresentationModel;

namespace GslbDns.IntegrationTests.Deployment;

/// <summary>deploy/kubernetes as kustomize sees it: every document of every file kustomization.yaml lists.</summary>
internal sealed class KubernetesManifests
{
    public static string Folder => Path.Combine(GeoTestData.RepositoryRoot, "deploy", "kubernetes");

    private KubernetesManifests(IReadOnlyList<YamlMappingNode> documents) => Documents = documents;

    public IReadOnlyList<YamlMappingNode> Documents { get; }

    public static KubernetesManifests Load()
    {
        var kustomization = Read(Path.Combine(Folder, "kustomization.yaml")).Single();
        var documents = new List<YamlMappingNode>();
        foreach (var resource in kustomization.Seq("resources"))
        {
            var path = Path.Combine(Folder, resource.Text());
            Assert.True(File.Exists(path), $"kustomization.yaml lists {resource.Text()}, which does not exist");
            documents.AddRange(Read(path));
        }
        return new KubernetesManifests(documents);
    }

    public IEnumerable<YamlMappingNode> OfKind(string kind) => Documents.Where(d => d.Str("kind") == kind);

    public YamlMappingNode Single(string kind) => Assert.Single(OfKind(kind));

    public YamlMappingNode Named(string kind, string name) => Assert.Single(OfKind(kind), d => d.Map("metadata").Str("name") == name);

    private static List<YamlMappingNode> Read(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(path))) stream.Load(reader);
        return stream.Documents.Select(d => Assert.IsType<YamlMappingNode>(d.RootNode)).ToList();
    }
}

/// <summary>Short reads of a YAML tree that fail the test, naming the key, when the shape is not as expected.</summary>
internal static class YamlReading
{
    public static YamlNode? Get(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static YamlMappingNode Map(this YamlMappingNode node, string key) =>
        node.Get(key) as YamlMappingNode ?? throw new Xunit.Sdk.XunitException($"'{key}' is not a mapping in {node.Start}");

    public static IReadOnlyList<YamlNode> Seq(this YamlMappingNode node, string key) =>
        node.Get(key) is YamlSequenceNode sequence ? sequence.Children.ToList() : throw new Xunit.Sdk.XunitException($"'{key}' is not a list in {node.Start}");

    public static string? Str(this YamlMappingNode node, string key) => (node.Get(key) as YamlScalarNode)?.Value;

    public static string Text(this YamlNode node) => Assert.IsType<YamlScalarNode>(node).Value ?? "";

    public static IEnumerable<YamlMappingNode> Maps(this IEnumerable<YamlNode> nodes) => nodes.Select(n => Assert.IsType<YamlMappingNode>(n));

    public static Dictionary<string, string> Labels(this YamlMappingNode selector) =>
        selector.Children.ToDictionary(c => c.Key.Text(), c => c.Value.Text());
}
