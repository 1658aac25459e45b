using AuthServer.Core.Scopes;

namespace AuthServer.Core.Policy;

/// <summary>The stored form of a rule's actions: sorted, comma-separated; <c>*</c> stands alone.</summary>
public static class RuleActions
{
    public static IReadOnlyList<string> Parse(string text) =>
        ScopeActions.Normalize(text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>What a rule may name: the actions a registry asks for, and * for all of them.</summary>
    public static readonly IReadOnlyList<string> Known = [ScopeActions.Pull, ScopeActions.Push, ScopeActions.Delete, ScopeActions.All];

    public static string? Problem(IReadOnlyCollection<string> actions)
    {
        if (actions.Count == 0) return "at least one action is required (pull, push, delete or *)";
        if (UnknownAction(actions) is { } unknown) return $"'{unknown}' is not an action: use pull, push, delete or *";
        return null;
    }

    /// <summary>The first action no registry asks for (a typo such as pish would silently grant nothing).</summary>
    public static string? UnknownAction(IEnumerable<string> actions) => actions.FirstOrDefault(a => !Known.Contains(a));

    public static string Format(IEnumerable<string> actions)
    {
        var normalized = ScopeActions.Normalize(actions);
        return normalized.Contains(ScopeActions.All) ? ScopeActions.All : string.Join(',', normalized);
    }
}
