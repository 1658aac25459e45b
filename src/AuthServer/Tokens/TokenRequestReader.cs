using System.IO.Pipelines;
using System.Net.Http.Headers;
using System.Text;
using AuthServer.Core.Identity;
using AuthServer.Core.Scopes;
using AuthServer.Core.SignIn;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace AuthServer.Tokens;

/// <summary>
/// First stage of the token endpoint: the HTTP shape. GET (token.md) and POST (oauth.md) become
/// one <see cref="TokenRequest"/>; anything malformed is a 400 naming what is wrong.
/// </summary>
public static class TokenRequestReader
{
    public const int MaxBodyBytes = 64 * 1024;
    private const int MaxNameLength = 256;
    private const int MaxServiceLength = 255;
    private const int MaxRefreshTokenLength = 512;

    public readonly record struct Result(TokenRequest? Request, TokenError? Error)
    {
        public static implicit operator Result(TokenRequest request) => new(request, null);
        public static implicit operator Result(TokenError error) => new(null, error);
    }

    public static async Task<Result> ReadAsync(HttpContext http, CancellationToken ct)
    {
        try
        {
            return HttpMethods.IsPost(http.Request.Method) ? await ReadPostAsync(http, ct) : ReadGet(http);
        }
        catch (ScopeFormatException e)
        {
            return TokenError.BadRequest(e.Message);
        }
    }

    private static Result ReadGet(HttpContext http)
    {
        var query = http.Request.Query;
        if (Single(query, "service", MaxServiceLength, out var service) is { } e1) return e1;
        if (Single(query, "account", MaxNameLength, out var account) is { } e2) return e2;
        if (Single(query, "client_id", MaxNameLength, out var clientId) is { } e3) return e3;
        if (Single(query, "offline_token", 8, out var offline) is { } e4) return e4;
        if (service is null) return TokenError.BadRequest("missing service parameter");
        bool offlineToken = false;
        if (offline is not null && !bool.TryParse(offline, out offlineToken))
            return TokenError.BadRequest("offline_token must be true or false");

        var scopes = ScopeParser.Parse(query["scope"]);
        var (grant, username, password, refreshToken, error) = ReadBasic(http.Request.Headers.Authorization);
        if (error is not null) return error;

        // Docker and containers/image send account= with the Basic user; a mismatch is a client bug
        // or an attempt to confuse, and cesanta/docker_auth refuses it the same way.
        if (grant == GrantKind.Password && account is not null
            && !string.Equals(Names.Normalize(account), Names.Normalize(username!), StringComparison.Ordinal))
            return TokenError.BadRequest("account parameter does not match the Basic auth user");

        return new TokenRequest
        {
            Method = HttpMethods.Get,
            Grant = grant,
            Service = service,
            Scopes = scopes,
            Username = username,
            Password = password,
            RefreshToken = refreshToken,
            Offline = offlineToken,
            ClientId = clientId,
            ClientIp = ClientAddress.Display(http.Connection.RemoteIpAddress),
            ClientKey = ClientAddress.Key(http.Connection.RemoteIpAddress),
            UserAgent = http.Request.Headers.UserAgent.ToString(),
        };
    }

