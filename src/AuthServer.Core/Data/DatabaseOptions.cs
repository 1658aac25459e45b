namespace AuthServer.Core.Data;

public sealed class DatabaseOptions
{
    public const string Section = "AuthServer:Database";

    /// <summary>Sqlite (embedded default).</summary>
    public string Provider { get; set; } = DatabaseProviders.Sqlite;

    /// <summary>When unset, SQLite at <c>{DataDirectory}/authserver.db</c>.</summary>
    public string? ConnectionString { get; set; }
}

public static class DatabaseProviders
{
    public const string Sqlite = "Sqlite";
}
