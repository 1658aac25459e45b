using AuthServer.Core.Identity;
using AuthServer.Interop.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthServer.Interop.Tests.Keyless;

/// <summary>Our server trusting a GitHub-Actions-shaped issuer on loopback for one robot, and the real registry 2.8.</summary>
public sealed class KeylessFixture : RegistryFixture, IDisposable
{
    public const string Audience = "registry.interop.test";
    public const string Robot = "robot+keyless";

    public TestIssuer Issuer { get; } = new();

    protected override void ConfigureServer(Dictionary<string, string?> settings)
    {
        const string t = "AuthServer:Federation:Trusts:0:";
        settings["AuthServer:Federation:AllowHttpLoopbackIssuers"] = "true";
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

    public void Dispose() => Issuer.DisposeAsync().AsTask().GetAwaiter().GetResult();
}

/// <summary>
/// Keyless CI end to end: skopeo pushes and pulls through the real registry with a CI job's ID
/// token as the robot's password (what `docker login -u robot -p "$ID_TOKEN"` stores), and a
/// token whose claims the trust does not accept is refused by the registry's token round trip.
/// </summary>
public sealed class KeylessCiTests(KeylessFixture fixture) : IClassFixture<KeylessFixture>
{
    [Fact]
    public async Task A_job_pushes_and_pulls_with_its_id_token()
    {
        var job = new Account(KeylessFixture.Robot, fixture.Issuer.Token(KeylessFixture.Audience, repository: "octo/app", gitRef: "refs/heads/main"));

        await fixture.PushWithSkopeoAsync(job, "octo/app", "keyless");
        (await fixture.Skopeo.PullAsync(fixture.Reference("octo/app", "keyless"), job.Creds)).EnsureSuccess();
    }

    [Fact]
    public async Task A_job_of_another_repository_is_refused()
    {
        var other = new Account(KeylessFixture.Robot, fixture.Issuer.Token(KeylessFixture.Audience, repository: "octo/other"));
        var layout = Path.Combine(fixture.Containers.Directory, $"layout-{Guid.NewGuid():N}");
        var source = TestImages.WriteOciLayout(layout, "1", "refused " + Guid.NewGuid());

        var push = await fixture.Skopeo.CopyAsync(source, $"docker://{fixture.Reference("octo/app", "refused")}", destCreds: other.Creds);

        push.EnsureRefused("unauthorized", "authentication required", "401");
    }
}
