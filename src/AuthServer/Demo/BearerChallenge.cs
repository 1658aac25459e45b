using System.Text;

namespace AuthServer.Demo;

/// <summary>
/// A <c>WWW-Authenticate: Bearer</c> challenge as a client reads it (distribution's
/// client/auth/challenge/authchallenge.go): scheme and parameter names case-insensitive,
/// quoted-string values with backslash escapes.
/// </summary>
internal sealed record BearerChallenge(string Realm, string Service, string Scope, string? Error)
{
    public static BearerChallenge? Parse(string? header)
    {
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var s = header[7..];
        var i = 0;
        while (i < s.Length)
        {
            while (i < s.Length && s[i] is ' ' or ',') i++;
            var eq = s.IndexOf('=', i);
            if (eq < 0) break;
            var name = s[i..eq].Trim();
            i = eq + 1;
            var value = new StringBuilder();
            if (i < s.Length && s[i] == '"')
            {
                for (i++; i < s.Length && s[i] != '"'; i++)
                {
                    if (s[i] == '\\' && i + 1 < s.Length) i++;
                    value.Append(s[i]);
                }
                i++;
            }
            else
            {
                for (; i < s.Length && s[i] != ','; i++) value.Append(s[i]);
            }
            parameters[name] = value.ToString();
        }
        return parameters.TryGetValue("realm", out var realm)
            ? new BearerChallenge(realm, parameters.GetValueOrDefault("service", ""), parameters.GetValueOrDefault("scope", ""), parameters.GetValueOrDefault("error"))
            : null;
    }
}
