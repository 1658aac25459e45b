namespace AuthServer.Core.Data;

/// <summary>The folder for the SQLite file and the key-encryption key (setting AuthServer:DataDirectory).</summary>
public sealed record DataDirectory(string Path)
{
    public const string Setting = "AuthServer:DataDirectory";
    public const string Default = "data";

    public string Resolve(string relativeOrAbsolute) =>
        System.IO.Path.IsPathRooted(relativeOrAbsolute) ? relativeOrAbsolute : System.IO.Path.Combine(Path, relativeOrAbsolute);

    public void EnsureExists() => Directory.CreateDirectory(Path);
}
