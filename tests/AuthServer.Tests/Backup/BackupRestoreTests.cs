using System.Collections.Concurrent;
using System.Text.Json;
using AuthServer.Cli;
using AuthServer.Core.Identity;
using AuthServer.Core.Signing;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthServer.Tests.Backup;

/// <summary>
/// `authserver backup` against a server that keeps writing, and `authserver restore` into an empty
/// data directory: every change acknowledged before the backup began, and every key, come back
/// (issue 12, item 6). The commands run in process against the server's own database file.
/// </summary>
public sealed class BackupRestoreTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>, IDisposable
{
    private readonly string _elsewhere = TempDirectory.Create("authserver-restore");

    public void Dispose() => TempDirectory.Delete(_elsewhere);

    [Fact]
    public async Task A_backup_taken_under_write_load_restores_every_acknowledged_change_and_every_key()
    {
        var next = await server.WithServiceAsync(sp => sp.GetRequiredService<SigningKeyService>().AddAsync(null, activate: false, CancellationToken.None));
        var acknowledged = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var name = $"load{i}-{Guid.NewGuid():N}"[..20];
                await server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().CreateAsync(name, "long-enough-1", false, CancellationToken.None));
                acknowledged.Enqueue(name);
            }
        });
        while (acknowledged.Count < 20) await Task.Delay(10);
        var beforeBackup = acknowledged.ToArray();
        var keysBefore = await server.WithServiceAsync(sp => sp.GetRequiredService<SigningKeyService>().ListAsync(CancellationToken.None));
        var file = Path.Combine(_elsewhere, "authserver-backup.db");

        var backup = await InProcessCli.RunAsync(server.DataDirectory, null, "backup", file, "--json");

        await stop.CancelAsync();
        await writer;
        Assert.True(backup.ExitCode == 0, backup.Error);
        Assert.Contains(next.Kid, keysBefore.Select(k => k.Kid));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.False(File.Exists(file + "-wal"));

        var restoredData = Path.Combine(_elsewhere, "data");
        var restore = await InProcessCli.RunAsync(restoredData, null, "restore", file);
        Assert.True(restore.ExitCode == 0, restore.Error);
        Assert.Contains("now put the key-encryption key back", restore.Output);
        File.Copy(Path.Combine(server.DataDirectory, "signing.kek"), Path.Combine(restoredData, "signing.kek"));

        var users = JsonDocument.Parse((await InProcessCli.RunAsync(restoredData, null, "user", "list", "--json")).Output).RootElement
            .EnumerateArray().Select(u => u.GetProperty("name").GetString()).ToHashSet();
        Assert.All(beforeBackup, name => Assert.Contains(name, users));
        var keys = JsonDocument.Parse((await InProcessCli.RunAsync(restoredData, null, "keys", "list", "--json")).Output).RootElement
            .EnumerateArray().Select(k => (k.GetProperty("kid").GetString()!, k.GetProperty("state").GetString()!)).ToList();
        Assert.Equal(keysBefore.Select(k => (k.Kid, k.State.ToString().ToLowerInvariant())), keys);
        var bundle = Path.Combine(_elsewhere, "bundle.pem");
        Assert.Equal(0, (await InProcessCli.RunAsync(restoredData, null, "keys", "export", "--bundle", bundle)).ExitCode);
    }

    [Fact]
    public async Task Restore_never_overwrites_a_database_and_refuses_a_file_that_is_none()
    {
        var file = Path.Combine(_elsewhere, "copy.db");
        Assert.Equal(0, (await InProcessCli.RunAsync(server.DataDirectory, null, "backup", file)).ExitCode);

        var over = await InProcessCli.RunAsync(server.DataDirectory, null, "restore", file);
        Assert.Equal(ExitCodes.Failed, over.ExitCode);
        Assert.Contains("restore goes into a data directory without a database", over.Error);

        var again = await InProcessCli.RunAsync(server.DataDirectory, null, "backup", file);
        Assert.Equal(ExitCodes.Failed, again.ExitCode);
        Assert.Contains("exists already", again.Error);

        var junk = Path.Combine(_elsewhere, "junk.db");
        await File.WriteAllTextAsync(junk, "not a database at all, but long enough to have a header of sorts..............");
        var refused = await InProcessCli.RunAsync(Path.Combine(_elsewhere, "empty"), null, "restore", junk);
        Assert.Equal(ExitCodes.Failed, refused.ExitCode);
        Assert.Contains("is not a SQLite database", refused.Error);
        Assert.False(File.Exists(Path.Combine(_elsewhere, "empty", "authserver.db")));
    }
}
