using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AuthServer.Core.Policy;
using AuthServer.Core.Signing;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Tokens;

public abstract class GetTokenTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : AuthServerFixture
{
    private readonly HttpClient _http = server.Http;

    [Fact]
    public async Task Admin_gets_a_token_with_the_requested_access()
    {
        var answer = await _http.GetTokenAsync($"service={Service}&scope=repository:admin/app:pull,push", Basic(AdminName, AdminPassword));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(["pull", "push"], answer.Token.ActionsFor("repository", "admin/app"));
    }

    [Fact]
    public async Task Token_header_carries_alg_typ_libtrust_kid_and_standard_base64_x5c()
    {
        var jwt = (await _http.GetTokenAsync($"service={Service}", Basic(AdminName, AdminPassword))).Token;

        Assert.Equal("ES256", jwt.Header.GetProperty("alg").GetString());
        Assert.Equal("JWT", jwt.Header.GetProperty("typ").GetString());
        var x5c = jwt.Header.GetProperty("x5c")[0].GetString()!;
        Assert.DoesNotContain('-', x5c);
        Assert.DoesNotContain('_', x5c);
        using var certificate = jwt.Certificate;
        Assert.Equal(LibtrustKeyId.FromKey(certificate.GetECDsaPublicKey()!), jwt.Header.GetProperty("kid").GetString());
        Assert.Equal(64, jwt.Signature.Length);
        Assert.True(jwt.VerifiesWith(certificate));
    }

    [Fact]
    public async Task Claims_are_typed_as_registry_2_8_requires()
    {
        var answer = await _http.GetTokenAsync($"service={Service}&scope=repository:admin/app:pull", Basic(AdminName, AdminPassword));
        var claims = answer.Token.Payload;

        Assert.Equal("test-issuer", claims.GetProperty("iss").GetString());
        Assert.Equal(AdminName, claims.GetProperty("sub").GetString());
        Assert.Equal(JsonValueKind.String, claims.GetProperty("aud").ValueKind);
        Assert.Equal(Service, claims.GetProperty("aud").GetString());
        var iat = claims.GetProperty("iat").GetInt64();
        var nbf = claims.GetProperty("nbf").GetInt64();
        var exp = claims.GetProperty("exp").GetInt64();
        Assert.Equal(JsonValueKind.Number, claims.GetProperty("exp").ValueKind);
        Assert.DoesNotContain('.', claims.GetProperty("exp").GetRawText());
        Assert.InRange(iat - nbf, 1, 30);
        Assert.Equal(900, exp - iat);
        Assert.False(string.IsNullOrEmpty(claims.GetProperty("jti").GetString()));
    }

