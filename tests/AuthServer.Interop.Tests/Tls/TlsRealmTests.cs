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
    public async Task Skopeo_keeps_verifying_the_realm_after_its_certificate_is_renewed_while_serving()
    {
        // As certbot does: new files written aside, then renamed over the served ones. Same CA and
        // names, so every test of this class still holds whichever runs after this one.
        var renewed = fixture.AuthCa.IssueServer("authserver-renewed");
        File.Move(renewed.Key, fixture.ServerFiles.Key, overwrite: true);
        File.Move(renewed.Certificate, fixture.ServerFiles.Certificate, overwrite: true);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        string? subject;
        while ((subject = await ServedSubjectAsync()) != "CN=authserver-renewed" && DateTime.UtcNow < deadline) await Task.Delay(250);
        Assert.Equal("CN=authserver-renewed", subject);

        var user = await fixture.Server.NewUserAsync("vera");
        var mark = fixture.Server.Requests.Mark();
        (await PushAsync(user, $"{user.Name}/app", fixture.TrustingBoth)).EnsureSuccess();
        (await fixture.Skopeo.PullAsync(fixture.Reference($"{user.Name}/app"), creds: user.Creds, certDir: fixture.TrustingBoth)).EnsureSuccess();
        Assert.Contains(fixture.Server.Requests.Since(mark), r => r.BasicUser == user.Name && r.Status == 200);
    }

    /// <summary>The subject of the certificate the realm serves now (a new connection each time).</summary>
    private async Task<string?> ServedSubjectAsync()
    {
        string? subject = null;
        // Only reads what is served; skopeo does the verifying.
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                subject = certificate?.Subject;
                return true;
            },
        };
        using var client = new HttpClient(handler);
        try
        {
            using var answer = await client.GetAsync(new Uri(fixture.Server.Realm, "/healthz"));
        }
        catch (HttpRequestException)
        {
            // Between the two renames the server may briefly hold a key that does not match: asked again.
        }
        return subject;
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
