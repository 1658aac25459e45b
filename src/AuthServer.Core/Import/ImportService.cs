using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Core.Import;

/// <summary>One thing an import does, worded the same whether it is done or only shown (dry run).</summary>
public sealed record ImportAction(string Kind, string Subject, string Text);

public sealed record ImportReport(string Source, bool DryRun, IReadOnlyList<ImportAction> Actions, IReadOnlyList<ImportFinding> Findings)
{
    public int Count(string kind) => Actions.Count(a => a.Kind == kind);

    public int CountFindings(string kind) => Findings.Count(f => f.Kind == kind);

    /// <summary>The closing line, e.g. "3 users created, 1 kept, 1 skipped (other hash schemes), 1 line refused".</summary>
    public string Summary
    {
        get
        {
            var parts = new List<string> { $"{Count(ImportActions.CreateUser)} users created" };
            if (Count(ImportActions.UpdateUser) > 0) parts.Add($"{Count(ImportActions.UpdateUser)} updated");
            if (Count(ImportActions.KeepUser) > 0) parts.Add($"{Count(ImportActions.KeepUser)} kept (already here; --update replaces their hashes)");
            if (CountFindings(ImportFinding.Skipped) > 0) parts.Add($"{CountFindings(ImportFinding.Skipped)} skipped (other hash schemes)");
            if (CountFindings(ImportFinding.Refused) > 0) parts.Add($"{CountFindings(ImportFinding.Refused)} refused");
            if (Count(ImportActions.CreateGroup) > 0) parts.Add($"{Count(ImportActions.CreateGroup)} groups created");
            if (Count(ImportActions.CreateRule) > 0) parts.Add($"{Count(ImportActions.CreateRule)} rules created");
            if (CountFindings(ImportFinding.Difference) > 0) parts.Add($"{CountFindings(ImportFinding.Difference)} differences");
            return string.Join(", ", parts);
        }
    }
}

public static class ImportActions
{
    public const string CreateUser = "create-user";
    public const string UpdateUser = "update-user";
    public const string KeepUser = "keep-user";
    public const string CreateGroup = "create-group";
    public const string AddMember = "add-member";
    public const string CreateRule = "create-rule";
    public const string KeepRule = "keep-rule";
}

