using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Data.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace AuthServer.Hosting;

/// <summary>Chooses the EF Core provider and its migrations assembly (one per provider).</summary>
public static class DatabaseRegistration
{
    public const string SqliteMigrationsAssembly = "AuthServer.Migrations.Sqlite";

    public static IServiceCollection AddAuthServerDatabase(this IServiceCollection services, DatabaseOptions options, DataDirectory data)
    {
        var provider = options.Provider;
        if (!string.Equals(provider, DatabaseProviders.Sqlite, StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"AuthServer:Database:Provider '{provider}' is not supported: use Sqlite");

        var connectionString = SqliteConnectionString(options.ConnectionString, data);
        services.AddSingleton(new DatabaseFile(SqliteFile(connectionString), connectionString));
        services.AddSingleton<LocalChanges>();
        services.AddSingleton<DatabaseErrors>();
        services.AddSingleton<IAuditBatchWriter, SqliteAuditBatchWriter>();
        services.AddPooledDbContextFactory<AuthServerDbContext>((sp, o) =>
        {
            o.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly))
                // Caches follow every write without the writing code knowing (see CacheDependencies).
                .AddInterceptors(RevisionInterceptor.Instance, RevisionCommitSignal.Instance, BulkWriteGuard.Instance)
                .AddInterceptors(sp.GetRequiredService<DatabaseErrors>())
                // SQLite cannot alter a column, so EF rebuilds the table, switching foreign keys off
                // around it with a PRAGMA that SQLite ignores inside a transaction; EF warns of that on
                // every first start. Expected for SQLite: kept in the log, but not on the CLI's stderr.
                .ConfigureWarnings(w => w.Log((RelationalEventId.NonTransactionalMigrationOperationWarning, LogLevel.Information)));
            ((IDbContextOptionsBuilderInfrastructure)o).AddOrUpdateExtension(new LocalChangesExtension(sp.GetRequiredService<LocalChanges>()));
        });
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<AuthServerDbContext>>().CreateDbContext());
        return services;
    }

    private static string? SqliteFile(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:") return null;
        return Path.GetFullPath(builder.DataSource);
    }

    private static string SqliteConnectionString(string? configured, DataDirectory data)
    {
        var builder = new SqliteConnectionStringBuilder(configured ?? $"Data Source={data.Resolve("authserver.db")}");
        // A relative file is under the data directory (in a container, the volume), not wherever the process was started.
        if (builder.Mode != SqliteOpenMode.Memory && builder.DataSource is not ("" or ":memory:"))
            builder.DataSource = data.Resolve(builder.DataSource);
        // Microsoft.Data.Sqlite's default 30 s busy timeout makes writers wait for each other
        // instead of failing at once with "database is locked".
        builder.Pooling = true;
        return builder.ToString();
    }
}
