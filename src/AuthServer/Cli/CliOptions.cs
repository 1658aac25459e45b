namespace AuthServer.Cli;

/// <summary>Options every command accepts.</summary>
internal static class CliOptions
{
    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Write JSON instead of a table, for scripts",
        Recursive = true,
    };

    public static readonly Option<string?> Config = new("--config")
    {
        Description = "An extra JSON settings file (also AUTHSERVER_CONFIG)",
        Recursive = true,
    };
}
