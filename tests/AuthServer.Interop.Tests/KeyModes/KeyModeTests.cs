using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AuthServer.Core.Signing;
using AuthServer.Interop.Tests.Infrastructure;

namespace AuthServer.Interop.Tests.KeyModes;

/// <summary>
/// Both ways registry 2.8 can find our key (x5c chain to the bundle, or kid looked up among the
/// bundle's certificates), and a key rotation during which no pull fails: the registry is never
/// restarted, it trusts the next key from the bundle it loaded at start.
/// </summary>
public abstract class KeyModeTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : KeyModeFixture
{
    private AuthServerInstance Server => fixture.Server;

    [Fact]
    public async Task Token_header_carries_the_active_kid_and_x5c_only_in_x5c_mode()
    {
        var user = await Server.NewUserAsync("user");
        var header = JwtParts.Header(await Server.GetTokenAsync(user, $"repository:{user.Name}/app:pull"));
        var active = (await Server.ListKeysAsync()).Single(k => k.State == "active").Kid;

        Assert.Equal(active, header.GetProperty("kid").GetString());
        Assert.Equal(fixture.Algorithm, header.GetProperty("alg").GetString());
        Assert.Equal(fixture.IncludeX5c, header.TryGetProperty("x5c", out var x5c));
        if (fixture.IncludeX5c)
        {
            using var leaf = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(x5c[0].GetString()!));
            Assert.Equal(active, LibtrustKeyId.FromKey(PublicKey(leaf)));
        }
    }

    [Fact]
    public void Exported_bundle_holds_the_active_and_the_next_key()
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(fixture.BundlePath);
        var kids = certificates.Select(c => LibtrustKeyId.FromKey(PublicKey(c))).Order();
        Assert.Equal(new[] { fixture.NextKid, fixture.FirstKid }.Order(), kids);
    }

    [Fact]
    public async Task Push_and_pull_work()
    {
        var owner = await Server.NewUserAsync("owner");
        await fixture.PushWithSkopeoAsync(owner, $"{owner.Name}/app");
        (await fixture.Skopeo.PullAsync(fixture.Reference($"{owner.Name}/app"), owner.Creds)).EnsureSuccess();
    }

    [Fact]
    public async Task Rotation_to_the_next_key_never_fails_a_pull()
    {
        var owner = await Server.NewUserAsync("owner");
        await fixture.PushWithSkopeoAsync(owner, $"{owner.Name}/app");
        var reference = fixture.Reference($"{owner.Name}/app");
        var scope = $"repository:{owner.Name}/app:pull";

        var pulls = new List<ProcessResult>();
        int Count() { lock (pulls) return pulls.Count; }
        using var stop = new CancellationTokenSource();
        var puller = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var pull = await fixture.Skopeo.PullAsync(reference, owner.Creds);
                lock (pulls) pulls.Add(pull);
            }
        });

        await Eventually.WaitUntilAsync(() => Task.FromResult(Count() >= 2), "two pulls before the rotation");
        (await Server.CliAsync("keys", "activate", fixture.NextKid)).EnsureSuccess();
        // The server sees the CLI's change within its revision check interval.
        await Eventually.WaitUntilAsync(async () => JwtParts.Kid(await Server.GetTokenAsync(owner, scope)) == fixture.NextKid, "tokens signed by the next key");
        var atSwitch = Count();
        await Eventually.WaitUntilAsync(() => Task.FromResult(Count() >= atSwitch + 3), "three pulls after the rotation");
        await stop.CancelAsync();
        await puller;

        Assert.All(pulls, pull => pull.EnsureSuccess());
        var token = await Server.GetTokenAsync(owner, scope);
        Assert.Equal(fixture.NextKid, JwtParts.Kid(token));
        var manifest = await fixture.Api.SendAsync(HttpMethod.Head, $"/v2/{owner.Name}/app/manifests/1", token);
        Assert.Equal(HttpStatusCode.OK, manifest.Status);
        Assert.Contains((fixture.FirstKid, "retired"), await Server.ListKeysAsync());
    }

    private static AsymmetricAlgorithm PublicKey(X509Certificate2 certificate) =>
        (AsymmetricAlgorithm?)certificate.GetECDsaPublicKey() ?? certificate.GetRSAPublicKey()!;
}

public sealed class X5cKeyModeTests(X5cKeyModeFixture fixture) : KeyModeTests<X5cKeyModeFixture>(fixture);

public sealed class KidOnlyKeyModeTests(KidOnlyKeyModeFixture fixture) : KeyModeTests<KidOnlyKeyModeFixture>(fixture);

public sealed class KidOnlyRsaKeyModeTests(KidOnlyRsaKeyModeFixture fixture) : KeyModeTests<KidOnlyRsaKeyModeFixture>(fixture);
