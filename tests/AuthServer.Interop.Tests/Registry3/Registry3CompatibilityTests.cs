using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using AuthServer.Core.Signing;
using AuthServer.Interop.Tests.Infrastructure;

namespace AuthServer.Interop.Tests.Registry3;

/// <summary>
/// A server in kid-only mode with an ES256 active key and an RS256 next key, and what
/// `keys export` wrote for a registry 3.x (which cannot run here).
/// </summary>
public sealed class Registry3Fixture : IAsyncLifetime
{
    private readonly string _directory = TempDirectory.Create("interop-registry3");

    public AuthServerInstance Server { get; private set; } = null!;
    public string BundlePath => Path.Combine(_directory, "bundle.pem");
    public string JwksPath => Path.Combine(_directory, "jwks.json");

    public async Task InitializeAsync()
    {
        Server = await AuthServerInstance.StartAsync(s => s["AuthServer:Signing:IncludeX5c"] = "false");
        (await Server.CliAsync("keys", "add", "--algorithm", "RS256")).EnsureSuccess();
        await Server.ExportKeysAsync(BundlePath, JwksPath);
    }

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
        TempDirectory.Delete(_directory);
    }
}

/// <summary>
/// What registry 3.x needs, checked the way it checks (distribution v3 token.go and
/// accesscontroller.go, spec/token-protocol.md §3.2): without x5c it looks the token's kid up
/// among the JWKS keys by their own kid and among bundle certificates by RFC 7638 thumbprint;
/// aud may be a string or an array there, but 2.8 needs a string, so it must stay one.
/// </summary>
public sealed class Registry3CompatibilityTests(Registry3Fixture fixture) : IClassFixture<Registry3Fixture>
{
    private AuthServerInstance Server => fixture.Server;

    private JsonElement[] JwksKeys() =>
        JsonDocument.Parse(File.ReadAllText(fixture.JwksPath)).RootElement.GetProperty("keys").EnumerateArray().ToArray();

    private async Task<string> TokenAsync()
    {
        var user = await Server.NewUserAsync("user");
        return await Server.GetTokenAsync(user, $"repository:{user.Name}/app:pull");
    }

    [Fact]
    public async Task Jwks_holds_the_token_kid_with_the_key_that_verifies_the_token()
    {
        var token = await TokenAsync();
        var header = JwtParts.Header(token);
        Assert.False(header.TryGetProperty("x5c", out _));

        var jwk = Assert.Single(JwksKeys(), k => k.GetProperty("kid").GetString() == JwtParts.Kid(token));
        Assert.Equal(("EC", "P-256", "ES256"), (jwk.GetProperty("kty").GetString(), jwk.GetProperty("crv").GetString(), header.GetProperty("alg").GetString()));
        using var key = EcKey(jwk);
        var dot = token.LastIndexOf('.');
        var signed = Encoding.ASCII.GetBytes(token[..dot]);
        var signature = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        Assert.True(key.VerifyData(signed, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public void Every_jwks_kid_is_the_libtrust_id_of_its_own_key_for_ec_and_rsa()
    {
        var keys = JwksKeys();
        Assert.Equal(["EC", "RSA"], keys.Select(k => k.GetProperty("kty").GetString()).Order());
        foreach (var jwk in keys)
        {
            using AsymmetricAlgorithm key = jwk.GetProperty("kty").GetString() == "EC" ? EcKey(jwk) : RsaKey(jwk);
            Assert.Equal(LibtrustKeyId.FromKey(key), jwk.GetProperty("kid").GetString());
            using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(jwk.GetProperty("x5c")[0].GetString()!));
            Assert.Equal(JwkThumbprint.FromKey(key), JwkThumbprint.FromCertificate(certificate));
        }
    }

    [Fact]
    public async Task Aud_is_one_string_equal_to_the_service_and_times_are_integers()
    {
        var payload = JwtParts.Payload(await TokenAsync());
        Assert.Equal(JsonValueKind.String, payload.GetProperty("aud").ValueKind);
        Assert.Equal(AuthServerInstance.Service, payload.GetProperty("aud").GetString());
        Assert.Equal(AuthServerInstance.Issuer, payload.GetProperty("iss").GetString());
        foreach (var claim in new[] { "exp", "nbf", "iat" })
            Assert.True(payload.GetProperty(claim).TryGetInt64(out _), $"{claim} is not an integer");
    }

    [Fact]
    public void Bundle_certificates_have_one_thumbprint_whether_registry_3_or_rfc_7638_computes_it()
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(fixture.BundlePath);
        Assert.Equal(2, certificates.Count);
        foreach (var certificate in certificates)
        {
            using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPublicKey() ?? certificate.GetRSAPublicKey()!;
            Assert.Equal(JwkThumbprint.FromCertificate(certificate), JwkThumbprint.AsRegistry3Computes(key));
        }
    }

    private static ECDsa EcKey(JsonElement jwk)
    {
        var x = Base64Url.DecodeFromChars(jwk.GetProperty("x").GetString()!);
        var y = Base64Url.DecodeFromChars(jwk.GetProperty("y").GetString()!);
        // go-jose (registry 3.x's JWKS parser) refuses P-256 coordinates that are not 32 bytes.
        Assert.Equal((32, 32), (x.Length, y.Length));
        return ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } });
    }

    private static RSA RsaKey(JsonElement jwk) => RSA.Create(new RSAParameters
    {
        Modulus = Base64Url.DecodeFromChars(jwk.GetProperty("n").GetString()!),
        Exponent = Base64Url.DecodeFromChars(jwk.GetProperty("e").GetString()!),
    });
}
