using AuthServer.Core.Identity;
using AuthServer.Core.Policy;

namespace AuthServer.Admin.Models;

/// <param name="Scopes">Scope limits, <c>type:pattern:actions</c>; <c>admin:api:*</c> opens the admin API to an administrator's token.</param>
public sealed record AccessTokenCreate(string? User, string? Name, DateTime? ExpiresAt, IReadOnlyList<string>? Scopes);

public sealed record AccessTokenView(
    string User, string Name, string State, IReadOnlyList<string>? Scopes, DateTime? ExpiresAt, DateTime CreatedAt,
    DateTime? LastUsedAt, DateTime? RevokedAt)
{
    public static AccessTokenView From(AccessToken t, DateTime now) => new(
        t.User.Name, t.Name, t.RevokedAt is not null ? "revoked" : t.IsExpired(now) ? "expired" : "active",
        ScopeLimits.FromStored(t.ScopeLimits)?.ToStrings(), t.ExpiresAt, t.CreatedAt, t.LastUsedAt, t.RevokedAt);
}

/// <summary>The secret exists only in this answer: it is stored as a hash and never shown again.</summary>
public sealed record CreatedAccessTokenView(AccessTokenView Token, string Secret);
