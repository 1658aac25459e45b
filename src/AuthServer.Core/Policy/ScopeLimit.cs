using System.Text.RegularExpressions;
using AuthServer.Core.Scopes;

namespace AuthServer.Core.Policy;

/// <summary>
/// One scope limit of an access token or robot, written like a requested scope:
/// <c>type:pattern:actions</c>, e.g. <c>repository:team/**:pull,push</c>. The pattern follows the
/// rules' syntax (<c>*</c>, <c>**</c>, <c>${user}</c>); the actions are a list or <c>*</c>.
/// </summary>
public sealed partial class ScopeLimit
{
    private ScopeLimit(string type, NamePattern pattern, IReadOnlyList<string> actions)
    {
        ResourceType = type;
        Pattern = pattern;
        Actions = actions;
        AllActions = actions.Contains(ScopeActions.All);
    }

    public string ResourceType { get; }
    public NamePattern Pattern { get; }
    public IReadOnlyList<string> Actions { get; }
    public bool AllActions { get; }

    public static string? Problem(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "a scope limit is empty: write type:pattern:actions, e.g. repository:team/**:pull";
        // As in ScopeParser: the pattern may hold a host:port, so type ends at the first colon and actions begin after the last.
        var first = text.IndexOf(':');
        var last = text.LastIndexOf(':');
        if (first < 0 || first == last) return $"scope limit '{text}' must be type:pattern:actions, e.g. repository:team/**:pull";
        if (!TypeRegex().IsMatch(text[..first])) return $"scope limit '{text}': the type must be lower-case letters and digits, e.g. repository";
        if (NamePattern.Problem(text[(first + 1)..last]) is { } patternProblem) return $"scope limit '{text}': {patternProblem}";
        var actions = SplitActions(text[(last + 1)..]);
        if (RuleActions.Problem(actions) is { } actionsProblem) return $"scope limit '{text}': {actionsProblem}";
        return null;
    }

    public static ScopeLimit Parse(string text)
    {
        if (Problem(text) is { } problem) throw new FormatException(problem);
        var first = text.IndexOf(':');
        var last = text.LastIndexOf(':');
        return new ScopeLimit(text[..first], NamePattern.Parse(text[(first + 1)..last]), RuleActions.Parse(text[(last + 1)..]));
    }

    public bool Applies(string type, string[] nameParts, string? user) =>
        string.Equals(ResourceType, type, StringComparison.Ordinal) && Pattern.IsMatch(nameParts, user);

    public bool Allows(string action) => AllActions || Actions.Contains(action);

    public override string ToString() => $"{ResourceType}:{Pattern.Text}:{RuleActions.Format(Actions)}";

    private static string[] SplitActions(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex("^[a-z0-9]{1,32}$")]
    private static partial Regex TypeRegex();
}
