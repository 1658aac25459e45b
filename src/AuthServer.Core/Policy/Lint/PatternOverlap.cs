namespace AuthServer.Core.Policy.Lint;

/// <summary>
/// Whether two name patterns can match a common name, and whether one matches every name the
/// other does. <c>${user}</c> counts as <c>*</c>: it stands for some name within one segment.
/// Overlap is exact for these globs; coverage is decided for the plain cases and otherwise
/// answered "no", so the linter may miss a problem but never reports one that is not there.
/// </summary>
public static class PatternOverlap
{
    public static bool Overlap(string a, string b) => Segments(Split(a), 0, Split(b), 0, new Dictionary<(int, int), bool>());

    /// <summary>True when every name <paramref name="inner"/> matches, <paramref name="outer"/> matches too.</summary>
    public static bool Covers(string outer, string inner)
    {
        if (outer == inner || outer == "**") return true;
        var o = outer.Split('/');
        var i = inner.Split('/');
        if (!outer.Contains(NamePattern.UserVariable) && !inner.Contains('*') && !inner.Contains(NamePattern.UserVariable))
            return NamePattern.Parse(outer).IsMatch(i, user: null);
        // prefix/** covers anything under the same literal prefix (not the prefix itself).
        if (o[^1] != "**" || o.Length > i.Length) return false;
        for (var k = 0; k < o.Length - 1; k++)
            if (o[k] != i[k] || o[k].Contains('*') || o[k].Contains(NamePattern.UserVariable)) return false;
        return true;
    }

    /// <summary>Segments as matched: a trailing <c>/**</c> is one segment at least (<c>*</c>), then any number.</summary>
    private static string[] Split(string pattern)
    {
        var segments = pattern.Replace(NamePattern.UserVariable, "*", StringComparison.Ordinal).Split('/');
        return segments.Length > 1 && segments[^1] == "**" ? [.. segments[..^1], "*", "**"] : segments;
    }

    private static bool Segments(string[] a, int i, string[] b, int j, Dictionary<(int, int), bool> memo)
    {
        if (memo.TryGetValue((i, j), out var known)) return known;
        bool result;
        if (i == a.Length && j == b.Length) result = true;
        else if (i < a.Length && a[i] == "**")
            result = Segments(a, i + 1, b, j, memo) || (j < b.Length && Segments(a, i, b, j + 1, memo));
        else if (j < b.Length && b[j] == "**")
            result = Segments(a, i, b, j + 1, memo) || (i < a.Length && Segments(a, i + 1, b, j, memo));
        else
            result = i < a.Length && j < b.Length && Glob(a[i], 0, b[j], 0, new Dictionary<(int, int), bool>()) && Segments(a, i + 1, b, j + 1, memo);
        memo[(i, j)] = result;
        return result;
    }

    /// <summary>Whether two segment globs (<c>*</c> = any run of characters) share a match.</summary>
    private static bool Glob(string p, int i, string q, int j, Dictionary<(int, int), bool> memo)
    {
        if (memo.TryGetValue((i, j), out var known)) return known;
        bool result;
        if (i == p.Length && j == q.Length) result = true;
        else if (i < p.Length && p[i] == '*') result = Glob(p, i + 1, q, j, memo) || (j < q.Length && Glob(p, i, q, j + 1, memo));
        else if (j < q.Length && q[j] == '*') result = Glob(p, i, q, j + 1, memo) || (i < p.Length && Glob(p, i + 1, q, j, memo));
        else result = i < p.Length && j < q.Length && p[i] == q[j] && Glob(p, i + 1, q, j + 1, memo);
        memo[(i, j)] = result;
        return result;
    }
}
