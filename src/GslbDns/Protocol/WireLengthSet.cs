namespace GslbDns.Protocol;

/// <summary>
/// The wire lengths (1..255) of a set of names, as a bitmap: a name whose length is not in it cannot
/// be one of them, so a look-up can skip hashing it. Walking a query name's suffixes, most suffixes
/// are ruled out this way (for <c>www.example.com</c> in zone <c>example.com</c>, three of four).
/// </summary>
public readonly struct WireLengthSet
{
    private readonly ulong _0, _1, _2, _3;

    public WireLengthSet(IEnumerable<DnsName> names)
    {
        Span<ulong> bits = stackalloc ulong[4];
        bits.Clear();
        foreach (var name in names)
        {
            int length = name.Wire.Length;
            bits[length >> 6] |= 1UL << (length & 63);
        }
        (_0, _1, _2, _3) = (bits[0], bits[1], bits[2], bits[3]);
    }

    public bool Contains(int length) => ((uint)length >> 6) switch
    {
        0 => (_0 >> length & 1) != 0,
        1 => (_1 >> (length & 63) & 1) != 0,
        2 => (_2 >> (length & 63) & 1) != 0,
        3 => (_3 >> (length & 63) & 1) != 0,
        _ => false,
    };
}
