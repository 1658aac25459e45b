using AuthServer.Core.Scopes;

namespace AuthServer.Core.Policy;

/// <summary>An access rule prepared for matching: pattern parsed, actions split.</summary>
public sealed class CompiledRule
{
    public CompiledRule(AccessRule rule, StringPool? pool = null)
    {
        pool ??= new StringPool();
        Id = rule.Id;
        Effect = rule.Effect;
        SubjectKind = rule.SubjectKind;
        Subject = pool.Intern(rule.Subject);
        Service = pool.Intern(rule.Service);
        ResourceType = pool.Intern(rule.ResourceType)!;
        Pattern = NamePattern.Parse(rule.Pattern, pool);
        Actions = pool.Actions(rule.Actions);
        AllActions = Actions.Contains(ScopeActions.All);
    }

    public long Id { get; }
    public RuleEffect Effect { get; }
    public SubjectKind SubjectKind { get; }
    public string? Subject { get; }
    public string? Service { get; }
    public string ResourceType { get; }
    public NamePattern Pattern { get; }
    public IReadOnlyList<string> Actions { get; }
    public bool AllActions { get; }

    public bool Applies(string service, string type, string[] nameParts, string? user) =>
        (Service is null || string.Equals(Service, service, StringComparison.Ordinal))
        && string.Equals(ResourceType, type, StringComparison.Ordinal)
        && Pattern.IsMatch(nameParts, user);
}
