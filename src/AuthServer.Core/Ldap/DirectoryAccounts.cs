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
    IDbContextFactory<AuthServerDbContext> dbs, IOptions<LdapOptions> options, TimeProvider time, ILogger<DirectoryAccounts> log)
{
    private const string Actor = "directory";

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
            user = new User
            {
                Name = entry.Login.Trim(),
                NormalizedName = normalized,
                PasswordHash = "",
                Source = IdentitySources.Ldap,
                ExternalId = entry.Dn,
                SecurityStamp = UserService.NewStamp(),
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Users.Add(user);
            Audit(db, AuditEventTypes.UserProvision, user.Name, $"provisioned from the directory ({entry.Dn})");
        }
        else
        {
            if (!user.IsLocal || user.PasswordHash.Length > 0)
            {
                if (user.IsLocal) Audit(db, AuditEventTypes.UserProvision, user.Name, "local account taken over by the directory (identity source order)");
                user.Source = IdentitySources.Ldap;
                user.PasswordHash = "";
            }
            if (user.ExternalId != entry.Dn) user.ExternalId = entry.Dn;
            if (user.SourceDenied)
            {
                user.SourceDenied = false;
                Audit(db, AuditEventTypes.UserSourceAllow, user.Name, "accepted by the directory again");
            }
            if (db.Entry(user).State == EntityState.Modified)
            {
                user.SecurityStamp = UserService.NewStamp();
                user.UpdatedAt = now;
            }
        }
        await SyncMembershipsAsync(db, user, groups, now, ct);
        await db.SaveChangesAsync(ct);
        return user;
    }

    /// <summary>
    /// The user's directory-made memberships become exactly <paramref name="groups"/>; memberships an
    /// administrator made are left alone. Missing AuthServer groups are made (the mapping names them).
    /// </summary>
    private async Task SyncMembershipsAsync(AuthServerDbContext db, User user, IReadOnlyCollection<string> groups, DateTime now, CancellationToken ct)
    {
        foreach (var stale in user.Memberships.Where(m => m.Source == IdentitySources.Ldap && !groups.Contains(m.Group.NormalizedName)).ToList())
        {
            user.Memberships.Remove(stale);
            db.GroupMembers.Remove(stale);
            Audit(db, AuditEventTypes.GroupMemberRemove, stale.Group.Name, $"{user.Name}: no longer in the directory group");
        }
        foreach (var name in groups.Where(n => user.Memberships.All(m => m.Group.NormalizedName != n)))
        {
            var group = await db.Groups.SingleOrDefaultAsync(g => g.NormalizedName == name, ct);
            if (group is null)
            {
                group = new Group { Name = name, NormalizedName = name, Description = "mapped from the directory", CreatedAt = now };
                db.Groups.Add(group);
                Audit(db, AuditEventTypes.GroupCreate, name, "made for a directory group mapping");
            }
            var member = new GroupMember { Group = group, User = user, AddedAt = now, Source = IdentitySources.Ldap };
            user.Memberships.Add(member);
            Audit(db, AuditEventTypes.GroupMemberAdd, name, $"{user.Name}: in the directory group");
        }
    }

    /// <summary>
    /// The directory refuses a provisioned user (gone, disabled there, out of the required group):
    /// every credential of theirs stops at once (new stamp, <see cref="User.SourceDenied"/>), their
    /// refresh sessions end, and the directory-made memberships go.
    /// </summary>
    public async Task DenyAsync(string normalizedName, string reason, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var user = await db.Users.Include(u => u.Memberships).ThenInclude(m => m.Group)
            .SingleOrDefaultAsync(u => u.NormalizedName == normalizedName && u.Source == IdentitySources.Ldap, ct);
        if (user is null) return;
        var now = time.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!user.SourceDenied)
        {
            user.SourceDenied = true;
            user.SecurityStamp = UserService.NewStamp();
            user.UpdatedAt = now;
            Audit(db, AuditEventTypes.UserSourceDeny, user.Name, reason);
            log.LogWarning("Directory user {User} refused by the directory: {Reason}; their sessions end", LogText.Safe(user.Name), reason);
        }
        await SyncMembershipsAsync(db, user, [], now, ct);
        foreach (var session in await db.RefreshSessions.Where(s => s.UserId == user.Id && s.RevokedAt == null).ToListAsync(ct))
        {
            session.RevokedAt = now;
            session.RevokedReason = "refused by the directory";
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The directory users to refresh: every provisioned one the directory has not refused.</summary>
    public async Task<IReadOnlyList<string>> ActiveAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking().Where(u => u.Source == IdentitySources.Ldap && !u.SourceDenied)
            .Select(u => u.Name).ToListAsync(ct);
    }

    private void Audit(AuthServerDbContext db, string type, string subject, string reason) => db.AuditEvents.Add(new AuditEvent
    {
        At = time.GetUtcNow().UtcDateTime,
        Type = type,
        Outcome = AuditOutcome.Success,
        Subject = AuditText.Subject(subject),
        Actor = Actor,
        Reason = AuditText.Truncate(reason, AuditText.MaxReasonLength),
    });
}
