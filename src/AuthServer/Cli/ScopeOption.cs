namespace AuthServer.Cli;

/// <summary>The repeatable <c>--scope</c> option of robots and access tokens.</summary>
internal static class ScopeOption
{
    public static Option<string[]> Create() => new("--scope")
    {
        Description = "Limit what the credential may reach, type:pattern:actions (e.g. repository:team/**:pull,push); repeat for more. Default: no limit beyond the rules",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.ZeroOrMore,
    };
}
