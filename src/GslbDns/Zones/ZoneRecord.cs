using GslbDns.Protocol;

namespace GslbDns.Zones;

/// <summary>Where a piece of zone data came from, for error messages an operator can jump to.</summary>
public readonly record struct SourceLocation(string File, int Line)
{
    public override string ToString() => $"{File}:{Line}";
}

/// <summary>
/// One resource record as read from a master file; RDATA is uncompressed wire form. A value, and
/// its RDATA a slice of the reader's buffers, so a million records read are a few large arrays
/// rather than two million objects; the compiled zone keeps the same RDATA bytes.
/// </summary>
public readonly record struct ZoneRecord(DnsName Owner, RecordType Type, uint Ttl, ReadOnlyMemory<byte> Data, SourceLocation Source);

/// <summary>A problem found while reading or validating zone data.</summary>
public sealed record ZoneProblem(SourceLocation Location, string Message)
{
    public override string ToString() => $"{Location}: {Message}";
}
