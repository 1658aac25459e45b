using AuthServer.Core.Scopes;

namespace AuthServer.Core.Policy;

/// <summary>The stored form of a rule's actions: sorted, comma-separated; <c>*</c> stands alone.</summary>
public static class RuleActions
{
    public static IReadOnlyList<string> Parse(string text) =>
        ScopeActions.Normalize(text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    public static string? Problem(IReadOnlyCollection<string> actions)
    {
        if (actions.Count == 0) return "at least one action is required (pull, push, delete or *)";
        foreach (var a in actions)
            if (!ScopeActions.IsValid(a)) return $"'{a}' is not an action: use lower-case letters, or *";
        return null;
    }

    public static string Format(IEnumerable<string> actions)
    {
        var normalized = ScopeActions.Normalize(actions);
        return normalized.Contains(ScopeActions.All) ? ScopeActions.All : string.Join(',', normalized);
    }
}
