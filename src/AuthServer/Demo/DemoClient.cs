using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AuthServer.Demo;

internal sealed record DemoRequest(HttpMethod Method, Uri Url, byte[]? Body = null, string? ContentType = null, string? Accept = null);

internal sealed record DemoAnswer(HttpStatusCode Status, HttpResponseHeaders Headers, string? ContentType, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValues(name, out var v) ? v.FirstOrDefault() : null;
}

/// <summary>A demo step did not get the answer it needed; the message says which and why.</summary>
internal sealed class DemoFailure(string message) : Exception(message);

/// <summary>
/// A registry client as small as the protocol allows: it sends a request, and on a Bearer
/// challenge asks the challenge's realm for a token with the challenge's service and scope
/// (Basic auth), then sends the request again with that token. Every exchange is printed.
/// </summary>
internal sealed partial class DemoClient(HttpClient http, string user, string password, TextWriter output)
{
    private string? _token;

    /// <summary>Sends <paramref name="request"/>, following one challenge; fails unless the final status is <paramref name="expected"/>.</summary>
    public async Task<DemoAnswer> SendAsync(DemoRequest request, HttpStatusCode expected, bool narrate = false)
    {
        var hadToken = _token is not null;
        if (narrate) Step(1, "client -> registry", $"{Line(request)}   ({(hadToken ? "cached token" : "no token")})");
        var answer = await SendOnceAsync(request);
        var challenge = answer.Status == HttpStatusCode.Unauthorized ? BearerChallenge.Parse(answer.Header("WWW-Authenticate")) : null;

        if (challenge is not null && (!hadToken || challenge.Error is not null))
        {
            if (narrate)
            {
                Step(2, "registry -> client", Status(answer));
                Continue($"WWW-Authenticate: {answer.Header("WWW-Authenticate")}");
            }
            else
            {
                Exchange(Line(request), $"{Status(answer)}  {ChallengeSummary(challenge)}");
            }
            await FetchTokenAsync(challenge, narrate);
            if (narrate) Step(5, "client -> registry", $"{Line(request)}   (Authorization: Bearer {_token![..Math.Min(16, _token!.Length)]}...)");
            answer = await SendOnceAsync(request);
            if (narrate)
            {
                Step(6, "registry -> client", Status(answer));
                if (answer.Status == expected)
                    Continue("the registry verified the token (signature, issuer, audience, expiry) and its access covers the request");
            }
            else
            {
                Exchange($"{Line(request)}  (Bearer)", Outcome(answer));
            }
        }
        else if (!narrate)
        {
            Exchange(Line(request), Outcome(answer));
        }

        if (answer.Status != expected)
            throw new DemoFailure($"{request.Method} {request.Url.PathAndQuery} answered {Status(answer)}{Explain(answer)}; expected {(int)expected} {expected}");
        return answer;
    }

