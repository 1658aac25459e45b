namespace AuthServer.Core.Scopes;

/// <summary>The action names the registry knows, and the wildcard.</summary>
public static class ScopeActions
{
    public const string Pull = "pull";
    public const string Push = "push";
    public const string Delete = "delete";

    /// <summary>distribution's token <c>*</c> satisfies any action (util.go actionSet.contains).</summary>
    public const string All = "*";

    /// <summary>The concrete actions a repository has; <c>*</c> requested by a client expands to these.</summary>
    public static readonly IReadOnlyList<string> RepositoryActions = [Delete, Pull, Push];

    public static IReadOnlyList<string> Normalize(IEnumerable<string> actions) =>
        actions.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    public static bool IsValid(string action) =>
        action == All || (action.Length > 0 && action.All(c => c is >= 'a' and <= 'z'));
}
