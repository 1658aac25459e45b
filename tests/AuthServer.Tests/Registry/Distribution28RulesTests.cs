using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AuthServer.Registry;
using AuthServer.Registry.Auth;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Registry;

/// <summary>What distribution 2.8 (token.go, accesscontroller.go, libtrust) decides that 3.x decides differently, or not at all.</summary>
public class Distribution28RulesTests(Registry28Fixture f) : IClassFixture<Registry28Fixture>
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private static JsonObject Claims(params string[] access) => TokenForge.Claims(RegistryFixture.Issuer, AuthServerFixture.Service, Lifetime, access);

    private async Task<RegistryAnswer> PingAsync(string token, RunningRegistry? registry = null) =>
        await (registry ?? f.Registry).Http.SendAsync(HttpMethod.Get, "/v2/", token);

    [Fact]
    public async Task Libtrust_kid_of_a_bundle_certificate_is_trusted()
    {
        var token = TokenForge.Es256(TokenForge.Header("ES256", f.TestKey.LibtrustKid), Claims(), f.TestKey.Key);

        Assert.Equal(HttpStatusCode.OK, (await PingAsync(token)).Status);
    }

    [Fact]
    public async Task RFC_7638_thumbprint_kid_is_unknown_to_2_8()
    {
        var token = TokenForge.Es256(TokenForge.Header("ES256", f.TestKey.Thumbprint), Claims(), f.TestKey.Key);

        (await PingAsync(token)).AssertChallenge(f.Realm, null, "invalid_token");
    }

    [Fact]
    public async Task Audience_array_is_a_malformed_token_on_2_8()
    {
        var claims = Claims();
        claims["aud"] = new JsonArray("registry");
        var token = TokenForge.Es256(TokenForge.Header("ES256", f.TestKey.LibtrustKid), claims, f.TestKey.Key);

        (await PingAsync(token)).AssertChallenge(f.Realm, null, "invalid_token");
    }

    [Fact]
    public async Task Non_integer_or_missing_exp_is_refused_with_invalid_token()
    {
        var fractional = Claims();
        fractional["exp"] = 4102444800.5;
        var missing = Claims();
        missing.Remove("exp");

        foreach (var claims in new[] { fractional, missing })
        {
            var token = TokenForge.Es256(TokenForge.Header("ES256", f.TestKey.LibtrustKid), claims, f.TestKey.Key);
            (await PingAsync(token)).AssertChallenge(f.Realm, null, "invalid_token");
        }
    }

    [Fact]
    public async Task DER_encoded_ECDSA_signature_is_refused()
    {
        var token = TokenForge.Es256(TokenForge.Header("ES256", f.TestKey.LibtrustKid), Claims(), f.TestKey.Key, DSASignatureFormat.Rfc3279DerSequence);

        (await PingAsync(token)).AssertChallenge(f.Realm, null, "invalid_token");
    }

    [Fact]
    public async Task Algorithm_other_than_the_curve_s_is_refused()
    {
        var token = TokenForge.Es256(TokenForge.Header("ES384", f.TestKey.LibtrustKid), Claims(), f.TestKey.Key);

        (await PingAsync(token)).AssertChallenge(f.Realm, null, "invalid_token");
    }

    [Fact]
    public async Task Embedded_jwk_is_trusted_only_when_its_libtrust_id_is_in_the_bundle()
    {
        using var stranger = TestSigningKey.Create("stranger");
        var trusted = TokenForge.Header("ES256");
        trusted["jwk"] = f.TestKey.Jwk("any");
        var unknown = TokenForge.Header("ES256");
        unknown["jwk"] = stranger.Jwk("any");

        Assert.Equal(HttpStatusCode.OK, (await PingAsync(TokenForge.Es256(trusted, Claims(), f.TestKey.Key))).Status);
        (await PingAsync(TokenForge.Es256(unknown, Claims(), stranger.Key))).AssertChallenge(f.Realm, null, "invalid_token");
    }

    [Fact]
    public async Task Leaf_issued_through_an_intermediate_by_a_bundle_CA_is_accepted_through_x5c()
    {
        using var root = TestSigningKey.Create("test root CA", isCa: true);
        using var intermediate = TestSigningKey.Create("test intermediate CA", root, isCa: true);
        using var notCa = TestSigningKey.Create("test intermediate without CA:true", root);
        using var leaf = TestSigningKey.Create("test signer", intermediate);
        using var strayLeaf = TestSigningKey.Create("test signer under a non-CA", notCa);
        using var expired = TestSigningKey.Create("test expired signer", intermediate,
            notBefore: DateTimeOffset.UtcNow.AddDays(-10), notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        var bundle = Path.Combine(f.Directory, $"ca-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(bundle, root.CertificatePem);
        var registry = await f.StartRegistryAsync(o => o.RootCertBundle = bundle);

        var chained = TokenForge.Es256(TokenForge.Header("ES256", null, leaf.X5c, intermediate.X5c), Claims(), leaf.Key);
        var leafOnly = TokenForge.Es256(TokenForge.Header("ES256", null, leaf.X5c), Claims(), leaf.Key);
        var throughNonCa = TokenForge.Es256(TokenForge.Header("ES256", null, strayLeaf.X5c, notCa.X5c), Claims(), strayLeaf.Key);
        var outOfDate = TokenForge.Es256(TokenForge.Header("ES256", null, expired.X5c, intermediate.X5c), Claims(), expired.Key);
        var base64Url = TokenForge.Es256(TokenForge.Header("ES256", null, leaf.X5c.Replace('+', '-').Replace('/', '_').TrimEnd('='), intermediate.X5c), Claims(), leaf.Key);

        Assert.Equal(HttpStatusCode.OK, (await PingAsync(chained, registry)).Status);
        foreach (var refused in new[] { leafOnly, throughNonCa, outOfDate })
            (await PingAsync(refused, registry)).AssertChallenge(f.Realm, null, "invalid_token");
        // x5c is standard base64 (RFC 7515 §4.1.6); most certificates hold a '+' or '/' somewhere.
        if (leaf.X5c.IndexOfAny(['+', '/']) >= 0)
            (await PingAsync(base64Url, registry)).AssertChallenge(f.Realm, null, "invalid_token");
    }

    [Fact]
    public async Task Claims_decode_as_Go_s_encoding_json_does()
    {
        // Names match case-insensitively and the last duplicate wins; padding is re-added, so kept padding is fine.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = $"{{\"ISS\":\"{RegistryFixture.Issuer}\",\"aud\":\"elsewhere\",\"Aud\":\"{AuthServerFixture.Service}\",\"exp\":{now + 300},\"nbf\":{now - 5}}}";
        var header = $"{{\"alg\":\"ES256\",\"kid\":\"{f.TestKey.LibtrustKid}\"}}";
        var signer = TokenForge.Es256Signer(f.TestKey.Key);

        foreach (var padded in new[] { false, true })
            Assert.Equal(HttpStatusCode.OK, (await PingAsync(TokenForge.SignText(header, claims, signer, padded))).Status);
    }

    [Fact]
    public async Task Authorization_header_with_two_spaces_counts_as_no_token()
    {
        var token = await f.AdminTokenAsync();

        var answer = await f.Http.SendAsync(HttpMethod.Get, "/v2/", configure: r => r.Headers.TryAddWithoutValidation("Authorization", "Bearer  " + token));

        answer.AssertChallenge(f.Realm, null, error: null);
    }

    [Fact]
    public void Start_up_refuses_a_JWKS_file_and_an_empty_bundle()
    {
        var empty = Path.Combine(f.Directory, "empty.pem");
        File.WriteAllText(empty, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");

        var jwks = Assert.Throws<RegistryConfigurationException>(() => RegistryHost.Build(f.Options(o => o.Jwks = f.JwksPath), "http://127.0.0.1:0"));
        var none = Assert.Throws<RegistryConfigurationException>(() => RegistryHost.Build(f.Options(o => o.RootCertBundle = empty), "http://127.0.0.1:0"));
        var missing = Assert.Throws<RegistryConfigurationException>(() => RegistryHost.Build(f.Options(o => o.RootCertBundle = empty + ".nope"), "http://127.0.0.1:0"));

        Assert.Contains("3.x setting", jwks.Message);
        Assert.Contains("at least one token signing root certificate", none.Message);
        Assert.Contains("unable to read the certificate bundle", missing.Message);
    }
}
