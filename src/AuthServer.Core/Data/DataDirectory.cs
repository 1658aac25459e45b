namespace AuthServer.Core.Data;

/// <summary>The folder for the SQLite file and the key-encryption key (setting AuthServer:DataDirectory).</summary>
public sealed record DataDirectory(string Path)
{
    public const string Setting = "AuthServer:DataDirectory";
    public const string Default = "data";

    public string Resolve(string relativeOrAbsolute) =>
        System.IO.Path.IsPathRooted(relativeOrAbsolute) ? relativeOrAbsolute : System.IO.Path.Combine(Path, relativeOrAbsolute);

    /// <summary>Creates the folder readable by this account only (0700): it holds the database and the key-encryption key.</summary>
    public void EnsureExists()
    {
        if (Directory.Exists(Path)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(Path);
        else Directory.CreateDirectory(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Creates an empty file readable by this account only (0600), unless it exists. SQLite gives its -wal and -shm files the mode of the database file.</summary>
    public static void CreatePrivateFile(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var _ = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
        }
    }
}
