using System.Net;
using AuthServer.Core.Identity;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Tokens;

/// <summary>docker login asks GET offline_token=true, keeps the refresh token, and uses POST refresh grants after.</summary>
public class RefreshSessionTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private readonly HttpClient _http = server.Http;

    private async Task<(string User, string Password, string RefreshToken)> DockerLoginAsync()
    {
        var (user, password) = await server.NewUserAsync("henry");
        var login = await _http.GetTokenAsync($"account={user}&client_id=docker&offline_token=true&service={Service}", Basic(user, password));
        Assert.Equal(HttpStatusCode.OK, login.Status);
        return (user, password, login.RefreshToken ?? throw new Xunit.Sdk.XunitException("no refresh_token"));
    }

    private Task<TokenClient.Answer> RefreshAsync(string refreshToken, string service = Service) =>
        _http.PostTokenAsync(("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("service", service),
            ("client_id", "docker"), ("scope", "repository:x/y:pull"));

    [Fact]
    public async Task Get_with_offline_token_returns_a_refresh_token_and_refresh_returns_the_same_one()
    {
        var (_, _, refreshToken) = await DockerLoginAsync();
        var first = await RefreshAsync(refreshToken);
        var second = await RefreshAsync(refreshToken);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(refreshToken, first.RefreshToken);
        Assert.Equal(refreshToken, second.RefreshToken);
    }

    [Fact]
    public async Task Without_offline_token_there_is_no_refresh_token()
    {
        var (user, password) = await server.NewUserAsync("ivan");
        var answer = await _http.GetTokenAsync($"service={Service}&offline_token=false", Basic(user, password));
        Assert.Null(answer.RefreshToken);
    }

    [Fact]
    public async Task Refresh_token_is_bound_to_its_service()
    {
        var (_, _, refreshToken) = await DockerLoginAsync();
        var answer = await RefreshAsync(refreshToken, ShortService);
        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
    }

    [Fact]
    public async Task Unknown_refresh_token_is_401()
    {
        var answer = await RefreshAsync("asrt_" + new string('A', 43));
        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal("UNAUTHORIZED", answer.ErrorCode);
    }

    [Fact]
    public async Task Changing_the_password_ends_the_session()
    {
        var (user, _, refreshToken) = await DockerLoginAsync();
        await server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().SetPasswordAsync(user, "a-new-password", CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(refreshToken)).Status);
    }

    [Fact]
    public async Task Disabling_the_user_ends_the_session_and_refuses_the_password()
    {
        var (user, password, refreshToken) = await DockerLoginAsync();
        await server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().SetDisabledAsync(user, true, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(refreshToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.GetTokenAsync($"service={Service}", Basic(user, password))).Status);

        // Enabling again does not bring the ended session back.
        await server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().SetDisabledAsync(user, false, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(refreshToken)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetTokenAsync($"service={Service}", Basic(user, password))).Status);
    }

    [Fact]
    public async Task Identity_token_as_basic_password_with_empty_user_works_as_containerd_falls_back()
    {
        var (user, _, refreshToken) = await DockerLoginAsync();
        var answer = await _http.GetTokenAsync($"service={Service}&scope=repository:{user}/app:pull", Basic("", refreshToken));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(user, answer.Token.Payload.GetProperty("sub").GetString());
        Assert.Equal(["pull"], answer.Token.ActionsFor("repository", $"{user}/app"));
    }

    [Fact]
    public async Task Refresh_tokens_are_stored_only_as_hashes()
    {
        var (_, _, refreshToken) = await DockerLoginAsync();
        var hashes = await server.WithServiceAsync(async sp =>
        {
            var db = sp.GetRequiredService<AuthServer.Core.Data.AuthServerDbContext>();
            return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.RefreshSessions.Select(s => s.TokenHash));
        });
        Assert.Contains(hashes, h => h.SequenceEqual(Secrets.Hash(refreshToken)));
        var bytes = await File.ReadAllBytesAsync(Path.Combine(server.DataDirectory, "authserver.db"));
        Assert.DoesNotContain(refreshToken, System.Text.Encoding.UTF8.GetString(bytes));
    }
}
