using System.Globalization;
using System.Text;

namespace AuthServer.Core.Ldap;

/// <summary>The little of RFC 4514 (string DNs) that group names need.</summary>
public static class DistinguishedNames
{
    /// <summary>The value of a DN's first RDN, unescaped: <c>cn=dev\2c ops,ou=groups</c> → <c>dev, ops</c>.</summary>
    public static string FirstRdnValue(string dn)
    {
        var equals = dn.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0) return dn;
        var bytes = new List<byte>();
        for (var i = equals + 1; i < dn.Length; i++)
        {
            var c = dn[i];
            if (c is ',' or '+') break;
            if (c == '\\' && i + 1 < dn.Length)
            {
                if (i + 2 < dn.Length && byte.TryParse(dn.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
                {
                    bytes.Add(b);
                    i += 2;
                }
                else
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(dn[++i].ToString()));
                }
                continue;
            }
            bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
        }
        return Encoding.UTF8.GetString([.. bytes]).Trim();
    }

    /// <summary>
    /// Whether a directory group is the one a setting names: by name (no <c>=</c> in the setting) or
    /// by a DN pattern where <c>*</c> is any text; both ignore case, as directories do.
    /// </summary>
    public static bool Matches(string setting, DirectoryGroup group)
    {
        if (!setting.Contains('=', StringComparison.Ordinal))
            return string.Equals(setting.Trim(), group.Name, StringComparison.OrdinalIgnoreCase);
        var pattern = "^" + string.Join(".*", setting.Split('*').Select(part => System.Text.RegularExpressions.Regex.Escape(Canonical(part)))) + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(Canonical(group.Dn), pattern,
            System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant,
            TimeSpan.FromMilliseconds(100));
    }

    // Spaces after commas vary between servers and settings (cn=a, dc=b); compare without them.
    private static string Canonical(string dn) => System.Text.RegularExpressions.Regex.Replace(dn.Trim(), @"\s*,\s*", ",");
}
