namespace AuthServer.Core.Federation;

/// <summary>
/// A trust's condition on one claim: the exact value, or a glob where <c>*</c> is any run of
/// characters (slashes too: <c>refs/heads/*</c> matches <c>refs/heads/release/1.2</c>) and
/// <c>?</c> one character. Matched segment by segment, leftmost first: no backtracking blow-up.
/// </summary>
public static class ClaimPattern
{
    public static bool Matches(string pattern, string value)
    {
        var segments = pattern.Split('*');
        if (segments.Length == 1) return segments[0].Length == value.Length && SegmentAt(segments[0], value, 0);

        var first = segments[0];
        var last = segments[^1];
        if (value.Length < first.Length + last.Length) return false;
        if (!SegmentAt(first, value, 0) || !SegmentAt(last, value, value.Length - last.Length)) return false;

        // The middle segments, each at its leftmost place after the previous one: if any placement
        // works, the leftmost does, since what follows only needs room to its right.
        var position = first.Length;
        var end = value.Length - last.Length;
        for (var i = 1; i < segments.Length - 1; i++)
        {
            var segment = segments[i];
            var found = -1;
            for (var at = position; at + segment.Length <= end; at++)
            {
                if (SegmentAt(segment, value, at))
                {
                    found = at;
                    break;
                }
            }
            if (found < 0) return false;
            position = found + segment.Length;
        }
        return true;
    }

    private static bool SegmentAt(string segment, string value, int at)
    {
        if (at < 0 || at + segment.Length > value.Length) return false;
        for (var i = 0; i < segment.Length; i++)
            if (segment[i] != '?' && segment[i] != value[at + i]) return false;
        return true;
    }
}
