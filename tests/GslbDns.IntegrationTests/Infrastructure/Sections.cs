using ARSoft.Tools.Net.Dns;

namespace GslbDns.IntegrationTests.Infrastructure;

/// <summary>Renders message sections as zone-file lines so tests compare whole answers as text.</summary>
public static class Sections
{
    public static string[] Lines(IEnumerable<DnsRecordBase> records) =>
        [.. records.Where(r => r.RecordType != RecordType.Opt).Select(r => Normalize(r.ToString()))];

    public static string[] Answer(DnsMessage message) => Lines(message.AnswerRecords);

    public static string[] Authority(DnsMessage message) => Lines(message.AuthorityRecords);

    public static string[] Additional(DnsMessage message) => Lines(message.AdditionalRecords);

    private static string Normalize(string line) => string.Join(' ', line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Compares as sets: resolvers and servers may order records within an RRset freely.</summary>
    public static void AssertSection(string[] expected, string[] actual)
    {
        Assert.Equal(expected.Select(Normalize).Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
    }
}