/// <summary>
/// Writes an <see cref="ImportPlan"/> in one transaction, every change audited as the same change
/// made by hand would be, plus one <c>import.run</c> event. A dry run does exactly the same work
/// and rolls it back, so what it prints is what the real run would do, word for word.
/// </summary>
public sealed class ImportService(
    AuthServerDbContext db, RuleService rules, RefreshSessionService sessions, ChangeAudit audit, TimeProvider time)
{
    public async Task<ImportReport> ApplyAsync(ImportPlan plan, bool update, bool dryRun, CancellationToken ct)
    {
        var actions = new List<ImportAction>();
        var findings = new List<ImportFinding>(plan.Findings);
        var now = time.GetUtcNow().UtcDateTime;
        var existingRules = await db.AccessRules.AsNoTracking().OrderBy(r => r.Id).ToListAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);

        var users = new Dictionary<string, User>(StringComparer.Ordinal);
        foreach (var imported in plan.Users)
        {
            var normalized = Names.Normalize(imported.Name);
            var cost = PasswordHashFormat.BcryptCost(imported.StoredHash);
            var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedName == normalized, ct);
            if (user is null)
            {
                user = new User
                {
                    Name = imported.Name,
                    NormalizedName = normalized,
                    PasswordHash = imported.StoredHash,
                    SecurityStamp = UserService.NewStamp(),
                    CreatedAt = now,
                    UpdatedAt = now,
                };
                db.Users.Add(user);
                audit.Record(AuditEventTypes.UserCreate, imported.Name, after: new { name = imported.Name, admin = false, importedFrom = plan.Source });
                actions.Add(new(ImportActions.CreateUser, imported.Name, $"create user {imported.Name} (bcrypt, cost {cost})"));
            }
            else if (update)
            {
                user.PasswordHash = imported.StoredHash;
                user.SecurityStamp = UserService.NewStamp();
                user.UpdatedAt = now;
                audit.Record(AuditEventTypes.UserPassword, user.Name, after: new { importedFrom = plan.Source });
                await db.SaveChangesAsync(ct);
                await sessions.EndForUserAsync(user.Id, "password replaced by an import", ct, CredentialKind.Password);
                actions.Add(new(ImportActions.UpdateUser, user.Name, $"replace the password hash of user {user.Name} (bcrypt, cost {cost}); sessions started with the old password end"));
            }
            else
            {
                actions.Add(new(ImportActions.KeepUser, user.Name, $"keep user {user.Name}: already here (--update replaces its password hash)"));
            }
            users[normalized] = user;
        }
        await db.SaveChangesAsync(ct);

        var groups = new Dictionary<string, Group>(StringComparer.Ordinal);
        foreach (var name in plan.Groups)
        {
            var normalized = Names.Normalize(name);
            var group = await db.Groups.SingleOrDefaultAsync(g => g.NormalizedName == normalized, ct);
            if (group is null)
            {
                group = new Group { Name = name, NormalizedName = normalized, Description = $"imported from {plan.Source}", CreatedAt = now };
                db.Groups.Add(group);
                audit.Record(AuditEventTypes.GroupCreate, $"group:{name}", after: new { name, importedFrom = plan.Source });
                actions.Add(new(ImportActions.CreateGroup, name, $"create group {name}"));
            }
            groups[normalized] = group;
        }
        await db.SaveChangesAsync(ct);

        foreach (var imported in plan.Users)
        {
            var user = users[Names.Normalize(imported.Name)];
            foreach (var groupName in imported.Groups)
            {
                var group = groups[Names.Normalize(groupName)];
                if (await db.GroupMembers.AnyAsync(m => m.GroupId == group.Id && m.UserId == user.Id, ct)) continue;
                db.GroupMembers.Add(new GroupMember { GroupId = group.Id, UserId = user.Id, AddedAt = now });
                audit.Record(AuditEventTypes.GroupMemberAdd, user.Name, after: new { group = group.Name, importedFrom = plan.Source });
                actions.Add(new(ImportActions.AddMember, user.Name, $"add user {user.Name} to group {group.Name}"));
            }
        }
        await db.SaveChangesAsync(ct);

        foreach (var spec in plan.Rules)
        {
            // Validated as a rule made by hand would be: the subject exists, the service is configured.
            var rule = await rules.CheckAsync(spec, ct);
            var text = Describe(rule);
            if (existingRules.Any(r => Describe(r) == text))
            {
                actions.Add(new(ImportActions.KeepRule, text, $"keep rule {text}: already here"));
                continue;
            }
            db.AccessRules.Add(rule);
            await db.SaveChangesAsync(ct);
            audit.Record(AuditEventTypes.RuleCreate, $"rule:{rule.Id}", after: new { rule = text, description = rule.Description, importedFrom = plan.Source });
            actions.Add(new(ImportActions.CreateRule, text, $"create rule {text}" + (rule.Description is null ? "" : $" ({rule.Description})")));
        }
        if (plan.Rules.Count > 0)
        {
            foreach (var r in existingRules)
            {
                findings.Add(ImportFinding.Of(ImportFinding.Difference,
                    $"rule {r.Id} ({Describe(r)}) was here before the import and applies too, where docker_auth had no such entry; " +
                    $"'authserver rule delete {r.Id}' if it should not"));
            }
        }

        var report = new ImportReport(plan.Source, dryRun, actions, findings);
        audit.Record(AuditEventTypes.Import, $"import:{plan.Source}", after: new
        {
            usersCreated = report.Count(ImportActions.CreateUser),
            usersUpdated = report.Count(ImportActions.UpdateUser),
            usersKept = report.Count(ImportActions.KeepUser),
            groupsCreated = report.Count(ImportActions.CreateGroup),
            rulesCreated = report.Count(ImportActions.CreateRule),
            skipped = report.CountFindings(ImportFinding.Skipped),
            refused = report.CountFindings(ImportFinding.Refused),
            differences = report.CountFindings(ImportFinding.Difference),
        });
        await db.SaveChangesAsync(ct);
        if (dryRun)
        {
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
        }
        else
        {
            // The revisions of what it wrote moved with its SaveChanges (CacheDependencies).
            await tx.CommitAsync(ct);
        }
        return report;
    }

    /// <summary>A rule in one line, as <c>rule list</c> shows its parts: <c>allow user:test repository test-* *</c>.</summary>
    public static string Describe(AccessRule r) =>
        $"{r.Effect.ToString().ToLowerInvariant()} {RuleSubject.Format(r.SubjectKind, r.Subject)} {r.ResourceType} {r.Pattern} {r.Actions}"
        + (r.Service is null ? "" : $" service {r.Service}");
}
