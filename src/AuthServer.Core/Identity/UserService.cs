using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Core.Errors;
using AuthServer.Core.Policy;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Core.Identity;

/// <summary>What an update changes; a null field stays as it is.</summary>
public sealed record UserUpdate(bool? Admin = null, bool? Disabled = null);

/// <summary>Every change to users, behind both the CLI and the admin API, so both validate and audit alike.</summary>
public sealed class UserService(
    AuthServerDbContext db, PasswordHasher hasher, RefreshSessionService sessions,
    ChangeAudit audit, TimeProvider time)
{
    public async Task<User> CreateAsync(string name, string password, bool isAdmin, CancellationToken ct)
    {
        Require(Names.Problem(name, "user"), "name");
        Require(hasher.Problem(password), "password");
        name = name.Trim();
        var normalized = Names.Normalize(name);
        if (await db.Users.AnyAsync(u => u.NormalizedName == normalized, ct))
            throw new ConflictException($"user '{name}' already exists");

        var now = Now;
        var user = new User
        {
            Name = name,
            NormalizedName = normalized,
            PasswordHash = hasher.Hash(password),
            IsAdmin = isAdmin,
            SecurityStamp = NewStamp(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Users.Add(user);
        audit.Record(AuditEventTypes.UserCreate, name, after: new { name, admin = isAdmin });
        await SaveUniqueAsync($"user '{name}' already exists", ct);
        return user;
    }

    public async Task<IReadOnlyList<User>> ListAsync(string? nameContains, int skip, int take, CancellationToken ct)
    {
        if (skip < 0) throw new ValidationFailedException("offset", "offset must not be negative");
        if (take < 1) throw new ValidationFailedException("limit", "limit must be at least 1");
        return await Matching(nameContains).OrderBy(u => u.NormalizedName).Skip(skip).Take(take).ToListAsync(ct);
    }

    public Task<int> CountAsync(CancellationToken ct) => db.Users.CountAsync(ct);

    /// <summary>How many users a <see cref="ListAsync"/> filter matches, for paging.</summary>
    public Task<int> CountAsync(string? nameContains, CancellationToken ct) => Matching(nameContains).CountAsync(ct);

    private IQueryable<User> Matching(string? nameContains)
    {
        var query = db.Users.AsNoTracking();
        if (string.IsNullOrWhiteSpace(nameContains)) return query;
        var needle = Names.Normalize(nameContains);
        return query.Where(u => u.NormalizedName.Contains(needle));
    }

    /// <summary>Applies the flags an update names, each as its own audited change.</summary>
    public async Task<User> UpdateAsync(string name, UserUpdate update, CancellationToken ct)
    {
        if (update.Disabled is { } disabled) await SetDisabledAsync(name, disabled, ct);
        if (update.Admin is { } admin) await SetAdminAsync(name, admin, ct);
        return await GetAsync(name, ct);
    }

    public async Task<User> GetAsync(string name, CancellationToken ct) =>
        await FindAsync(name, ct) ?? throw new NotFoundException("user", name);

    public Task<User?> FindAsync(string name, CancellationToken ct)
    {
        var normalized = Names.Normalize(name);
        return db.Users.SingleOrDefaultAsync(u => u.NormalizedName == normalized, ct);
    }

    /// <summary>
    /// Sets a new password. The sessions the old password started end; access tokens and their
    /// sessions go on (revoke those one by one), so a CI job does not break when its owner
    /// changes a password.
    /// </summary>
    public async Task SetPasswordAsync(string name, string password, CancellationToken ct)
    {
        Require(hasher.Problem(password), "password");
        var user = await GetAsync(name, ct);
        if (!user.IsLocal)
            throw new ConflictException($"user '{user.Name}' signs in with the {user.Source} identity source; its password is kept and changed there");
        user.PasswordHash = hasher.Hash(password);
        audit.Record(AuditEventTypes.UserPassword, user.Name);
        await ChangeSecurityStateAsync(user, () => sessions.EndForUserAsync(user.Id, "password changed", ct, CredentialKind.Password), ct);
    }

    /// <summary>
    /// Disabling ends every refresh session of the user and of the robots they own; a disabled
    /// user, their access tokens and their robots get no token at all until enabled again.
    /// </summary>
    public async Task SetDisabledAsync(string name, bool disabled, CancellationToken ct)
    {
        var user = await GetAsync(name, ct);
        if (user.IsDisabled == disabled) return;
        var wasEnabledAdmin = user.IsAdmin && !user.IsDisabled;
        user.IsDisabled = disabled;
        audit.Record(disabled ? AuditEventTypes.UserDisable : AuditEventTypes.UserEnable, user.Name,
            before: new { disabled = !disabled }, after: new { disabled });
        await ChangeSecurityStateAsync(user, async () =>
        {
            if (!disabled) return;
            if (wasEnabledAdmin) await KeepAnAdministratorAsync(user, ct);
            await sessions.EndForUserAsync(user.Id, "user disabled", ct);
            await sessions.EndForRobotsOwnedByAsync(user.Id, "owner disabled", ct);
        }, ct);
    }

    public async Task SetAdminAsync(string name, bool isAdmin, CancellationToken ct)
    {
        var user = await GetAsync(name, ct);
        if (user.IsAdmin == isAdmin) return;
        var wasEnabledAdmin = user.IsAdmin && !user.IsDisabled;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        user.IsAdmin = isAdmin;
        // A new stamp drops cached verifications; sessions go on, since grants are decided afresh.
        user.SecurityStamp = NewStamp();
        user.UpdatedAt = Now;
        audit.Record(AuditEventTypes.UserAdmin, user.Name, before: new { admin = !isAdmin }, after: new { admin = isAdmin });
        await SaveConcurrentAsync(user.Name, ct);
        if (wasEnabledAdmin) await KeepAnAdministratorAsync(user, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Deletes the user with their memberships, sessions, access tokens and robots, and the rules
    /// that name the user or their robots (so a later account of the same name inherits nothing).
    /// </summary>
    public async Task DeleteAsync(string name, CancellationToken ct)
    {
        var user = await GetAsync(name, ct);
        var wasEnabledAdmin = user.IsAdmin && !user.IsDisabled;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var ownedRobots = db.Robots.Where(r => r.OwnerUserId == user.Id).Select(r => r.NormalizedName);
        db.AccessRules.RemoveRange(await db.AccessRules
            .Where(r => (r.SubjectKind == SubjectKind.User && r.Subject == user.NormalizedName)
                        || (r.SubjectKind == SubjectKind.Robot && ownedRobots.Contains(r.Subject!)))
            .ToListAsync(ct));
        db.Users.Remove(user);
        audit.Record(AuditEventTypes.UserDelete, user.Name, before: new { name = user.Name, admin = user.IsAdmin, disabled = user.IsDisabled });
        await SaveConcurrentAsync(user.Name, ct);
        if (wasEnabledAdmin) await KeepAnAdministratorAsync(user, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Refuses a change that leaves no enabled administrator: nobody could then use the admin API,
    /// and only someone with the database file could repair it. Called inside the change's
    /// transaction, after its write: SQLite lets one transaction write at a time (BEGIN IMMEDIATE),
    /// so of two requests demoting the last two administrators at once the second sees the first's
    /// change here and is refused, and its own write rolls back with it.
    /// </summary>
    private async Task KeepAnAdministratorAsync(User user, CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(u => u.IsAdmin && !u.IsDisabled, ct))
            throw new ConflictException($"user '{user.Name}' is the last enabled administrator; make another user an administrator first");
    }

    /// <summary>Saves a change to a user read before; if another request deleted the user meanwhile, that is a 404, not a failure.</summary>
    private async Task SaveConcurrentAsync(string name, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            throw new NotFoundException("user", name);
        }
    }

    /// <summary>A new security stamp (dropping anything cached from the old state) and the sessions ended, in one transaction.</summary>
    private async Task ChangeSecurityStateAsync(User user, Func<Task> endSessions, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        user.SecurityStamp = NewStamp();
        user.UpdatedAt = Now;
        await SaveConcurrentAsync(user.Name, ct);
        await endSessions();
        await tx.CommitAsync(ct);
    }

    private async Task SaveUniqueAsync(string conflictMessage, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Lost a race with a concurrent create of the same name (unique index).
            db.ChangeTracker.Clear();
            throw new ConflictException(conflictMessage);
        }
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    internal static string NewStamp() => Guid.NewGuid().ToString("N");

    private static void Require(string? problem, string field)
    {
        if (problem is not null) throw new ValidationFailedException(field, problem);
    }
}
