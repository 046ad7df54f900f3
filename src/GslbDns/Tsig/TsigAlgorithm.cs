using System.Security.Cryptography;

namespace GslbDns.Tsig;

/// <summary>An HMAC algorithm TSIG can use (RFC 8945 §6): its name on the wire and its MAC.</summary>
public sealed class TsigAlgorithm
{
    public static readonly TsigAlgorithm HmacSha1 = new("hmac-sha1", 20, (k, s, d) => HMACSHA1.HashData(k, s, d));
    public static readonly TsigAlgorithm HmacSha256 = new("hmac-sha256", 32, (k, s, d) => HMACSHA256.HashData(k, s, d));
    public static readonly TsigAlgorithm HmacSha512 = new("hmac-sha512", 64, (k, s, d) => HMACSHA512.HashData(k, s, d));

    public static readonly TsigAlgorithm[] All = [HmacSha1, HmacSha256, HmacSha512];

    /// <summary>The largest MAC of any algorithm, for buffers.</summary>
    public const int MaxMacLength = 64;

    public delegate int MacFunction(ReadOnlySpan<byte> key, ReadOnlySpan<byte> source, Span<byte> destination);

    private readonly MacFunction _mac;

    private TsigAlgorithm(string name, int macLength, MacFunction mac)
    {
        Text = name;
        Name = DnsName.Parse(name + ".");
        MacLength = macLength;
        _mac = mac;
    }

    /// <summary>As BIND's key files and tsig-keygen write it.</summary>
    public string Text { get; }

    /// <summary>As it is written in the TSIG record (lower case, RFC 8945 §4.3.3: canonical form).</summary>
    public DnsName Name { get; }

    public int MacLength { get; }

    public int Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> mac) => _mac(key, data, mac);

    public static TsigAlgorithm? FromText(string text) =>
        All.FirstOrDefault(a => a.Text.Equals(text.TrimEnd('.'), StringComparison.OrdinalIgnoreCase));

    public static TsigAlgorithm? FromName(ReadOnlySpan<byte> lowerWire)
    {
        foreach (var algorithm in All)
        {
            if (algorithm.Name.Wire.SequenceEqual(lowerWire)) return algorithm;
        }
        return null;
    }

    public override string ToString() => Text;
}
