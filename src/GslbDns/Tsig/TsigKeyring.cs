namespace GslbDns.Tsig;

/// <summary>The keys of <c>--tsig-keys</c>, by name.</summary>
public sealed class TsigKeyring
{
    public static readonly TsigKeyring Empty = new([]);

    private readonly Dictionary<DnsName, TsigKey> _keys;
    private readonly Dictionary<DnsName, TsigKey>.AlternateLookup<ReadOnlySpan<byte>> _lookup;

    public TsigKeyring(IEnumerable<TsigKey> keys)
    {
        _keys = new Dictionary<DnsName, TsigKey>(WireComparer.Instance);
        foreach (var key in keys) _keys[key.Name] = key;
        _lookup = _keys.GetAlternateLookup<ReadOnlySpan<byte>>();
        Keys = [.. _keys.Values];
    }

    public IReadOnlyList<TsigKey> Keys { get; }

    public TsigKey? Find(ReadOnlySpan<byte> lowerWire) => _lookup.TryGetValue(lowerWire, out var key) ? key : null;

    public TsigKey? Find(DnsName name) => _keys.GetValueOrDefault(name);
}
