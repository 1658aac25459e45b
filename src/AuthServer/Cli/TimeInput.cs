using System.Globalization;
using System.Text.RegularExpressions;
using AuthServer.Core.Errors;

namespace AuthServer.Cli;

/// <summary>
/// Times as operators type them: a duration (<c>90d</c>, <c>12h</c>, <c>30m</c>, <c>45s</c>, <c>2w</c>) or a
/// date and time (<c>2027-01-31</c>, <c>2027-01-31T12:00:00Z</c>; UTC unless an offset is given).
/// </summary>
internal static partial class TimeInput
{
    /// <summary>A point in the future: now plus a duration, or a date.</summary>
    public static DateTime? Expiry(string? text, string option, DateTime now) =>
        text is null ? null : Duration(text) is { } d ? now + d : Date(text, option);

    /// <summary>A point in the past: now minus a duration, or a date.</summary>
    public static DateTime? Since(string? text, string option, DateTime now) =>
        text is null ? null : Duration(text) is { } d ? now - d : Date(text, option);

    /// <summary>A duration alone (a lifetime); null when not given.</summary>
    public static TimeSpan? Span(string? text, string option) =>
        text is null ? null : Duration(text) ?? throw new ValidationFailedException(option, $"{option} '{text}' is not a duration (90d, 12h, 30m, 45s, 2w)");

    private static TimeSpan? Duration(string text)
    {
        var match = DurationRegex().Match(text.Trim());
        if (!match.Success) return null;
        var n = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            "d" => TimeSpan.FromDays(n),
            _ => TimeSpan.FromDays(7 * n),
        };
    }

    private static DateTime Date(string text, string option)
    {
        if (DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return at.UtcDateTime;
        throw new ValidationFailedException(option, $"{option} '{text}' is neither a duration (90d, 12h, 30m, 45s, 2w) nor a date (2027-01-31 or 2027-01-31T12:00:00Z)");
    }

    [GeneratedRegex("^([0-9]{1,6})([smhdw])$")]
    private static partial Regex DurationRegex();
}
