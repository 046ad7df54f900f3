using GslbDns.Protocol;
using GslbDns.Zones;

namespace GslbDns.Tests.Zones;

public class ByteArenaTests
{
    [Fact]
    public void ManyStrings_ShareFewBuffers_AndKeepTheirBytes()
    {
        var arena = new ByteArena();
        var placed = new List<(byte[] Buffer, int Offset, byte[] Bytes)>();
        var rng = new Random(3);
        for (int i = 0; i < 50_000; i++)
        {
            var bytes = new byte[rng.Next(0, 300)];
            rng.NextBytes(bytes);
            var (buffer, offset) = arena.Add(bytes);
            placed.Add((buffer, offset, bytes));
        }

        foreach (var (buffer, offset, bytes) in placed)
        {
            Assert.True(buffer.AsSpan(offset, bytes.Length).SequenceEqual(bytes));
        }
        // About 7.5 MB in buffers that grow to 1 MiB: a dozen or so, not one per string.
        Assert.InRange(placed.Select(p => p.Buffer).Distinct().Count(), 1, 20);
    }

    [Fact]
    public void AStringLargerThanTheLargestBuffer_GetsABufferOfItsOwn()
    {
        var arena = new ByteArena();
        var big = new byte[(1 << 20) + 10];
        big[^1] = 7;
        var (buffer, offset) = arena.Add(big);
        Assert.Equal(0, offset);
        Assert.Equal(7, buffer[big.Length - 1]);
    }

    [Fact]
    public void Names_AreFoldedToLowerCase_AndEqualTheParsedName()
    {
        var arena = new ByteArena();
        var wire = DnsName.Parse("WWW.Example.TEST.").Wire.ToArray();
        wire[1] = (byte)'W';
        var name = arena.AddName(wire, 3);

        Assert.Equal(DnsName.Parse("www.example.test."), name);
        Assert.Equal(DnsName.Parse("www.example.test.").GetHashCode(), name.GetHashCode());
        Assert.Equal("www.example.test.", name.ToString());
    }

    [Fact]
    public void Ancestors_ShareTheBytes_AndBehaveAsParsedNames()
    {
        var name = DnsName.Parse("a.b.example.test.");
        var parent = name.Ancestor(1);
        var zone = name.Ancestor(2);

        Assert.Equal(DnsName.Parse("b.example.test."), parent);
        Assert.Equal(DnsName.Parse("example.test.").GetHashCode(), zone.GetHashCode());
        Assert.Equal(2, zone.LabelCount);
        Assert.True(name.IsAtOrBelow(zone));
        Assert.Equal(DnsName.Root, name.Ancestor(4));
        Assert.Equal(name, name.Ancestor(0));
        Assert.True(name.Ancestor(0).Wire.Overlaps(name.Wire, out int self) && self == 0 && name.Ancestor(0).Wire.Length == name.Wire.Length);
        Assert.True(name.Wire.Overlaps(zone.Wire, out int zoneOffset) && zoneOffset == name.Wire.Length - zone.Wire.Length);
        Assert.Equal(parent, name.Parent());
        Assert.Throws<ArgumentOutOfRangeException>(() => name.Ancestor(5));
    }
}
