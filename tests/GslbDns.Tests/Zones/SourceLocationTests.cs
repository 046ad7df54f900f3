using GslbDns.Zones;

namespace GslbDns.Tests.Zones;

public class SourceLocationTests
{
    [Fact]
    public void A_location_gives_back_its_file_and_line_and_compares_by_them()
    {
        var a = new SourceLocation("zones/a.test.zone", 7);
        Assert.Equal("zones/a.test.zone", a.File);
        Assert.Equal(7, a.Line);
        Assert.Equal("zones/a.test.zone:7", a.ToString());
        Assert.Equal(a, new SourceLocation(new string("zones/a.test.zone".ToCharArray()), 7));
        Assert.NotEqual(a, new SourceLocation("zones/b.test.zone", 7));
        Assert.NotEqual(a, a with { Line = 8 });
        Assert.Equal("", default(SourceLocation).File);
    }

    [Fact]
    public void Names_given_numbers_on_many_threads_at_once_all_read_back()
    {
        var locations = new SourceLocation[8][];
        Parallel.For(0, 8, t =>
        {
            locations[t] = new SourceLocation[500];
            for (int i = 0; i < 500; i++) locations[t][i] = new SourceLocation($"threads/{i % 250}-{t % 4}.zone", i);
        });
        for (int t = 0; t < 8; t++)
        {
            for (int i = 0; i < 500; i++) Assert.Equal($"threads/{i % 250}-{t % 4}.zone", locations[t][i].File);
        }
    }
}
