using System.Diagnostics;

namespace AuthServer.TestSupport;

/// <summary>
/// One real PostgreSQL server for the whole test run: Debian's initdb and pg_ctl make a cluster in
/// a temp dir, listening on a free loopback port, run by the unprivileged <c>postgres</c> user when
/// the tests run as root (PostgreSQL refuses root). Started by the first test class that asks,
/// stopped when the test process exits; each test class uses a database of its own in it.
/// Missing PostgreSQL fails the test (with CI=true or without): test.sh installs it. Each test
/// process (each test project) has a cluster of its own.
/// </summary>
public sealed class PostgresCluster
{
    public const string Superuser = "postgres";

    private static readonly Lazy<Task<PostgresCluster>> SharedCluster = new(() => Task.Run(StartNewAsync));

    private readonly string _bin;
    private readonly string _root;
    private readonly string? _runAs;

    private PostgresCluster(string bin, string root, string? runAs, int port)
    {
        _bin = bin;
        _root = root;
        _runAs = runAs;
        Port = port;
    }

    public int Port { get; }

    private string DataPath => Path.Combine(_root, "data");

    public static Task<PostgresCluster> SharedAsync() => SharedCluster.Value;

    /// <summary>A connection string (Npgsql form) to a database of this cluster; the server creates it when missing.</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={Superuser};Database={database};Timeout=5;Command Timeout=30";

    /// <summary>A database name no other test class uses.</summary>
    public static string NewDatabaseName(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    /// <summary>
    /// Stops the server as a restart does: every connection cut at once, committed data kept
    /// ("fast": an immediate stop would lose the last commits, since the tests' server does not sync).
    /// </summary>
    public Task StopAsync() => PgCtlAsync("stop", "-m", "fast", "-w");

    public Task StartAsync() => PgCtlAsync("start", "-w", "-l", Path.Combine(_root, "server.log"), "-o", ServerOptions(Port));

    private static async Task<PostgresCluster> StartNewAsync()
    {
        var bin = FindBinaries();
        var root = TempDirectory.Create("authserver-pg");
        var runAs = Environment.UserName == "root" ? Superuser : null;
        if (runAs is not null) await RunAsync("chown", [runAs, root]);
        var cluster = new PostgresCluster(bin, root, runAs, FreePort.Next());
        await cluster.RunToolAsync("initdb", "-D", cluster.DataPath, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions");
        await cluster.StartAsync();
        cluster.StopWhenThisProcessEnds();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.PgCtlAsync("stop", "-m", "immediate", "-w").GetAwaiter().GetResult();
        return cluster;
    }

    /// <summary>
    /// A watchdog shell stops the server and removes its files once the test process is gone,
    /// however it ended (a test host killed on a timeout runs no exit handler).
    /// </summary>
    private void StopWhenThisProcessEnds()
    {
        var pgCtl = Path.Combine(_bin, "pg_ctl");
        var stop = _runAs is null ? $"'{pgCtl}'" : $"runuser -u {_runAs} -- '{pgCtl}'";
        var script =
            $"exec </dev/null >/dev/null 2>&1; while kill -0 {Environment.ProcessId}; do sleep 1; done; " +
            $"{stop} -D '{DataPath}' stop -m immediate -w; rm -rf '{_root}'";
        using var watchdog = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", script]) { UseShellExecute = false });
    }

    // The socket goes in the cluster's own dir; durability is not what the tests are about.
    private string ServerOptions(int port) =>
        $"-p {port} -c listen_addresses=127.0.0.1 -k {_root} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";

    private Task PgCtlAsync(params string[] args) => RunToolAsync("pg_ctl", ["-D", DataPath, .. args]);

    private Task RunToolAsync(string tool, params string[] args)
    {
        var path = Path.Combine(_bin, tool);
        return _runAs is null ? RunAsync(path, args) : RunAsync("runuser", ["-u", _runAs, "--", path, .. args]);
    }

    private static string FindBinaries()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).ToList()
            : [];
        return versions.Count > 0
            ? Path.Combine(versions[0], "bin")
            : throw new Xunit.Sdk.XunitException(
                "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): ./test.sh installs it (apt-get install postgresql); this test does not skip" +
                (Environment.GetEnvironmentVariable("CI") == "true" ? " under CI=true" : ""));
    }

    private static async Task RunAsync(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}:\n{await output}\n{await error}");
    }
}
