using System.Text;

namespace AuthServer.Core.Import.DockerAuth;

/// <summary>
/// A docker_auth name glob brought into this server's pattern language, and the set algebra the
/// translation of a first-match ACL needs: does one pattern contain another, can two overlap.
/// docker_auth's <c>*</c> never crosses <c>/</c>, like ours; the whole name space is <c>**</c>.
/// </summary>
public static class RepositoryGlob
{
    public const string AnyName = "**";

    /// <summary>Stands for <c>${account}</c> while a pattern is converted; becomes <c>${user}</c>.</summary>
    public const char AccountMarker = '\u0001';

    public enum Kind { Pattern, Empty, Inexpressible }

    public readonly record struct Result(Kind Kind, string Pattern, string Reason);

    /// <summary>
    /// Converts a Go path.Match pattern. Empty: it needs a character no repository name has (an
    /// upper-case letter, <c>@</c>, an unexpanded template), so it matches no repository at all.
    /// </summary>
    public static Result FromGlob(string glob)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '\\')
            {
                if (++i >= glob.Length) return new(Kind.Empty, "", "");
                c = glob[i];
                if (!IsNameChar(c)) return new(Kind.Empty, "", "");
                sb.Append(c);
            }
            else if (c == '*')
            {
                // Go's ** is two stars within one segment: one of ours.
                if (sb.Length == 0 || sb[^1] != '*') sb.Append('*');
            }
            else if (c is '?' or '[')
            {
                return new(Kind.Inexpressible, "", $"the name pattern '{glob}' uses {(c == '?' ? "?" : "a [...] class")}, which matches single characters");
            }
            else if (c == AccountMarker)
            {
                sb.Append(Policy.NamePattern.UserVariable);
            }
            else if (IsNameChar(c))
            {
                sb.Append(c);
            }
            else
            {
                return new(Kind.Empty, "", "");
            }
        }
        var text = sb.ToString();
        var segments = text.Split('/');
        if (segments.Any(s => s.Length == 0)) return new(Kind.Empty, "", "");
        // A whole segment * of Go's is one segment; ours too. "**" cannot arise (collapsed above).
        return Policy.NamePattern.Problem(text) is null ? new(Kind.Pattern, text, "") : new(Kind.Empty, "", "");
    }

    private static bool IsNameChar(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-' or '/';

    /// <summary>True when every name <paramref name="inner"/> matches, <paramref name="outer"/> matches too (sound; may miss rare cases).</summary>
    public static bool Contains(string outer, string inner)
    {
        if (outer == AnyName) return true;
        if (inner == AnyName) return false;
        var o = outer.Split('/');
        var n = inner.Split('/');
        if (o.Length != n.Length) return false;
        for (var i = 0; i < o.Length; i++)
            if (!SegmentContains(o[i], 0, n[i], 0)) return false;
        return true;
    }

    /// <summary>True when some name matches both.</summary>
    public static bool Overlaps(string a, string b)
    {
        if (a == AnyName || b == AnyName) return true;
        var x = a.Split('/');
        var y = b.Split('/');
        if (x.Length != y.Length) return false;
        for (var i = 0; i < x.Length; i++)
            if (!SegmentsOverlap(x[i], y[i], 0, 0, [])) return false;
        return true;
    }

    // The outer glob matches the inner one read as text, where the inner's * can be taken only by an outer *.
    private static bool SegmentContains(string o, int oi, string n, int ni)
    {
        while (oi < o.Length)
        {
            if (o[oi] == '*')
            {
                for (var k = ni; k <= n.Length; k++)
                    if (SegmentContains(o, oi + 1, n, k)) return true;
                return false;
            }
            if (ni >= n.Length || n[ni] == '*' || n[ni] != o[oi]) return false;
            oi++;
            ni++;
        }
        return ni == n.Length;
    }

    private static bool SegmentsOverlap(string a, string b, int i, int j, HashSet<(int, int)> seen)
    {
        if (!seen.Add((i, j))) return false;
        if (i == a.Length && j == b.Length) return true;
        if (i < a.Length && a[i] == '*')
        {
            // The star takes nothing more, or takes one character of b's (or b's own star's output).
            if (SegmentsOverlap(a, b, i + 1, j, seen)) return true;
            if (j < b.Length && SegmentsOverlap(a, b, i, j + 1, seen)) return true;
            return false;
        }
        if (j < b.Length && b[j] == '*')
        {
            if (SegmentsOverlap(a, b, i, j + 1, seen)) return true;
            return i < a.Length && SegmentsOverlap(a, b, i + 1, j, seen);
        }
        return i < a.Length && j < b.Length && a[i] == b[j] && SegmentsOverlap(a, b, i + 1, j + 1, seen);
    }
}
