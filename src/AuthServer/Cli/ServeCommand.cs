using AuthServer.Hosting;
using Microsoft.Extensions.Options;

namespace AuthServer.Cli;

/// <summary><c>authserver serve</c>, and <c>authserver</c> with no command: the token server until SIGTERM or Ctrl-C.</summary>
internal sealed class ServeCommand(CliContext cli)
{
    public Option<string?> Urls { get; } = new("--urls")
    {
        Description = "Where to listen, ';' between addresses (default: the Urls setting, http://127.0.0.1:5001)",
    };

    public Command Create()
    {
        var command = new Command("serve", "Run the token server (also what runs with no command)") { Urls };
        command.SetAction(RunAsync);
        return command;
    }

    public async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        try
        {
            await using var app = cli.BuildServer(parse, parse.GetValue(Urls) is { } urls ? [$"--urls={urls}"] : []);
            await AuthServerHost.RunAsync(app, ct);
            return ExitCodes.Ok;
        }
        // A start that cannot go on is one line naming the problem; nothing was written before it.
        catch (Exception e) when (e is StartupException or OptionsValidationException or IOException or UnauthorizedAccessException
                                      or System.Data.Common.DbException)
        {
            return cli.Error(parse, ExitCodes.Failed, "failed", e.Message);
        }
    }
}
