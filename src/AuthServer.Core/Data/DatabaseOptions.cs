namespace AuthServer.Core.Data;

public sealed class DatabaseOptions
{
    public const string Section = "AuthServer:Database";

    /// <summary>Sqlite (embedded default) or PostgreSQL (several replicas on one database), any case.</summary>
    public string Provider { get; set; } = DatabaseProviders.Sqlite;

    /// <summary>When unset, SQLite at <c>{DataDirectory}/authserver.db</c>; PostgreSQL needs one (Npgsql form).</summary>
    public string? ConnectionString { get; set; }
}

public static class DatabaseProviders
{
    public const string Sqlite = "Sqlite";
    public const string PostgreSQL = "PostgreSQL";

    /// <summary>The provider's canonical name, whatever case the setting used; an unknown one is refused by name.</summary>
    public static string Canonical(string? configured) =>
        configured?.Trim() switch
        {
            null or "" => Sqlite,
            var p when string.Equals(p, Sqlite, StringComparison.OrdinalIgnoreCase) => Sqlite,
            var p when string.Equals(p, PostgreSQL, StringComparison.OrdinalIgnoreCase) => PostgreSQL,
            var p => throw new InvalidOperationException($"AuthServer:Database:Provider '{p}' is not supported: use Sqlite or PostgreSQL"),
        };
}
