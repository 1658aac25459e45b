using System.Text.RegularExpressions;

namespace AuthServer.Interop.Tests.Infrastructure;

/// <summary>
/// A private dockerd (Debian docker.io) with everything under one temp directory: its own data
/// root, exec root, pid file, socket and the containerd it starts. vfs storage and no networking
/// set-up (no bridge, no iptables), since the tests only import, push and pull. The docker CLI is
/// pointed at it with DOCKER_HOST; each test passes its own DOCKER_CONFIG, so logins never mix.
/// A registry on 127.0.0.0/8 is insecure by default, so plain HTTP works.
/// </summary>
public sealed partial class DockerDaemon : IAsyncDisposable
{
    private readonly BackgroundProcess _process;

    private DockerDaemon(BackgroundProcess process, string directory)
    {
        _process = process;
        Directory = directory;
    }

    public string Directory { get; }
    public string Host => $"unix://{Path.Combine(Directory, "docker.sock")}";
    public string Log => _process.Output;

    public static async Task<DockerDaemon> StartAsync()
    {
        var directory = TempDirectory.Create("interop-dockerd");
        var config = Path.Combine(directory, "daemon.json");
        // Its own (empty) daemon.json, so settings in /etc/docker never leak in.
        await File.WriteAllTextAsync(config, "{}");
        var process = BackgroundProcess.Start("dockerd", Tools.Dockerd,
        [
            "--config-file", config,
            "--data-root", Path.Combine(directory, "data"),
            "--exec-root", Path.Combine(directory, "exec"),
            "--pidfile", Path.Combine(directory, "docker.pid"),
            "-H", $"unix://{Path.Combine(directory, "docker.sock")}",
            "--storage-driver", "vfs",
            "--iptables=false", "--ip-forward=false", "--ip-masq=false", "--bridge=none",
        ]);
        var daemon = new DockerDaemon(process, directory);
        try
        {
            await process.WaitForOutputAsync(ApiListenRegex(), TimeSpan.FromSeconds(60));
            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    /// <summary>The docker CLI against this daemon with the given config directory (DOCKER_CONFIG).</summary>
    public Task<ProcessResult> RunAsync(string configDirectory, string? stdin, params string[] args) =>
        ProcessRunner.RunAsync(Tools.Docker, args, new Dictionary<string, string?>
        {
            ["DOCKER_HOST"] = Host,
            ["DOCKER_CONFIG"] = configDirectory,
            ["DOCKER_CONTEXT"] = null,
            ["DOCKER_CLI_HINTS"] = "false",
        }, stdin);

    public async ValueTask DisposeAsync()
    {
        // SIGTERM: dockerd stops the containerd it started before it exits.
        await _process.DisposeAsync();
        TempDirectory.Delete(Directory);
    }

    [GeneratedRegex("API listen on")]
    private static partial Regex ApiListenRegex();
}
