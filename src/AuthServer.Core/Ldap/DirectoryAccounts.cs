using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using AuthServer.Core.SignIn;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.Ldap;

/// <summary>
/// The local records of directory users: made at first sign-in (provisioned) and brought in line
/// with the directory at each later check. A directory user is a <see cref="User"/> whose source
/// is <see cref="IdentitySources.Ldap"/>, so rules, tokens, robots, sessions and audit need nothing
/// new. Only what changed is written: an unchanged user moves no revision, so other users' cached
/// records stay warm.
/// </summary>
public sealed class DirectoryAccounts(
    IDbContextFactory<AuthServerDbContext> dbs, SourceAccounts accounts, IOptions<LdapOptions> options, TimeProvider time, ILogger<DirectoryAccounts> log)
{
    /// <summary>How the directory's changes appear in the audit log.</summary>
    public static readonly SourceOrigin Origin = new(IdentitySources.Ldap, "directory", "the directory");

    /// <summary>The groups of this user that the mapping gives them, by AuthServer group name.</summary>
    public IReadOnlyCollection<string> MappedGroups(DirectoryEntry entry)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var mapping in options.Value.GroupMappings)
            foreach (var group in entry.Groups.Where(g => DistinguishedNames.Matches(mapping.Directory, g)))
            {
                var name = string.IsNullOrWhiteSpace(mapping.Group) ? group.Name : mapping.Group.Trim();
                if (Names.Problem(name, "group") is null) names.Add(Names.Normalize(name));
                else log.LogWarning("Directory group mapped to '{Group}', which is not a valid group name here; not applied", LogText.Safe(name));
            }
        return names;
    }

    /// <summary>Why the directory refuses this user; null when they may sign in.</summary>
    public string? Refusal(DirectoryEntry entry)
    {
        if (entry.DisabledInDirectory) return "disabled in the directory";
        if (options.Value.RequiredGroup is { Length: > 0 } required && !entry.Groups.Any(g => DistinguishedNames.Matches(required, g)))
            return "not in the directory's required group";
        return null;
    }

    /// <summary>
    /// Makes or updates the user of this entry, with the memberships the mapping gives, and returns
    /// it as saved. A local account of the same name is taken over (its password removed) only when
    /// the caller decided the directory wins the name (<see cref="SignIn.Sources.IdentitySourceOptions.Order"/>).
    /// </summary>
    public async Task<User> ProvisionAsync(DirectoryEntry entry, CancellationToken ct)
    {
        var groups = MappedGroups(entry);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await ProvisionOnceAsync(entry, groups, ct);
            }
            catch (DbUpdateException) when (attempt < 2)
            {
                // Another sign-in of the same user (or another replica) made the row or group first: read it again.
            }
        }
    }

    private async Task<User> ProvisionOnceAsync(DirectoryEntry entry, IReadOnlyCollection<string> groups, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var normalized = Names.Normalize(entry.Login);
        var now = time.GetUtcNow().UtcDateTime;
        var user = await db.Users.Include(u => u.Memberships).ThenInclude(m => m.Group).SingleOrDefaultAsync(u => u.NormalizedName == normalized, ct);
        if (user is null)
        {
            user = SourceAccounts.NewUser(entry.Login.Trim(), normalized, IdentitySources.Ldap, entry.Dn, now);
            db.Users.Add(user);
            accounts.Audit(db, Origin, AuditEventTypes.UserProvision, user.Name, $"provisioned from the directory ({entry.Dn})");
        }
        else
        {
            if (!user.IsLocal || user.PasswordHash.Length > 0)
            {
                if (user.IsLocal) accounts.Audit(db, Origin, AuditEventTypes.UserProvision, user.Name, "local account taken over by the directory (identity source order)");
                user.Source = IdentitySources.Ldap;
                user.PasswordHash = "";
            }
            if (user.ExternalId != entry.Dn) user.ExternalId = entry.Dn;
            if (user.SourceDenied)
            {
                user.SourceDenied = false;
                accounts.Audit(db, Origin, AuditEventTypes.UserSourceAllow, user.Name, "accepted by the directory again");
            }
            if (db.Entry(user).State == EntityState.Modified)
            {
                user.SecurityStamp = UserService.NewStamp();
                user.UpdatedAt = now;
            }
        }
        await accounts.SyncMembershipsAsync(db, user, Origin, groups, now, ct);
        await db.SaveChangesAsync(ct);
        return user;
    }

    /// <summary>
    /// The directory refuses a provisioned user (gone, disabled there, out of the required group):
    /// every credential of theirs stops and their sessions end (<see cref="SourceAccounts.DenyAsync"/>).
    /// </summary>
    public Task DenyAsync(string normalizedName, string reason, CancellationToken ct) => accounts.DenyAsync(normalizedName, Origin, reason, ct);

    /// <summary>The directory users to refresh: every provisioned one the directory has not refused.</summary>
    public async Task<IReadOnlyList<string>> ActiveAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking().Where(u => u.Source == IdentitySources.Ldap && !u.SourceDenied)
            .Select(u => u.Name).ToListAsync(ct);
    }
}
