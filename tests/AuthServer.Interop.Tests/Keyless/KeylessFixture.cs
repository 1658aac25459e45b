using AuthServer.Core.Identity;
using AuthServer.Interop.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthServer.Interop.Tests.Keyless;

/// <summary>
/// Our server trusting a GitHub-Actions-shaped issuer on loopback for one robot, the real registry
/// 2.8, and a private dockerd. The issuer's keys are fetched again at most once a second, so a
/// rotation is seen within the tests' patience.
/// </summary>
public sealed class KeylessFixture : RegistryFixture, IDisposable
{
    public const string Audience = "registry.interop.test";
    public const string Robot = "robot+keyless";

    public TestIssuer Issuer { get; } = new();

    public DockerDaemon Docker { get; private set; } = null!;

    /// <summary>A docker CLI with its own config directory, as one CI job's runner.</summary>
    public DockerClient NewDockerClient() => new(Docker, Registry.Host);

    protected override void ConfigureServer(Dictionary<string, string?> settings)
    {
        const string t = "AuthServer:Federation:Trusts:0:";
        settings["AuthServer:Federation:AllowHttpLoopbackIssuers"] = "true";
        settings["AuthServer:Federation:MetadataRefreshInterval"] = "00:00:01";
        settings[t + "Name"] = "gha-octo-app";
        settings[t + "Issuer"] = Issuer.Url;
        settings[t + "Audiences:0"] = Audience;
        settings[t + "Claims:repository"] = "octo/app";
        settings[t + "Claims:ref"] = "refs/heads/*";
        settings[t + "Robot"] = Robot;
    }

    protected override async Task BeforeExportAsync()
    {
        await Server.WithServicesAsync(sp => sp.GetRequiredService<RobotService>().CreateAsync(new RobotSpec("keyless"), CancellationToken.None));
        await Server.AllowAsync($"robot:{Robot}", "octo/**", "pull", "push");
    }

    protected override async Task StartClientsAsync() => Docker = await DockerDaemon.StartAsync();

    protected override async ValueTask StopClientsAsync()
    {
        if (Docker is not null) await Docker.DisposeAsync();
    }

    public void Dispose() => Issuer.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
