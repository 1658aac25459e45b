namespace AuthServer.Cli;

/// <summary>
/// Files only the server's account may read: the key-encryption key, the TLS private key, the
/// database and the data directory. Readable by everyone is an error (any local account, any
/// process that escapes its sandbox, holds the secret); readable by the group a warning, since a
/// shared group can be deliberate (root:authserver 0640 for a file root owns). A directory open to
/// others is a warning: it shows file names, while the files keep their own modes.
/// </summary>
internal static class PrivateFiles
{
    private const UnixFileMode Others = UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
    private const UnixFileMode Group = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute;

    public static void Check(Findings findings, string path, string what)
    {
        if (OperatingSystem.IsWindows()) return;
        var isDirectory = Directory.Exists(path);
        if (!isDirectory && !File.Exists(path)) return;
        var mode = File.GetUnixFileMode(path);
        var octal = Convert.ToString((int)mode, 8).PadLeft(4, '0');
        var fix = isDirectory ? $"chmod 700 {path}" : $"chmod 600 {path}";
        if ((mode & Others) != 0 && isDirectory)
            findings.Warn($"{what} {path} is open to every account on this host (mode {octal}): {fix}");
        else if ((mode & Others) != 0)
            findings.Error($"{what} {path} is open to every account on this host (mode {octal}): {fix}, owned by the account the server runs as");
        else if ((mode & Group) != 0)
            findings.Warn($"{what} {path} is open to its group (mode {octal}): {fix} unless that group is meant to read it");
        else findings.Ok($"{what} {path} is private (mode {octal})");
    }
}
