using AuthServer.Interop.Tests.Infrastructure;

namespace AuthServer.Interop.Tests.Tls;

/// <summary>
/// skopeo over TLS end to end (issue 15): the registry's challenge names an https realm that our
/// server serves itself, and skopeo verifies that certificate against the CAs it was given, the
/// same way it verifies the registry's.
/// </summary>
public sealed class TlsRealmTests(TlsRealmFixture fixture) : IClassFixture<TlsRealmFixture>
{
    private async Task<ProcessResult> PushAsync(Account user, string repository, string certDir)
    {
        var layout = Path.Combine(fixture.Containers.Directory, $"layout-{Guid.NewGuid():N}");
        var source = TestImages.WriteOciLayout(layout, "1", $"{repository} {Guid.NewGuid()}");
        return await fixture.Skopeo.CopyAsync(source, $"docker://{fixture.Reference(repository)}", destCreds: user.Creds, certDir: certDir);
    }

    [Fact]
    public async Task Skopeo_pushes_and_pulls_with_the_https_realm_verified_against_the_test_ca()
    {
        Assert.Equal("https", fixture.Server.Realm.Scheme);
        Assert.Equal("https", fixture.Registry.BaseAddress.Scheme);
        var user = await fixture.Server.NewUserAsync("tina");
        var mark = fixture.Server.Requests.Mark();

        (await PushAsync(user, $"{user.Name}/app", fixture.TrustingBoth)).EnsureSuccess();
        (await fixture.Skopeo.PullAsync(fixture.Reference($"{user.Name}/app"), creds: user.Creds, certDir: fixture.TrustingBoth)).EnsureSuccess();

        // The server listens on https only: these token requests came over TLS that skopeo verified.
        var requests = fixture.Server.Requests.Since(mark);
        Assert.Contains(requests, r => r.BasicUser == user.Name && r.Status == 200 && r.QueryValues("scope").Contains($"repository:{user.Name}/app:pull,push"));
        Assert.Contains(requests, r => r.BasicUser == user.Name && r.Status == 200 && r.QueryValues("scope").Contains($"repository:{user.Name}/app:pull"));
    }

    [Fact]
    public async Task Skopeo_refuses_a_realm_whose_certificate_it_cannot_verify()
    {
        var user = await fixture.Server.NewUserAsync("uma");
        var mark = fixture.Server.Requests.Mark();

        var push = await PushAsync(user, $"{user.Name}/app", fixture.TrustingRegistryOnly);

        // The registry was verified and answered its challenge; the realm's certificate was not trusted.
        push.EnsureRefused("certificate signed by unknown authority");
        Assert.Contains(fixture.Server.Realm.Authority, push.Output);
        Assert.Empty(fixture.Server.Requests.Since(mark));
    }
}
