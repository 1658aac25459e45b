namespace AuthServer.Core.Data;

/// <summary>
/// What a provider does around start-up: the lock that lets one process at a time migrate and
/// seed (first signing key, first administrator), and whatever the database needs once migrated.
/// </summary>
public interface IDatabaseStartup
{
    /// <summary>Held while migrating and seeding; released when disposed or when the process ends, however it ends.</summary>
    Task<IAsyncDisposable> LockAsync(AuthServerDbContext db, CancellationToken ct);

    Task AfterMigrationAsync(AuthServerDbContext db, CancellationToken ct);
}
