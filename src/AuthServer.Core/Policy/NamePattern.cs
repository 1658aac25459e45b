namespace AuthServer.Core.Policy;

/// <summary>
/// A repository name pattern: segments separated by <c>/</c>; <c>*</c> inside a segment matches
/// any characters but <c>/</c>; a segment that is exactly <c>**</c> matches any number of
/// segments, none included, except at the end: as in .gitignore, a trailing <c>/**</c> matches
/// what is below, at least one segment (<c>team/**</c> matches <c>team/app</c>, not <c>team</c>),
/// so the seed rule <c>${user}/**</c> grants the namespace <c>NAME/…</c> and not a top-level
/// repository named like the user. <c>${user}</c> stands for the caller's (lower-case) name.
/// <para>
/// Matching is linear in the name's segments times the pattern's: the segments are matched left
/// to right, and only the last <c>**</c> seen is ever backtracked to, so no pattern, however many
/// <c>**</c> it has, costs more (the hostile <c>**/**/**/**/**/z</c> included).
/// </para>
/// </summary>
public readonly struct NamePattern
{
    public const string UserVariable = "${user}";

    private const string AnySegments = "**";
    private const string OneSegment = "*";

    // What is matched: the pattern's segments, a trailing "**" preceded by an added "*" (one
    // segment at least, then any number), so the matching loop knows no special case.
    private readonly string[] _segments;

    private NamePattern(string text, string[] segments)
    {
        UsesUser = text.Contains(UserVariable, StringComparison.Ordinal);
        EndsBelow = segments.Length > 1 && segments[^1] == AnySegments;
        _segments = EndsBelow ? [.. segments[..^1], OneSegment, AnySegments] : segments;
    }

    /// <summary>The pattern ends in <c>/**</c>: it matches names below its prefix, never the prefix itself.</summary>
    public bool EndsBelow { get; }

    /// <summary>
    /// Rebuilt from the segments when asked (explanations, messages): a 100,000-rule snapshot
    /// keeps only the pooled segments, not a second copy of every pattern.
    /// </summary>
    public string Text => EndsBelow ? string.Join('/', [.. _segments[..^2], AnySegments]) : string.Join('/', _segments);

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
        return Match(parts, user);
    }

    /// <summary>
    /// Whether the name is this pattern's prefix itself, which a trailing <c>/**</c> does not match
    /// (<c>team</c> for <c>team/**</c>): for explanations of what was not granted.
    /// </summary>
    public bool IsPrefixOnly(string[] parts, string? user)
    {
        if (!EndsBelow || (UsesUser && user is null) || parts.Length != _segments.Length - 2) return false;
        for (var i = 0; i < parts.Length; i++)
            if (_segments[i] == AnySegments || !SegmentMatches(_segments[i], parts[i], user)) return false;
        return true;
    }

    /// <summary>
    /// Wildcard matching over segments, <c>**</c> as the star: on a mismatch, go back to just after
    /// the last <c>**</c> and let it take one more segment. Earlier <c>**</c> never need revisiting,
    /// since the later one can absorb whatever they would have.
    /// </summary>
    private bool Match(string[] parts, string? user)
    {
        int si = 0, pi = 0, star = -1, mark = 0;
        while (pi < parts.Length)
        {
            if (si < _segments.Length && _segments[si] == AnySegments)
            {
                star = si++;
                mark = pi;
            }
            else if (si < _segments.Length && SegmentMatches(_segments[si], parts[pi], user))
            {
                si++;
                pi++;
            }
            else if (star >= 0)
            {
                si = star + 1;
                pi = ++mark;
            }
            else
            {
                return false;
            }
        }
        while (si < _segments.Length && _segments[si] == AnySegments) si++;
        return si == _segments.Length;
    }

    private bool SegmentMatches(string segment, string part, string? user)
    {
        if (UsesUser && ReferenceEquals(segment, UserVariable) && !user!.Contains('*'))
        {
            // A whole-segment ${user} (the usual "${user}/**") is the name itself: no string to build.
            return string.Equals(user, part, StringComparison.Ordinal);
        }
        var expected = UsesUser ? segment.Replace(UserVariable, user, StringComparison.Ordinal) : segment;
        return Glob(expected, part);
    }

    /// <summary>Two <c>**</c> side by side match what one does: the second only costs reading.</summary>
    public static bool HasRedundantWildcard(string text) =>
        ("/" + text + "/").Contains("/**/**/", StringComparison.Ordinal);

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
