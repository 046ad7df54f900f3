using GslbDns.Protocol;
using GslbDns.Steering.State;
using GslbDns.Zones;

namespace GslbDns.Tests.Steering;

public class AdminStateReaderTests
{
    private const string File = "admin-state.yaml";

    [Fact]
    public void BothForms_ReadIntoEntries()
    {
        var (admin, problems) = AdminStateReader.ReadText("""
            # absolute service names
            www.example.com: { eu: drain }
            example.com:
              api: { us: down, ap: active }
              "@": { one: drain }
            """, File);
        Assert.Empty(problems);
        Assert.Equal<AdminEntry>(
        [
            new AdminEntry(DnsName.Parse("www.example.com."), "eu", AdminRegionState.Drain, new SourceLocation(File, 2)),
            new AdminEntry(DnsName.Parse("api.example.com."), "us", AdminRegionState.Down, new SourceLocation(File, 4)),
            new AdminEntry(DnsName.Parse("api.example.com."), "ap", AdminRegionState.Active, new SourceLocation(File, 4)),
            new AdminEntry(DnsName.Parse("example.com."), "one", AdminRegionState.Drain, new SourceLocation(File, 5)),
        ], admin!.Entries);
    }

    [Fact]
    public void EmptyFile_MeansNoOverrides()
    {
        var (admin, problems) = AdminStateReader.ReadText("# nothing drained\n", File);
        Assert.Empty(problems);
        Assert.Empty(admin!.Entries);
    }

    [Fact]
    public void MissingFile_MeansNoOverrides()
    {
        var (admin, problems) = AdminStateReader.Read("/nonexistent/zones/admin-state.yaml");
        Assert.Empty(problems);
        Assert.Empty(admin!.Entries);
    }

    [Fact]
    public void BadFile_ReportsEveryProblem()
    {
        var (admin, problems) = AdminStateReader.ReadText("""
            www.example.com: { eu: drained }
            api.example.com: { eu: down, eu: drain }
            bad..name: { eu: down }
            example.com:
              www: { us: { state: down } }
            x.example.com: []
            """, File);
        Assert.Null(admin);
        Assert.Equal(
        [
            "admin-state.yaml:1: state of region 'eu' must be one of: active, drain, down; found 'drained'",
            "admin-state.yaml:2: region 'eu' of api.example.com. is set twice (first at line 2)",
            "admin-state.yaml:3: bad name 'bad..name': empty label in name 'bad..name'",
            "admin-state.yaml:5: region 'us' of www.example.com. must be set to active, drain or down, found a mapping",
            "admin-state.yaml:6: 'x.example.com' must be a mapping, found a list",
        ], problems.Select(p => p.ToString()));
    }

    [Fact]
    public void KnownEntries_AreKeptByName_UnknownOnesReported()
    {
        var document = PolicyText.ReadValid(PolicyText.Full);
        var (admin, _) = AdminStateReader.ReadText("""
            www.example.com: { eu: drain, mars: down }
            example.com:
              "@": { two: down }
              ftp: { x: down }
            """, File);

        var states = admin!.ByRegion();
        var www = DnsName.Parse("www.example.com.");
        var apex = DnsName.Parse("example.com.");
        Assert.Equal(AdminRegionState.Drain, states[new RegionKey(www, "eu")]);
        Assert.False(states.ContainsKey(new RegionKey(www, "ap")));
        Assert.Equal(AdminRegionState.Down, states[new RegionKey(apex, "two")]);
        Assert.False(states.ContainsKey(new RegionKey(apex, "one")));
        Assert.Equal(["admin-state.yaml:1: service www.example.com. has no region 'mars' (it has: ap, eu, us); entry ignored",
            "admin-state.yaml:4: no policy steers ftp.example.com.; entry ignored"],
            admin.FindUnmatched([document]).Select(p => p.ToString()));
    }
}
