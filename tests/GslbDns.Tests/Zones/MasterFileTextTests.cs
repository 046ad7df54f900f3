using System.Text;
using GslbDns.Protocol;
using GslbDns.Zones.Reading;

namespace GslbDns.Tests.Zones;

/// <summary>A zone file is read in the encoding its byte order mark names, UTF-8 without one, as File.ReadAllText reads it.</summary>
public sealed class MasterFileTextTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gslbdns-text-").FullName;

    private const string Zone = "$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 604800 300\n@ NS ns1\nns1 A 192.0.2.1\nwww TXT \"caf\u00e9 \U0001F600\"\n";

    public static TheoryData<string> Encodings() => ["utf-8", "utf-8 bom", "utf-16le", "utf-16be", "utf-32le", "utf-32be"];

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Each_encoding_reads_the_same_records(string encoding)
    {
        Encoding chosen = encoding switch
        {
            "utf-8" => new UTF8Encoding(false),
            "utf-8 bom" => new UTF8Encoding(true),
            "utf-16le" => new UnicodeEncoding(bigEndian: false, byteOrderMark: true),
            "utf-16be" => new UnicodeEncoding(bigEndian: true, byteOrderMark: true),
            "utf-32le" => new UTF32Encoding(bigEndian: false, byteOrderMark: true),
            _ => new UTF32Encoding(bigEndian: true, byteOrderMark: true),
        };
        string path = Path.Combine(_folder, "example.com.zone");
        File.WriteAllText(path, Zone, chosen);

        Assert.Equal(File.ReadAllText(path), MasterFileText.Read(path));
        var result = MasterFileReader.Read(path, _folder, DnsName.Parse("example.com."));
        Assert.Empty(result.Problems);
        var txt = Assert.Single(result.Records, r => r.Type == RecordType.TXT);
        Assert.Equal(Encoding.UTF8.GetBytes("caf\u00e9 \U0001F600"), txt.Data.Span[1..].ToArray());
    }

    [Fact]
    public void Bytes_that_are_not_UTF8_become_replacement_characters_as_ReadAllText_makes_them()
    {
        string path = Path.Combine(_folder, "bad.zone");
        File.WriteAllBytes(path, [.. "; caf"u8, 0xE9, (byte)'\n', .. "@ NS ns1\n"u8]);
        Assert.Equal(File.ReadAllText(path), MasterFileText.Read(path));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
