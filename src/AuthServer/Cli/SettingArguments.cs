using System.Text.RegularExpressions;

namespace AuthServer.Cli;

/// <summary>
/// Settings given on the command line, as <c>--Section:Key=value</c> (at least one colon, one
/// token), the same for the server and every command. They are taken out before the command line
/// is parsed, so everything else is parsed strictly: a typo is an error, never a setting.
/// </summary>
internal static partial class SettingArguments
{
    public static (string[] Settings, string[] Others) Split(IEnumerable<string> args)
    {
        var settings = new List<string>();
        var rest = new List<string>();
        var afterSeparator = false;
        foreach (var arg in args)
        {
            afterSeparator |= arg == "--";
            (!afterSeparator && SettingRegex().IsMatch(arg) ? settings : rest).Add(arg);
        }
        return (settings.ToArray(), rest.ToArray());
    }

    [GeneratedRegex(@"^--[A-Za-z][A-Za-z0-9_]*(:[A-Za-z0-9_]+)+=")]
    private static partial Regex SettingRegex();
}
