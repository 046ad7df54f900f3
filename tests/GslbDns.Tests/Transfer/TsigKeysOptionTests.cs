using GslbDns.Configuration;

namespace GslbDns.Tests.Transfer;

public sealed class TsigKeysOptionTests
{
    [Fact]
    public void TsigKeys_MapsToItsSetting_AndIsInTheHelp()
    {
        Assert.True(CommandLine.TryParse(["--tsig-keys", "/etc/gslbdns/tsig.keys"], out var settings, out var error), error);

        Assert.Equal("/etc/gslbdns/tsig.keys", settings["Server:TsigKeys"]);
        Assert.Contains("--tsig-keys FILE", CommandLine.Usage, StringComparison.Ordinal);
    }

    [Fact]
    public void TsigKeysInsideTheZonesFolder_IsRefused_OutsideIsNot()
    {
        var inside = ServerOptionsValidator.Validate(new ServerOptions { Zones = "/srv/zones", TsigKeys = "/srv/zones/keys.conf" });
        var outside = ServerOptionsValidator.Validate(new ServerOptions { Zones = "/srv/zones", TsigKeys = "/srv/zones-keys.conf" });

        Assert.Contains(inside, p => p.StartsWith("TsigKeys file '/srv/zones/keys.conf' is inside the zones folder", StringComparison.Ordinal));
        Assert.DoesNotContain(outside, p => p.Contains("TsigKeys", StringComparison.Ordinal));
    }
}
