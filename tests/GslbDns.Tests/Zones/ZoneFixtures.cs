namespace GslbDns.Tests.Zones;

internal static class ZoneFixtures
{
    public static string Folder(string name) => Path.Combine(AppContext.BaseDirectory, "Zones", "Fixtures", name);
}
