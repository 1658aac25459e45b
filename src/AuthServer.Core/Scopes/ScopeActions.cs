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

    /// <summary>Sorted and distinct. Runs for every requested and granted scope, so without LINQ.</summary>
    public static IReadOnlyList<string> Normalize(IEnumerable<string> actions)
    {
        var sorted = actions.ToArray();
        if (sorted.Length < 2) return sorted;
        Array.Sort(sorted, StringComparer.Ordinal);
        var distinct = 1;
        for (var i = 1; i < sorted.Length; i++)
            if (!string.Equals(sorted[i], sorted[distinct - 1], StringComparison.Ordinal)) sorted[distinct++] = sorted[i];
        return distinct == sorted.Length ? sorted : sorted[..distinct];
    }

    public static bool IsValid(string action) =>
        action == All || (action.Length > 0 && action.All(c => c is >= 'a' and <= 'z'));
}
