using OpenQA.Selenium.Chrome;

namespace AuthServer.Tests.WebConsole;

/// <summary>
/// Debian's Chromium, headless, driven through chromedriver, with a profile of its own in a
/// temporary folder and nothing reaching out past loopback. Missing programs fail, never skip.
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    private readonly string _profile = TempDirectory.Create("authserver-chromium");
    private readonly ChromeDriverService _service;

    public HeadlessChromium(int width, int height)
    {
        var chromium = ExternalTool.Require("chromium", "chromium");
        var driver = ExternalTool.Require("chromedriver", "chromium-driver");
        _service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driver)!, Path.GetFileName(driver));
        _service.HideCommandPromptWindow = true;
        _service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = chromium };
        // As root in a container: no sandbox; nothing may reach out past loopback.
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            "--disable-extensions", "--disable-default-apps", "--hide-scrollbars", $"--user-data-dir={_profile}",
            $"--window-size={width},{height}");
        Browser = new ChromeDriver(_service, options, TimeSpan.FromSeconds(60));
        Browser.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(60);
    }

    public ChromeDriver Browser { get; }

    public void Dispose()
    {
        Browser.Quit();
        _service.Dispose();
        TempDirectory.Delete(_profile);
    }
}
