using GslbDns.Protocol;

namespace GslbDns.Zones;

/// <summary>Where a piece of zone data came from, for error messages an operator can jump to.</summary>
public readonly struct SourceLocation : IEquatable<SourceLocation>
{
    // The file as a number (SourceFiles), not a reference: every record read carries one, so a
    // million-record zone's record arrays are 8 MB smaller each (peak RSS during a reload of the
    // 1M-record zone 601 -> 543 MiB) and hold one reference less per record for the collector.
    private readonly int _file;

    public SourceLocation(string file, int line)
        : this(SourceFiles.Number(file), line)
    {
    }

    internal SourceLocation(int file, int line)
    {
        _file = file;
        Line = line;
    }

    public string File => SourceFiles.Name(_file);

    public int Line { get; init; }

    public void Deconstruct(out string file, out int line)
    {
        file = File;
        line = Line;
    }

    public bool Equals(SourceLocation other) => _file == other._file && Line == other.Line;

    public override bool Equals(object? obj) => obj is SourceLocation other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_file, Line);

    public static bool operator ==(SourceLocation a, SourceLocation b) => a.Equals(b);

    public static bool operator !=(SourceLocation a, SourceLocation b) => !a.Equals(b);

    public override string ToString() => $"{File}:{Line}";
}

/// <summary>
/// File names as numbers, for <see cref="SourceLocation"/>: each name gets one the first time it is
/// seen and keeps it for the life of the process (a server sees the files of its folders, a few
/// hundred names at most). Number 0 is the empty name, which a default location has. Names are read
/// without a lock: the array only grows by copying, and a slot is written before its number is given out.
/// </summary>
internal static class SourceFiles
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, int> Numbers = new(StringComparer.Ordinal) { [""] = 0 };
    private static string[] _names = [""];

    public static int Number(string? file)
    {
        if (string.IsNullOrEmpty(file)) return 0;
        lock (Gate)
        {
            if (Numbers.TryGetValue(file, out int number)) return number;
            number = Numbers.Count;
            var names = _names;
            if (number == names.Length)
            {
                Array.Resize(ref names, names.Length * 2);
            }
            names[number] = file;
            Numbers.Add(file, number);
            Volatile.Write(ref _names, names);
            return number;
        }
    }

    public static string Name(int number) => Volatile.Read(ref _names)[number];
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
