namespace AuthServer.Cli;

/// <summary>
/// Where a command reads and writes, and settings that win over every other source: the process's
/// console when run as <c>authserver</c>; a test's buffers and data directory when run in process.
/// </summary>
public sealed record CliEnvironment(
    TextReader In, TextWriter Out, TextWriter Error, bool ErrorIsTerminal, IReadOnlyDictionary<string, string?>? Settings = null)
{
    public static CliEnvironment FromConsole() => new(Console.In, Console.Out, Console.Error, !Console.IsErrorRedirected);
}
