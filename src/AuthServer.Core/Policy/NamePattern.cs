namespace AuthServer.Core.Policy;

/// <summary>
/// A repository name pattern: segments separated by <c>/</c>; <c>*</c> inside a segment matches
/// any characters but <c>/</c>; a segment that is exactly <c>**</c> matches any number of
/// segments, none included; <c>${user}</c> stands for the caller's (lower-case) name.
/// </summary>
public readonly struct NamePattern
{
    public const string UserVariable = "${user}";

    private readonly string[] _segments;

    private NamePattern(string text, string[] segments)
    {
        _segments = segments;
        UsesUser = text.Contains(UserVariable, StringComparison.Ordinal);
    }

    /// <summary>
    /// Rebuilt from the segments when asked (explanations, messages): a 100,000-rule snapshot
    /// keeps only the pooled segments, not a second copy of every pattern.
    /// </summary>
    public string Text => string.Join('/', _segments);

    public bool UsesUser { get; }

    public static NamePattern Parse(string text, StringPool? pool = null)
    {
        var problem = Problem(text);
        if (problem is not null) throw new FormatException(problem);
        var segments = text.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            // The constant instance marks a whole-segment ${user}, recognised by reference when matching.
            if (segments[i] == UserVariable) segments[i] = UserVariable;
            else if (pool is not null) segments[i] = pool.Intern(segments[i])!;
        }
        return new NamePattern(text, segments);
    }

    public static string? Problem(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "pattern is required";
        if (text.Length > 255) return "pattern is longer than 255 characters";
        foreach (var segment in text.Split('/'))
        {
            if (segment.Length == 0) return $"pattern '{text}' has an empty segment";
            if (segment == "**") continue;
            var rest = segment.Replace(UserVariable, "", StringComparison.Ordinal);
            if (rest.Contains("**", StringComparison.Ordinal))
                return $"pattern '{text}': '**' must be a whole segment";
            foreach (var c in rest)
            {
                if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-' or '*' or ':'))
                    return $"pattern '{text}' has '{c}': use lower-case letters, digits, . _ - : and the wildcards * and **";
            }
        }
        return null;
    }

    /// <param name="user">The caller's normalized name, or null for anonymous (then <c>${user}</c> never matches).</param>
    public bool IsMatch(string name, string? user) => IsMatch(name.Split('/'), user);

    /// <summary>Matches a name already split at <c>/</c>, so one split serves every rule.</summary>
    public bool IsMatch(string[] parts, string? user)
    {
        if (UsesUser && user is null) return false;
        return Match(0, parts, 0, user);
    }

    private bool Match(int si, string[] parts, int pi, string? user)
    {
        while (si < _segments.Length)
        {
            var segment = _segments[si];
            if (segment == "**")
            {
                if (si == _segments.Length - 1) return true;
                for (var k = pi; k <= parts.Length; k++)
                    if (Match(si + 1, parts, k, user)) return true;
                return false;
            }
            if (pi == parts.Length) return false;
            if (UsesUser && ReferenceEquals(segment, UserVariable) && !user!.Contains('*'))
            {
                // A whole-segment ${user} (the usual "${user}/**") is the name itself: no string to build.
                if (!string.Equals(user, parts[pi], StringComparison.Ordinal)) return false;
                si++;
                pi++;
                continue;
            }
            var expected = UsesUser ? segment.Replace(UserVariable, user, StringComparison.Ordinal) : segment;
            if (!Glob(expected, parts[pi])) return false;
            si++;
            pi++;
        }
        return pi == parts.Length;
    }

    /// <summary>Wildcard match of one segment, <c>*</c> matching any run of characters.</summary>
    private static bool Glob(string pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] != '*' && pattern[p] == text[t]) { p++; t++; }
            else if (p < pattern.Length && pattern[p] == '*') { star = p++; mark = t; }
            else if (star >= 0) { p = star + 1; t = ++mark; }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

    public override string ToString() => Text;
}
