using System.Diagnostics;

namespace AuthServer.TestSupport;

/// <summary>
/// A real client program the tests drive. test.sh installs it from Debian when missing; a test
/// that needs a missing tool fails with that reason, it never skips (with CI=true or without).
/// </summary>
public static class ExternalTool
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
    }

    public static string Require(string name, string debianPackage) => Tools.Require(name, debianPackage);

    /// <summary>Runs the tool with a home of its own, so no login or setting of the machine's user takes part.</summary>
    public static async Task<Result> RunAsync(string path, string home, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["HOME"] = home;
        start.Environment["TMPDIR"] = home;
        start.Environment["XDG_RUNTIME_DIR"] = home;
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(home, ".config");
        start.Environment["REGISTRY_AUTH_FILE"] = Path.Combine(home, "auth.json");

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(path)} {string.Join(' ', args)} did not finish in {timeout.TotalSeconds} s");
        }
        return new Result(process.ExitCode, await output, await error);
    }
}
