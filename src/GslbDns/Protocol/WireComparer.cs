namespace GslbDns.Protocol;

/// <summary>
/// Byte-wise equality for lower-cased wire names, with an alternate span look-up so the query path
/// can probe dictionaries keyed by <see cref="DnsName"/> without allocating one.
/// </summary>
public sealed class WireComparer : IEqualityComparer<DnsName>, IAlternateEqualityComparer<ReadOnlySpan<byte>, DnsName>
{
    public static readonly WireComparer Instance = new();

    public bool Equals(DnsName x, DnsName y) => x.Equals(y);

    public int GetHashCode(DnsName obj) => obj.GetHashCode();

    public bool Equals(ReadOnlySpan<byte> alternate, DnsName other) => alternate.SequenceEqual(other.Wire);

    public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);

    public DnsName Create(ReadOnlySpan<byte> alternate) => DnsName.FromWire(alternate);

    public static int Hash(ReadOnlySpan<byte> wire)
    {
        var hash = new HashCode();
        hash.AddBytes(wire);
        return hash.ToHashCode();
    }
}
