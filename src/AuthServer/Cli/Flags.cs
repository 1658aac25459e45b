namespace AuthServer.Cli;

/// <summary>
/// The two kinds of yes/no option, never mixed: a flag is on when named and takes no value
/// (<c>--deny</c>); a switch takes <c>true</c> or <c>false</c> and nothing else (<c>--admin false</c>),
/// where leaving it out must mean "unchanged".
/// </summary>
internal static class Flags
{
    public static Option<bool> Flag(string name, string description) => new(name) { Description = description, Arity = ArgumentArity.Zero };

    /// <summary>A switch: its value is read with <see cref="ValueOf"/>, null when the option was left out.</summary>
    public static Option<string?> Switch(string name, string description)
    {
        var option = new Option<string?>(name) { Description = description + " (true or false)", Arity = ArgumentArity.ExactlyOne };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } text && text is not ("true" or "false")) r.AddError($"{name} takes true or false, not '{text}'");
        });
        return option;
    }

    public static bool? ValueOf(ParseResult parse, Option<string?> option) => parse.GetValue(option) is { } text ? text == "true" : null;
}
