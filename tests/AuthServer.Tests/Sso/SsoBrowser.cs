using System.Net;
using System.Text.RegularExpressions;

namespace AuthServer.Tests.Sso;

/// <summary>
/// A browser without script, in plain HTTP: one cookie jar for the server and the provider, every
/// redirect followed by hand (so each step can be looked at), and the provider's login and consent
/// forms filled in and posted as a person would.
/// </summary>
public sealed partial class SsoBrowser : IDisposable
{
    private readonly HttpClient _http;

    public SsoBrowser()
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false });
    }

    public CookieContainer Cookies { get; }

    /// <summary>Every answer of the last <see cref="BrowseAsync"/>, in order, with the address it came from.</summary>
    public List<(Uri Url, HttpResponseMessage Answer)> Trail { get; } = [];

    /// <summary>
    /// Opens <paramref name="start"/> and follows redirects; on a page of the provider with a form
    /// (its login, its consent) fills in <paramref name="login"/> and posts it, until a page that is
    /// not the provider's. Returns that page's address and answer.
    /// </summary>
    public async Task<(Uri Url, HttpResponseMessage Answer)> BrowseAsync(Uri start, Uri provider, string login)
    {
        Trail.Clear();
        var url = start;
        var answer = await _http.GetAsync(url);
        for (var step = 0; step < 20; step++)
        {
            Trail.Add((url, answer));
            if (answer.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.Found or HttpStatusCode.TemporaryRedirect)
            {
                url = new Uri(url, answer.Headers.Location!);
                answer = await _http.GetAsync(url);
                continue;
            }
            if (url.Authority != provider.Authority || answer.StatusCode != HttpStatusCode.OK) return (url, answer);
            var html = await answer.Content.ReadAsStringAsync();
            var form = FormTag().Match(html);
            Assert.True(form.Success, $"a page of the provider without a form at {url}:\n{html}");
            var fields = Inputs().Matches(html).Select(m => (Name: m.Groups["name"].Value, Value: WebUtility.HtmlDecode(m.Groups["value"].Value))).ToList();
            var posted = fields.Select(f => KeyValuePair.Create(f.Name, f.Name switch
            {
                "login" => login,
                "password" => "any password: the development login takes any",
                _ => f.Value,
            })).ToList();
            url = new Uri(url, WebUtility.HtmlDecode(form.Groups[1].Value));
            answer = await _http.PostAsync(url, new FormUrlEncodedContent(posted));
        }
        throw new InvalidOperationException($"more than 20 steps from {start}: {string.Join(" → ", Trail.Select(t => $"{(int)t.Answer.StatusCode} {t.Url}"))}");
    }

    public Task<HttpResponseMessage> GetAsync(Uri url) => _http.GetAsync(url);

    public Task<HttpResponseMessage> PostAsync(Uri url, params (string Name, string Value)[] fields) =>
        _http.PostAsync(url, new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))));

    /// <summary>The antiforgery token of a page's forms.</summary>
    public async Task<string> FormTokenAsync(Uri page)
    {
        using var answer = await _http.GetAsync(page);
        var match = AntiforgeryField().Match(await answer.Content.ReadAsStringAsync());
        Assert.True(match.Success, $"no antiforgery token on {page} ({(int)answer.StatusCode})");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("<form[^>]*action=\"([^\"]+)\"[^>]*method=\"post\"", RegexOptions.IgnoreCase)]
    private static partial Regex FormTag();

    // The inputs of oidc-provider's forms: hidden ones with a value, the login and password fields without.
    [GeneratedRegex("<input[^>]*?name=\"(?<name>[^\"]+)\"(?:[^>]*?value=\"(?<value>[^\"]*)\")?[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Inputs();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
