using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace AuthServer.TestSupport;

/// <summary>
/// A long-running process (registry, dockerd) whose output is kept for assertions and failure
/// messages. Stopped with SIGTERM so it can stop its own children (dockerd stops containerd),
/// and killed only if it does not exit in time.
/// </summary>
public sealed class BackgroundProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private BackgroundProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>Everything printed so far, stdout and stderr interleaved as they arrived.</summary>
    public string Output => string.Join('\n', _lines);

    public static BackgroundProcess Start(string name, string file, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = ProcessRunner.StartInfo(file, args, environment);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var background = new BackgroundProcess(name, process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) background._lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) background._lines.Enqueue(e.Data); };
        if (!process.Start()) throw new InvalidOperationException($"could not start {name}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return background;
    }

    /// <summary>Waits for a line matching the pattern; fails at once if the process exits first.</summary>
    public async Task<Match> WaitForOutputAsync(Regex pattern, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            foreach (var line in _lines)
            {
                var match = pattern.Match(line);
                if (match.Success) return match;
            }
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before printing /{pattern}/:\n{Output}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{Name} did not print /{pattern}/ within {timeout.TotalSeconds} s:\n{Output}");
            await Task.Delay(50);
        }
    }

    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited) return;
        if (Kill(_process.Id, SigTerm) != 0) _process.Kill(entireProcessTree: true);
        using var limit = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(20));
        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
