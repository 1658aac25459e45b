using AuthServer.Core.Identity;

namespace AuthServer.Cli;

/// <summary>How a command gets a password: from --password-stdin, from --password, or generated and shown once.</summary>
internal static class Passwords
{
    public static readonly Option<string?> Password = new("--password")
    {
        Description = "The password (visible to other local users in the process list; prefer --password-stdin)",
    };

    public static readonly Option<bool> FromStdin = new("--password-stdin")
    {
        Description = "Read the password from the first line of standard input",
    };

    public static (string Password, bool Generated) Read(ParseResult parse)
    {
        if (parse.GetValue(FromStdin))
        {
            var line = Console.In.ReadLine();
            return (line ?? "", false);
        }
        if (parse.GetValue(Password) is { Length: > 0 } given) return (given, false);
        return (Secrets.GeneratePassword(), true);
    }
}
