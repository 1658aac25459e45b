using AuthServer.Core.Identity;

namespace AuthServer.Cli;

/// <summary>How a command gets a password: from --password-stdin, from --password, or generated and shown once.</summary>
internal sealed class Passwords(CliEnvironment environment)
{
    public Option<string?> Password { get; } = new("--password")
    {
        Description = "The password (visible to other local users in the process list; prefer --password-stdin)",
    };

    public Option<bool> FromStdin { get; } = new("--password-stdin")
    {
        Description = "Read the password from the first line of standard input",
        Arity = ArgumentArity.Zero,
    };

    /// <summary>Adds both options to a command, which then refuses them together.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Password);
        command.Options.Add(FromStdin);
        command.Validators.Add(r =>
        {
            if (r.GetValue(FromStdin) && r.GetValue(Password) is not null) r.AddError("give --password or --password-stdin, not both");
        });
    }

    public (string Password, bool Generated) Read(ParseResult parse)
    {
        if (parse.GetValue(FromStdin)) return (environment.In.ReadLine() ?? "", false);
        if (parse.GetValue(Password) is { Length: > 0 } given) return (given, false);
        return (Secrets.GeneratePassword(), true);
    }
}
