namespace AuthServer.Core.Data;

/// <summary>The SQLite database the connection string names: its file, or null for an in-memory database.</summary>
public sealed record DatabaseFile(string? Path, string ConnectionString)
{
    public bool Exists => Path is null || File.Exists(Path);
}
