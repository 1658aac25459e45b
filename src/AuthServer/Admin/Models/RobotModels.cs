using AuthServer.Core.Identity;
using AuthServer.Core.Policy;

namespace AuthServer.Admin.Models;

/// <param name="Owner"><c>user:NAME</c>, <c>group:NAME</c>, or none for a system-wide robot.</param>
/// <param name="Scopes">Scope limits, <c>type:pattern:actions</c>; none: the rules alone decide.</param>
public sealed record RobotCreate(string? Name, string? Owner, string? Description, DateTime? ExpiresAt, IReadOnlyList<string>? Scopes);

public sealed record RobotView(
    string Name, string Owner, string State, string? Description, IReadOnlyList<string>? Scopes,
    DateTime? ExpiresAt, DateTime CreatedAt, DateTime? LastUsedAt)
{
    public static RobotView From(Robot r, DateTime now) => new(
        r.Name, RobotService.OwnerText(r), r.IsDisabled ? "disabled" : r.IsExpired(now) ? "expired" : "active",
        r.Description, ScopeLimits.FromStored(r.ScopeLimits)?.ToStrings(), r.ExpiresAt, r.CreatedAt, r.LastUsedAt);
}

/// <summary>The secret exists only in this answer: it is stored as a hash and never shown again.</summary>
public sealed record CreatedRobotView(RobotView Robot, string Secret);
