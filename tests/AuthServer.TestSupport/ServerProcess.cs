using System.Diagnostics;

namespace AuthServer.TestSupport;

/// <summary>
/// The real `authserver serve` as its own process on a free loopback port: a replica, for the
/// tests where what matters is that nothing but the database is shared (caches, lockout counts,
/// listeners are each process's own).
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _output;
    private readonly Task<string> _error;

    private ServerProcess(Process process, Uri baseAddress, string dataDirectory)
    {
        _process = process;
        _output = process.StandardOutput.ReadToEndAsync();
        _error = process.StandardError.ReadToEndAsync();
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }
    public string DataDirectory { get; }
    public HttpClient Http { get; }
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts a server with <paramref name="settings"/> (as environment variables), a data directory
    /// of its own and a free loopback port unless the settings name them, and waits until it answers /healthz.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var data = TempDirectory.Create("authserver-replica");
        var all = new Dictionary<string, string?> { ["AuthServer:DataDirectory"] = data, ["Urls"] = $"http://127.0.0.1:{FreePort.Next()}" };
        foreach (var (key, value) in settings) all[key] = value;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "authserver.dll"));
        start.ArgumentList.Add("serve");
        foreach (var (key, value) in all) start.Environment[key.Replace(":", "__")] = value;
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var server = new ServerProcess(Process.Start(start)!, new Uri(all["Urls"]!), data);
        await server.WaitUntilHealthyAsync();
        return server;
    }

    private async Task WaitUntilHealthyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"authserver exited {_process.ExitCode} at start:\n{await _output}\n{await _error}");
            try
            {
                if ((await Http.GetAsync("/healthz")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("authserver did not answer /healthz within 60 s");
    }

    /// <summary>Ends the process at once, as a crash or kill -9 would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>What the process wrote so far (complete once it exited).</summary>
    public async Task<string> OutputAsync()
    {
        await KillAsync();
        return await _output + await _error;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await KillAsync();
        _process.Dispose();
        TempDirectory.Delete(DataDirectory);
    }
}
