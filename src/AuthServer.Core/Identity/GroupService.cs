using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Core.Errors;
using AuthServer.Core.Policy;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Core.Identity;

public sealed record GroupSummary(string Name, string? Description, int MemberCount, DateTime CreatedAt);

/// <summary>Groups and membership. Membership is part of the policy, so each change bumps its revision.</summary>
public sealed class GroupService(AuthServerDbContext db, ChangeAudit audit, TimeProvider time)
{
    public async Task<Group> CreateAsync(string name, string? description, CancellationToken ct)
    {
        if (Names.Problem(name, "group") is { } problem) throw new ValidationFailedException("name", problem);
        if (description is { Length: > 500 }) throw new ValidationFailedException("description", "description is longer than 500 characters");
        name = name.Trim();
        var normalized = Names.Normalize(name);
        if (await db.Groups.AnyAsync(g => g.NormalizedName == normalized, ct))
            throw new ConflictException($"group '{name}' already exists");
        var group = new Group { Name = name, NormalizedName = normalized, Description = description, CreatedAt = time.GetUtcNow().UtcDateTime };
        db.Groups.Add(group);
        audit.Record(AuditEventTypes.GroupCreate, $"group:{name}", after: new { name, description });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            throw new ConflictException($"group '{name}' already exists");
        }
        return group;
    }

    public async Task<IReadOnlyList<GroupSummary>> ListAsync(CancellationToken ct) =>
        await db.Groups.AsNoTracking().OrderBy(g => g.NormalizedName)
            .Select(g => new GroupSummary(g.Name, g.Description, g.Members.Count, g.CreatedAt))
            .ToListAsync(ct);

    public async Task<Group> GetAsync(string name, CancellationToken ct)
    {
        var normalized = Names.Normalize(name);
        return await db.Groups.SingleOrDefaultAsync(g => g.NormalizedName == normalized, ct)
            ?? throw new NotFoundException("group", name);
    }

    public async Task<IReadOnlyList<string>> MembersAsync(string name, CancellationToken ct)
    {
        var group = await GetAsync(name, ct);
        return await db.GroupMembers.AsNoTracking().Where(m => m.GroupId == group.Id)
            .OrderBy(m => m.User.NormalizedName).Select(m => m.User.Name).ToListAsync(ct);
    }

    /// <summary>Deletes the group, its memberships, its robots and the rules that name it or its robots.</summary>
    public async Task DeleteAsync(string name, CancellationToken ct)
    {
        var group = await GetAsync(name, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var ownedRobots = db.Robots.Where(r => r.OwnerGroupId == group.Id).Select(r => r.NormalizedName);
        db.AccessRules.RemoveRange(await db.AccessRules
            .Where(r => (r.SubjectKind == SubjectKind.Group && r.Subject == group.NormalizedName)
                        || (r.SubjectKind == SubjectKind.Robot && ownedRobots.Contains(r.Subject!)))
            .ToListAsync(ct));
        db.Groups.Remove(group);
        audit.Record(AuditEventTypes.GroupDelete, $"group:{group.Name}", before: new { name = group.Name, description = group.Description });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another request deleted it between our read and this write.
            db.ChangeTracker.Clear();
            throw new NotFoundException("group", name);
        }
        await tx.CommitAsync(ct);
    }

    public async Task AddMemberAsync(string groupName, string userName, CancellationToken ct)
    {
        var group = await GetAsync(groupName, ct);
        var user = await FindUserAsync(userName, ct);
        if (await db.GroupMembers.AnyAsync(m => m.GroupId == group.Id && m.UserId == user.Id, ct))
            throw new ConflictException($"user '{user.Name}' is already a member of group '{group.Name}'");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.GroupMembers.Add(new GroupMember { GroupId = group.Id, UserId = user.Id, AddedAt = time.GetUtcNow().UtcDateTime });
        audit.Record(AuditEventTypes.GroupMemberAdd, user.Name, after: new { group = group.Name });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A concurrent request added the same member (unique key), or deleted the group or the user (foreign key).
            db.ChangeTracker.Clear();
            if (!await db.Groups.AnyAsync(g => g.Id == group.Id, ct)) throw new NotFoundException("group", groupName);
            if (!await db.Users.AnyAsync(u => u.Id == user.Id, ct)) throw new NotFoundException("user", userName);
            throw new ConflictException($"user '{user.Name}' is already a member of group '{group.Name}'");
        }
        await tx.CommitAsync(ct);
    }

    public async Task RemoveMemberAsync(string groupName, string userName, CancellationToken ct)
    {
        var group = await GetAsync(groupName, ct);
        var user = await FindUserAsync(userName, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var member = await db.GroupMembers.SingleOrDefaultAsync(m => m.GroupId == group.Id && m.UserId == user.Id, ct)
            ?? throw new NotFoundException($"member of group '{group.Name}'", user.Name);
        db.GroupMembers.Remove(member);
        audit.Record(AuditEventTypes.GroupMemberRemove, user.Name, before: new { group = group.Name });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another request removed the membership (or the group, or the user) meanwhile.
            db.ChangeTracker.Clear();
            throw new NotFoundException($"member of group '{group.Name}'", user.Name);
        }
        await tx.CommitAsync(ct);
    }

    private async Task<User> FindUserAsync(string userName, CancellationToken ct)
    {
        var normalized = Names.Normalize(userName);
        return await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.NormalizedName == normalized, ct)
            ?? throw new NotFoundException("user", userName);
    }
}
