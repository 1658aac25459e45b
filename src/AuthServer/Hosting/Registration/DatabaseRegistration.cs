using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Data.Postgres;
using AuthServer.Data.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace AuthServer.Hosting;

/// <summary>Chooses the EF Core provider and its migrations assembly (one per provider).</summary>
public static class DatabaseRegistration
{
    public const string SqliteMigrationsAssembly = "AuthServer.Migrations.Sqlite";
    public const string PostgresMigrationsAssembly = "AuthServer.Migrations.Postgres";

    public static IServiceCollection AddAuthServerDatabase(this IServiceCollection services, DatabaseOptions options, DataDirectory data)
    {
        var provider = DatabaseProviders.Canonical(options.Provider);
        services.AddSingleton<LocalChanges>();
        services.AddSingleton<DatabaseErrors>();
        if (provider == DatabaseProviders.PostgreSQL) AddPostgres(services, options);
        else AddSqlite(services, options, data);
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<AuthServerDbContext>>().CreateDbContext());
        return services;
    }

    private static void AddSqlite(IServiceCollection services, DatabaseOptions options, DataDirectory data)
    {
        var connectionString = SqliteConnectionString(options.ConnectionString, data);
        services.AddSingleton(new DatabaseFile(SqliteFile(connectionString), connectionString));
        services.AddSingleton<IDatabaseStartup, SqliteStartup>();
        services.AddSingleton<IReplicaChannel, SingleReplica>();
        services.AddSingleton<IAuditBatchWriter, SqliteAuditBatchWriter>();
        services.AddPooledDbContextFactory<AuthServerDbContext>((sp, o) =>
        {
            o.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly))
                // SQLite cannot alter a column, so EF rebuilds the table, switching foreign keys off
                // around it with a PRAGMA that SQLite ignores inside a transaction; EF warns of that on
                // every first start. Expected for SQLite: kept in the log, but not on the CLI's stderr.
                .ConfigureWarnings(w => w.Log((RelationalEventId.NonTransactionalMigrationOperationWarning, LogLevel.Information)));
            Shared(sp, o);
        });
    }

    private static void AddPostgres(IServiceCollection services, DatabaseOptions options)
    {
        var connectionString = PostgresConnectionString(options.ConnectionString);
        services.AddSingleton(new DatabaseFile(null, connectionString, DatabaseProviders.PostgreSQL));
        services.AddSingleton<IDatabaseStartup, PostgresStartup>();
        services.AddSingleton<PostgresReplicaChannel>();
        services.AddSingleton<IReplicaChannel>(sp => sp.GetRequiredService<PostgresReplicaChannel>());
        services.AddSingleton<IAuditBatchWriter, PostgresAuditBatchWriter>();
        services.AddPooledDbContextFactory<AuthServerDbContext>((sp, o) =>
        {
            o.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(PostgresMigrationsAssembly))
                // The other replicas hear of each change as it commits (the revision poll is the fallback).
                .AddInterceptors(PostgresChangeNotice.Instance);
            Shared(sp, o);
        });
    }

    private static void Shared(IServiceProvider sp, DbContextOptionsBuilder o)
    {
        // Caches follow every write without the writing code knowing (see CacheDependencies).
        o.AddInterceptors(RevisionInterceptor.Instance, RevisionCommitSignal.Instance, BulkWriteGuard.Instance)
            .AddInterceptors(sp.GetRequiredService<DatabaseErrors>());
        ((IDbContextOptionsBuilderInfrastructure)o).AddOrUpdateExtension(new LocalChangesExtension(sp.GetRequiredService<LocalChanges>()));
    }

    private static string PostgresConnectionString(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
            throw new InvalidOperationException(
                "AuthServer:Database:ConnectionString is required with Provider PostgreSQL, in Npgsql form: " +
                "Host=db;Database=authserver;Username=authserver;Password=...");
        try
        {
            return new NpgsqlConnectionStringBuilder(configured).ConnectionString;
        }
        catch (ArgumentException e)
        {
            // The message names the keyword at fault, never the value (it may hold the password).
            throw new InvalidOperationException($"AuthServer:Database:ConnectionString is not a valid Npgsql connection string: {e.Message}");
        }
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
