using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AuthServer.Core.Signing;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Import;

/// <summary><c>keys import --cert FILE --key FILE</c>: a key brought as PEM keeps its libtrust kid; what cannot sign is refused.</summary>
public sealed class KeyImportCliTests : IAsyncLifetime
{
    private readonly string _data = TempDirectory.Create("key-import");

    public async Task InitializeAsync() => Assert.Equal(0, (await Run("migrate")).ExitCode);

    public Task DisposeAsync()
    {
        TempDirectory.Delete(_data);
        return Task.CompletedTask;
    }

    private Task<CliProcess.Result> Run(params string[] args) => InProcessCli.RunAsync(_data, null, args);

    private (string Cert, string Key) Write(string name, AsymmetricAlgorithm key, AsymmetricAlgorithm? keyFileHolds = null, int days = 365)
    {
        var request = key switch
        {
            ECDsa ec => new CertificateRequest("CN=docker_auth", ec, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest("CN=docker_auth", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("unsupported key", nameof(key)),
        };
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(days));
        var cert = Path.Combine(_data, name + ".pem");
        var keyFile = Path.Combine(_data, name + ".key");
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, (keyFileHolds ?? key).ExportPkcs8PrivateKeyPem());
        return (cert, keyFile);
    }

    [Fact]
    public async Task An_rsa_key_is_imported_active_under_its_libtrust_kid_once()
    {
        using var rsa = RSA.Create(2048);
        var (cert, key) = Write("rsa", rsa);
        var imported = await Run("keys", "import", "--cert", cert, "--key", key, "--activate", "--json");
        Assert.True(imported.ExitCode == 0, imported.Error);
        var view = JsonDocument.Parse(imported.Output).RootElement;
        Assert.Equal(LibtrustKeyId.FromKey(rsa), view.GetProperty("kid").GetString());
        Assert.Equal("RS256", view.GetProperty("algorithm").GetString());
        Assert.Equal("active", view.GetProperty("state").GetString());

        var again = await Run("keys", "import", "--certificate", cert, "--key", key);
        Assert.Equal(1, again.ExitCode);
        Assert.Equal($"error: key {LibtrustKeyId.FromKey(rsa)} is already stored", again.Error.Trim());
    }

    [Fact]
    public async Task An_ec_key_goes_in_as_the_next_key_without_activate()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (cert, key) = Write("ec", ec);
        var imported = await Run("keys", "import", "--cert", cert, "--key", key);
        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.Equal($"imported next key {LibtrustKeyId.FromKey(ec)} (ES256)", imported.Output.Trim());
    }

    [Fact]
    public async Task A_key_that_is_not_the_certificates_or_too_weak_or_expired_is_refused()
    {
        using var one = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (cert, key) = Write("mismatch", one, keyFileHolds: other);
        var mismatch = await Run("keys", "import", "--cert", cert, "--key", key, "--json");
        Assert.Equal(1, mismatch.ExitCode);
        Assert.Contains("the certificate and key cannot be used", JsonDocument.Parse(mismatch.Error).RootElement.GetProperty("error").GetString());

        using var weak = RSA.Create(1024);
        (cert, key) = Write("weak", weak);
        var refused = await Run("keys", "import", "--cert", cert, "--key", key);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("EC P-256 or RSA of at least 2048 bits", refused.Error);

        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        (cert, key) = Write("p384", p384);
        Assert.Equal(1, (await Run("keys", "import", "--cert", cert, "--key", key)).ExitCode);

        using var old = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        (cert, key) = Write("expired", old, days: -1);
        var expired = await Run("keys", "import", "--cert", cert, "--key", key);
        Assert.Equal(1, expired.ExitCode);
        Assert.Contains("the certificate expired", expired.Error);

        Assert.Equal(2, (await Run("keys", "import", "--cert", cert)).ExitCode);
    }
}
