using AuthServer.Cli;

namespace AuthServer.Tests.Infrastructure;

/// <summary>
/// Runs an `authserver` command line in this process, as the executable would run it, with its
/// stdin, stdout and stderr captured and the test settings (data directory, fast bcrypt) winning
/// over every other source. Launching the executable costs about 3 s a command; this, milliseconds.
/// </summary>
public static class InProcessCli
{
    public static Task<CliProcess.Result> RunAsync(string dataDirectory, string? stdin, params string[] args) =>
        RunWithAsync(dataDirectory, new Dictionary<string, string?>(), stdin, args);

    /// <summary>The same, with <paramref name="settings"/> over the test settings (a null value removes one).</summary>
    public static async Task<CliProcess.Result> RunWithAsync(
        string dataDirectory, IReadOnlyDictionary<string, string?> settings, string? stdin, params string[] args)
    {
        var all = AuthServerFixture.BaseSettings(dataDirectory);
        foreach (var (key, value) in settings) all[key] = value;
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new CliEnvironment(new StringReader(stdin is null ? "" : stdin + "\n"), output, error, ErrorIsTerminal: false, all);
        var exitCode = await CliApp.RunAsync(args, environment, CancellationToken.None);
        return new CliProcess.Result(exitCode, output.ToString(), error.ToString());
    }
}
