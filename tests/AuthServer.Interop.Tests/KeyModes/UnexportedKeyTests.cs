using System.Text.Json;
using AuthServer.Interop.Tests.Infrastructure;

namespace AuthServer.Interop.Tests.KeyModes;

/// <summary>
/// The control for the rotation tests: a key activated without first exporting it to the
/// registry is refused, so those tests pass because the procedure works, not because the
/// registry checks nothing.
/// </summary>
public sealed class UnexportedKeyTests(KidOnlyKeyModeFixture fixture) : IClassFixture<KidOnlyKeyModeFixture>
{
    [Fact]
    public async Task A_key_activated_before_the_registry_has_its_certificate_is_refused()
    {
        var owner = await fixture.Server.NewUserAsync("owner");
        await fixture.PushWithSkopeoAsync(owner, $"{owner.Name}/app");

        var added = (await fixture.Server.CliAsync("keys", "add", "--activate", "--json")).EnsureSuccess();
        var kid = JsonDocument.Parse(added.Stdout).RootElement.GetProperty("kid").GetString()!;
        await Eventually.WaitUntilAsync(async () =>
            JwtParts.Kid(await fixture.Server.GetTokenAsync(owner, $"repository:{owner.Name}/app:pull")) == kid, "tokens signed by the new key");

        (await fixture.Skopeo.PullAsync(fixture.Reference($"{owner.Name}/app"), owner.Creds)).EnsureRefused("unauthorized");
        Assert.Contains($"token signed by untrusted key with ID: \\\"{kid}\\\"", fixture.Registry.Log);
    }
}
