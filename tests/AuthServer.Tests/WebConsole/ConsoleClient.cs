using System.Net;
using System.Text.RegularExpressions;

namespace AuthServer.Tests.WebConsole;

/// <summary>
/// The console driven over plain HTTP, as a browser would without script: a cookie jar, no
/// automatic redirects (the tests look at them), and forms sent with the antiforgery token read
/// from the page that shows them.
/// </summary>
public sealed partial class ConsoleClient : IDisposable
{
    private readonly HttpClient _http;

    public ConsoleClient(Uri baseAddress)
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
    }

    public CookieContainer Cookies { get; }

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    public async Task<HttpResponseMessage> SignInAsync(string name, string password)
    {
        var token = await FormTokenAsync("/ui/signin");
        return await PostAsync("/ui/signin", token, ("name", name), ("password", password));
    }

    /// <summary>The antiforgery token of the first form on a page (each page's forms share one).</summary>
    public async Task<string> FormTokenAsync(string path)
    {
        using var page = await _http.GetAsync(path);
        var html = await page.Content.ReadAsStringAsync();
        var match = TokenField().Match(html);
        Assert.True(match.Success, $"no antiforgery token on {path} ({(int)page.StatusCode})");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>Posts a form; a null token sends none at all.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, string? token, params (string Name, string Value)[] fields)
    {
        var all = fields.Select(f => KeyValuePair.Create(f.Name, f.Value)).ToList();
        if (token is not null) all.Add(KeyValuePair.Create("__RequestVerificationToken", token));
        return _http.PostAsync(path, new FormUrlEncodedContent(all));
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
