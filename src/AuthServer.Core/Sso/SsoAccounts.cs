using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Core.Federation;
using AuthServer.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AuthServer.Core.Sso;

/// <summary>The outcome of an SSO sign-in: the user as saved, or why the person may not sign in (for the audit log).</summary>
public sealed record SsoProvision(User? User, string? Refusal, IReadOnlyCollection<string> Groups)
{
    public static SsoProvision Refused(string reason) => new(null, reason, []);
}

/// <summary>
/// The local records of people who sign in through an OpenID Connect provider: a user whose source
/// is <c>oidc:NAME</c>, with no password here, made at first sign-in and brought in line with the
/// provider's groups at each later one. A name already held by another source's user (a local
/// administrator, a directory user) or by another person of the provider (another subject) is
/// never taken over: the sign-in is refused instead.
/// </summary>
public sealed class SsoAccounts(IDbContextFactory<AuthServerDbContext> dbs, SourceAccounts accounts, TimeProvider time, ILogger<SsoAccounts> log)
{
    private const int MaxSubjectLength = 255;

    public static SourceOrigin Origin(OidcProviderOptions provider) => new(provider.Source, provider.Source, $"provider {provider.Name}");

    /// <summary>The AuthServer groups (normalized) the provider's mappings give this person.</summary>
    public IReadOnlyCollection<string> MappedGroups(OidcProviderOptions provider, SsoIdentity identity)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var mapping in provider.GroupMappings)
            foreach (var group in identity.Groups.Where(g => ClaimPattern.Matches(mapping.Provider, g)))
            {
                var name = string.IsNullOrWhiteSpace(mapping.Group) ? group : mapping.Group.Trim();
                if (Names.Problem(name, "group") is null) names.Add(Names.Normalize(name));
                else log.LogWarning("Group of provider {Provider} mapped to '{Group}', which is not a valid group name here; not applied", provider.Name, LogText.Safe(name));
            }
        return names;
    }

    /// <summary>Makes or updates the person's user, or says why they may not sign in.</summary>
    public async Task<SsoProvision> SignInAsync(OidcProviderOptions provider, SsoIdentity identity, CancellationToken ct)
    {
        if (identity.Subject.Length is 0 or > MaxSubjectLength) return SsoProvision.Refused("the provider gave no usable subject (sub)");
        if (identity.Login is not { } login || Names.Problem(login, "user") is not null)
            return SsoProvision.Refused($"the provider's {provider.NameClaim} claim is missing or not a valid user name here");
        var normalized = Names.Normalize(login);
        if (provider.RequiredGroup is { Length: > 0 } required && !identity.Groups.Contains(required, StringComparer.Ordinal))
        {
            // A user who had signed in before loses every credential now, as a directory user would.
            await accounts.DenyAsync(normalized, Origin(provider), "not in the provider's required group", ct, identity.Subject);
            return SsoProvision.Refused($"not in the provider's required group '{required}'");
        }

        var groups = MappedGroups(provider, identity);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await ProvisionOnceAsync(provider, identity, login.Trim(), normalized, groups, ct);
            }
            catch (DbUpdateException) when (attempt < 2)
            {
                // Another sign-in of the same person (or another replica) made the row or group first: read it again.
            }
        }
    }

    private async Task<SsoProvision> ProvisionOnceAsync(
        OidcProviderOptions provider, SsoIdentity identity, string login, string normalized, IReadOnlyCollection<string> groups, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var origin = Origin(provider);
        var now = time.GetUtcNow().UtcDateTime;
        var user = await db.Users.Include(u => u.Memberships).ThenInclude(m => m.Group).SingleOrDefaultAsync(u => u.NormalizedName == normalized, ct);
        if (user is null)
        {
            user = SourceAccounts.NewUser(login, normalized, provider.Source, identity.Subject, now);
            db.Users.Add(user);
            accounts.Audit(db, origin, AuditEventTypes.UserProvision, user.Name, $"provisioned from {origin.Title}");
        }
        else
        {
            if (user.Source != provider.Source) return SsoProvision.Refused($"the name belongs to a user of the {user.Source} source");
            if (!string.Equals(user.ExternalId, identity.Subject, StringComparison.Ordinal))
                return SsoProvision.Refused("the name belongs to another person at the provider (another subject)");
            if (user.SourceDenied)
            {
                user.SourceDenied = false;
                user.SecurityStamp = UserService.NewStamp();
                user.UpdatedAt = now;
                accounts.Audit(db, origin, AuditEventTypes.UserSourceAllow, user.Name, $"accepted by {origin.Title} again");
            }
        }
        await accounts.SyncMembershipsAsync(db, user, origin, groups, now, ct);
        await db.SaveChangesAsync(ct);
        return user.IsDisabled ? new SsoProvision(null, "user disabled", groups) : new SsoProvision(user, null, groups);
    }
}
