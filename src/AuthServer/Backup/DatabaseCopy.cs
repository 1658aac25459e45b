using System.Reflection;
using AuthServer.Core.Data;
using AuthServer.Data.Postgres;
using AuthServer.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuthServer.Backup;

/// <summary>What a copy moved, table by table, as the command reports it.</summary>
public sealed record CopySummary(string Provider, IReadOnlyDictionary<string, int> Rows);

/// <summary>
/// Moves an installation from its database (SQLite) into an empty PostgreSQL database: the target
/// is migrated first, then every table of the model is copied row for row with its keys, in the
/// order its foreign keys need, and PostgreSQL's identity sequences are set past the copied keys.
/// Hashes, encrypted keys and sessions move as stored, so every password, secret, token and
/// docker login goes on working with the same key-encryption key.
/// </summary>
public sealed class DatabaseCopy(IDbContextFactory<AuthServerDbContext> sources)
{
    private const int BatchSize = 2000;

    public async Task<CopySummary> CopyToPostgresAsync(string connectionString, CancellationToken ct)
    {
        var options = new DbContextOptionsBuilder<AuthServerDbContext>()
            .UseNpgsql(connectionString, o => o.MigrationsAssembly(DatabaseRegistration.PostgresMigrationsAssembly))
            .Options;
        await using var target = new AuthServerDbContext(options);
        var startup = new PostgresStartup(NullLogger<PostgresStartup>.Instance);
        await using (await startup.LockAsync(target, ct))
        {
            await target.Database.MigrateAsync(ct);
            if (await target.Users.AnyAsync(ct) || await target.SigningKeys.AnyAsync(ct))
                throw new StartupException("the target database holds users or signing keys already: copy into an empty database only");

            await using var source = await sources.CreateDbContextAsync(ct);
            var rows = new Dictionary<string, int>(StringComparer.Ordinal);
            await using var tx = await target.Database.BeginTransactionAsync(ct);
            foreach (var entity in InDependencyOrder(target.Model))
            {
                var copy = CopyMethod.MakeGenericMethod(entity.ClrType);
                rows[entity.GetTableName()!] = await (Task<int>)copy.Invoke(null, [source, target, ct])!;
                await ResetIdentityAsync(target, entity, ct);
            }
            await tx.CommitAsync(ct);
            return new CopySummary(DatabaseProviders.PostgreSQL, rows);
        }
    }

    private static readonly MethodInfo CopyMethod = typeof(DatabaseCopy).GetMethod(nameof(CopyTableAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static async Task<int> CopyTableAsync<T>(AuthServerDbContext source, AuthServerDbContext target, CancellationToken ct) where T : class
    {
        // Rows the migration seeded (the revision areas) are replaced by the source's.
        await target.Set<T>().ExecuteDeleteAsync(ct);
        var key = source.Model.FindEntityType(typeof(T))!.FindPrimaryKey()!.Properties[0].Name;
        var copied = 0;
        while (true)
        {
            var batch = await source.Set<T>().AsNoTracking().OrderBy(e => EF.Property<object>(e, key)).Skip(copied).Take(BatchSize).ToListAsync(ct);
            if (batch.Count == 0) return copied;
            target.Set<T>().AddRange(batch);
            await target.SaveChangesAsync(ct);
            target.ChangeTracker.Clear();
            copied += batch.Count;
        }
    }

    /// <summary>Rows were inserted with their own keys: the identity sequence starts after the largest.</summary>
    private static async Task ResetIdentityAsync(AuthServerDbContext target, IEntityType entity, CancellationToken ct)
    {
        var key = entity.FindPrimaryKey()!.Properties;
        if (key.Count != 1 || key[0].ValueGenerated != ValueGenerated.OnAdd || key[0].ClrType != typeof(long) && key[0].ClrType != typeof(int)) return;
        var table = entity.GetTableName()!;
        var column = key[0].GetColumnName();
        var sql = $"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), COALESCE((SELECT MAX(\"{column}\") FROM \"{table}\"), 0) + 1, false)";
        await target.Database.ExecuteSqlRawAsync(sql, ct);
    }

    /// <summary>Each table after the tables its foreign keys point to.</summary>
    private static List<IEntityType> InDependencyOrder(IModel model)
    {
        var ordered = new List<IEntityType>();
        var placed = new HashSet<IEntityType>();
        void Place(IEntityType entity, HashSet<IEntityType> visiting)
        {
            if (placed.Contains(entity) || !visiting.Add(entity)) return;
            foreach (var fk in entity.GetForeignKeys())
                if (fk.PrincipalEntityType != entity) Place(fk.PrincipalEntityType, visiting);
            placed.Add(entity);
            ordered.Add(entity);
        }
        foreach (var entity in model.GetEntityTypes().Where(e => e.GetTableName() is not null && !e.IsOwned()).OrderBy(e => e.GetTableName(), StringComparer.Ordinal))
            Place(entity, []);
        return ordered;
    }
}
