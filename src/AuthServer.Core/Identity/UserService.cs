using AuthServer.Core.Data;
using AuthServer.Core.Errors;
using AuthServer.Core.Policy;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Core.Identity;

/// <summary>Every change to users, behind both the CLI and the admin API, so both validate alike.</summary>
public sealed class UserService(
    AuthServerDbContext db, PasswordHasher hasher, RefreshSessionService sessions, RevisionMonitor revisions, TimeProvider time)
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
        await SaveUniqueAsync($"user '{name}' already exists", ct);
        return user;
    }

    public async Task<IReadOnlyList<User>> ListAsync(string? nameContains, int skip, int take, CancellationToken ct)
    {
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(nameContains))
        {
            var needle = Names.Normalize(nameContains);
            query = query.Where(u => u.NormalizedName.Contains(needle));
        }
        return await query.OrderBy(u => u.NormalizedName).Skip(skip).Take(take).ToListAsync(ct);
    }

    public Task<int> CountAsync(CancellationToken ct) => db.Users.CountAsync(ct);

    public async Task<User> GetAsync(string name, CancellationToken ct) =>
        await FindAsync(name, ct) ?? throw new NotFoundException("user", name);

    public Task<User?> FindAsync(string name, CancellationToken ct)
    {
        var normalized = Names.Normalize(name);
        return db.Users.SingleOrDefaultAsync(u => u.NormalizedName == normalized, ct);
    }

    /// <summary>Sets a new password; every refresh session of the user ends.</summary>
    public async Task SetPasswordAsync(string name, string password, CancellationToken ct)
    {
        Require(hasher.Problem(password), "password");
        var user = await GetAsync(name, ct);
        user.PasswordHash = hasher.Hash(password);
        await ChangeSecurityStateAsync(user, "password changed", ct);
    }

    /// <summary>Disabling ends every refresh session; a disabled user gets no token at all.</summary>
    public async Task SetDisabledAsync(string name, bool disabled, CancellationToken ct)
    {
        var user = await GetAsync(name, ct);
        if (user.IsDisabled == disabled) return;
        user.IsDisabled = disabled;
        await ChangeSecurityStateAsync(user, disabled ? "user disabled" : "user enabled", ct);
    }

    public async Task SetAdminAsync(string name, bool isAdmin, CancellationToken ct)
    {
        var user = await GetAsync(name, ct);
        if (user.IsAdmin == isAdmin) return;
        user.IsAdmin = isAdmin;
        // A new stamp drops cached verifications; sessions go on, since grants are decided afresh.
        user.SecurityStamp = NewStamp();
        user.UpdatedAt = Now;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Deletes the user, their memberships, sessions and the rules that name them.</summary>
    public async Task DeleteAsync(string name, CancellationToken ct)
    {
        var user = await GetAsync(name, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.AccessRules.Where(r => r.SubjectKind == SubjectKind.User && r.Subject == user.NormalizedName).ExecuteDeleteAsync(ct);
        db.Users.Remove(user);
        await db.SaveChangesAsync(ct);
        await db.BumpAsync(ChangeRevision.Policy, ct);
        await tx.CommitAsync(ct);
        revisions.MarkStale();
    }

    /// <summary>A rehash at the current work factor, after a successful login with an older one.</summary>
    public async Task UpgradeHashAsync(long userId, string expectedStamp, string password, CancellationToken ct)
    {
        var hash = hasher.Hash(password);
        // Only if nothing changed since the password was verified.
        await db.Users.Where(u => u.Id == userId && u.SecurityStamp == expectedStamp)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, hash), ct);
    }

    private async Task ChangeSecurityStateAsync(User user, string endSessionsReason, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        user.SecurityStamp = NewStamp();
        user.UpdatedAt = Now;
        await db.SaveChangesAsync(ct);
        await sessions.RevokeAllForUserAsync(user.Id, endSessionsReason, ct);
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

    private static string NewStamp() => Guid.NewGuid().ToString("N");

    private static void Require(string? problem, string field)
    {
        if (problem is not null) throw new ValidationFailedException(field, problem);
    }
}
