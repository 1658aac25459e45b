namespace AuthServer.WebConsole;

public static class ScopeText
{
    /// <summary>A repository scope as a client asks for it; a colon in the name is left for the scope parser to refuse.</summary>
    public static string Repository(string repository, IEnumerable<string> actions) =>
        $"repository:{repository.Trim()}:{string.Join(',', actions.Where(a => a is "pull" or "push" or "delete" or "*").DefaultIfEmpty("pull"))}";
}
