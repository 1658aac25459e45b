using AuthServer.Core.Identity;
using AuthServer.Core.Ldap;
using AuthServer.Interop.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthServer.Interop.Tests.Ldap;

/// <summary>
/// A real slapd (TestSupport's, with its people and groups), our server signing its users in,
/// and the real registry 2.8. The directory's developers and platform (nested: ops) are mapped to
/// the AuthServer groups developers and platform-team, which an administrator made beforehand and
/// gave rules: developers push and pull dev/**, platform-team pulls it.
/// </summary>
public class DirectoryFixture : RegistryFixture
{
    public SlapdServer Directory { get; private set; } = null!;

    protected override async Task BeforeServerAsync() => Directory = await SlapdServer.StartNewAsync();

    protected override void ConfigureServer(Dictionary<string, string?> settings)
    {
        foreach (var (key, value) in Directory.ClientSettings()) settings[key] = value;
        settings["AuthServer:Ldap:GroupMappings:0:Directory"] = "developers";
        settings["AuthServer:Ldap:GroupMappings:1:Directory"] = $"cn=plat*,{SlapdServer.Groups}";
        settings["AuthServer:Ldap:GroupMappings:1:Group"] = "platform-team";
        // The refresh is run by the tests (DirectoryRefresher), not by the clock.
        settings["AuthServer:Ldap:RefreshInterval"] = "1.00:00:00";
    }

    protected override async Task BeforeExportAsync()
    {
        await Server.WithServicesAsync(async sp =>
        {
            var groups = sp.GetRequiredService<GroupService>();
            await groups.CreateAsync("developers", "the directory's developers", CancellationToken.None);
            await groups.CreateAsync("platform-team", "the directory's platform group", CancellationToken.None);
        });
        await Server.AllowAsync("group:developers", "dev/**", "pull", "push");
        await Server.AllowAsync("group:platform-team", "dev/**", "pull");
    }

    /// <summary>A directory user as a client signs in: their login name and directory password.</summary>
    public static Account User(string uid) => new(uid, SlapdServer.PasswordOf(uid));

    /// <summary>What the periodic refresh does, now: every provisioned user read again with the service account.</summary>
    public async Task<DirectoryRefresh> RefreshAsync()
    {
        DirectoryRefresh refresh = null!;
        await Server.WithServicesAsync(async sp => refresh = await sp.GetRequiredService<DirectoryRefresher>().RefreshAllAsync(CancellationToken.None));
        return refresh;
    }

    protected override async ValueTask StopClientsAsync()
    {
        if (Directory is not null) await Directory.DisposeAsync();
    }
}

/// <summary>The directory world plus a private dockerd, for `docker login` with a directory password.</summary>
public sealed class DirectoryDockerFixture : DirectoryFixture
{
    public DockerDaemon Docker { get; private set; } = null!;

    public DockerClient NewClient() => new(Docker, Registry.Host);

    protected override async Task StartClientsAsync() => Docker = await DockerDaemon.StartAsync();

    protected override async ValueTask StopClientsAsync()
    {
        if (Docker is not null) await Docker.DisposeAsync();
        await base.StopClientsAsync();
    }
}
