using System.Collections.Concurrent;
using System.Text.Json;
using AuthServer.Core.Identity;
using AuthServer.Core.Scopes;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.Core.Signing;

/// <summary>
/// A signed token and the times the response reports, taken from its own claims: issued_at is its
/// iat, and expires_in the seconds left until its exp (less than the lifetime when it is reused).
/// </summary>
public sealed record IssuedToken(string Jwt, string Jti, DateTime IssuedAt, int ExpiresIn)
{
    /// <summary>issued_at as the answer carries it, RFC 3339 UTC; formatted once, since a reused token is answered many times.</summary>
    public string IssuedAtText { get; } = IssuedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Signs the registry's JWT (token.md, jwt.md): iss, sub, aud as one string (registry 2.8 cannot
/// parse an array), integer exp/nbf/iat, a unique jti and the access list; kid = libtrust ID, and
/// x5c so registry 3.x finds the key too.
/// </summary>
public sealed class TokenIssuer(SigningKeyRing keys, IOptions<TokenOptions> tokenOptions, IOptions<SigningOptions> signingOptions, TimeProvider time)
{
    /// <summary>nbf sits this far before iat so a registry whose clock runs ahead still accepts the token.</summary>
    public static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromSeconds(5);

    // Handlers are thread-safe; the default time claims are off so ours match the response.
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    // Bounds the memory of the reuse map: a token with its x5c chain is 2 to 6 KB in memory, so
    // this holds at most about a megabyte and a half. At the bound, tokens past the window go
    // first, and if that frees nothing the map is emptied. Reuse pays for the same requests
    // repeated within seconds (a CI fleet pulling one image), a working set far below this; with
    // a larger bound, traffic of all-different scopes only kept more tokens nobody asks for again.
    private const int MaxRecent = 256;

    private readonly ConcurrentDictionary<string, IssuedToken> _recent = new(StringComparer.Ordinal);

    /// <param name="account">For a token bound to its account (the admin API's): the user's id and <see cref="AccountVersion"/>.</param>
    public async ValueTask<IssuedToken> IssueAsync(
        string subject, string audience, IReadOnlyList<ResourceScope> access, TimeSpan lifetime, CancellationToken ct,
        (long UserId, string Version)? account = null)
    {
        var key = await keys.GetActiveAsync(ct);
        // Whole seconds: the claims are integers and issued_at must equal iat.
        var now = DateTime.UnixEpoch.AddSeconds(time.GetUtcNow().ToUnixTimeSeconds());
        var window = TimeSpan.FromSeconds(Math.Min(tokenOptions.Value.ReuseWindowSeconds, lifetime.TotalSeconds / 60));
        if (window <= TimeSpan.Zero) return Sign(key, subject, audience, access, lifetime, now, account);

        // Everything the token says but its times and jti: an equal key means an equal token.
        var reuseKey = $"{key.Kid}\n{audience}\n{(int)lifetime.TotalSeconds}\n{subject}\n{ResourceScope.Join(access)}\n{account}";
        if (_recent.TryGetValue(reuseKey, out var recent) && now >= recent.IssuedAt && now - recent.IssuedAt < window)
        {
            // The token's exp is fixed: a client computing now + expires_in must not overshoot it.
            return recent with { ExpiresIn = recent.ExpiresIn - (int)(now - recent.IssuedAt).TotalSeconds };
        }
        var issued = Sign(key, subject, audience, access, lifetime, now, account);
        if (_recent.Count >= MaxRecent) Prune(now, window);
        _recent[reuseKey] = issued;
        return issued;
    }

    private void Prune(DateTime now, TimeSpan window)
    {
        foreach (var (key, token) in _recent)
            if (now - token.IssuedAt >= window) _recent.TryRemove(key, out _);
        if (_recent.Count >= MaxRecent) _recent.Clear();
    }

    private IssuedToken Sign(
        SigningKeyMaterial key, string subject, string audience, IReadOnlyList<ResourceScope> access, TimeSpan lifetime, DateTime now,
        (long UserId, string Version)? account)
    {
        var jti = Guid.NewGuid().ToString("N");
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = tokenOptions.Value.Issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now - ClockSkewAllowance,
            Expires = now + lifetime,
            SigningCredentials = key.Credentials,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = subject,
                [JwtRegisteredClaimNames.Jti] = jti,
                ["access"] = AccessClaim(access),
            },
        };
        if (account is var (userId, version))
        {
            descriptor.Claims[AccountVersion.IdClaim] = userId;
            descriptor.Claims[AccountVersion.VersionClaim] = version;
        }
        if (signingOptions.Value.IncludeX5c)
            descriptor.AdditionalHeaderClaims = new Dictionary<string, object> { ["x5c"] = key.X5c };

        return new IssuedToken(Handler.CreateToken(descriptor), jti, now, (int)lifetime.TotalSeconds);
    }

    // Entries carry the plain type, never a class (D3 scope.md); [] rather than null when empty.
    private static JsonElement AccessClaim(IReadOnlyList<ResourceScope> access) =>
        JsonSerializer.SerializeToElement(
            access.Select(a => new AccessEntry(a.Type, a.Name, a.Actions)).ToArray(),
            AccessEntryJsonContext.Default.AccessEntryArray);
}
