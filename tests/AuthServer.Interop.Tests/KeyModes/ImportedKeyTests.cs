using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AuthServer.Core.Signing;
using AuthServer.Interop.Tests.Infrastructure;

namespace AuthServer.Interop.Tests.KeyModes;

/// <summary>
/// The move from docker_auth without touching the registry: its token certificate and key, made
/// with openssl as docker_auth's documentation makes them, go in with `keys import --activate`,
/// and the real registry 2.8, started with that certificate alone as its rootcertbundle (as it
/// was configured for docker_auth), accepts our tokens.
/// </summary>
public abstract class ImportedKeyFixture : RegistryFixture
{
    private readonly string _keys = TempDirectory.Create("docker-auth-keys");

    public string ImportedKid { get; private set; } = "";
    public string CertificatePath => Path.Combine(_keys, "server.pem");
    public abstract string Algorithm { get; }

    /// <summary>openssl arguments that write server.key and server.pem in the working directory.</summary>
    protected abstract IEnumerable<string[]> OpenSslSteps { get; }

    protected override async Task BeforeExportAsync()
    {
        foreach (var step in OpenSslSteps)
            (await ProcessRunner.RunAsync(Tools.OpenSsl, step, workingDirectory: _keys)).EnsureSuccess();
        (await Server.CliAsync("keys", "import", "--cert", CertificatePath, "--key", Path.Combine(_keys, "server.key"), "--activate")).EnsureSuccess();
        ImportedKid = (await Server.ListKeysAsync()).Single(k => k.State == "active").Kid;
    }

    protected override ValueTask StopClientsAsync()
    {
        TempDirectory.Delete(_keys);
        return ValueTask.CompletedTask;
    }

    // The registry trusts docker_auth's certificate and nothing of ours.
    protected override Task AfterExportAsync()
    {
        File.Copy(CertificatePath, BundlePath, overwrite: true);
        return Task.CompletedTask;
    }
}

/// <summary>docker_auth's README: an RSA key and a self-signed certificate in one openssl req.</summary>
public sealed class ImportedRsaKeyFixture : ImportedKeyFixture
{
    public override string Algorithm => "RS256";

    protected override IEnumerable<string[]> OpenSslSteps =>
    [
        ["req", "-new", "-newkey", "rsa:2048", "-days", "365", "-subj", "/CN=docker_auth", "-nodes", "-x509", "-keyout", "server.key", "-out", "server.pem"],
    ];
}

/// <summary>An EC P-256 key as openssl ecparam writes it (SEC1, after an EC PARAMETERS block).</summary>
public sealed class ImportedEcKeyFixture : ImportedKeyFixture
{
    public override string Algorithm => "ES256";

    protected override IEnumerable<string[]> OpenSslSteps =>
    [
        ["ecparam", "-genkey", "-name", "prime256v1", "-out", "server.key"],
        ["req", "-new", "-x509", "-key", "server.key", "-out", "server.pem", "-days", "365", "-subj", "/CN=docker_auth"],
    ];
}

public abstract class ImportedKeyTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : ImportedKeyFixture
{
    [Fact]
    public async Task A_registry_that_trusts_the_docker_auth_certificate_accepts_our_tokens()
    {
        var server = fixture.Server;
        var header = JwtParts.Header(await server.GetTokenAsync(await server.NewUserAsync("probe"), "repository:probe/app:pull"));
        using var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(fixture.CertificatePath));
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPublicKey() ?? certificate.GetRSAPublicKey()!;
        // The kid is the libtrust ID of docker_auth's key, computed as for our own keys.
        Assert.Equal(LibtrustKeyId.FromKey(key), fixture.ImportedKid);
        Assert.Equal(fixture.ImportedKid, header.GetProperty("kid").GetString());
        Assert.Equal(fixture.Algorithm, header.GetProperty("alg").GetString());

        var owner = await server.NewUserAsync("owner");
        await fixture.PushWithSkopeoAsync(owner, $"{owner.Name}/app");
        (await fixture.Skopeo.PullAsync(fixture.Reference($"{owner.Name}/app"), owner.Creds)).EnsureSuccess();
    }
}

public sealed class ImportedRsaKeyTests(ImportedRsaKeyFixture fixture) : ImportedKeyTests<ImportedRsaKeyFixture>(fixture);

public sealed class ImportedEcKeyTests(ImportedEcKeyFixture fixture) : ImportedKeyTests<ImportedEcKeyFixture>(fixture);
