using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using AuthServer.Core.Signing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.Admin.Auth;

/// <summary>
/// A Bearer token issued by our own /token for the admin audience: signature by one of our
/// published keys (the signing key ring), our issuer, the admin audience, not expired, and an
/// <c>access</c> entry <c>admin:api:*</c>. The token is bound to its user's id and account version
/// (<see cref="AccountVersion"/>), read afresh on every request, so a user whose password changed,
/// who was disabled, deleted or is no longer an administrator loses the API at once.
/// </summary>
public sealed class BearerAdminHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    SigningKeyRing keys, IOptions<TokenOptions> tokens, IOptions<AdminOptions> admin, AuthServerDbContext db, AdminSignInAudit audit)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private static readonly JsonWebTokenHandler Handler = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(header.Parameter))
            return AuthenticateResult.NoResult();

        var published = await keys.GetPublishedAsync(Context.RequestAborted);
        var validation = await Handler.ValidateTokenAsync(header.Parameter, new TokenValidationParameters
        {
            ValidIssuer = tokens.Value.Issuer,
            ValidAudience = admin.Value.Audience,
            IssuerSigningKeys = published.Select(k => k.SecurityKey),
            ValidAlgorithms = [SigningAlgorithms.ES256, SigningAlgorithms.RS256],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromSeconds(30),
        });
        if (!validation.IsValid || validation.SecurityToken is not JsonWebToken jwt)
        {
            // The exception's type says which check failed; its message may quote the token, so it is not kept.
            var why = validation.Exception?.GetType().Name.Replace("SecurityToken", "").Replace("Exception", "") ?? "unreadable";
            await audit.RefusedAsync(Context, null, CredentialKind.None, $"invalid bearer token ({why})");
            return AuthenticateResult.Fail("invalid bearer token");
        }

        // Bound to the account by id and version, not by name: a user deleted and made again under the
        // same name, a new password, or a disable ends every admin token issued before.
        var user = jwt.TryGetPayloadValue<long>(AccountVersion.IdClaim, out var userId)
            ? await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, Context.RequestAborted)
            : null;
        jwt.TryGetPayloadValue<string>(AccountVersion.VersionClaim, out var version);
        if (user is null || user.IsBlocked || !AccountVersion.Matches(version, user.SecurityStamp)
            || !string.Equals(user.NormalizedName, Names.Normalize(jwt.Subject ?? ""), StringComparison.Ordinal))
        {
            await audit.RefusedAsync(Context, jwt.Subject, CredentialKind.None, "bearer token of an account that changed, was disabled or is gone");
            return AuthenticateResult.Fail("invalid bearer token");
        }
        var refusal = !user.IsAdmin ? $"user '{user.Name}' is not an administrator"
            : !GrantsAdminApi(jwt) ? $"the token was not granted {AdminScope.Text}: ask /token for that scope"
            : null;
        return AuthenticateResult.Success(AdminClaims.Ticket(user.Name, "bearer", refusal, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => AdminChallenge.UnauthorizedAsync(Context);

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var reason = Context.User.FindFirst(AdminClaims.Refusal)?.Value ?? "not an administrator";
        await audit.ForbiddenAsync(Context, reason);
        await AdminChallenge.ForbiddenAsync(Context);
    }

    /// <summary>The token's <c>access</c> claim holds <c>{"type":"admin","name":"api","actions":["*"]}</c>.</summary>
    private static bool GrantsAdminApi(JsonWebToken jwt)
    {
        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload));
        if (!payload.RootElement.TryGetProperty("access", out var access) || access.ValueKind != JsonValueKind.Array) return false;
        foreach (var entry in access.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object
                || !entry.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != AdminScope.ResourceType
                || !entry.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || name.GetString() != AdminScope.ResourceName
                || !entry.TryGetProperty("actions", out var actions) || actions.ValueKind != JsonValueKind.Array) continue;
            if (actions.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == "*")) return true;
        }
        return false;
    }
}
