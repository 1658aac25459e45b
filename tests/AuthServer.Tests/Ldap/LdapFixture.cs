using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Ldap;

/// <summary>
/// A real slapd and a real AuthServer signing in against it: group search with nested groups
/// expanded, the required group authserver-users, developers and platform mapped to AuthServer
/// groups, low lockout thresholds out of the way except per account.
/// </summary>
public class LdapFixture : AuthServerFixture, IAsyncLifetime
{
    public SlapdServer Directory { get; private set; } = null!;

    public new async Task InitializeAsync()
    {
        Directory = await SlapdServer.StartNewAsync();
        await base.InitializeAsync();
    }

    protected override void Configure(Dictionary<string, string?> settings)
    {
        foreach (var (key, value) in DirectorySettings()) settings[key] = value;
        settings["AuthServer:Lockout:AddressThreshold"] = "100000";
        settings["AuthServer:Lockout:UnfamiliarThreshold"] = "100000";
    }

    /// <summary>The AuthServer:Ldap settings, also for CLI commands run against this server's data.</summary>
    public Dictionary<string, string?> DirectorySettings()
    {
        var settings = Directory.ClientSettings();
        settings["AuthServer:Ldap:GroupMappings:0:Directory"] = "developers";
        settings["AuthServer:Ldap:GroupMappings:1:Directory"] = $"cn=plat*,{SlapdServer.Groups}";
        settings["AuthServer:Ldap:GroupMappings:1:Group"] = "platform-team";
        settings["AuthServer:Ldap:RetryAfter"] = "00:00:07";
        // The refresh is driven by the tests (DirectoryRefresher), not the clock.
        settings["AuthServer:Ldap:RefreshInterval"] = "1.00:00:00";
        return settings;
    }

    /// <summary>The directory settings as <c>--Key=value</c> arguments of a CLI command.</summary>
    public string[] DirectoryArguments() => [.. DirectorySettings().Select(s => $"--{s.Key}={s.Value}")];

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory is not null) await Directory.DisposeAsync();
    }
}
