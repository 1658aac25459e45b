namespace AuthServer.TestSupport;

/// <summary>Files of this repository (Dockerfile, config/), found from the test binaries upwards.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AuthServer.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no AuthServer.sln above {AppContext.BaseDirectory}");
    }
}
