using System.Text.RegularExpressions;
using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Core.Errors;
using AuthServer.Core.Signing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.Policy;

/// <summary>Access rules: validated once here for the CLI and the admin API alike.</summary>
public sealed partial class RuleService(
    AuthServerDbContext db, IOptions<TokenOptions> tokens, ChangeAudit audit, TimeProvider time)
{
    /// <summary>The rule every fresh installation starts with: each user owns the namespace named after them.</summary>
    public static readonly RuleSpec OwnNamespaceRule = new(
        RuleEffect.Allow, "authenticated", "repository", "${user}/**", ["pull", "push", "delete"],
        Description: "every user owns the namespace named after them");

    public async Task<AccessRule> CreateAsync(RuleSpec spec, CancellationToken ct)
    {
        var rule = new AccessRule { ResourceType = "", Pattern = "", Actions = "", CreatedAt = Now };
        await ApplyAsync(rule, spec, ct);
        db.AccessRules.Add(rule);
        // The id is known only after the insert, so the event is recorded in the same transaction right after.
        await SaveAsync(ct, () => audit.Record(AuditEventTypes.RuleCreate, $"rule:{rule.Id}", after: Describe(rule)));
        return rule;
    }

    /// <summary>The rule a spec would make, validated like <see cref="CreateAsync"/>, without storing it.</summary>
    public async Task<AccessRule> CheckAsync(RuleSpec spec, CancellationToken ct)
    {
        var rule = new AccessRule { ResourceType = "", Pattern = "", Actions = "", CreatedAt = Now };
        await ApplyAsync(rule, spec, ct);
        return rule;
    }

    public async Task<AccessRule> UpdateAsync(long id, RuleSpec spec, CancellationToken ct)
    {
        var rule = await GetAsync(id, ct);
        var before = Describe(rule);
        await ApplyAsync(rule, spec, ct);
        audit.Record(AuditEventTypes.RuleUpdate, $"rule:{rule.Id}", before, Describe(rule));
        await SaveAsync(ct);
        return rule;
    }

    public async Task<IReadOnlyList<AccessRule>> ListAsync(CancellationToken ct) =>
        await db.AccessRules.AsNoTracking().OrderBy(r => r.Id).ToListAsync(ct);

    public async Task<AccessRule> GetAsync(long id, CancellationToken ct) =>
        await db.AccessRules.SingleOrDefaultAsync(r => r.Id == id, ct) ?? throw new NotFoundException("rule", id.ToString());

    public async Task DeleteAsync(long id, CancellationToken ct)
    {
        var rule = await GetAsync(id, ct);
        db.AccessRules.Remove(rule);
        audit.Record(AuditEventTypes.RuleDelete, $"rule:{rule.Id}", before: Describe(rule));
        await SaveAsync(ct);
    }

    private async Task ApplyAsync(AccessRule rule, RuleSpec spec, CancellationToken ct)
    {
        RuleSubject subject;
        try
        {
            subject = RuleSubject.Parse(spec.Subject);
        }
        catch (FormatException e)
        {
            throw new ValidationFailedException("subject", e.Message);
        }
        var normalized = subject.NormalizedName;
        if (subject.Kind == SubjectKind.User && !await db.Users.AnyAsync(u => u.NormalizedName == normalized, ct))
            throw new ValidationFailedException("subject", $"user '{subject.Name}' does not exist");
        if (subject.Kind == SubjectKind.Group && !await db.Groups.AnyAsync(g => g.NormalizedName == normalized, ct))
            throw new ValidationFailedException("subject", $"group '{subject.Name}' does not exist");
        if (subject.Kind == SubjectKind.Robot && !await db.Robots.AnyAsync(r => r.NormalizedName == normalized, ct))
            throw new ValidationFailedException("subject", $"robot '{subject.Name}' does not exist");

        if (!ResourceTypeRegex().IsMatch(spec.ResourceType ?? ""))
            throw new ValidationFailedException("resourceType", "resource type must be lower-case letters and digits, e.g. repository or registry");
        if (NamePattern.Problem(spec.Pattern) is { } patternProblem)
            throw new ValidationFailedException("pattern", patternProblem);
        if (RuleActions.Problem(spec.Actions) is { } actionsProblem)
            throw new ValidationFailedException("actions", actionsProblem);
        if (spec.Service is not null && tokens.Value.FindService(spec.Service) is null)
            throw new ValidationFailedException("service", $"service '{spec.Service}' is not configured (AuthServer:Tokens:Services)");
        if (spec.Description is { Length: > 500 })
            throw new ValidationFailedException("description", "description is longer than 500 characters");

        // Whatever door the spec came through: a number cast to the enum is neither allow nor deny.
        if (spec.Effect is not (RuleEffect.Allow or RuleEffect.Deny))
            throw new ValidationFailedException("effect", "effect must be allow or deny");
        rule.Effect = spec.Effect;
        rule.SubjectKind = subject.Kind;
        rule.Subject = normalized;
        rule.Service = spec.Service;
        rule.ResourceType = spec.ResourceType!;
        rule.Pattern = spec.Pattern;
        rule.Actions = RuleActions.Format(spec.Actions);
        rule.Description = spec.Description;
        rule.UpdatedAt = Now;
    }

    private async Task SaveAsync(CancellationToken ct, Action? afterInsert = null)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        if (afterInsert is not null)
        {
            afterInsert();
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>The rule as an operator reads it, for the before/after of its audit events.</summary>
    private static object Describe(AccessRule r) => new
    {
        effect = r.Effect.ToString().ToLowerInvariant(),
        subject = RuleSubject.Format(r.SubjectKind, r.Subject),
        service = r.Service,
        type = r.ResourceType,
        pattern = r.Pattern,
        actions = r.Actions,
        description = r.Description,
    };

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    [GeneratedRegex("^[a-z0-9]{1,32}$")]
    private static partial Regex ResourceTypeRegex();
}
