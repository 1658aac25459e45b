namespace AuthServer.Core.Data;

/// <summary>
/// The database the settings name: its provider, its connection string and, for SQLite, its file
/// (null for an in-memory SQLite database and for PostgreSQL, which has no file of ours).
/// </summary>
public sealed record DatabaseFile(string? Path, string ConnectionString, string Provider = DatabaseProviders.Sqlite)
{
    public bool IsPostgreSQL => Provider == DatabaseProviders.PostgreSQL;

    public bool Exists => Path is null || File.Exists(Path);
}
