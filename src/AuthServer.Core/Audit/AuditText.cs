using AuthServer.Core.Identity;

namespace AuthServer.Core.Audit;

/// <summary>Bounds and normal forms of the text stored in audit events.</summary>
public static class AuditText
{
    /// <summary>
    /// Bounds the scopes of one row. A legitimate request names a handful of scopes; an attacker's
    /// anonymous flood of long scope lists is what this bounds (docs/security.md, "Audit storage").
    /// </summary>
    public const int MaxScopesLength = 1024;
    public const int MaxUserAgentLength = 256;
    public const int MaxReasonLength = 300;
    public const int MaxSubjectLength = 140;

    /// <summary>
    /// Subjects are stored lower-case, as names compare without case, so a filter is one index
    /// lookup. A secret typed where the name belongs is never stored (<see cref="LogText.Safe"/>).
    /// </summary>
    public static string? Subject(string? subject) =>
        string.IsNullOrWhiteSpace(subject) ? null : Truncate(LogText.Safe(subject.Trim()).ToLowerInvariant(), MaxSubjectLength);

    /// <summary>Text a client chose (a user agent, a name), made safe to store and show: secrets redacted, control characters escaped.</summary>
    public static string? Client(string? value, int max) => value is null ? null : Truncate(LogText.Safe(value), max);

    public static string? Truncate(string? value, int max) =>
        value is null || value.Length <= max ? value : value[..(max - 1)] + "…";
}

/// <summary>Client-chosen text made safe for a log line or an audit row.</summary>
public static class LogText
{
    public const string Redacted = "[redacted secret]";

    /// <summary>
    /// A value with a generated secret's prefix (typed into the user name field, say) is replaced
    /// as a whole; control characters are escaped (<c>\n</c>, <c>\u001b</c>), so a client can
    /// neither leak a secret into the logs nor forge a log line.
    /// </summary>
    public static string Safe(string? value)
    {
        if (value is null) return "-";
        var trimmed = value.TrimStart();
        foreach (var prefix in Secrets.Prefixes)
            if (trimmed.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return Redacted;
        if (!value.Any(char.IsControl)) return value;
        var text = new System.Text.StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (!char.IsControl(c)) text.Append(c);
            else if (c == '\n') text.Append("\\n");
            else if (c == '\r') text.Append("\\r");
            else if (c == '\t') text.Append("\\t");
            else text.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }
}
