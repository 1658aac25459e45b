namespace AuthServer.TestSupport;

public static class TempDirectory
{
    /// <summary>A new directory under /tmp. Names stay short: dockerd's sockets live below it and
    /// a unix socket path is limited to 108 bytes.</summary>
    public static string Create(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)]);
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file still held by a process that is exiting; the OS cleans /tmp.
        }
    }
}
