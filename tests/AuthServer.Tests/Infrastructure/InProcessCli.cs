using AuthServer.Cli;

namespace AuthServer.Tests.Infrastructure;

/// <summary>
/// Runs an `authserver` command line in this process, as the executable would run it, with its
/// stdin, stdout and stderr captured and the test settings (data directory, fast bcrypt) winning
/// over every other source. Launching the executable costs about 3 s a command; this, milliseconds.
/// </summary>
public static class InProcessCli
{
    public static async Task<CliProcess.Result> RunAsync(string dataDirectory, string? stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new CliEnvironment(
            new StringReader(stdin is null ? "" : stdin + "\n"), output, error, ErrorIsTerminal: false, AuthServerFixture.BaseSettings(dataDirectory));
        var exitCode = await CliApp.RunAsync(args, environment, CancellationToken.None);
        return new CliProcess.Result(exitCode, output.ToString(), error.ToString());
    }
}
