using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace AuthServer.Interop.Tests.Infrastructure;

/// <summary>One request a real client sent to /token, as it arrived on the wire.</summary>
public sealed record RecordedTokenRequest(
    string Method,
    IReadOnlyDictionary<string, string[]> Query,
    IReadOnlyDictionary<string, string[]> Form,
    string? ContentType,
    string? AuthorizationScheme,
    string? BasicUser,
    string UserAgent,
    int Status)
{
    public string[] QueryValues(string name) => Query.TryGetValue(name, out var v) ? v : [];
    public string[] FormValues(string name) => Form.TryGetValue(name, out var v) ? v : [];
    public string? QueryValue(string name) => QueryValues(name).SingleOrDefault();
    public string? FormValue(string name) => FormValues(name).SingleOrDefault();

    /// <summary>A short description for failure messages: names of the parameters, never their secret values.</summary>
    public override string ToString() =>
        $"{Method} /token [{string.Join(' ', Query.Select(q => $"{q.Key}={(IsSecret(q.Key) ? "***" : string.Join('|', q.Value))}"))}] " +
        $"form [{string.Join(' ', Form.Select(f => $"{f.Key}={(IsSecret(f.Key) ? "***" : string.Join('|', f.Value))}"))}] " +
        $"auth {AuthorizationScheme ?? "-"} user {BasicUser ?? "-"} ua '{UserAgent}' -> {Status}";

    private static bool IsSecret(string name) => name is "password" or "refresh_token";
}

/// <summary>
/// Records every /token request in memory (never in a log: the form holds passwords and refresh
/// tokens), so a test can check what docker, podman and skopeo really sent.
/// </summary>
public sealed class TokenRequestLog : IStartupFilter
{
    private readonly ConcurrentQueue<RecordedTokenRequest> _requests = new();

    public IReadOnlyList<RecordedTokenRequest> All => _requests.ToArray();

    /// <summary>The requests that came after a mark taken with <see cref="Mark"/>.</summary>
    public IReadOnlyList<RecordedTokenRequest> Since(int mark) => _requests.Skip(mark).ToArray();

    public int Mark() => _requests.Count;

    public string Describe(IEnumerable<RecordedTokenRequest> requests) => string.Join('\n', requests);

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (http, nextStage) =>
        {
            if (!http.Request.Path.StartsWithSegments("/token"))
            {
                await nextStage(http);
                return;
            }
            var form = new Dictionary<string, string[]>();
            if (HttpMethods.IsPost(http.Request.Method) && http.Request.HasFormContentType)
            {
                // Read and rewind, so the endpoint reads the very same body.
                http.Request.EnableBuffering();
                using var reader = new StreamReader(http.Request.Body, Encoding.UTF8, leaveOpen: true);
                var body = await reader.ReadToEndAsync();
                http.Request.Body.Position = 0;
                form = QueryHelpers.ParseQuery(body).ToDictionary(f => f.Key, f => Values(f.Value));
            }
            var query = http.Request.Query.ToDictionary(q => q.Key, q => Values(q.Value));
            var (scheme, user) = ReadAuthorization(http.Request.Headers.Authorization.ToString());
            await nextStage(http);
            _requests.Enqueue(new RecordedTokenRequest(
                http.Request.Method, query, form, http.Request.ContentType, scheme, user,
                http.Request.Headers.UserAgent.ToString(), http.Response.StatusCode));
        });
        next(app);
    };

    private static string[] Values(Microsoft.Extensions.Primitives.StringValues values) => values.Select(v => v ?? "").ToArray();

    private static (string? Scheme, string? User) ReadAuthorization(string header)
    {
        if (string.IsNullOrEmpty(header)) return (null, null);
        var space = header.IndexOf(' ');
        var scheme = space < 0 ? header : header[..space];
        if (!scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) || space < 0) return (scheme, null);
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[(space + 1)..].Trim()));
            var colon = decoded.IndexOf(':');
            return (scheme, colon < 0 ? decoded : decoded[..colon]);
        }
        catch (FormatException)
        {
            return (scheme, null);
        }
    }
}
