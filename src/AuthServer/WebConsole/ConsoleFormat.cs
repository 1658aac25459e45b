using System.Globalization;

namespace AuthServer.WebConsole;

/// <summary>How the console writes times and states: UTC, to the minute or second, the same on every page.</summary>
public static class ConsoleFormat
{
    public static string Time(DateTime? at) =>
        at is { } t ? t.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "—";

    public static string Seconds(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Iso(DateTime at) => at.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>The CSS class of a state word (granted, revoked, …), so colour always repeats what the word says.</summary>
    public static string State(string state) => "state " + state.ToLowerInvariant();

    public static string Scopes(IReadOnlyList<string>? scopes) => scopes is { Count: > 0 } ? string.Join(" ", scopes) : "no limit";
}
