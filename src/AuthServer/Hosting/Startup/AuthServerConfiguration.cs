namespace AuthServer.Hosting;

/// <summary>Configuration sources beyond ASP.NET Core's defaults (appsettings.json, environment, command line).</summary>
public static class AuthServerConfiguration
{
    /// <summary>Environment variable naming an extra JSON settings file, e.g. in a container.</summary>
    public const string ConfigFileVariable = "AUTHSERVER_CONFIG";

    public static void AddSources(IConfigurationManager configuration, string[] args, string? configFile = null)
    {
        configFile ??= Environment.GetEnvironmentVariable(ConfigFileVariable);
        if (string.IsNullOrEmpty(configFile)) return;
        var path = Path.GetFullPath(configFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"settings file {path} does not exist", path);
        configuration.AddJsonFile(path, optional: false, reloadOnChange: false);
        // Environment variables and the command line still win over the file.
        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(args);
    }
}
