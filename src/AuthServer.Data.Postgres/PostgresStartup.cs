using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AuthServer.Data.Postgres;

/// <summary>
/// PostgreSQL's start-up. Replicas started at once on an empty database must migrate once and
/// create one signing key and one administrator, so migrating and seeding happen under a
/// session-level advisory lock: the first replica takes it, the others wait, then find the
/// schema current, a key active and an administrator present. The lock lives on a connection of
/// its own, so PostgreSQL releases it when that connection ends, also when the process is killed.
/// </summary>
public sealed class PostgresStartup(ILogger<PostgresStartup> log) : IDatabaseStartup
{
    // Any constant shared by every replica; "AuthSrv1" in ASCII.
    private const long StartupLockKey = 0x4175_7468_5372_7631;

    public async Task<IAsyncDisposable> LockAsync(AuthServerDbContext db, CancellationToken ct)
    {
        await EnsureDatabaseAsync(db, ct);
        // Unpooled: a pooled connection would go back to the pool still holding the lock.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        try
        {
            await using var tryLock = Command(connection, "SELECT pg_try_advisory_lock(@key)");
            if (await tryLock.ExecuteScalarAsync(ct) is not true)
            {
                log.LogInformation("Waiting for another replica that is migrating or seeding the database");
                await using var waitForLock = Command(connection, "SELECT pg_advisory_lock(@key)");
                await waitForLock.ExecuteNonQueryAsync(ct);
            }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public Task AfterMigrationAsync(AuthServerDbContext db, CancellationToken ct) => Task.CompletedTask;

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("key", StartupLockKey);
        return command;
    }

    /// <summary>Creates the database when the role may and it is missing; two replicas creating it at once is no error.</summary>
    private static async Task EnsureDatabaseAsync(AuthServerDbContext db, CancellationToken ct)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(ct)) return;
        try
        {
            await creator.CreateAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
        }
    }
}