    /// <summary>
    /// The body as text, read straight from Kestrel's pipe (no copy through a stream, no buffer of
    /// its own per request: docker's refresh grant, its most frequent request, comes this way), or
    /// null once it is longer than <see cref="MaxBodyBytes"/> (reading stops there).
    /// </summary>
    private static async Task<string?> ReadBodyAsync(PipeReader body, CancellationToken ct)
    {
        while (true)
        {
            var read = await body.ReadAsync(ct);
            var buffer = read.Buffer;
            if (buffer.Length > MaxBodyBytes)
            {
                body.AdvanceTo(buffer.End);
                return null;
            }
            if (read.IsCompleted || read.IsCanceled)
            {
                // As a form reader would: bytes that are not UTF-8 become U+FFFD, never an exception.
                var text = Encoding.UTF8.GetString(buffer);
                body.AdvanceTo(buffer.End);
                return text;
            }
            body.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static async Task<Result> ReadPostAsync(HttpContext http, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType)
            return TokenError.BadRequest("POST body must be application/x-www-form-urlencoded");
        if (http.Request.ContentLength > MaxBodyBytes)
            return TokenError.BadRequest($"request body is larger than {MaxBodyBytes} bytes");

        // Content-Length is checked above; a chunked body has none, so the bound is kept while reading.
        if (await ReadBodyAsync(http.Request.BodyReader, ct) is not { } body)
            return TokenError.BadRequest($"request body is larger than {MaxBodyBytes} bytes");
        if (FormFields.Parse(body) is not { } form)
            return TokenError.BadRequest($"form body has more than {FormFields.MaxPairs} fields");
        var fields = new QueryCollectionView(form);

        if (Single(fields, "grant_type", 32, out var grantType) is { } e1) return e1;
        if (Single(fields, "service", MaxServiceLength, out var service) is { } e2) return e2;
        if (Single(fields, "client_id", MaxNameLength, out var clientId) is { } e3) return e3;
        if (Single(fields, "access_type", 16, out var accessType) is { } e4) return e4;
        if (Single(fields, "username", MaxNameLength, out var username) is { } e5) return e5;
        if (Single(fields, "password", PasswordOptions.MaximumLength, out var password) is { } e6) return e6;
        if (Single(fields, "refresh_token", MaxRefreshTokenLength, out var refreshToken) is { } e7) return e7;

        if (service is null) return TokenError.BadRequest("missing service field");
        if (accessType is not (null or "online" or "offline"))
            return TokenError.BadRequest("access_type must be online or offline");

        GrantKind grant;
        switch (grantType)
        {
            case null:
                return TokenError.BadRequest("missing grant_type field");
            case "password":
                if (string.IsNullOrEmpty(username)) return TokenError.BadRequest("grant_type=password needs a username field");
                if (string.IsNullOrEmpty(password)) return TokenError.BadRequest("grant_type=password needs a password field");
                grant = GrantKind.Password;
                break;
            case "refresh_token":
                if (string.IsNullOrEmpty(refreshToken)) return TokenError.BadRequest("grant_type=refresh_token needs a refresh_token field");
                grant = GrantKind.RefreshToken;
                break;
            default:
                return TokenError.BadRequest($"unsupported grant_type '{Shorten(grantType)}': use password or refresh_token");
        }

        return new TokenRequest
        {
            Method = HttpMethods.Post,
            Grant = grant,
            Service = service,
            // oauth.md: one space-separated field; containers/image repeats the field. Both work.
            Scopes = ScopeParser.Parse(fields.All("scope")),
            Username = grant == GrantKind.Password ? username : null,
            Password = grant == GrantKind.Password ? password : null,
            RefreshToken = grant == GrantKind.RefreshToken ? refreshToken : null,
            Offline = accessType == "offline",
            ClientId = clientId,
            ClientIp = ClientAddress.Display(http.Connection.RemoteIpAddress),
            ClientKey = ClientAddress.Key(http.Connection.RemoteIpAddress),
            UserAgent = http.Request.Headers.UserAgent.ToString(),
        };
    }

    private static (GrantKind, string?, string?, string?, TokenError?) ReadBasic(StringValues header)
    {
        if (StringValues.IsNullOrEmpty(header)) return (GrantKind.Anonymous, null, null, null, null);
        if (header.Count > 1) return (default, null, null, null, TokenError.BadRequest("more than one Authorization header"));
        if (!AuthenticationHeaderValue.TryParse(header.ToString(), out var value)
            || !string.Equals(value.Scheme, "Basic", StringComparison.OrdinalIgnoreCase))
            return (default, null, null, null, TokenError.BadRequest("Authorization must use the Basic scheme"));

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(value.Parameter ?? ""));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return (default, null, null, null, TokenError.BadRequest("Basic credentials are not valid base64 of UTF-8 text"));
        }
        var colon = decoded.IndexOf(':');
        if (colon < 0) return (default, null, null, null, TokenError.BadRequest("Basic credentials must be user:password"));
        var user = decoded[..colon];
        var secret = decoded[(colon + 1)..];
        if (user.Length > MaxNameLength) return (default, null, null, null, TokenError.BadRequest("user name is too long"));
        if (secret.Length > PasswordOptions.MaximumLength) return (default, null, null, null, TokenError.BadRequest("password is too long"));

        // containerd's GET fallback sends an identity token as Basic ":<token>".
        if (user.Length == 0) return (GrantKind.RefreshToken, null, null, secret, null);
        return (GrantKind.Password, user, secret, null, null);
    }

    private static TokenError? Single(IQueryCollection source, string name, int maxLength, out string? value) =>
        Single(source[name], name, maxLength, out value);

    private static TokenError? Single(QueryCollectionView source, string name, int maxLength, out string? value) =>
        Single(source.All(name), name, maxLength, out value);

    private static TokenError? Single(StringValues values, string name, int maxLength, out string? value)
    {
        value = null;
        if (values.Count == 0) return null;
        if (values.Count > 1) return TokenError.BadRequest($"{name} given more than once");
        var text = values[0];
        if (string.IsNullOrEmpty(text)) return null;
        if (text.Length > maxLength) return TokenError.BadRequest($"{name} is longer than {maxLength} characters");
        value = text;
        return null;
    }

    private static string Shorten(string s) => s.Length <= 32 ? s : s[..29] + "...";

    private readonly struct QueryCollectionView(Dictionary<string, StringValues> form)
    {
        public StringValues All(string name) => form.TryGetValue(name, out var v) ? v : StringValues.Empty;
    }
}
