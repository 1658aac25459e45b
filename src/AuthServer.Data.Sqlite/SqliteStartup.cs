using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AuthServer.Data.Sqlite;

/// <summary>SQLite's start-up: a file lock beside the database (<see cref="MigrationLock"/>), WAL once migrated.</summary>
public sealed class SqliteStartup(DatabaseFile database, ILogger<SqliteStartup> log) : IDatabaseStartup
{
    public async Task<IAsyncDisposable> LockAsync(AuthServerDbContext db, CancellationToken ct)
    {
        if (database.Path is null) return NoLock.Instance;
        var held = await MigrationLock.AcquireAsync(database.Path, log, ct);
        await MigrationLock.RemoveStaleRowAsync(db, log, ct);
        return held;
    }

    // WAL lets token requests read while an admin change is being written.
    public Task AfterMigrationAsync(AuthServerDbContext db, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);

    /// <summary>An in-memory database belongs to one process: nobody to wait for.</summary>
    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
