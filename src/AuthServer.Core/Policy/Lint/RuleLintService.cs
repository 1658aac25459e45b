using AuthServer.Core.Data;
using AuthServer.Core.Signing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.Policy.Lint;

/// <summary>Lints the stored rules against the accounts and services as they are now, for the CLI and the admin API alike.</summary>
public sealed class RuleLintService(AuthServerDbContext db, IOptions<TokenOptions> tokens)
{
    public Task<IReadOnlyList<LintFinding>> LintAsync(CancellationToken ct) => LintAsync(null, ct);

    /// <summary>The errors lint would report for a rule not stored yet (its id 0), among the stored ones.</summary>
    public async Task<IReadOnlyList<LintFinding>> ErrorsAsync(AccessRule candidate, CancellationToken ct) =>
        (await LintAsync(candidate, ct)).Where(f => f.RuleId == candidate.Id && f.Severity == LintSeverity.Error).ToList();

    private async Task<IReadOnlyList<LintFinding>> LintAsync(AccessRule? candidate, CancellationToken ct)
    {
        var rules = await db.AccessRules.AsNoTracking().OrderBy(r => r.Id).ToListAsync(ct);
        if (candidate is not null) rules.Add(candidate);
        var users = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.NormalizedName, u => u.IsAdmin, ct);
        var groups = await db.Groups.AsNoTracking().Select(g => g.NormalizedName).ToListAsync(ct);
        var members = await db.GroupMembers.AsNoTracking().Select(m => new { Group = m.Group.NormalizedName, User = m.User.NormalizedName }).ToListAsync(ct);
        var robots = await db.Robots.AsNoTracking().Select(r => r.NormalizedName).ToListAsync(ct);

        var groupMembers = groups.ToDictionary(
            g => g, g => (IReadOnlySet<string>)members.Where(m => m.Group == g).Select(m => m.User).ToHashSet(StringComparer.Ordinal));
        return RuleLinter.Lint(new LintInput(
            rules, users, groupMembers, robots.ToHashSet(StringComparer.Ordinal),
            tokens.Value.Services.Select(s => s.Name).ToHashSet(StringComparer.Ordinal)), candidate);
    }
}
