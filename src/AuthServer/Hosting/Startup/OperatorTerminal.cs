namespace AuthServer.Hosting;

/// <summary>The stream an operator reads (stderr), and whether it is a terminal rather than a log or a pipe.</summary>
public sealed record OperatorTerminal(TextWriter Error, bool IsTerminal)
{
    public static OperatorTerminal FromConsole() => new(Console.Error, !Console.IsErrorRedirected);
}
