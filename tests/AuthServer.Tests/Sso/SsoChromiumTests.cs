using AuthServer.Tests.WebConsole;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace AuthServer.Tests.Sso;

/// <summary>
/// The provider addressed as localhost and the server as 127.0.0.1: two sites, so the provider's
/// redirect back is a cross-site navigation, as with a real identity provider, in a real browser.
/// </summary>
public sealed class SsoChromiumFixture : SsoFixture, IDisposable
{
    private HeadlessChromium? _chromium;

    protected override string ProviderHost => "localhost";

    public IWebDriver Browser => _chromium!.Browser;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _chromium = new HeadlessChromium(BrowserFixture.DesktopWidth, BrowserFixture.DesktopHeight);
    }

    // xunit disposes a fixture both ways: the server and provider (DisposeAsync) first, then the browser.
    public void Dispose() => _chromium?.Dispose();
}

/// <summary>
/// Single sign-on in Debian's headless Chromium: the SameSite=Strict console cookie set by the
/// provider's cross-site callback is in force once the browser reaches the console (the
/// /login/continue page's same-site refresh), and the CLI secret is made on the page.
/// </summary>
public class SsoChromiumTests(SsoChromiumFixture server) : IClassFixture<SsoChromiumFixture>
{
    private void WaitFor(Func<IWebDriver, bool> condition, string what) =>
        new WebDriverWait(server.Browser, TimeSpan.FromSeconds(30)) { Message = what }.Until(condition);

    [Fact]
    public void A_person_signs_in_through_the_provider_in_a_browser_and_makes_a_cli_secret()
    {
        var browser = server.Browser;
        browser.Navigate().GoToUrl(new Uri(server.BaseAddress, "/login").ToString());
        browser.FindElement(By.LinkText("Test Provider")).Click();

        WaitFor(b => b.Url.StartsWith(server.ProviderAddress.ToString(), StringComparison.Ordinal) && b.FindElements(By.Name("login")).Count > 0,
            "the provider's login page");
        browser.FindElement(By.Name("login")).SendKeys("alice");
        browser.FindElement(By.Name("password")).SendKeys("any password");
        browser.FindElement(By.CssSelector("button[type=submit]")).Click();
        // The provider asks for consent once; then back to the server.
        WaitFor(b => b.FindElements(By.CssSelector("input[name=prompt][value=consent]")).Count > 0 || new Uri(b.Url).Port == server.BaseAddress.Port,
            "the provider's consent page or the way back");
        if (new Uri(browser.Url).Port != server.BaseAddress.Port) browser.FindElement(By.CssSelector("button[type=submit]")).Click();

        WaitFor(b => new Uri(b.Url).AbsolutePath == "/ui/me/tokens", $"the CLI secret page (at {browser.Url})");
        var main = browser.FindElement(By.TagName("main")).Text;
        Assert.Contains("You signed in with Test Provider", main);
        Assert.Contains("Signed in as alice", browser.FindElement(By.TagName("header")).Text);

        browser.FindElement(By.Name("Input.Name")).SendKeys("browser-laptop");
        browser.FindElement(By.CssSelector("form[action*=Create] button[type=submit]")).Click();
        WaitFor(b => b.FindElements(By.Id("secret-value")).Count > 0, "the new CLI secret");
        Assert.StartsWith(Core.Identity.Secrets.AccessTokenPrefix, browser.FindElement(By.Id("secret-value")).Text);
        Assert.Contains("docker login -u alice", browser.FindElement(By.Id("login-command")).Text);
        ((ITakesScreenshot)browser).GetScreenshot().SaveAsFile(Path.Combine(BrowserFixture.ScreenshotDirectory, "sso-cli-secret.png"));
    }
}
