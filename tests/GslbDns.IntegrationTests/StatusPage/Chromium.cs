using OpenQA.Selenium.Chrome;

namespace GslbDns.IntegrationTests.StatusPage;

/// <summary>
/// Debian's headless Chromium driven through its own chromedriver (<c>apt-get install chromium
/// chromium-driver</c>, which .ci/run does): nothing is downloaded, each browser gets a fresh profile.
/// </summary>
public static class Chromium
{
    public const string Browser = "/usr/bin/chromium";
    public const string Driver = "/usr/bin/chromedriver";

    /// <summary>Why the browser tests cannot run here, or null when they can.</summary>
    public static string? Missing =>
        !File.Exists(Browser) ? $"{Browser} is not installed (apt-get install chromium chromium-driver)"
        : !File.Exists(Driver) ? $"{Driver} is not installed (apt-get install chromium-driver)"
        : null;

    /// <summary>Starts a headless browser with a profile in <paramref name="profile"/>.</summary>
    public static ChromeDriver Start(string profile)
    {
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Browser };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            $"--user-data-dir={profile}", "--window-size=1400,1000");
        // A machine with two busy cores can take a while to start a browser.
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(90));
    }
}
