using GslbDns.Steering.Choice;
using GslbDns.Steering.State;
using GslbDns.Zones;

namespace GslbDns.Tests.Steering;

public class StaticRegionStateTests
{
    [Fact]
    public void AdminOverride_DrivesTheChoice_AndCanBeReplaced()
    {
        var document = PolicyText.ReadValid(PolicyText.Full);
        var www = document.Services[0];
        var (admin, _) = AdminStateReader.ReadText("www.example.com: { ap: drain }\nexample.com: { \"@\": { one: down } }", "admin-state.yaml");
        var problems = new List<ZoneProblem>();
        var state = new StaticRegionState(document, admin!.Resolve(document, problems));
        Assert.Empty(problems);

        var apFirst = www.Rules[1].Preference.Ranks!; // [ap, eu]
        Assert.Equal(1, RegionChooser.Choose(www, apFirst, state, 9).Region);
        Assert.Equal(AdminRegionState.Down, state.GetRegion(1, 0).Admin);
        Assert.Equal(HealthStatus.Up, state.GetRegion(1, 1).Health);
        Assert.Equal(HealthStatus.Up, state.GetAddressHealth(0, 0, 1));

        state.Apply(AdminStateFile.Empty.Resolve(document, problems));
        Assert.Equal(0, RegionChooser.Choose(www, apFirst, state, 9).Region);
        Assert.Equal(AdminRegionState.Active, state.GetRegion(1, 0).Admin);
    }

    [Theory]
    [InlineData(new HealthStatus[0], HealthStatus.Unknown)]
    [InlineData(new[] { HealthStatus.Down, HealthStatus.Up }, HealthStatus.Up)]
    [InlineData(new[] { HealthStatus.Down, HealthStatus.Unknown }, HealthStatus.Unknown)]
    [InlineData(new[] { HealthStatus.Down, HealthStatus.Down }, HealthStatus.Down)]
    public void RegionHealth_IsDownOnlyWhenEveryAddressIs(HealthStatus[] addresses, HealthStatus expected)
    {
        Assert.Equal(expected, RegionStatus.Aggregate(addresses));
    }

    [Fact]
    public void PublishedTable_AnswersAddressHealth()
    {
        var table = new RegionStateTable(
            [[RegionStatus.AllUp]],
            [[[new AddressHealth(5, HealthStatus.Down), new AddressHealth(6, HealthStatus.Up)]]]);
        var state = new PublishedRegionState(table);
        Assert.Equal(HealthStatus.Down, state.GetAddressHealth(0, 0, 5));
        Assert.Equal(HealthStatus.Up, state.GetAddressHealth(0, 0, 6));
        Assert.Equal(HealthStatus.Unknown, state.GetAddressHealth(0, 0, 7));
    }
}
