using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AuthServer.Core.Policy;
using AuthServer.Registry.Auth;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Registry;

/// <summary>
/// The registry's answers to real tokens from our server and to forged ones, over real HTTP. Every
/// test runs four times: distribution 2.8 and 3.x rules, tokens with x5c and with kid only.
/// </summary>
public abstract class TokenVerificationTests<TFixture>(TFixture f) where TFixture : RegistryFixture
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(900);

    /// <summary>3.x returns go-jose's signature error as it is, so its challenge carries no error parameter (token.go Verify).</summary>
    private string? SignatureError => f.Mode == VerificationMode.Distribution28 ? "invalid_token" : null;

    /// <summary>Our kid is a libtrust ID: 2.8 finds it through the bundle, 3.x only through the JWKS file.</summary>
    private bool ServerKidIsTrusted => f.Mode == VerificationMode.Distribution28 || f.TrustJwks;

    private string ServerCertificateBase64 =>
        string.Concat(f.ServerBundle.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)));

    [Fact]
    public async Task Ping_without_a_token_is_challenged_with_realm_and_service_only()
    {
        var answer = await f.Http.SendAsync(HttpMethod.Get, "/v2/");

        answer.AssertChallenge(f.Realm, scope: null, error: null);
        Assert.Equal("registry/2.0", answer.Header("Docker-Distribution-API-Version"));
        Assert.Equal(JsonValueKindNull, answer.Json.GetProperty("errors")[0].GetProperty("detail").ValueKind);
    }

    [Fact]
    public async Task Ping_with_a_token_for_no_scope_is_answered_200()
    {
        var (user, password) = await f.NewUserAsync();
        var answer = await f.Http.SendAsync(HttpMethod.Get, "/v2/", await f.TokenAsync(user, password));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("{}", answer.Text);
    }

    [Fact]
    public async Task Owner_pushes_and_pulls_by_following_the_challenge()
    {
        var (user, password) = await f.NewUserAsync();
        var repository = $"{user}/app";
        var image = TestImage.Create();

        // 1-2: the request without a token is challenged with the scope it needs.
        var first = await f.Http.SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/");
        first.AssertChallenge(f.Realm, $"repository:{repository}:pull,push", error: null);
        // 3-4: the client asks the realm for that scope.
        var challenge = first.Challenge!;
        Assert.Contains($"realm=\"{f.Realm}\"", challenge);
        var token = await f.TokenAsync(user, password, $"repository:{repository}:pull,push");
        // 5-6: the same request with the token is served.
        var session = await f.Http.SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/", token);
        Assert.Equal(HttpStatusCode.Accepted, session.Status);

        var pushed = await f.Http.PushAsync(token, repository, "v1", image);
        Assert.Equal(image.ManifestDigest, pushed.Header("Docker-Content-Digest"));

        var pull = await f.TokenAsync(user, password, $"repository:{repository}:pull");
        var manifest = await f.Http.SendAsync(HttpMethod.Get, $"/v2/{repository}/manifests/v1", pull, configure: r => r.Headers.Accept.ParseAdd(image.MediaType));
        Assert.Equal(HttpStatusCode.OK, manifest.Status);
        Assert.Equal(image.Manifest, manifest.Body);
        var layer = await f.Http.SendAsync(HttpMethod.Get, $"/v2/{repository}/blobs/{image.LayerDigest}", pull);
        Assert.Equal(image.Layer, layer.Body);
    }

    [Fact]
    public async Task Pull_only_user_is_refused_a_push_with_insufficient_scope()
    {
        var (owner, ownerPassword) = await f.NewUserAsync("owner");
        var (reader, readerPassword) = await f.NewUserAsync("reader");
        await f.Server.AddRuleAsync(new RuleSpec(RuleEffect.Allow, $"user:{reader}", "repository", $"{owner}/**", ["pull"]));
        var repository = $"{owner}/shared";
        await f.Http.PushAsync(await f.TokenAsync(owner, ownerPassword, $"repository:{repository}:pull,push"), repository, "v1", TestImage.Create());

        var readerToken = await f.TokenAsync(reader, readerPassword, $"repository:{repository}:pull,push");
        var push = await f.Http.SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/", readerToken);
        var pull = await f.Http.SendAsync(HttpMethod.Get, $"/v2/{repository}/tags/list", readerToken);

        push.AssertChallenge(f.Realm, $"repository:{repository}:pull,push", "insufficient_scope");
        var detail = push.Json.GetProperty("errors")[0].GetProperty("detail");
        Assert.Equal(
            $"[{{\"Type\":\"repository\",\"Class\":\"\",\"Name\":\"{repository}\",\"Action\":\"pull\"}},{{\"Type\":\"repository\",\"Class\":\"\",\"Name\":\"{repository}\",\"Action\":\"push\"}}]",
            detail.GetRawText());
        Assert.Equal(HttpStatusCode.OK, pull.Status);
    }

    [Fact]
    public async Task Delete_needs_the_delete_action()
    {
        var (user, password) = await f.NewUserAsync();
        var repository = $"{user}/app";
        var image = TestImage.Create();
        await f.Http.PushAsync(await f.TokenAsync(user, password, $"repository:{repository}:pull,push"), repository, "v1", image);

        var withoutDelete = await f.Http.SendAsync(HttpMethod.Delete, $"/v2/{repository}/manifests/{image.ManifestDigest}",
            await f.TokenAsync(user, password, $"repository:{repository}:pull,push"));
        var withDelete = await f.Http.SendAsync(HttpMethod.Delete, $"/v2/{repository}/manifests/{image.ManifestDigest}",
            await f.TokenAsync(user, password, $"repository:{repository}:delete"));

        withoutDelete.AssertChallenge(f.Realm, $"repository:{repository}:delete", "insufficient_scope");
        Assert.Equal(HttpStatusCode.Accepted, withDelete.Status);
    }

    [Fact]
    public async Task Catalog_is_served_only_to_a_registry_catalog_star_grant()
    {
        var (user, password) = await f.NewUserAsync();

        var admin = await f.Http.SendAsync(HttpMethod.Get, "/v2/_catalog", await f.AdminTokenAsync("registry:catalog:*"));
        var other = await f.Http.SendAsync(HttpMethod.Get, "/v2/_catalog", await f.TokenAsync(user, password, "registry:catalog:*"));

        Assert.Equal(HttpStatusCode.OK, admin.Status);
        other.AssertChallenge(f.Realm, "registry:catalog:*", "insufficient_scope");
        Assert.Equal("[{\"Type\":\"registry\",\"Class\":\"\",\"Name\":\"catalog\",\"Action\":\"*\"}]",
            other.Json.GetProperty("errors")[0].GetProperty("detail").GetRawText());
    }

    [Fact]
    public async Task Expired_token_is_refused_with_invalid_token()
    {
        var (user, password) = await f.NewUserAsync();
        var token = await f.TokenAsync(user, password, $"repository:{user}/app:pull");
        // The registry's clock past exp plus the 60 s leeway.
        var late = await f.StartRegistryAsync(clock: new ShiftedClock(Lifetime + TimeSpan.FromSeconds(75)));

        var answer = await late.Http.SendAsync(HttpMethod.Get, $"/v2/{user}/app/tags/list", token);

        answer.AssertChallenge(f.Realm, $"repository:{user}/app:pull", "invalid_token");
    }

    [Fact]
    public async Task Token_inside_the_60_second_leeway_of_exp_and_nbf_is_accepted()
    {
        var (user, password) = await f.NewUserAsync();
        var token = await f.TokenAsync(user, password);
        var slightlyLate = await f.StartRegistryAsync(clock: new ShiftedClock(Lifetime + TimeSpan.FromSeconds(40)));
        var slightlyEarly = await f.StartRegistryAsync(clock: new ShiftedClock(TimeSpan.FromSeconds(-40)));

        Assert.Equal(HttpStatusCode.OK, (await slightlyLate.Http.SendAsync(HttpMethod.Get, "/v2/", token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await slightlyEarly.Http.SendAsync(HttpMethod.Get, "/v2/", token)).Status);
    }

    [Fact]
    public async Task Token_used_more_than_60_seconds_before_nbf_is_refused_with_invalid_token()
    {
        var (user, password) = await f.NewUserAsync();
        var token = await f.TokenAsync(user, password);
        var early = await f.StartRegistryAsync(clock: new ShiftedClock(TimeSpan.FromSeconds(-90)));

        var answer = await early.Http.SendAsync(HttpMethod.Get, "/v2/", token);

        answer.AssertChallenge(f.Realm, scope: null, "invalid_token");
    }

    [Fact]
    public async Task Token_whose_claims_were_changed_after_signing_is_refused()
    {
        var (user, password) = await f.NewUserAsync();
        var (victim, _) = await f.NewUserAsync("victim");
        var token = await f.TokenAsync(user, password, $"repository:{user}/app:pull");
        var tampered = TokenForge.Tamper(token, c => c["access"]![0]!["name"] = $"{victim}/app");

        var answer = await f.Http.SendAsync(HttpMethod.Get, $"/v2/{victim}/app/tags/list", tampered);

        answer.AssertChallenge(f.Realm, $"repository:{victim}/app:pull", SignatureError);
    }

    [Fact]
    public async Task Token_for_another_service_is_refused_with_invalid_token()
    {
        var (user, password) = await f.NewUserAsync();
        var token = await f.TokenForServiceAsync(AuthServerFixture.ShortService, user, password, $"repository:{user}/app:pull");

        var answer = await f.Http.SendAsync(HttpMethod.Get, $"/v2/{user}/app/tags/list", token);

        answer.AssertChallenge(f.Realm, $"repository:{user}/app:pull", "invalid_token");
    }

    [Fact]
    public async Task Unsigned_alg_none_token_is_refused_with_invalid_token()
    {
        var claims = TokenForge.Claims(RegistryFixture.Issuer, AuthServerFixture.Service, Lifetime, "repository:any/app:pull");
        var token = TokenForge.Unsigned(TokenForge.Header("none", f.ServerKid), claims);

        var answer = await f.Http.SendAsync(HttpMethod.Get, "/v2/any/app/tags/list", token);

        answer.AssertChallenge(f.Realm, "repository:any/app:pull", "invalid_token");
    }

    [Fact]
    public async Task HS256_token_keyed_with_our_public_certificate_is_refused()
    {
        // Algorithm confusion: a verifier that let the token pick HMAC would key it with the
        // public material it trusts, which anyone can download.
        var claims = TokenForge.Claims(RegistryFixture.Issuer, AuthServerFixture.Service, Lifetime, "repository:any/app:pull");
        var der = Convert.FromBase64String(ServerCertificateBase64);
        foreach (var secret in new[] { Encoding.ASCII.GetBytes(f.ServerBundle), der })
        {
            var byKid = TokenForge.Hs256(TokenForge.Header("HS256", f.ServerKid), claims, secret);
            var byChain = TokenForge.Hs256(TokenForge.Header("HS256", f.ServerKid, ServerCertificateBase64), claims, secret);

            (await f.Http.SendAsync(HttpMethod.Get, "/v2/any/app/tags/list", byKid))
                .AssertChallenge(f.Realm, "repository:any/app:pull", ServerKidIsTrusted ? SignatureError : "invalid_token");
            (await f.Http.SendAsync(HttpMethod.Get, "/v2/any/app/tags/list", byChain))
                .AssertChallenge(f.Realm, "repository:any/app:pull", SignatureError);
        }
    }

    [Fact]
    public async Task Token_signed_by_an_unknown_key_is_refused_with_invalid_token()
    {
        using var stranger = TestSigningKey.Create("stranger");
        var claims = TokenForge.Claims(RegistryFixture.Issuer, AuthServerFixture.Service, Lifetime, "repository:any/app:pull");
        var withChain = TokenForge.Es256(TokenForge.Header("ES256", stranger.LibtrustKid, stranger.X5c), claims, stranger.Key);
        var withKid = TokenForge.Es256(TokenForge.Header("ES256", stranger.LibtrustKid), claims, stranger.Key);
        var claimingOurKid = TokenForge.Es256(TokenForge.Header("ES256", f.ServerKid), claims, stranger.Key);

        foreach (var token in new[] { withChain, withKid })
            (await f.Http.SendAsync(HttpMethod.Get, "/v2/any/app/tags/list", token)).AssertChallenge(f.Realm, "repository:any/app:pull", "invalid_token");
        // Our kid finds our key, which the stranger's signature does not match.
        (await f.Http.SendAsync(HttpMethod.Get, "/v2/any/app/tags/list", claimingOurKid)).AssertChallenge(f.Realm, "repository:any/app:pull",
            ServerKidIsTrusted ? SignatureError : "invalid_token");
    }

    [Fact]
    public async Task Token_from_another_issuer_is_refused_with_invalid_token()
    {
        var claims = TokenForge.Claims("someone-else", AuthServerFixture.Service, Lifetime, "repository:any/app:pull");
        var token = TokenForge.Es256(TokenForge.Header("ES256", null, f.TestKey.X5c), claims, f.TestKey.Key);

        var answer = await f.Http.SendAsync(HttpMethod.Get, "/v2/any/app/tags/list", token);

        answer.AssertChallenge(f.Realm, "repository:any/app:pull", "invalid_token");
    }

    [Fact]
    public async Task Token_signed_by_a_trusted_key_with_x5c_is_accepted()
    {
        var claims = TokenForge.Claims(RegistryFixture.Issuer, AuthServerFixture.Service, Lifetime, "repository:forged/app:pull");
        var token = TokenForge.Es256(TokenForge.Header("ES256", null, f.TestKey.X5c), claims, f.TestKey.Key);

        var answer = await f.Http.SendAsync(HttpMethod.Get, "/v2/forged/app/tags/list", token);

        // Authorized: the repository simply does not exist.
        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("NAME_UNKNOWN", answer.ErrorCode);
    }

    [Fact]
    public async Task Garbage_bearer_token_is_refused_with_invalid_token()
    {
        foreach (var token in new[] { "not-a-token", "a.b", "a.b.c.d", "!!!.???.###", "e30.e30.e30" })
        {
            var answer = await f.Http.SendAsync(HttpMethod.Get, "/v2/", token);
            answer.AssertChallenge(f.Realm, scope: null, "invalid_token");
        }
    }

    [Fact]
    public async Task Basic_credentials_sent_to_the_registry_are_challenged_without_an_error()
    {
        var answer = await f.Http.SendAsync(HttpMethod.Get, "/v2/any/app/tags/list",
            configure: r => r.Headers.Authorization = AuthServerFixture.Basic("user", "password"));

        answer.AssertChallenge(f.Realm, "repository:any/app:pull", error: null);
    }

    [Fact]
    public async Task Refusals_are_logged_with_a_reason_and_never_the_token()
    {
        var token = TokenForge.Unsigned(TokenForge.Header("none", f.ServerKid),
            TokenForge.Claims(RegistryFixture.Issuer, AuthServerFixture.Service, Lifetime));

        await f.Http.SendAsync(HttpMethod.Get, "/v2/", token);

        Assert.Contains(f.RegistryLogs.Lines, l => l.Contains("Refused token"));
        Assert.DoesNotContain(f.RegistryLogs.Lines, l => l.Contains(token[..20]));
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}

public sealed class TokenVerificationTests28(Registry28Fixture f) : TokenVerificationTests<Registry28Fixture>(f), IClassFixture<Registry28Fixture>;

public sealed class TokenVerificationTests28KidOnly(Registry28KidOnlyFixture f) : TokenVerificationTests<Registry28KidOnlyFixture>(f), IClassFixture<Registry28KidOnlyFixture>;

public sealed class TokenVerificationTests3(Registry3Fixture f) : TokenVerificationTests<Registry3Fixture>(f), IClassFixture<Registry3Fixture>;

public sealed class TokenVerificationTests3KidOnly(Registry3KidOnlyFixture f) : TokenVerificationTests<Registry3KidOnlyFixture>(f), IClassFixture<Registry3KidOnlyFixture>;
