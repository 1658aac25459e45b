using AuthServer.Core.Data;
using AuthServer.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Backup;

/// <summary>What a backup holds, as the command reports it.</summary>
public sealed record BackupSummary(string File, long Bytes, int SigningKeys, int Users, string LastMigration);

/// <summary>
/// Copies of the database taken with SQLite's online backup API: one read transaction over every
/// page, so a server writing all the while loses nothing it had committed when the copy began, and
/// the copy is a single file (no -wal beside it). The key-encryption key is never in it.
/// </summary>
public sealed class DatabaseBackup(DatabaseFile database, IDbContextFactory<AuthServerDbContext> dbs)
{
    public async Task<BackupSummary> BackupAsync(string target, CancellationToken ct)
    {
        RefusePostgres("back up");
        if (database.Path is null) throw new StartupException("the database is in memory: there is nothing to back up");
        if (!database.Exists) throw new StartupException($"no database at {database.Path}: nothing to back up");
        target = Path.GetFullPath(target);
        if (System.IO.File.Exists(target)) throw new StartupException($"{target} exists already: give a new file name");
        var partial = target + ".partial";
        System.IO.File.Delete(partial);
        DataDirectory.CreatePrivateFile(partial);
        try
        {
            await using (var source = await OpenAsync(database.ConnectionString, ct))
            await using (var copy = await OpenAsync(FileConnection(partial), ct))
            {
                source.BackupDatabase(copy);
                // One self-contained file: WAL mode would want a -wal beside it when opened.
                await ExecuteAsync(copy, "PRAGMA journal_mode=DELETE", ct);
            }
            var summary = await SummarizeAsync(partial, ct);
            System.IO.File.Move(partial, target);
            return summary with { File = target };
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            System.IO.File.Delete(partial);
        }
    }

    /// <summary>Puts a backup in place of a database that does not exist: restore never overwrites.</summary>
    public async Task<BackupSummary> RestoreAsync(string backup, CancellationToken ct)
    {
        RefusePostgres("restore");
        if (database.Path is null) throw new StartupException("the database is in memory: there is nowhere to restore to");
        backup = Path.GetFullPath(backup);
        if (!System.IO.File.Exists(backup)) throw new StartupException($"{backup} does not exist");
        if (database.Exists)
            throw new StartupException($"{database.Path} exists: restore goes into a data directory without a database; move it away first (and stop the server)");
        var summary = await SummarizeAsync(backup, ct);
        await CheckMigrationsAsync(backup, ct);

        new DataDirectory(Path.GetDirectoryName(database.Path)!).EnsureExists();
        DataDirectory.CreatePrivateFile(database.Path);
        try
        {
            await using var source = await OpenAsync(FileConnection(backup, readOnly: true), ct);
            await using var restored = await OpenAsync(database.ConnectionString, ct);
            source.BackupDatabase(restored);
            await ExecuteAsync(restored, "PRAGMA journal_mode=WAL", ct);
        }
        catch
        {
            SqliteConnection.ClearAllPools();
            System.IO.File.Delete(database.Path);
            throw;
        }
        SqliteConnection.ClearAllPools();
        return summary;
    }

    /// <summary>Opens the copy on its own, checks every page, and counts what matters most in it.</summary>
    private static async Task<BackupSummary> SummarizeAsync(string file, CancellationToken ct)
    {
        await using var connection = await OpenAsync(FileConnection(file, readOnly: true), ct);
        string check;
        try
        {
            check = Convert.ToString(await ScalarAsync(connection, "PRAGMA integrity_check", ct)) ?? "";
        }
        catch (SqliteException e)
        {
            throw new StartupException($"{file} is not a SQLite database ({e.Message})");
        }
        if (check != "ok") throw new StartupException($"{file} is damaged: SQLite's integrity check says {check}");
        try
        {
            return new BackupSummary(file, new FileInfo(file).Length,
                Convert.ToInt32(await ScalarAsync(connection, "SELECT count(*) FROM signing_keys", ct)),
                Convert.ToInt32(await ScalarAsync(connection, "SELECT count(*) FROM users", ct)),
                Convert.ToString(await ScalarAsync(connection, "SELECT max(\"MigrationId\") FROM \"__EFMigrationsHistory\"", ct)) ?? "");
        }
        catch (SqliteException)
        {
            throw new StartupException($"{file} is a SQLite database but not an AuthServer one");
        }
    }

    private async Task CheckMigrationsAsync(string backup, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        await using var connection = await OpenAsync(FileConnection(backup, readOnly: true), ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\"";
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            if (!known.Contains(reader.GetString(0)))
                throw new StartupException($"{backup} was written by a newer AuthServer (migration {reader.GetString(0)}): restore it with that version");
    }

    private static string FileConnection(string path, bool readOnly = false) =>
        new SqliteConnectionStringBuilder { DataSource = path, Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite, Pooling = false }.ToString();

    private static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(ct);
    }

    /// <summary>PostgreSQL has its own tools, which operators already run and which replication builds on.</summary>
    private void RefusePostgres(string what)
    {
        if (database.IsPostgreSQL)
            throw new StartupException($"the database is PostgreSQL: {what} it with pg_dump / pg_restore (docs/scale-out.md#backups); this command copies SQLite files");
    }
}
