using System.Globalization;
using System.Text;

namespace GslbDns.Protocol;

/// <summary>
/// An absolute domain name held in uncompressed wire form with ASCII letters folded to lower case,
/// so that equality, hashing and dictionary look-ups are plain byte comparisons (RFC 4343).
/// A value type: the arrays and dictionaries that hold names hold them inline rather than as a
/// reference per name. <c>default(DnsName)</c> has an empty wire form and a hash of 0; it is not a
/// valid name and is never produced by the factories.
/// </summary>
public readonly struct DnsName : IEquatable<DnsName>
{
    public const int MaxWireLength = 255;
    public const int MaxLabelLength = 63;

    public static readonly DnsName Root = new([0], 0);

    // The wire form is a slice of a buffer that may hold other names: a zone's names share a few
    // large buffers (ByteArena) and an ancestor shares its descendant's bytes, so a million-name zone
    // is not a million small arrays for the collector to trace.
    private readonly byte[] _buffer;
    private readonly int _offset;
    private readonly byte _length;
    private readonly byte _labels;

    // Hashed once: a zone load puts each owner through several dictionaries.
    private readonly int _hash;

    private DnsName(byte[] wire, int labelCount)
        : this(wire, 0, wire.Length, labelCount)
    {
    }

    private DnsName(byte[] buffer, int offset, int length, int labelCount)
    {
        _buffer = buffer;
        _offset = offset;
        _length = (byte)length;
        _labels = (byte)labelCount;
        _hash = WireComparer.Hash(buffer.AsSpan(offset, length));
    }

    /// <summary>Wire form, lower case, ending in the root label.</summary>
    public ReadOnlySpan<byte> Wire => new(_buffer, _offset, _length);

    public int LabelCount => _labels;

    /// <summary>
    /// A name over bytes already in <paramref name="buffer"/> (valid, uncompressed, lower case, as a
    /// <see cref="GslbDns.Zones.ByteArena"/> or another name's buffer holds them); nothing is copied.
    /// </summary>
    internal static DnsName Over(byte[] buffer, int offset, int length, int labelCount) =>
        new(buffer, offset, length, labelCount);

    /// <summary>The ancestor <paramref name="labels"/> labels up, sharing this name's bytes.</summary>
    public DnsName Ancestor(int labels)
    {
        if ((uint)labels > (uint)LabelCount) throw new ArgumentOutOfRangeException(nameof(labels));
        int skip = 0;
        for (int i = 0; i < labels; i++) skip += _buffer[_offset + skip] + 1;
        return labels == 0 ? this : new DnsName(_buffer, _offset + skip, _length - skip, LabelCount - labels);
    }

    public bool IsRoot => LabelCount == 0;

    /// <summary>Builds a name from wire bytes (uncompressed, terminated by the root label); folds case.</summary>
    public static DnsName FromWire(ReadOnlySpan<byte> wire)
    {
        if (!TryFromWire(wire, out var name))
        {
            throw new ArgumentException("not a valid uncompressed wire-format name", nameof(wire));
        }
        return name;
    }

    public static bool TryFromWire(ReadOnlySpan<byte> wire, out DnsName name)
    {
        name = Root;
        int pos = 0, labels = 0;
        while (true)
        {
            if (pos >= wire.Length) return false;
            int len = wire[pos];
            if (len == 0) break;
            if (len > MaxLabelLength || pos + 1 + len > wire.Length) return false;
            pos += 1 + len;
            labels++;
        }
        if (pos + 1 > MaxWireLength) return false;
        var bytes = wire[..(pos + 1)].ToArray();
        FoldCase(bytes);
        name = new DnsName(bytes, labels);
        return true;
    }

    /// <summary>Labels of a valid uncompressed wire name, the root label not counted.</summary>
    public static int CountLabels(ReadOnlySpan<byte> wire)
    {
        int labels = 0;
        for (int pos = 0; wire[pos] != 0; pos += wire[pos] + 1) labels++;
        return labels;
    }

    /// <summary>ASCII lower-casing in place; other bytes are left alone (labels are binary).</summary>
    public static void FoldCase(Span<byte> bytes)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            byte b = bytes[i];
            if (b >= (byte)'A' && b <= (byte)'Z') bytes[i] = (byte)(b | 0x20);
        }
    }

    /// <summary>
    /// Parses presentation format (RFC 1035 §5.1): labels separated by dots, \X and \DDD escapes.
    /// A name without a trailing dot is relative to <paramref name="origin"/>; "@" is the origin.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, DnsName? origin, out DnsName name, out string error)
    {
        name = Root;
        Span<byte> wire = stackalloc byte[MaxWireLength];
        if (!NameText.TryToWire(text, origin is { } o ? o.Wire : default, origin.HasValue, wire, out int written, out error))
        {
            return false;
        }
        if (written == 1) return true;
        var bytes = wire[..written].ToArray();
        FoldCase(bytes);
        name = new DnsName(bytes, CountLabels(bytes));
        return true;
    }

    public static DnsName Parse(string text, DnsName? origin = null)
    {
        if (!TryParse(text, origin, out var name, out var error)) throw new FormatException(error);
        return name;
    }

    /// <summary>The name with its first label removed; the root's parent is the root.</summary>
    public DnsName Parent()
    {
        return IsRoot ? this : Ancestor(1);
    }

    /// <summary>A name one label longer than this one.</summary>
    public DnsName Child(ReadOnlySpan<byte> label)
    {
        if (label.Length is 0 or > MaxLabelLength) throw new ArgumentException("bad label length", nameof(label));
        var bytes = new byte[1 + label.Length + _length];
        bytes[0] = (byte)label.Length;
        label.CopyTo(bytes.AsSpan(1));
        Wire.CopyTo(bytes.AsSpan(1 + label.Length));
        if (bytes.Length > MaxWireLength) throw new ArgumentException("name too long", nameof(label));
        FoldCase(bytes);
        return new DnsName(bytes, LabelCount + 1);
    }

    public bool IsWildcard => LabelCount > 0 && _buffer[_offset] == 1 && _buffer[_offset + 1] == (byte)'*';

    /// <summary>True when this name equals <paramref name="other"/> or lies below it.</summary>
    public bool IsAtOrBelow(DnsName other)
    {
        if (other.LabelCount > LabelCount) return false;
        // Walk past the extra labels instead of building the ancestor: this runs per query.
        var wire = Wire;
        int pos = 0;
        for (int i = LabelCount - other.LabelCount; i > 0; i--) pos += wire[pos] + 1;
        return wire[pos..].SequenceEqual(other.Wire);
    }

    public bool Equals(DnsName other) =>
        _hash == other._hash && _length == other._length
        && ((ReferenceEquals(_buffer, other._buffer) && _offset == other._offset) || Wire.SequenceEqual(other.Wire));

    public override bool Equals(object? obj) => obj is DnsName other && Equals(other);

    public override int GetHashCode() => _hash;

    public static bool operator ==(DnsName a, DnsName b) => a.Equals(b);

    public static bool operator !=(DnsName a, DnsName b) => !a.Equals(b);

    /// <summary>Presentation form with a trailing dot, escaping as RFC 4343 §2.1 describes.</summary>
    public override string ToString() => _buffer is null ? "" : WireToText(Wire);

    /// <summary>Presentation form of an uncompressed wire name (case kept as given).</summary>
    public static string WireToText(ReadOnlySpan<byte> wire)
    {
        if (wire.Length == 0 || wire[0] == 0) return ".";
        var sb = new StringBuilder(wire.Length + 4);
        int pos = 0;
        while (pos < wire.Length && wire[pos] != 0)
        {
            int len = wire[pos];
            for (int i = 1; i <= len && pos + i < wire.Length; i++)
            {
                byte b = wire[pos + i];
                if (b is (byte)'.' or (byte)'\\' or (byte)'"' or (byte)'(' or (byte)')' or (byte)';' or (byte)'@' or (byte)'$')
                {
                    sb.Append('\\').Append((char)b);
                }
                else if (b <= 0x20 || b >= 0x7f)
                {
                    sb.Append('\\').Append(b.ToString("D3", CultureInfo.InvariantCulture));
                }
                else
                {
                    sb.Append((char)b);
                }
            }
            sb.Append('.');
            pos += len + 1;
        }
        return sb.ToString();
    }
}
