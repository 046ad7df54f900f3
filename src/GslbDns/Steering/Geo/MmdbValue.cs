namespace GslbDns.Steering.Geo;

/// <summary>
/// A value in the MaxMind DB data section (MaxMind DB format 2.0, "Output Data Section").
/// Each subtype maps to one wire type so callers choose the stored type explicitly.
/// </summary>
public abstract record MmdbValue;

public sealed record MmdbString(string Value) : MmdbValue;

public sealed record MmdbDouble(double Value) : MmdbValue;

public sealed record MmdbFloat(float Value) : MmdbValue;

public sealed record MmdbUInt16(ushort Value) : MmdbValue;

public sealed record MmdbUInt32(uint Value) : MmdbValue;

public sealed record MmdbUInt64(ulong Value) : MmdbValue;

public sealed record MmdbInt32(int Value) : MmdbValue;

public sealed record MmdbBoolean(bool Value) : MmdbValue;

public sealed record MmdbArray(IReadOnlyList<MmdbValue> Items) : MmdbValue;

/// <summary>A map; key order is kept as given so output is reproducible.</summary>
public sealed record MmdbMap(IReadOnlyList<KeyValuePair<string, MmdbValue>> Entries) : MmdbValue
{
    public static MmdbMap Of(params (string Key, MmdbValue Value)[] entries) =>
        new(entries.Select(e => new KeyValuePair<string, MmdbValue>(e.Key, e.Value)).ToArray());
}
