using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AuthServer.Data.Sqlite;

/// <summary>
/// Who may migrate the database. EF Core marks a migration on SQLite with a row in
/// <c>__EFMigrationsLock</c>, which a process killed mid-migration (or failing on a full disk)
/// never removes, so every later start would wait for it forever. Here the operating system holds
/// the lock instead: an exclusive lock on a file beside the database, released when its process
/// ends however it ends. Whoever holds that file lock knows a row left in the table belongs to a
/// process that is gone, and removes it before migrating.
/// </summary>
public sealed class MigrationLock : IAsyncDisposable
{
    private readonly FileStream _file;

    private MigrationLock(FileStream file) => _file = file;

    public static async Task<MigrationLock> AcquireAsync(string databasePath, ILogger log, CancellationToken ct)
    {
        var path = databasePath + ".migrate-lock";
        var waiting = false;
        while (true)
        {
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                return new MigrationLock(new FileStream(path, options));
            }
            catch (IOException) when (File.Exists(path))
            {
                if (!waiting) log.LogWarning("Waiting for another process that is migrating {Database} (it holds {Lock})", databasePath, path);
                waiting = true;
                await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
            }
        }
    }

    /// <summary>Removes EF Core's lock row: under this lock, a row can only be one a dead process left.</summary>
    public static async Task RemoveStaleRowAsync(AuthServerDbContext db, ILogger log, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var exists = connection.CreateCommand();
            exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsLock'";
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(ct)) == 0) return;
            await using var select = connection.CreateCommand();
            select.CommandText = "SELECT \"Timestamp\" FROM \"__EFMigrationsLock\"";
            if (await select.ExecuteScalarAsync(ct) is not { } taken) return;
            await using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM \"__EFMigrationsLock\"";
            await delete.ExecuteNonQueryAsync(ct);
            log.LogWarning("Removed a migration lock taken at {Taken} by a process that is gone (killed, or stopped by a full disk); migrating now", taken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public ValueTask DisposeAsync() => _file.DisposeAsync();
}
