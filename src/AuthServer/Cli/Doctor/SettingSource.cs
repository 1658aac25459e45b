using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;

namespace AuthServer.Cli;

/// <summary>Where a setting's value comes from, as a finding names it: the place to remove it from.</summary>
internal static class SettingSource
{
    public static string Describe(IConfiguration configuration, string key)
    {
        if (configuration is not IConfigurationRoot root) return "the settings";
        // The last provider that has the key wins, as configuration reads it.
        var provider = root.Providers.Reverse().FirstOrDefault(p => p.TryGet(key, out _));
        return provider switch
        {
            EnvironmentVariablesConfigurationProvider => $"the environment variable {EnvironmentName(key)}",
            JsonConfigurationProvider json => $"the settings file {json.Source.Path}",
            CommandLineConfigurationProvider => "the command line",
            _ => "the settings",
        };
    }

    // Host builders read variables with and without the DOTNET_ prefix; name the one that is set.
    private static string EnvironmentName(string key)
    {
        var name = key.Replace(":", "__", StringComparison.Ordinal);
        return Environment.GetEnvironmentVariable(name) is null && Environment.GetEnvironmentVariable("DOTNET_" + name) is not null ? "DOTNET_" + name : name;
    }
}
