namespace AuthServer.Core.Audit;

/// <summary>Bounds and normal forms of the text stored in audit events.</summary>
public static class AuditText
{
    /// <summary>Bounds one row: a request may name 64 scopes of 255-character names.</summary>
    public const int MaxScopesLength = 8192;
    public const int MaxUserAgentLength = 512;
    public const int MaxReasonLength = 300;

    /// <summary>Subjects are stored lower-case, as names compare without case, so a filter is one index lookup.</summary>
    public static string? Subject(string? subject) =>
        string.IsNullOrWhiteSpace(subject) ? null : Truncate(subject.Trim().ToLowerInvariant(), 140);

    public static string? Truncate(string? value, int max) =>
        value is null || value.Length <= max ? value : value[..(max - 1)] + "…";
}
