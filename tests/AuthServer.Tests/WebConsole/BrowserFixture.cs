using System.Drawing;
using AuthServer.Tests.Infrastructure;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace AuthServer.Tests.WebConsole;

/// <summary>
/// One real server on loopback and one headless Debian Chromium (through chromedriver) for a
/// whole test class. The browser has a profile of its own in a temporary folder; screenshots go
/// to TestResults/console/ at the repository root.
/// </summary>
public sealed class BrowserFixture : AuthServerFixture, IAsyncLifetime, IDisposable
{
    public const int DesktopWidth = 1280, DesktopHeight = 800, PhoneWidth = 390, PhoneHeight = 844;

    private HeadlessChromium? _chromium;

    public ChromeDriver Browser => _chromium!.Browser;

    public static string ScreenshotDirectory { get; } = FindScreenshotDirectory();

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _chromium = new HeadlessChromium(DesktopWidth, DesktopHeight);
    }

    public new Task DisposeAsync() => base.DisposeAsync();

    // xunit disposes a fixture both ways: the server (DisposeAsync) first, then the browser.
    public void Dispose() => _chromium?.Dispose();

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    public void Open(string path) => Browser.Navigate().GoToUrl(Url(path));

    /// <summary>Signs the browser in afresh (any earlier session's cookies dropped).</summary>
    public void SignIn(string name, string password)
    {
        Open("/ui/signin");
        Browser.Manage().Cookies.DeleteAllCookies();
        Open("/ui/signin");
        Browser.FindElement(By.Name("name")).SendKeys(name);
        Browser.FindElement(By.Name("password")).SendKeys(password);
        ClickAndWait(Browser.FindElement(By.CssSelector("main button[type=submit]")));
    }

    /// <summary>
    /// Clicks something that loads a new page and returns once that page is there (the old
    /// document gone stale), so the next step never races the form's request.
    /// </summary>
    public void ClickAndWait(IWebElement element)
    {
        var old = Browser.FindElement(By.TagName("html"));
        element.Click();
        new WebDriverWait(Browser, TimeSpan.FromSeconds(30)).Until(driver =>
        {
            try
            {
                _ = old.TagName;
                return false;
            }
            catch (WebDriverException e) when (e is StaleElementReferenceException || e.Message.Contains("does not belong to the document", StringComparison.Ordinal))
            {
                // Chromium says so either way once the old document is gone.
                return true;
            }
        });
    }

    public string CurrentPath => new Uri(Browser.Url).AbsolutePath;

    public string MainText => Browser.FindElement(By.TagName("main")).Text;

    public void Resize(int width, int height) => Browser.Manage().Window.Size = new Size(width, height);

    /// <summary>True when the page is no wider than the window: nothing forces sideways scrolling.</summary>
    public bool FitsWidth() =>
        Convert.ToInt64(Browser.ExecuteScript("return document.documentElement.scrollWidth - window.innerWidth;"),
            System.Globalization.CultureInfo.InvariantCulture) <= 0;

    /// <summary>Writes the whole page (up to 3000 px tall) at the current width.</summary>
    public string Screenshot(string name)
    {
        var size = Browser.Manage().Window.Size;
        var height = Convert.ToInt32(Browser.ExecuteScript("return document.documentElement.scrollHeight;"), System.Globalization.CultureInfo.InvariantCulture);
        Browser.Manage().Window.Size = new Size(size.Width, Math.Clamp(height, size.Height, 3000));
        try
        {
            var path = System.IO.Path.Combine(ScreenshotDirectory, name + ".png");
            Browser.GetScreenshot().SaveAsFile(path);
            return path;
        }
        finally
        {
            Browser.Manage().Window.Size = size;
        }
    }

    private static string FindScreenshotDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "AuthServer.sln"))) dir = dir.Parent;
        var path = System.IO.Path.Combine(dir?.FullName ?? System.IO.Path.GetTempPath(), "TestResults", "console");
        Directory.CreateDirectory(path);
        return path;
    }
}
