using System.Net;
using AuthServer.Core.Identity;
using AuthServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Credentials;

/// <summary>Personal access tokens over the real token endpoint: docker login -u alice -p aspat_….</summary>
public class AccessTokenTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private readonly HttpClient _http = server.Http;

    private Task<TokenClient.Answer> GetAsync(string user, string secret, string scope) =>
        _http.GetTokenAsync($"service={Service}&account={user}&scope={scope}", Basic(user, secret));

    private Task<AccessToken> RevokeAsync(string user, string name) =>
        server.WithServiceAsync(sp => sp.GetRequiredService<AccessTokenService>().RevokeAsync(user, name, CancellationToken.None));

    [Fact]
    public async Task An_access_token_acts_as_its_user_in_get_and_post()
    {
        var (user, _) = await server.NewUserAsync("tara");
        var secret = await server.NewAccessTokenAsync(user);
        Assert.Matches("^aspat_[A-Za-z0-9_-]{43}$", secret);

        var get = await GetAsync(user, secret, $"repository:{user}/app:pull,push");
        Assert.Equal(HttpStatusCode.OK, get.Status);
        Assert.Equal(user, get.Token.Payload.GetProperty("sub").GetString());
        Assert.Equal(["pull", "push"], get.Token.ActionsFor("repository", $"{user}/app"));

        var post = await _http.PostTokenAsync(("grant_type", "password"), ("username", user), ("password", secret),
            ("service", Service), ("client_id", "docker"), ("scope", $"repository:{user}/app:pull"));
        Assert.Equal(HttpStatusCode.OK, post.Status);
    }

    [Fact]
    public async Task A_revoked_access_token_is_refused_on_the_very_next_request()
    {
        var (user, password) = await server.NewUserAsync("uma");
        var secret = await server.NewAccessTokenAsync(user, "laptop");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(user, secret, $"repository:{user}/app:pull")).Status);

        await RevokeAsync(user, "laptop");

        var refused = await GetAsync(user, secret, $"repository:{user}/app:pull");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal("UNAUTHORIZED", refused.ErrorCode);
        // The password and the user's other credentials are untouched.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(user, password, $"repository:{user}/app:pull")).Status);
    }

    [Fact]
    public async Task An_expired_access_token_is_refused()
    {
        var (user, _) = await server.NewUserAsync("vic");
        var secret = await server.NewAccessTokenAsync(user, expiresAt: DateTime.UtcNow.AddHours(1));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(user, secret, "repository:a/b:pull")).Status);

        await server.ChangeAsync<AccessToken>(t => t.User.Name == user, t => t.ExpiresAt = DateTime.UtcNow.AddSeconds(-1));

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(user, secret, "repository:a/b:pull")).Status);
    }

    [Fact]
    public async Task An_access_token_works_only_under_its_own_users_name()
    {
        var (owner, _) = await server.NewUserAsync("wes");
        var (other, _) = await server.NewUserAsync("xan");
        var secret = await server.NewAccessTokenAsync(owner);

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(other, secret, "repository:a/b:pull")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(owner.ToUpperInvariant(), secret, "repository:a/b:pull")).Status);
    }

    [Fact]
    public async Task Scope_limits_narrow_the_users_rights_even_an_admins()
    {
        var (user, _) = await server.NewUserAsync("yara");
        var limited = await server.NewAccessTokenAsync(user, "pull-only", ["repository:${user}/**:pull"]);
        var answer = await GetAsync(user, limited, $"repository:{user}/app:pull,push,delete&scope=repository:{user}/x/y:*");
        Assert.Equal(["pull"], answer.Token.ActionsFor("repository", $"{user}/app"));
        Assert.Equal(["pull"], answer.Token.ActionsFor("repository", $"{user}/x/y"));

        var (admin, _) = await server.NewUserAsync("root", admin: true);
        var adminToken = await server.NewAccessTokenAsync(admin, "deploy", ["repository:prod/**:pull,push"]);
        var adminAnswer = await GetAsync(admin, adminToken, "repository:prod/app:pull,push,delete&scope=repository:other/app:pull&scope=registry:catalog:*");
        Assert.Equal(["pull", "push"], adminAnswer.Token.ActionsFor("repository", "prod/app"));
        Assert.Empty(adminAnswer.Token.ActionsFor("repository", "other/app"));
        Assert.Empty(adminAnswer.Token.ActionsFor("registry", "catalog"));
    }

    [Fact]
    public async Task A_disabled_users_access_tokens_are_refused()
    {
        var (user, _) = await server.NewUserAsync("zed");
        var secret = await server.NewAccessTokenAsync(user);
        await server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().SetDisabledAsync(user, true, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(user, secret, "repository:a/b:pull")).Status);
    }

    [Fact]
    public async Task Names_are_unique_among_live_tokens_and_free_again_after_revoking()
    {
        var (user, _) = await server.NewUserAsync("abe");
        var first = await server.NewAccessTokenAsync(user, "ci");
        await Assert.ThrowsAsync<AuthServer.Core.Errors.ConflictException>(() => server.NewAccessTokenAsync(user, "CI"));
        await RevokeAsync(user, "ci");
        var second = await server.NewAccessTokenAsync(user, "ci");

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(user, first, "repository:a/b:pull")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(user, second, "repository:a/b:pull")).Status);
        await Assert.ThrowsAsync<AuthServer.Core.Errors.NotFoundException>(() => RevokeAsync(user, "nope"));
        await Assert.ThrowsAsync<AuthServer.Core.Errors.ValidationFailedException>(() => server.NewAccessTokenAsync(user, "bad", ["nonsense"]));
    }

    [Fact]
    public async Task A_password_cannot_look_like_a_generated_secret()
    {
        var (user, _) = await server.NewUserAsync("bea");
        var error = await Assert.ThrowsAsync<AuthServer.Core.Errors.ValidationFailedException>(() =>
            server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().SetPasswordAsync(user, "aspat_my-own-password", CancellationToken.None)));
        Assert.Contains("aspat_", error.Message);
    }

    [Fact]
    public async Task Only_the_hash_is_stored_and_last_use_is_recorded_in_batches()
    {
        var (user, _) = await server.NewUserAsync("cal");
        var secret = await server.NewAccessTokenAsync(user);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(user, secret, "repository:a/b:pull")).Status);

        await server.Services.GetRequiredService<LastUsedRecorder>().FlushAsync(CancellationToken.None);
        var tokens = await server.WithServiceAsync(sp => sp.GetRequiredService<AccessTokenService>().ListAsync(user, false, CancellationToken.None));
        Assert.NotNull(Assert.Single(tokens).LastUsedAt);
        Assert.Equal(Secrets.Hash(secret), tokens[0].SecretHash);
        var bytes = await File.ReadAllBytesAsync(Path.Combine(server.DataDirectory, "authserver.db"));
        Assert.DoesNotContain(secret, System.Text.Encoding.UTF8.GetString(bytes));
    }
}