    [Fact]
    public async Task Response_fields_agree_with_the_token()
    {
        // A scope no other test asks for: an identical request moments earlier would be answered
        // with the same token (token reuse) and its remaining lifetime, not 900.
        var answer = await _http.GetTokenAsync($"service={Service}&scope=repository:admin/fields-agree:pull", Basic(AdminName, AdminPassword));

        Assert.Equal(answer.Body.GetProperty("token").GetString(), answer.Body.GetProperty("access_token").GetString());
        Assert.Equal(JsonValueKind.Number, answer.Body.GetProperty("expires_in").ValueKind);
        Assert.Equal(900, answer.Body.GetProperty("expires_in").GetInt32());
        var issuedAt = answer.Body.GetProperty("issued_at").GetString()!;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", issuedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(answer.Token.Payload.GetProperty("iat").GetInt64()), DateTimeOffset.Parse(issuedAt));
        Assert.False(answer.Body.TryGetProperty("refresh_token", out _));
        Assert.Equal("no-store", answer.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task The_same_grant_asked_again_within_the_reuse_window_gets_the_same_token()
    {
        var a = await _http.GetTokenAsync($"service={Service}&scope=repository:admin/app:pull", Basic(AdminName, AdminPassword));
        var b = await _http.GetTokenAsync($"service={Service}&scope=repository:admin/app:pull", Basic(AdminName, AdminPassword));
        Assert.Equal(a.Body.GetProperty("token").GetString(), b.Body.GetProperty("token").GetString());
        // issued_at is the token's own, so the client sees its true age.
        Assert.Equal(a.Body.GetProperty("issued_at").GetString(), b.Body.GetProperty("issued_at").GetString());
    }

    [Fact]
    public async Task A_different_grant_gets_its_own_token_and_jti()
    {
        var a = (await _http.GetTokenAsync($"service={Service}&scope=repository:admin/one:pull", Basic(AdminName, AdminPassword))).Token;
        var b = (await _http.GetTokenAsync($"service={Service}&scope=repository:admin/two:pull", Basic(AdminName, AdminPassword))).Token;
        Assert.NotEqual(a.Payload.GetProperty("jti").GetString(), b.Payload.GetProperty("jti").GetString());
    }

    [Fact]
    public async Task Token_lifetime_is_per_service()
    {
        // Its own scope, so no earlier identical request is reused (see above).
        var answer = await _http.GetTokenAsync($"service={ShortService}&scope=repository:admin/per-service:pull", Basic(AdminName, AdminPassword));
        Assert.Equal(120, answer.Body.GetProperty("expires_in").GetInt32());
        var claims = answer.Token.Payload;
        Assert.Equal(120, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
        Assert.Equal(ShortService, claims.GetProperty("aud").GetString());
    }

    [Fact]
    public async Task A_user_owns_their_namespace_by_the_seeded_rule_and_nothing_else()
    {
        var (alice, password) = await server.NewUserAsync("alice");
        var answer = await _http.GetTokenAsync(
            $"service={Service}&scope=repository:{alice}/app:pull,push,delete&scope=repository:someone/app:pull,push",
            Basic(alice, password));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(alice, answer.Token.Payload.GetProperty("sub").GetString());
        Assert.Equal(["delete", "pull", "push"], answer.Token.ActionsFor("repository", $"{alice}/app"));
        Assert.Empty(answer.Token.ActionsFor("repository", "someone/app"));
    }

    [Fact]
    public async Task User_names_are_case_insensitive_at_sign_in()
    {
        var (name, password) = await server.NewUserAsync("carol");
        var answer = await _http.GetTokenAsync($"service={Service}&account={name.ToUpperInvariant()}", Basic(name.ToUpperInvariant(), password));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Fact]
    public async Task Pull_only_user_gets_a_token_without_push()
    {
        var (dave, password) = await server.NewUserAsync("dave");
        await server.AddRuleAsync(new RuleSpec(RuleEffect.Allow, $"user:{dave}", "repository", "shared/*", ["pull"]));

        var answer = await _http.GetTokenAsync($"service={Service}&scope=repository:shared/tools:pull,push", Basic(dave, password));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(["pull"], answer.Token.ActionsFor("repository", "shared/tools"));
    }

    [Fact]
    public async Task Anonymous_request_gets_an_empty_grant_and_an_empty_subject()
    {
        var answer = await _http.GetTokenAsync($"service={Service}&scope=repository:private/app:pull");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("", answer.Token.Payload.GetProperty("sub").GetString());
        Assert.Empty(answer.Token.ActionsFor("repository", "private/app"));
    }

    [Fact]
    public async Task Anonymous_pull_works_where_a_rule_makes_it_public()
    {
        await server.AddRuleAsync(new RuleSpec(RuleEffect.Allow, "anonymous", "repository", "public/**", ["pull"]));
        var answer = await _http.GetTokenAsync($"service={Service}&scope=repository:public/base:pull,push");
        Assert.Equal(["pull"], answer.Token.ActionsFor("repository", "public/base"));
    }

    [Fact]
    public async Task Login_without_scope_gets_a_token_with_empty_access()
    {
        var answer = await _http.GetTokenAsync($"service={Service}&account={AdminName}&client_id=docker", Basic(AdminName, AdminPassword));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(JsonValueKind.Array, answer.Token.Payload.GetProperty("access").ValueKind);
        Assert.Empty(answer.Token.Access);
    }

    [Fact]
    public async Task Repeated_and_space_separated_scopes_are_all_granted_and_merged()
    {
        var answer = await _http.GetTokenAsync(
            $"service={Service}&scope=repository:a/one:pull&scope=repository:a/two:pull%20repository:a/one:push&scope=repository:a/one:pull",
            Basic(AdminName, AdminPassword));

        Assert.Equal(2, answer.Token.Access.Count);
        Assert.Equal(["pull", "push"], answer.Token.ActionsFor("repository", "a/one"));
        Assert.Equal(["pull"], answer.Token.ActionsFor("repository", "a/two"));
    }

    [Fact]
    public async Task Host_and_port_inside_the_name_and_plain_type_for_a_class()
    {
        var answer = await _http.GetTokenAsync(
            $"service={Service}&scope=repository:localhost:5000/foo/bar:pull&scope=repository(plugin):vieux/sshfs:pull",
            Basic(AdminName, AdminPassword));

        Assert.Equal(["pull"], answer.Token.ActionsFor("repository", "localhost:5000/foo/bar"));
        Assert.Equal(["pull"], answer.Token.ActionsFor("repository", "vieux/sshfs"));
        Assert.DoesNotContain("plugin", answer.Token.Payload.GetProperty("access").GetRawText());
    }

    [Fact]
    public async Task Catalog_is_granted_as_a_literal_wildcard_to_admins_only()
    {
        var admin = await _http.GetTokenAsync($"service={Service}&scope=registry:catalog:*", Basic(AdminName, AdminPassword));
        Assert.Equal(["*"], admin.Token.ActionsFor("registry", "catalog"));

        var (erin, password) = await server.NewUserAsync("erin");
        var user = await _http.GetTokenAsync($"service={Service}&scope=registry:catalog:*", Basic(erin, password));
        Assert.Equal(HttpStatusCode.OK, user.Status);
        Assert.Empty(user.Token.ActionsFor("registry", "catalog"));
    }

    [Fact]
    public async Task Requested_wildcard_becomes_the_owners_concrete_actions()
    {
        var (frank, password) = await server.NewUserAsync("frank");
        var answer = await _http.GetTokenAsync($"service={Service}&scope=repository:{frank}/app:*", Basic(frank, password));
        Assert.Equal(["delete", "pull", "push"], answer.Token.ActionsFor("repository", $"{frank}/app"));
    }

    [Fact]
    public async Task Jwks_publishes_the_signing_key_under_the_token_kid()
    {
        var jwt = (await _http.GetTokenAsync($"service={Service}", Basic(AdminName, AdminPassword))).Token;
        var jwks = JsonDocument.Parse(await _http.GetStringAsync("/.well-known/jwks.json")).RootElement;

        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal(jwt.Header.GetProperty("kid").GetString(), key.GetProperty("kid").GetString());
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.Equal("P-256", key.GetProperty("crv").GetString());
        Assert.Equal(jwt.Header.GetProperty("x5c")[0].GetString(), key.GetProperty("x5c")[0].GetString());
    }
}

public sealed class GetTokenTests(AuthServerFixture server) : GetTokenTests<AuthServerFixture>(server);

public sealed class GetTokenTestsOnPostgres(AuthServerOnPostgres server) : GetTokenTests<AuthServerOnPostgres>(server);
