using System.Net;
using System.Text.Json.Nodes;
using AuthServer.Registry;
using AuthServer.Registry.Auth;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Registry;

/// <summary>What distribution 3.x (go-jose v4, accesscontroller.go, util.go) decides differently from 2.8.</summary>
public class Distribution3RulesTests(Registry3Fixture f) : IClassFixture<Registry3Fixture>
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private static JsonObject Claims(params string[] access) => TokenForge.Claims(RegistryFixture.Issuer, AuthServerFixture.Service, Lifetime, access);

    private async Task<RegistryAnswer> PingAsync(string token, RunningRegistry? registry = null) =>
        await (registry ?? f.Registry).Http.SendAsync(HttpMethod.Get, "/v2/", token);

    [Fact]
    public async Task Thumbprint_kid_of_a_bundle_certificate_is_trusted()
    {
        var token = TokenForge.Es256(TokenForge.Header("ES256", f.TestKey.Thumbprint), Claims(), f.TestKey.Key);

        Assert.Equal(HttpStatusCode.OK, (await PingAsync(token)).Status);
    }

    [Fact]
    public async Task Libtrust_kid_is_unknown_to_3_when_only_the_bundle_is_given()
    {
        var forged = TokenForge.Es256(TokenForge.Header("ES256", f.TestKey.LibtrustKid), Claims(), f.TestKey.Key);

        (await PingAsync(forged)).AssertChallenge(f.Realm, null, "invalid_token");
    }

    [Fact]
    public async Task JWKS_kid_is_trusted_when_the_JWKS_file_is_given()
    {
        var withJwks = await f.StartRegistryAsync(o => o.Jwks = f.JwksPath);
        var token = TokenForge.Es256(TokenForge.Header("ES256", RegistryFixture.JwksTestKid), Claims(), f.TestKey.Key);

        Assert.Equal(HttpStatusCode.OK, (await PingAsync(token, withJwks)).Status);
        (await PingAsync(token)).AssertChallenge(f.Realm, null, "invalid_token");
    }

    [Fact]
    public async Task Audience_array_is_accepted_when_it_names_the_service()
    {
        var naming = Claims();
        naming["aud"] = new JsonArray("elsewhere", AuthServerFixture.Service);
        var notNaming = Claims();
        notNaming["aud"] = new JsonArray("elsewhere");

        Assert.Equal(HttpStatusCode.OK, (await PingAsync(TokenForge.Es256(TokenForge.Header("ES256", null, f.TestKey.X5c), naming, f.TestKey.Key))).Status);
        (await PingAsync(TokenForge.Es256(TokenForge.Header("ES256", null, f.TestKey.X5c), notNaming, f.TestKey.Key)))
            .AssertChallenge(f.Realm, null, "invalid_token");
    }

    [Fact]
    public async Task Algorithm_off_the_signingalgorithms_list_is_a_malformed_token()
    {
        var rsaOnly = await f.StartRegistryAsync(o => o.SigningAlgorithms = ["RS256"]);
        var esOnly = await f.StartRegistryAsync(o => o.SigningAlgorithms = ["ES256"]);
        var token = await f.AdminTokenAsync();

        (await PingAsync(token, rsaOnly)).AssertChallenge(f.Realm, null, "invalid_token");
        Assert.Equal(HttpStatusCode.OK, (await PingAsync(token, esOnly)).Status);
    }

    [Fact]
    public async Task Claims_that_do_not_decode_are_refused_without_an_error_parameter()
    {
        // go-jose decodes the claims inside JWT.Claims, whose error token.go returns unwrapped.
        var claims = Claims();
        claims["exp"] = "tomorrow";
        var token = TokenForge.Es256(TokenForge.Header("ES256", null, f.TestKey.X5c), claims, f.TestKey.Key);

        (await PingAsync(token)).AssertChallenge(f.Realm, null, error: null);
    }

    [Fact]
    public async Task Claims_decode_as_go_jose_does()
    {
        // go-jose's JSON fork matches names exactly and rejects duplicate keys; its compact parser
        // takes unpadded base64url only.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string Claims(string extra) => $"{{\"iss\":\"{RegistryFixture.Issuer}\",\"aud\":\"{AuthServerFixture.Service}\",\"exp\":{now + 300},\"nbf\":{now - 5}{extra}}}";
        var header = $"{{\"alg\":\"ES256\",\"kid\":\"{f.TestKey.Thumbprint}\"}}";
        var signer = TokenForge.Es256Signer(f.TestKey.Key);
        var plain = TokenForge.SignText(header, Claims(""), signer);
        var upperCase = TokenForge.SignText(header, Claims("").Replace("\"iss\"", "\"ISS\""), signer);
        var duplicate = TokenForge.SignText(header, Claims($",\"aud\":\"{AuthServerFixture.Service}\""), signer);
        var duplicateHeader = TokenForge.SignText(header.Replace("}", ",\"alg\":\"ES256\"}"), Claims(""), signer);
        var padded = TokenForge.SignText(header, Claims(" "), signer, padded: true);

        Assert.Equal(HttpStatusCode.OK, (await PingAsync(plain)).Status);
        (await PingAsync(upperCase)).AssertChallenge(f.Realm, null, "invalid_token");
        (await PingAsync(duplicate)).AssertChallenge(f.Realm, null, error: null);
        (await PingAsync(duplicateHeader)).AssertChallenge(f.Realm, null, "invalid_token");
        if (padded.Contains('=')) (await PingAsync(padded)).AssertChallenge(f.Realm, null, "invalid_token");
    }

    [Fact]
    public async Task Embedded_jwk_is_replaced_by_the_trusted_key_its_kid_names()
    {
        using var stranger = TestSigningKey.Create("stranger");
        var header = TokenForge.Header("ES256");
        // The stranger's key under the trusted key's kid: 3.x verifies with the trusted key (f4a500caf).
        header["jwk"] = stranger.Jwk(f.TestKey.Thumbprint);

        Assert.Equal(HttpStatusCode.OK, (await PingAsync(TokenForge.Es256(header, Claims(), f.TestKey.Key))).Status);
        (await PingAsync(TokenForge.Es256(header, Claims(), stranger.Key))).AssertChallenge(f.Realm, null, error: null);
    }

    [Fact]
    public async Task Authorization_header_with_two_spaces_is_a_malformed_token()
    {
        var token = await f.AdminTokenAsync();

        var answer = await f.Http.SendAsync(HttpMethod.Get, "/v2/", configure: r => r.Headers.TryAddWithoutValidation("Authorization", "Bearer  " + token));

        answer.AssertChallenge(f.Realm, null, "invalid_token");
    }

    [Fact]
    public void Start_up_refuses_an_unknown_algorithm_and_a_missing_key()
    {
        var algorithm = Assert.Throws<RegistryConfigurationException>(() => RegistryHost.Build(f.Options(o => o.SigningAlgorithms = ["ES257"]), "http://127.0.0.1:0"));
        var nothing = Assert.Throws<RegistryConfigurationException>(() => RegistryHost.Build(f.Options(o => o.RootCertBundle = null), "http://127.0.0.1:0"));

        Assert.Contains("unsupported signing algorithm: ES257", algorithm.Message);
        Assert.Contains("bundle", nothing.Message);
    }
}
