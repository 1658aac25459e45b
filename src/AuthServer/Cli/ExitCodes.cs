namespace AuthServer.Cli;

/// <summary>What <c>authserver</c> exits with (docs/operations.md lists them for scripts).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command was understood and refused: invalid input, not found, a conflict, a lint error, an unhealthy server.</summary>
    public const int Refused = 1;

    /// <summary>The command line is wrong: an unknown command or option, an extra argument, a value of the wrong type.</summary>
    public const int Usage = 2;

    /// <summary>The command could not run: no database, a wrong setting or key, a busy port, a database or disk failure.</summary>
    public const int Failed = 3;
}
