using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace AuthServer.Tokens;

/// <summary>
/// The fields of an application/x-www-form-urlencoded token request (oauth.md) that /token reads,
/// decoded by ASP.NET Core's own query-string enumerator ('+' is a space, %XX escapes UTF-8), each
/// with every value it was given so that a repeated field can be refused by name. Fields /token
/// does not know are skipped without being decoded: a general form reader would build a dictionary
/// of every field of every refresh grant only to read a few of them.
/// </summary>
public static class FormFields
{
    /// <summary>More pairs than any client sends (containers/image repeats scope once per repository).</summary>
    public const int MaxPairs = 256;

    // Canonical names: a field is matched without regard to case, as ASP.NET Core's form reader does.
    private static readonly string[] Known =
        ["grant_type", "service", "client_id", "access_type", "username", "password", "refresh_token", "scope"];

    /// <summary>The known fields, or null when the body has more than <see cref="MaxPairs"/> pairs.</summary>
    public static Dictionary<string, StringValues>? Parse(string body)
    {
        var fields = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        var pairs = 0;
        foreach (var pair in new QueryStringEnumerable(body))
        {
            if (++pairs > MaxPairs) return null;
            if (KnownName(pair.DecodeName().Span) is not { } name) continue;
            var value = pair.DecodeValue().ToString();
            fields[name] = fields.TryGetValue(name, out var earlier) ? StringValues.Concat(earlier, value) : new StringValues(value);
        }
        return fields;
    }

    private static string? KnownName(ReadOnlySpan<char> name)
    {
        foreach (var known in Known)
            if (name.Equals(known, StringComparison.OrdinalIgnoreCase)) return known;
        return null;
    }
}
