using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Core.Errors;
using AuthServer.Core.Policy;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Core.Identity;

/// <summary>What a caller asks a robot to be; validated by <see cref="RobotService"/>.</summary>
/// <param name="Owner"><c>user:NAME</c>, <c>group:NAME</c>, or null for a system-wide robot.</param>
/// <param name="Scopes">Scope limits, <c>type:pattern:actions</c>; none means the rules alone decide.</param>
public sealed record RobotSpec(
    string Name, string? Owner = null, string? Description = null, DateTime? ExpiresAt = null, IReadOnlyCollection<string>? Scopes = null);

/// <summary>A robot and its secret, which exists only in this answer.</summary>
public sealed record CreatedRobot(Robot Robot, string Secret);

/// <summary>Robot accounts, for the CLI and the admin API alike.</summary>
public sealed class RobotService(
    AuthServerDbContext db, RefreshSessionService sessions, ChangeAudit audit, TimeProvider time)
{
    public async Task<CreatedRobot> CreateAsync(RobotSpec spec, CancellationToken ct)
    {
        if (Names.Problem(spec.Name, "robot") is { } nameProblem) throw new ValidationFailedException("name", nameProblem);
        if (spec.Description is { Length: > 500 }) throw new ValidationFailedException("description", "description is longer than 500 characters");
        var now = Now;
        if (spec.ExpiresAt is { } expires && expires <= now) throw new ValidationFailedException("expiresAt", "the expiry must be in the future");
        var limits = ScopeLimits.FromInput(spec.Scopes);

        var owner = await ResolveOwnerAsync(spec.Owner, ct);
        var name = RobotNames.Compose(owner.User?.Name ?? owner.Group?.Name, spec.Name);
        var robot = new Robot
        {
            Name = name,
            NormalizedName = Names.Normalize(name),
            OwnerKind = owner.Kind,
            OwnerUser = owner.User,
            OwnerUserId = owner.User?.Id,
            OwnerGroup = owner.Group,
            OwnerGroupId = owner.Group?.Id,
            SecretHash = [],
            CreatedAt = now,
            UpdatedAt = now,
        };
        // Every name column (rules' subjects included) holds 64 characters.
        if (robot.Name.Length > Names.MaxLength)
            throw new ValidationFailedException("name", $"robot login name '{robot.Name}' is longer than {Names.MaxLength} characters");
        if (await db.Robots.AnyAsync(r => r.NormalizedName == robot.NormalizedName, ct))
            throw new ConflictException($"robot '{robot.Name}' already exists");

        var secret = Secrets.Generate(Secrets.RobotSecretPrefix);
        robot.SecretHash = Secrets.Hash(secret);
        robot.Description = spec.Description;
        robot.ExpiresAt = spec.ExpiresAt;
        robot.ScopeLimits = limits?.ToStored();
        db.Robots.Add(robot);
        audit.Record(AuditEventTypes.RobotCreate, robot.Name, after: Describe(robot));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            throw new ConflictException($"robot '{robot.Name}' already exists");
        }
        return new CreatedRobot(robot, secret);
    }

    /// <param name="owner">Only the robots of this <c>user:NAME</c> or <c>group:NAME</c>; <c>system</c> for system-wide ones.</param>
    public async Task<IReadOnlyList<Robot>> ListAsync(string? owner, CancellationToken ct)
    {
        var query = db.Robots.AsNoTracking().Include(r => r.OwnerUser).Include(r => r.OwnerGroup).AsQueryable();
        if (!string.IsNullOrWhiteSpace(owner))
        {
            var (kind, user, group) = await ResolveOwnerAsync(owner, ct);
            query = kind switch
            {
                RobotOwnerKind.User => query.Where(r => r.OwnerUserId == user!.Id),
                RobotOwnerKind.Group => query.Where(r => r.OwnerGroupId == group!.Id),
                _ => query.Where(r => r.OwnerKind == RobotOwnerKind.System),
            };
        }
        return await query.OrderBy(r => r.NormalizedName).ToListAsync(ct);
    }

    public async Task<Robot> GetAsync(string name, CancellationToken ct)
    {
        var normalized = Names.Normalize(name);
        return await db.Robots.Include(r => r.OwnerUser).Include(r => r.OwnerGroup)
            .SingleOrDefaultAsync(r => r.NormalizedName == normalized, ct) ?? throw new NotFoundException("robot", name);
    }

    /// <summary>A disabled robot is refused from the next request on, and its refresh sessions end.</summary>
    public async Task<Robot> SetDisabledAsync(string name, bool disabled, CancellationToken ct)
    {
        var robot = await GetAsync(name, ct);
        if (robot.IsDisabled == disabled) return robot;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        robot.IsDisabled = disabled;
        robot.UpdatedAt = Now;
        audit.Record(disabled ? AuditEventTypes.RobotDisable : AuditEventTypes.RobotEnable, robot.Name,
            before: new { disabled = !disabled }, after: new { disabled });
        await db.SaveChangesAsync(ct);
        if (disabled) await sessions.EndForRobotAsync(robot.Id, "robot disabled", ct);
        await tx.CommitAsync(ct);
        return robot;
    }

    /// <summary>Deletes the robot, its sessions and the rules naming it (a later robot of the same name inherits nothing).</summary>
    public async Task DeleteAsync(string name, CancellationToken ct)
    {
        var robot = await GetAsync(name, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.AccessRules.RemoveRange(await db.AccessRules.Where(r => r.SubjectKind == SubjectKind.Robot && r.Subject == robot.NormalizedName).ToListAsync(ct));
        db.Robots.Remove(robot);
        audit.Record(AuditEventTypes.RobotDelete, robot.Name, before: Describe(robot));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private sealed record Owner(RobotOwnerKind Kind, User? User, Group? Group);

    /// <param name="owner"><c>user:NAME</c>, <c>group:NAME</c>, <c>system</c> or nothing (system).</param>
    private async Task<Owner> ResolveOwnerAsync(string? owner, CancellationToken ct)
    {
        owner = owner?.Trim();
        if (string.IsNullOrEmpty(owner) || string.Equals(owner, "system", StringComparison.OrdinalIgnoreCase))
            return new Owner(RobotOwnerKind.System, null, null);
        var colon = owner.IndexOf(':');
        var kind = colon > 0 ? owner[..colon].ToLowerInvariant() : "";
        var name = colon > 0 ? owner[(colon + 1)..] : "";
        var normalized = Names.Normalize(name);
        return kind switch
        {
            "user" => new Owner(RobotOwnerKind.User,
                await db.Users.SingleOrDefaultAsync(u => u.NormalizedName == normalized, ct)
                    ?? throw new ValidationFailedException("owner", $"user '{name}' does not exist"), null),
            "group" => new Owner(RobotOwnerKind.Group, null,
                await db.Groups.SingleOrDefaultAsync(g => g.NormalizedName == normalized, ct)
                    ?? throw new ValidationFailedException("owner", $"group '{name}' does not exist")),
            _ => throw new ValidationFailedException("owner", $"owner '{owner}' must be user:NAME, group:NAME or system"),
        };
    }

    public static string OwnerText(Robot r) => r.OwnerKind switch
    {
        RobotOwnerKind.User => $"user:{r.OwnerUser?.Name}",
        RobotOwnerKind.Group => $"group:{r.OwnerGroup?.Name}",
        _ => "system",
    };

    private static object Describe(Robot r) => new
    {
        name = r.Name,
        owner = OwnerText(r),
        description = r.Description,
        expiresAt = r.ExpiresAt,
        scopes = r.ScopeLimits,
        disabled = r.IsDisabled,
    };

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
