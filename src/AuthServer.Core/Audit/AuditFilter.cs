using AuthServer.Core.Errors;

namespace AuthServer.Core.Audit;

/// <summary>
/// Which events to list, newest first. <see cref="Type"/> matches a whole type or an area
/// (<c>user</c> matches <c>user.create</c>…); <see cref="BeforeId"/> pages backwards;
/// <see cref="TraceId"/> finds the events of one request (the id its log lines and trace carry).
/// </summary>
public sealed record AuditFilter(
    DateTime? From = null,
    DateTime? To = null,
    string? Subject = null,
    string? Actor = null,
    AuditOutcome? Outcome = null,
    string? Service = null,
    string? Type = null,
    long? BeforeId = null,
    int Limit = 100,
    string? TraceId = null)
{
    public const int MaxLimit = 1000;

    /// <summary>An outcome as operators type it (<c>partial</c>, <c>Unauthorized</c>); null for none.</summary>
    public static AuditOutcome? ParseOutcome(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!int.TryParse(text, out _) && Enum.TryParse<AuditOutcome>(text.Trim(), ignoreCase: true, out var outcome)) return outcome;
        var known = string.Join(", ", Enum.GetNames<AuditOutcome>().Select(n => n.ToLowerInvariant()));
        throw new ValidationFailedException("outcome", $"outcome '{text}' is not one of {known}");
    }

    public void Validate()
    {
        if (Limit is < 1 or > MaxLimit) throw new ValidationFailedException("limit", $"limit must be between 1 and {MaxLimit}");
        if (From is { } from && To is { } to && from > to)
            throw new ValidationFailedException("from", "the start of the time range is after its end");
        if (TraceId is { } trace && !string.IsNullOrWhiteSpace(trace) && NormalizedTraceId(trace) is null)
            throw new ValidationFailedException("traceId", $"trace id '{trace}' is not 32 hexadecimal digits (a W3C trace id, as log lines show it)");
    }

    /// <summary>A W3C trace id as stored (32 lower-case hex digits); null when the text is not one.</summary>
    public static string? NormalizedTraceId(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length == 32 && trimmed.All(char.IsAsciiHexDigit) ? trimmed.ToLowerInvariant() : null;
    }
}
