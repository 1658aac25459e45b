using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Core.SignIn;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AuthServer.Core.Identity;

/// <summary>
/// An identity source that provisions users here (a directory, an OpenID Connect provider), as its
/// changes appear in the audit log: <see cref="Source"/> is stored on its users and memberships,
/// <see cref="Actor"/> makes its changes, <see cref="Title"/> names it in their reasons.
/// </summary>
public sealed record SourceOrigin(string Source, string Actor, string Title);

/// <summary>
/// What every provisioning source does alike with its users' local records: the memberships its
/// group mapping gives (administrators' own memberships left alone), and the refusal that stops
/// every credential of a user the source no longer accepts. Written once for LDAP and OIDC.
/// </summary>
public sealed class SourceAccounts(IDbContextFactory<AuthServerDbContext> dbs, TimeProvider time, ILogger<SourceAccounts> log)
{
    /// <summary>
    /// The user's memberships made by this source become exactly <paramref name="groups"/> (normalized
    /// names); missing AuthServer groups are made, since the mapping names them. Not saved here.
    /// </summary>
    public async Task SyncMembershipsAsync(
        AuthServerDbContext db, User user, SourceOrigin origin, IReadOnlyCollection<string> groups, DateTime now, CancellationToken ct)
    {
        foreach (var stale in user.Memberships.Where(m => m.Source == origin.Source && !groups.Contains(m.Group.NormalizedName)).ToList())
        {
            user.Memberships.Remove(stale);
            db.GroupMembers.Remove(stale);
            Audit(db, origin, AuditEventTypes.GroupMemberRemove, stale.Group.Name, $"{user.Name}: no longer in the group at {origin.Title}");
        }
        foreach (var name in groups.Where(n => user.Memberships.All(m => m.Group.NormalizedName != n)))
        {
            var group = await db.Groups.SingleOrDefaultAsync(g => g.NormalizedName == name, ct);
            if (group is null)
            {
                group = new Group { Name = name, NormalizedName = name, Description = $"mapped from {origin.Title}", CreatedAt = now };
                db.Groups.Add(group);
                Audit(db, origin, AuditEventTypes.GroupCreate, name, $"made for a group mapping of {origin.Title}");
            }
            var member = new GroupMember { Group = group, User = user, AddedAt = now, Source = origin.Source };
            user.Memberships.Add(member);
            Audit(db, origin, AuditEventTypes.GroupMemberAdd, name, $"{user.Name}: in the group at {origin.Title}");
        }
    }

    /// <summary>
    /// The source refuses a user it provisioned (gone, disabled there, out of the required group):
    /// every credential of theirs stops at once (new stamp, <see cref="User.SourceDenied"/>), their
    /// refresh sessions end, and the source-made memberships go.
    /// </summary>
    /// <param name="externalId">When given, only the user with this id at the source (another person of the same name is not refused).</param>
    public async Task DenyAsync(string normalizedName, SourceOrigin origin, string reason, CancellationToken ct, string? externalId = null)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var user = await db.Users.Include(u => u.Memberships).ThenInclude(m => m.Group)
            .SingleOrDefaultAsync(u => u.NormalizedName == normalizedName && u.Source == origin.Source, ct);
        if (user is null || externalId is not null && user.ExternalId != externalId) return;
        var now = time.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!user.SourceDenied)
        {
            user.SourceDenied = true;
            user.SecurityStamp = UserService.NewStamp();
            user.UpdatedAt = now;
            Audit(db, origin, AuditEventTypes.UserSourceDeny, user.Name, reason);
            log.LogWarning("User {User} refused by {Source}: {Reason}; their sessions end", LogText.Safe(user.Name), origin.Title, reason);
        }
        await SyncMembershipsAsync(db, user, origin, [], now, ct);
        foreach (var session in await db.RefreshSessions.Where(s => s.UserId == user.Id && s.RevokedAt == null).ToListAsync(ct))
        {
            session.RevokedAt = now;
            session.RevokedReason = $"refused by {origin.Title}";
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>A change the source made, in the same save as the change.</summary>
    /// <summary>A user first signed in through a source: no local password, marked with the source and its own id for the person.</summary>
    public static User NewUser(string name, string normalizedName, string source, string externalId, DateTime now) => new()
    {
        Name = name,
        NormalizedName = normalizedName,
        PasswordHash = "",
        Source = source,
        ExternalId = externalId,
        SecurityStamp = UserService.NewStamp(),
        CreatedAt = now,
        UpdatedAt = now,
    };

    public void Audit(AuthServerDbContext db, SourceOrigin origin, string type, string subject, string reason) => db.AuditEvents.Add(new AuditEvent
    {
        At = time.GetUtcNow().UtcDateTime,
        Type = type,
        Outcome = AuditOutcome.Success,
        Subject = AuditText.Subject(subject),
        Actor = origin.Actor,
        Reason = AuditText.Truncate(reason, AuditText.MaxReasonLength),
    });
}
