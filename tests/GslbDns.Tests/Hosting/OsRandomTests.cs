using GslbDns.Hosting;

namespace GslbDns.Tests.Hosting;

public class OsRandomTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(100_000)]
    public void Fill_WritesTheWholeBuffer(int size)
    {
        // A short read would leave the 0xAA filler in place; eight in a row by chance is 2^-64 per
        // position. A buffer shorter than eight is filled eight times: all filler every time is 2^-64 too.
        if (size < 8)
        {
            Assert.Contains(Enumerable.Range(0, 8), _ => Filled(size).Any(b => b != 0xAA));
            return;
        }
        var buffer = Filled(size);
        Assert.True(LongestRunOf(buffer, 0xAA) < 8, "the filler is still there");
        Assert.InRange(buffer.Distinct().Count(), Math.Min(size, 256) / 4, 256);
    }

    private static byte[] Filled(int size)
    {
        var buffer = new byte[size];
        Array.Fill(buffer, (byte)0xAA);
        OsRandom.Fill(buffer);
        return buffer;
    }

    [Fact]
    public void TwoCalls_GiveDifferentBytes()
    {
        Assert.NotEqual(OsRandom.GetBytes(16), OsRandom.GetBytes(16));
        Assert.Equal(16, OsRandom.GetBytes(16).Length);
    }

    [Fact]
    public void EmptyBuffer_IsNothingToDo()
    {
        OsRandom.Fill([]);
        Assert.Empty(OsRandom.GetBytes(0));
    }

    private static int LongestRunOf(byte[] bytes, byte value)
    {
        int longest = 0, run = 0;
        foreach (byte b in bytes)
        {
            run = b == value ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return longest;
    }
}
