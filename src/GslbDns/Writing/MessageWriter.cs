using System.Buffers.Binary;
using GslbDns.Protocol;

namespace GslbDns.Writing;

/// <summary>
/// Writes a DNS message into a caller's buffer with name compression (RFC 1035 §4.1.4) and a hard
/// size limit. Every write either fits whole or leaves the message unchanged, so a caller can stop
/// at the last complete RRset and set TC.
/// </summary>
public ref struct MessageWriter
{
    private const int MaxCompressionTargets = 96;

    private readonly Span<byte> _buffer;
    private int _limit;
    private int _position;
    private CompressionTable _targets;

    public MessageWriter(Span<byte> buffer, int limit)
    {
        _buffer = buffer;
        _limit = Math.Min(limit, buffer.Length);
        _position = DnsWire.HeaderLength;
        _targets = default;
        TargetCount = 0;
    }

    public readonly int Position => _position;

    public readonly int Limit => _limit;

    private int TargetCount { get; set; }

    public ushort QuestionCount { get; private set; }
    public ushort AnswerCount { get; private set; }
    public ushort AuthorityCount { get; private set; }
    public ushort AdditionalCount { get; private set; }

    /// <summary>Reserves room at the end (for the OPT record) that section writes may not use.</summary>
    public void Reserve(int bytes) => _limit -= bytes;

    public void Release(int bytes) => _limit = Math.Min(_limit + bytes, _buffer.Length);

    public readonly Mark Save() => new(_position, TargetCount, AnswerCount, AuthorityCount, AdditionalCount);

    public void Restore(Mark mark)
    {
        _position = mark.Position;
        TargetCount = mark.Targets;
        AnswerCount = mark.Answers;
        AuthorityCount = mark.Authorities;
        AdditionalCount = mark.Additionals;
    }

    public readonly record struct Mark(int Position, int Targets, ushort Answers, ushort Authorities, ushort Additionals);

    /// <summary>Copies the question as the client sent it; its name becomes compression target 12.</summary>
    public bool WriteQuestion(ReadOnlySpan<byte> rawQuestion, int nameLength)
    {
        if (_position + rawQuestion.Length > _limit) return false;
        rawQuestion.CopyTo(_buffer[_position..]);
        AddTargets(_position, nameLength);
        _position += rawQuestion.Length;
        QuestionCount = 1;
        return true;
    }

    public void WriteHeader(ushort id, ushort flags)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer, id);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], flags);
    }

    /// <summary>Writes the section counts; call once at the end.</summary>
    public readonly int Finish()
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[4..], QuestionCount);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[6..], AnswerCount);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[8..], AuthorityCount);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[10..], AdditionalCount);
        return _position;
    }

    public readonly void SetFlags(ushort flags) => BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], flags);

    public readonly ushort Flags => BinaryPrimitives.ReadUInt16BigEndian(_buffer[2..]);

    /// <summary>
    /// Writes one resource record. <paramref name="owner"/> is a lower-case wire name, or empty to
    /// point at the question name (so the answer carries the client's letter case).
    /// The RDATA names at <paramref name="nameOffsets"/> are compressed (only for types whose RDATA
    /// RFC 3597 §4 lets us compress); the rest of the RDATA is copied.
    /// </summary>
    public bool WriteRecord(Section section, ReadOnlySpan<byte> owner, RecordType type, ushort @class, uint ttl,
        ReadOnlySpan<byte> rdata, RdataNames nameOffsets)
    {
        var mark = Save();
        if (!TryWriteRecord(owner, type, @class, ttl, rdata, nameOffsets))
        {
            Restore(mark);
            return false;
        }
        switch (section)
        {
            case Section.Answer: AnswerCount++; break;
            case Section.Authority: AuthorityCount++; break;
            default: AdditionalCount++; break;
        }
        return true;
    }

    private bool TryWriteRecord(ReadOnlySpan<byte> owner, RecordType type, ushort @class, uint ttl,
        ReadOnlySpan<byte> rdata, RdataNames nameOffsets)
    {
        if (owner.IsEmpty)
        {
            if (_position + 2 > _limit) return false;
            BinaryPrimitives.WriteUInt16BigEndian(_buffer[_position..], 0xc000 | DnsWire.HeaderLength);
            _position += 2;
        }
        else if (!TryWriteName(owner))
        {
            return false;
        }
        if (_position + 10 > _limit) return false;
        var fixedPart = _buffer[_position..];
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart, (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart[2..], @class);
        BinaryPrimitives.WriteUInt32BigEndian(fixedPart[4..], ttl);
        int rdLengthAt = _position + 8;
        _position += 10;
        int rdataStart = _position;

        if (nameOffsets.Count == 0)
        {
            if (_position + rdata.Length > _limit) return false;
            rdata.CopyTo(_buffer[_position..]);
            _position += rdata.Length;
        }
        else
        {
            int copied = 0;
            for (int i = 0; i < nameOffsets.Count; i++)
            {
                int at = nameOffsets[i];
                int before = at - copied;
                if (_position + before > _limit) return false;
                rdata.Slice(copied, before).CopyTo(_buffer[_position..]);
                _position += before;
                int nameLength = WireNameLength(rdata[at..]);
                if (!TryWriteName(rdata.Slice(at, nameLength))) return false;
                copied = at + nameLength;
            }
            int rest = rdata.Length - copied;
            if (_position + rest > _limit) return false;
            rdata[copied..].CopyTo(_buffer[_position..]);
            _position += rest;
        }
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[rdLengthAt..], (ushort)(_position - rdataStart));
        return true;
    }

    /// <summary>Writes the OPT pseudo-record (RFC 6891 §6.1.2) into the reserved room.</summary>
    public bool WriteOpt(ushort payloadSize, byte extendedRcode, bool dnssecOk, scoped ReadOnlySpan<byte> options)
    {
        if (_position + 11 + options.Length > _buffer.Length) return false;
        var span = _buffer[_position..];
        span[0] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)RecordType.OPT);
        BinaryPrimitives.WriteUInt16BigEndian(span[3..], payloadSize);
        span[5] = extendedRcode;
        span[6] = 0; // version 0
        span[7] = dnssecOk ? (byte)0x80 : (byte)0;
        span[8] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(span[9..], (ushort)options.Length);
        options.CopyTo(span[11..]);
        _position += 11 + options.Length;
        AdditionalCount++;
        return true;
    }

    public static int WireNameLength(ReadOnlySpan<byte> wire)
    {
        int pos = 0;
        while (wire[pos] != 0) pos += wire[pos] + 1;
        return pos + 1;
    }

    /// <summary>Writes a name, replacing its longest already-written suffix by a pointer.</summary>
    private bool TryWriteName(ReadOnlySpan<byte> name)
    {
        int offset = 0;
        int start = _position;
        while (name[offset] != 0)
        {
            int pointer = FindSuffix(name[offset..]);
            if (pointer >= 0)
            {
                if (_position + 2 > _limit) return false;
                BinaryPrimitives.WriteUInt16BigEndian(_buffer[_position..], (ushort)(0xc000 | pointer));
                _position += 2;
                AddTargets(start, offset);
                return true;
            }
            int labelLength = name[offset] + 1;
            if (_position + labelLength > _limit) return false;
            name.Slice(offset, labelLength).CopyTo(_buffer[_position..]);
            _position += labelLength;
            offset += labelLength;
        }
        if (_position + 1 > _limit) return false;
        _buffer[_position++] = 0;
        AddTargets(start, offset);
        return true;
    }

    /// <summary>Remembers where each label of a just-written name starts (only the literal part).</summary>
    private void AddTargets(int start, int literalLength)
    {
        int pos = 0;
        while (pos < literalLength && TargetCount < MaxCompressionTargets)
        {
            int at = start + pos;
            if (at > 0x3fff) return;
            _targets[TargetCount++] = (ushort)at;
            pos += _buffer[at] + 1;
        }
    }

    private readonly int FindSuffix(ReadOnlySpan<byte> suffix)
    {
        for (int i = 0; i < TargetCount; i++)
        {
            int at = _targets[i];
            if (SuffixEquals(at, suffix)) return at;
        }
        return -1;
    }

    /// <summary>
    /// Compares the name written at <paramref name="at"/> (following pointers) with a wire suffix,
    /// byte for byte: matching regardless of case would copy the client's letter case (from the
    /// question) into RDATA names, which RFC 4343 §4 asks servers to preserve.
    /// </summary>
    private readonly bool SuffixEquals(int at, ReadOnlySpan<byte> suffix)
    {
        int s = 0;
        int hops = 0;
        while (true)
        {
            byte len = _buffer[at];
            if ((len & 0xc0) == 0xc0)
            {
                if (++hops > 64) return false;
                at = ((len & 0x3f) << 8) | _buffer[at + 1];
                continue;
            }
            if (len != suffix[s]) return false;
            if (len == 0) return true;
            if (!_buffer.Slice(at + 1, len).SequenceEqual(suffix.Slice(s + 1, len))) return false;
            at += len + 1;
            s += len + 1;
        }
    }

    [System.Runtime.CompilerServices.InlineArray(MaxCompressionTargets)]
    private struct CompressionTable
    {
        private ushort _first;
    }
}

public enum Section : byte
{
    Answer,
    Authority,
    Additional,
}

/// <summary>Up to two offsets of compressible names inside an RDATA (SOA has two: MNAME, RNAME).</summary>
public readonly struct RdataNames
{
    private readonly short _first;
    private readonly short _second;

    public RdataNames(int first, int second = -1)
    {
        _first = (short)first;
        _second = (short)second;
        Count = first < 0 ? 0 : second < 0 ? 1 : 2;
    }

    public static RdataNames None => new(-1);

    public int Count { get; }

    public int this[int index] => index == 0 ? _first : _second;
}
