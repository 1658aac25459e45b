namespace AuthServer.Core.Import.DockerAuth;

/// <summary>
/// Go's <c>path.Match</c>, which docker_auth uses for every match field that is not a <c>/regex/</c>:
/// <c>*</c> is any run of characters but <c>/</c>, <c>?</c> one character but <c>/</c>,
/// <c>[a-z]</c> and <c>[^a-z]</c> classes, <c>\</c> escapes. A malformed pattern matches nothing,
/// as docker_auth treats Go's error.
/// </summary>
public static class GoPathMatch
{
    public static bool IsMatch(string pattern, string text)
    {
        try
        {
            return Match(pattern, 0, text, 0);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool Match(string p, int pi, string s, int si)
    {
        while (pi < p.Length)
        {
            switch (p[pi])
            {
                case '*':
                    pi++;
                    for (var k = si; ; k++)
                    {
                        if (Match(p, pi, s, k)) return true;
                        if (k >= s.Length || s[k] == '/') return false;
                    }
                case '?':
                    if (si >= s.Length || s[si] == '/') return false;
                    pi++;
                    si++;
                    break;
                case '[':
                    if (si >= s.Length || s[si] == '/') return false;
                    if (!Class(p, ref pi, s[si])) return false;
                    si++;
                    break;
                case '\\':
                    if (pi + 1 >= p.Length) throw new FormatException("trailing backslash");
                    if (si >= s.Length || s[si] != p[pi + 1]) return false;
                    pi += 2;
                    si++;
                    break;
                default:
                    if (si >= s.Length || s[si] != p[pi]) return false;
                    pi++;
                    si++;
                    break;
            }
        }
        return si == s.Length;
    }

    /// <summary>Reads the class at <paramref name="pi"/> (its '['), leaves <paramref name="pi"/> after its ']'.</summary>
    private static bool Class(string p, ref int pi, char c)
    {
        pi++;
        var negated = pi < p.Length && p[pi] == '^';
        if (negated) pi++;
        var matched = false;
        var first = true;
        while (true)
        {
            if (pi >= p.Length) throw new FormatException("unterminated class");
            if (p[pi] == ']' && !first) break;
            first = false;
            var lo = Char(p, ref pi);
            var hi = lo;
            if (pi < p.Length && p[pi] == '-' && pi + 1 < p.Length && p[pi + 1] != ']')
            {
                pi++;
                hi = Char(p, ref pi);
            }
            if (lo <= c && c <= hi) matched = true;
        }
        pi++;
        return matched != negated;
    }

    private static char Char(string p, ref int pi)
    {
        if (p[pi] == '\\')
        {
            if (pi + 1 >= p.Length) throw new FormatException("trailing backslash");
            pi++;
        }
        return p[pi++];
    }
}
