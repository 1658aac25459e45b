namespace AuthServer.Core.Policy;

/// <summary>What a caller asks a rule to be; validated by <see cref="RuleService"/>.</summary>
public sealed record RuleSpec(
    RuleEffect Effect,
    string Subject,
    string ResourceType,
    string Pattern,
    IReadOnlyCollection<string> Actions,
    string? Service = null,
    string? Description = null);
