using System.Net;
using System.Net.Sockets;
using AuthServer.Cli;
using AuthServer.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace AuthServer.Tests.Hosting;

/// <summary>
/// A start either comes up whole or stops in one line having written nothing, and never waits on
/// a lock whose holder is gone (issue 12, items 3 and 4). `serve` runs in process as the executable runs it.
/// </summary>
public sealed class StartupOrderTests : IDisposable
{
    private readonly string _root = TempDirectory.Create("authserver-startup");

    public void Dispose() => TempDirectory.Delete(_root);

    private static async Task<CliProcess.Result> RunAsync(Dictionary<string, string?> settings, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var exit = await CliApp.RunAsync(args, new CliEnvironment(new StringReader(""), output, error, false, settings), timeout.Token)
            .WaitAsync(TimeSpan.FromMinutes(1));
        return new CliProcess.Result(exit, output.ToString(), error.ToString());
    }

    private static void AssertStoppedInOneLine(CliProcess.Result result, string mentions)
    {
        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        var line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.StartsWith("error: ", line);
        Assert.Contains(mentions, line);
        Assert.DoesNotContain("   at ", result.Error);
    }

    private Dictionary<string, string?> Settings(string name) => AuthServerFixture.BaseSettings(Path.Combine(_root, name));

    [Fact]
    public async Task A_bad_setting_stops_serve_before_the_database_or_a_key_is_written()
    {
        var settings = Settings("bad-setting");
        settings["AuthServer:Tokens:Services:0:TokenLifetimeSeconds"] = "30";
        settings.Remove("AuthServer:Bootstrap:AdminPassword");

        var result = await RunAsync(settings, "serve");

        AssertStoppedInOneLine(result, "AuthServer:Tokens:Services:0:TokenLifetimeSeconds");
        Assert.False(Directory.Exists(settings["AuthServer:DataDirectory"]));
    }

    [Fact]
    public async Task A_busy_port_stops_serve_before_anything_is_written()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        var settings = Settings("busy-port");
        settings.Remove("Urls");

        var result = await RunAsync(settings, "serve", "--urls", $"http://127.0.0.1:{port}");

        AssertStoppedInOneLine(result, $"port {port} is in use");
        Assert.False(Directory.Exists(settings["AuthServer:DataDirectory"]));
    }

    [Fact]
    public async Task An_unparsable_listen_address_stops_serve_before_anything_is_written()
    {
        var settings = Settings("bad-urls");
        settings.Remove("Urls");

        var result = await RunAsync(settings, "--urls", "http://127.0.0.1:port");

        AssertStoppedInOneLine(result, "cannot listen on 'http://127.0.0.1:port'");
        Assert.False(Directory.Exists(settings["AuthServer:DataDirectory"]));
    }

    [Fact]
    public async Task A_missing_key_encryption_key_stops_the_start_and_no_new_one_is_made()
    {
        var settings = Settings("kek-missing");
        Assert.Equal(0, (await RunAsync(settings, "migrate")).ExitCode);
        Assert.Equal(0, (await RunAsync(settings, "keys", "list")).ExitCode);
        var kek = Path.Combine(settings["AuthServer:DataDirectory"]!, "signing.kek");
        File.Delete(kek);

        AssertStoppedInOneLine(await RunAsync(settings, "keys", "list"), $"{kek} does not exist");
        AssertStoppedInOneLine(await RunAsync(settings, "serve"), "restore it from your backup");
        Assert.False(File.Exists(kek));
    }

    [Fact]
    public async Task A_key_encryption_key_that_does_not_decrypt_the_stored_keys_stops_the_start()
    {
        var settings = Settings("kek-wrong");
        Assert.Equal(0, (await RunAsync(settings, "migrate")).ExitCode);
        Assert.Equal(0, (await RunAsync(settings, "keys", "list")).ExitCode);
        settings["AuthServer:Signing:KeyEncryptionKey"] = Convert.ToBase64String(new byte[32]);

        AssertStoppedInOneLine(await RunAsync(settings, "serve"), "AuthServer:Signing:KeyEncryptionKey does not decrypt signing key");
    }

    [Fact]
    public async Task A_database_migrated_by_a_newer_version_is_refused()
    {
        var settings = Settings("newer");
        Assert.Equal(0, (await RunAsync(settings, "migrate")).ExitCode);
        await ExecuteAsync(settings, "INSERT INTO \"__EFMigrationsHistory\" VALUES ('29991231000000_FromTheFuture', '99.0.0')");

        AssertStoppedInOneLine(await RunAsync(settings, "user", "list"), "migration 29991231000000_FromTheFuture is unknown to this version");
        AssertStoppedInOneLine(await RunAsync(settings, "serve"), "migrated by a newer AuthServer");
    }

    [Fact]
    public async Task A_migration_lock_left_by_a_killed_process_is_taken_over_and_logged()
    {
        var settings = Settings("stale-lock");
        Assert.Equal(0, (await RunAsync(settings, "migrate")).ExitCode);
        // What a process killed inside MigrateAsync leaves behind (EF Core's SQLite lock row).
        await ExecuteAsync(settings,
            "CREATE TABLE IF NOT EXISTS \"__EFMigrationsLock\" (\"Id\" INTEGER NOT NULL PRIMARY KEY, \"Timestamp\" TEXT NOT NULL);" +
            "INSERT INTO \"__EFMigrationsLock\" VALUES (1, '2026-01-01 00:00:00+00:00')");

        var result = await RunAsync(settings, "user", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("warning: Removed a migration lock taken at 2026-01-01 00:00:00+00:00 by a process that is gone", result.Error);
    }

    [Fact]
    public async Task A_live_migration_is_waited_for_with_a_warning_then_the_command_goes_on()
    {
        var settings = Settings("live-lock");
        Assert.Equal(0, (await RunAsync(settings, "migrate")).ExitCode);
        var error = new StringWriter();
        Task<int> waiting;
        using (new FileStream(Path.Combine(settings["AuthServer:DataDirectory"]!, "authserver.db.migrate-lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            waiting = CliApp.RunAsync(["user", "list"], new CliEnvironment(new StringReader(""), new StringWriter(), error, false, settings), CancellationToken.None);
            await Eventually(() => Text(error).Contains("Waiting for another process that is migrating"));
            Assert.False(waiting.IsCompleted);
        }
        Assert.Equal(0, await waiting.WaitAsync(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task The_example_settings_file_works_as_shipped_and_keeps_the_database_in_the_data_directory()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "AuthServer.sln"))) root = Path.GetDirectoryName(root)!;
        var data = Path.Combine(_root, "example");
        var settings = new Dictionary<string, string?> { ["AuthServer:DataDirectory"] = data, ["AuthServer:Passwords:WorkFactor"] = "4" };

        var result = await RunAsync(settings, "migrate", "--config", Path.Combine(root, "config", "appsettings.example.json"));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.True(File.Exists(Path.Combine(data, "authserver.db")));
    }

    private static string Text(StringWriter writer)
    {
        lock (writer) return writer.ToString();
    }

    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 600 && !condition(); i++) await Task.Delay(100);
        Assert.True(condition());
    }

    private static async Task ExecuteAsync(Dictionary<string, string?> settings, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(settings["AuthServer:DataDirectory"]!, "authserver.db")};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
