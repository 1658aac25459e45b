using System.Globalization;
using System.Text;

namespace AuthServer.Core.Ldap;

/// <summary>Values placed into search filters, escaped so that no input can change a filter's structure.</summary>
public static class LdapFilter
{
    /// <summary>
    /// RFC 4515 section 3: <c>*</c>, <c>(</c>, <c>)</c>, <c>\</c> and NUL become <c>\2a</c>, <c>\28</c>,
    /// <c>\29</c>, <c>\5c</c> and <c>\00</c>. Other control characters and non-ASCII are escaped too
    /// (as their UTF-8 bytes), which the RFC allows and some servers need.
    /// </summary>
    public static string Escape(string value)
    {
        var text = new StringBuilder(value.Length + 8);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.Value is >= 0x20 and < 0x7f && rune.Value is not ('*' or '(' or ')' or '\\'))
            {
                text.Append((char)rune.Value);
                continue;
            }
            var n = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..n]) text.Append('\\').Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    /// <summary>A filter template with its <c>{0}</c>, <c>{1}</c>… replaced by the escaped values.</summary>
    public static string Format(string template, params string[] values)
    {
        var filter = template;
        for (var i = 0; i < values.Length; i++)
            filter = filter.Replace("{" + i.ToString(CultureInfo.InvariantCulture) + "}", Escape(values[i]), StringComparison.Ordinal);
        return filter;
    }
}
