using AuthServer.Core.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.Core.Federation;

/// <summary>What a valid ID token proved: the trust it met, for which robot, until when, and the claims that matched.</summary>
public sealed record FederatedIdentity(
    TrustOptions Trust, string Issuer, string Subject, DateTime ExpiresAt, IReadOnlyDictionary<string, string> MatchedClaims);

/// <summary>Explain's answer: the trust an ID token with given claims meets, and why the others for its issuer do not.</summary>
public sealed record TrustMatch(
    string? Trust, string? Robot, IReadOnlyDictionary<string, string>? MatchedClaims, IReadOnlyList<TrustRefusal> Refusals,
    TimeSpan? MaxTokenLifetime, bool AllowRefresh);

public sealed record TrustRefusal(string Trust, string Reason);

/// <summary>The outcome of an ID token: the identity it proves, or why not (for the audit log), or that the issuer was unreachable.</summary>
public sealed record FederationCheck(FederatedIdentity? Identity, string? FailureReason, bool IssuerUnavailable = false);

/// <summary>
/// Checks an ID token presented as a robot's password against the trusts for that robot: RS256 or
/// ES256 signature by the issuer's published keys (never alg none or a shared secret), exact
/// issuer, an accepted audience, exp/nbf/iat within the clock skew, and every claim condition.
/// Replay within the token's lifetime is accepted (a CI job logs in more than once); each use
/// leaves its own audit event. The token itself is never stored or logged.
/// </summary>
public sealed class FederatedSignIn(IssuerKeys keys, TrustStore store, IOptions<FederationOptions> options, TimeProvider time)
{
    public const int MaxTokenLength = 16 * 1024;
    private const int MaxClaimLength = 1024;
    private static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256];
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    /// <summary>Whether a secret is shaped like a JWT (three base64url parts): robot secrets never are.</summary>
    public static bool LooksLikeJwt(string secret) =>
        secret.StartsWith("eyJ", StringComparison.Ordinal) && secret.Count(c => c == '.') == 2;

    public async Task<FederationCheck> CheckAsync(string normalizedRobot, string idToken, CancellationToken ct)
    {
        if (idToken.Length > MaxTokenLength) return Failed("ID token too long");
        JsonWebToken token;
        try
        {
            token = Handler.ReadJsonWebToken(idToken);
        }
        catch (ArgumentException)
        {
            return Failed("not a readable JWT");
        }
        if (!Algorithms.Contains(token.Alg, StringComparer.Ordinal)) return Failed("ID token algorithm refused (RS256 or ES256 only)");

        var issuer = token.Issuer;
        var trusts = await store.ForAsync(issuer, normalizedRobot, ct);
        if (trusts.Count == 0) return Failed("no trust for the ID token's issuer and this robot");

        var validated = await ValidateAsync(issuer, idToken, trusts, ct);
        if (validated.Check is { } refused) return refused;
        var valid = validated.Token!;

        var now = time.GetUtcNow().UtcDateTime;
        var skew = options.Value.ClockSkew;
        if (valid.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iat) && DateTimeOffset.FromUnixTimeSeconds(iat).UtcDateTime > now + skew)
            return Failed("ID token issued in the future");

        string? lastMismatch = null;
        foreach (var trust in trusts.Where(t => t.Audiences.Any(a => valid.Audiences.Contains(a, StringComparer.Ordinal))))
        {
            if (Conditions(trust, claim => valid.Claims.Where(c => c.Type == claim).Select(c => c.Value), out var mismatch) is { } matched)
                return new FederationCheck(new FederatedIdentity(trust, issuer, valid.Subject ?? "", valid.ValidTo, matched), null);
            lastMismatch = $"trust '{trust.Name}': {mismatch}";
        }
        return Failed(lastMismatch ?? "no trust accepts the ID token's audience");
    }

    private async Task<(JsonWebToken? Token, FederationCheck? Check)> ValidateAsync(
        string issuer, string idToken, List<TrustOptions> trusts, CancellationToken ct)
    {
        // An unknown key id may mean the issuer rotated its keys: fetch them again (rate-bounded) and retry once.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration metadata;
            try
            {
                metadata = await keys.GetAsync(issuer, ct);
            }
            catch (IssuerUnavailableException)
            {
                return (null, new FederationCheck(null, "issuer keys unavailable", IssuerUnavailable: true));
            }
            if (metadata.Issuer is { Length: > 0 } published && !string.Equals(published, issuer, StringComparison.Ordinal))
                return (null, Failed("the issuer's discovery document names another issuer"));

            var parameters = new TokenValidationParameters
            {
                ValidIssuer = issuer,
                ValidAudiences = trusts.SelectMany(t => t.Audiences).Distinct(StringComparer.Ordinal).ToArray(),
                IssuerSigningKeys = metadata.SigningKeys,
                ValidAlgorithms = Algorithms,
                RequireSignedTokens = true,
                RequireExpirationTime = true,
                ValidateLifetime = true,
                ClockSkew = options.Value.ClockSkew,
            };
            var result = await Handler.ValidateTokenAsync(idToken, parameters);
            if (result.IsValid) return ((JsonWebToken)result.SecurityToken, null);
            if (result.Exception is SecurityTokenSignatureKeyNotFoundException && attempt == 0)
            {
                keys.RequestRefresh(issuer);
                continue;
            }
            return (null, Failed(Reason(result.Exception)));
        }
        return (null, Failed("ID token signed by an unknown key"));
    }

    /// <summary>Every condition of the trust, against the token's claims; the matching values, or null with the first mismatch.</summary>
    private static Dictionary<string, string>? Conditions(TrustOptions trust, Func<string, IEnumerable<string>> values, out string? mismatch)
    {
        var matched = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (claim, pattern) in trust.Claims)
        {
            var value = values(claim)
                .FirstOrDefault(v => v.Length <= MaxClaimLength && ClaimPattern.Matches(pattern, v));
            if (value is null)
            {
                mismatch = $"claim '{claim}' does not match";
                return null;
            }
            matched[claim] = value;
        }
        mismatch = null;
        return matched;
    }

    /// <summary>
    /// For explain: which trust would accept an ID token with these issuer, audience and claims
    /// (signature and times aside), and why each other trust for that issuer would not.
    /// </summary>
    public async Task<TrustMatch> MatchAsync(
        string issuer, string audience, IReadOnlyDictionary<string, string> claims, string? robot, CancellationToken ct)
    {
        var refusals = new List<TrustRefusal>();
        foreach (var trust in (await store.GetAsync(ct)).Select(t => t.Options).Where(t => string.Equals(t.Issuer, issuer, StringComparison.Ordinal)))
        {
            if (robot is not null && Names.Normalize(trust.Robot) != Names.Normalize(robot))
                refusals.Add(new TrustRefusal(trust.Name, $"for robot {trust.Robot}"));
            else if (!trust.Audiences.Contains(audience, StringComparer.Ordinal))
                refusals.Add(new TrustRefusal(trust.Name, "audience not accepted"));
            else if (Conditions(trust, claim => claims.TryGetValue(claim, out var v) ? [v] : [], out var mismatch) is { } matched)
                return new TrustMatch(trust.Name, trust.Robot, matched, refusals, trust.MaxTokenLifetime, trust.AllowRefresh);
            else refusals.Add(new TrustRefusal(trust.Name, mismatch!));
        }
        return new TrustMatch(null, null, null, refusals, null, false);
    }

    private static string Reason(Exception? e) => e switch
    {
        SecurityTokenExpiredException => "ID token expired",
        SecurityTokenNotYetValidException => "ID token not yet valid",
        SecurityTokenNoExpirationException => "ID token without exp",
        SecurityTokenInvalidAudienceException => "ID token audience not accepted",
        SecurityTokenInvalidIssuerException => "ID token issuer not accepted",
        SecurityTokenSignatureKeyNotFoundException => "ID token signed by an unknown key",
        SecurityTokenInvalidSignatureException => "ID token signature invalid",
        SecurityTokenInvalidAlgorithmException => "ID token algorithm refused",
        _ => "ID token invalid",
    };

    private static FederationCheck Failed(string reason) => new(null, reason);
}
