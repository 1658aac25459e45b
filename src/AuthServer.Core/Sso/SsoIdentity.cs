using System.Security.Claims;

namespace AuthServer.Core.Sso;

/// <summary>What a provider said about the person who signed in: their subject, login name and groups there.</summary>
public sealed record SsoIdentity(string Subject, string? Login, IReadOnlyList<string> Groups)
{
    private const int MaxGroups = 1000;
    private const int MaxGroupLength = 256;

    /// <summary>Read from the signed-in principal (ID token claims and, when asked for, userinfo).</summary>
    public static SsoIdentity From(ClaimsPrincipal principal, OidcProviderOptions provider) => new(
        principal.FindFirst("sub")?.Value ?? "",
        principal.FindFirst(provider.NameClaim)?.Value,
        principal.FindAll(provider.GroupsClaim).Select(c => c.Value)
            .Where(v => v.Length is > 0 and <= MaxGroupLength).Distinct(StringComparer.Ordinal).Take(MaxGroups).ToArray());
}
