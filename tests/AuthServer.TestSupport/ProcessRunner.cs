using System.Diagnostics;

namespace AuthServer.TestSupport;

/// <summary>Runs a command to completion, with a clean, explicit environment and a time limit.</summary>
public static class ProcessRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    // Values after these options are passwords or credentials: they never reach a failure message.
    private static readonly HashSet<string> SecretOptions =
        ["-p", "--password", "--creds", "--src-creds", "--dest-creds"];

    public static async Task<ProcessResult> RunAsync(
        string file, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null,
        string? stdin = null, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var start = StartInfo(file, args, environment);
        start.RedirectStandardInput = true;
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        var command = Describe(file, start.ArgumentList);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteLineAsync(stdin);
        process.StandardInput.Close();

        using var limit = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{command}` did not finish within {(timeout ?? DefaultTimeout).TotalSeconds} s");
        }
        return new ProcessResult(command, process.ExitCode, await stdout, await stderr);
    }

    public static ProcessStartInfo StartInfo(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(key);
            else start.Environment[key] = value;
        }
        return start;
    }

    public static string Describe(string file, IEnumerable<string> args)
    {
        var parts = new List<string> { Path.GetFileName(file) };
        var hideNext = false;
        foreach (var a in args)
        {
            parts.Add(hideNext ? "***" : a);
            hideNext = SecretOptions.Contains(a);
        }
        return string.Join(' ', parts);
    }
}