    /// <summary>Steps 3 and 4: GET realm?service=...&amp;scope=... with Basic credentials.</summary>
    private async Task FetchTokenAsync(BearerChallenge challenge, bool narrate)
    {
        var query = new StringBuilder("?service=").Append(Uri.EscapeDataString(challenge.Service));
        foreach (var scope in challenge.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            query.Append("&scope=").Append(Uri.EscapeDataString(scope));
        var url = new Uri(challenge.Realm + query);
        var shown = $"GET {url.AbsolutePath}{Uri.UnescapeDataString(url.Query)}";
        if (narrate) Step(3, "client -> AuthServer", $"{shown}   (Authorization: Basic, as {user})");

        using var message = new HttpRequestMessage(HttpMethod.Get, url);
        message.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        using var response = await http.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
            throw new DemoFailure($"the token server answered {(int)response.StatusCode} {response.StatusCode} to {shown}: {body}");

        using var json = JsonDocument.Parse(body);
        _token = json.RootElement.GetProperty("token").GetString() ?? throw new DemoFailure("the token response has no token");
        var expiresIn = json.RootElement.TryGetProperty("expires_in", out var e) ? e.GetInt32() : 60;
        var (alg, kid, granted) = Describe(_token);
        if (narrate)
        {
            Step(4, "AuthServer -> client", $"200 OK   {alg} JWT, kid {kid}, expires in {expiresIn} s");
            Continue($"granted: {granted}");
        }
        else
        {
            Exchange($"{shown}  (Basic {user})", $"200 OK  granted {granted}");
        }
    }

    private async Task<DemoAnswer> SendOnceAsync(DemoRequest request)
    {
        using var message = new HttpRequestMessage(request.Method, request.Url);
        if (_token is not null) message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        if (request.Accept is not null) message.Headers.Accept.ParseAdd(request.Accept);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType ?? "application/octet-stream");
        }
        using var response = await http.SendAsync(message);
        var body = await response.Content.ReadAsByteArrayAsync();
        return new DemoAnswer(response.StatusCode, response.Headers, response.Content.Headers.ContentType?.MediaType, body);
    }

    /// <summary>What the token says, read from its header and claims as any client may (no verification here).</summary>
    private static (string Alg, string Kid, string Granted) Describe(string jwt)
    {
        var parts = jwt.Split('.');
        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        var access = claims.RootElement.GetProperty("access").EnumerateArray()
            .Select(a => (Resource: $"{a.GetProperty("type").GetString()}:{a.GetProperty("name").GetString()}",
                Actions: string.Join(',', a.GetProperty("actions").EnumerateArray().Select(x => x.GetString()))))
            .Select(a => a.Actions.Length == 0 ? $"{a.Resource} with no actions" : $"{a.Resource}:{a.Actions}")
            .ToList();
        return (header.RootElement.GetProperty("alg").GetString()!, header.RootElement.GetProperty("kid").GetString()!,
            access.Count == 0 ? "nothing" : string.Join(' ', access));
    }

    private static string ChallengeSummary(BearerChallenge c) =>
        $"scope=\"{c.Scope}\"" + (c.Error is null ? "" : $" error=\"{c.Error}\"");

    private static string Outcome(DemoAnswer answer)
    {
        var text = Status(answer);
        if (answer.Header("Docker-Content-Digest") is { } digest) text += $"  {Short(digest)}";
        if (answer.Status == HttpStatusCode.Unauthorized && BearerChallenge.Parse(answer.Header("WWW-Authenticate")) is { } c) text += $"  {ChallengeSummary(c)}";
        return text;
    }

    private static string Explain(DemoAnswer answer)
    {
        var text = answer.Status == HttpStatusCode.Unauthorized ? $" ({answer.Header("WWW-Authenticate")})" : "";
        return answer.ContentType?.Contains("json") == true ? $"{text}: {Encoding.UTF8.GetString(answer.Body).Trim()}" : text;
    }

    private static string Status(DemoAnswer answer) => $"{(int)answer.Status} {Reason(answer.Status)}";

    private static string Reason(HttpStatusCode status) => status switch
    {
        HttpStatusCode.OK => "OK",
        HttpStatusCode.Created => "Created",
        HttpStatusCode.Accepted => "Accepted",
        HttpStatusCode.NoContent => "No Content",
        HttpStatusCode.Unauthorized => "Unauthorized",
        HttpStatusCode.NotFound => "Not Found",
        _ => status.ToString(),
    };

    private static string Line(DemoRequest r) => $"{r.Method} {Short(Uri.UnescapeDataString(r.Url.PathAndQuery))}";

    private void Step(int n, string who, string what) => output.WriteLine($"  {n}  {who,-21} {what}");

    private void Continue(string what) => output.WriteLine($"     {"",-21} {what}");

    private void Exchange(string request, string answer) => output.WriteLine($"  {request}\n      -> {answer}");

    /// <summary>Digests shortened for the eye; the checks always use the full value.</summary>
    public static string Short(string text) => DigestPattern().Replace(text, m => m.Value[..19] + "...");

    [GeneratedRegex("sha256:[0-9a-f]{64}")]
    private static partial Regex DigestPattern();
}
