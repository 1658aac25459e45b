using System.Net;
using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using AuthServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Credentials;

/// <summary>
/// Refresh sessions record who logged in with which credential from where, end with that
/// credential, and expire when idle or old. Robots and access tokens start sessions too, because
/// docker login asks every credential for one (offline_token=true).
/// </summary>
public abstract class SessionTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : AuthServerFixture
{
    private readonly HttpClient _http = server.Http;

    private async Task<string> DockerLoginAsync(string user, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/token?account={Uri.EscapeDataString(user)}&client_id=docker&offline_token=true&service={Service}");
        request.Headers.Authorization = Basic(user, secret);
        request.Headers.UserAgent.ParseAdd("docker/27.3.1 go/go1.22.7");
        var login = await _http.SendForAnswerAsync(request);
        Assert.Equal(HttpStatusCode.OK, login.Status);
        return login.RefreshToken ?? throw new Xunit.Sdk.XunitException("no refresh_token");
    }

    private Task<TokenClient.Answer> RefreshAsync(string refreshToken, string scope = "repository:x/y:pull") =>
        _http.PostTokenAsync(("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("service", Service),
            ("client_id", "docker"), ("scope", scope));

    private async Task<IReadOnlyList<SessionView>> ListAsync(SessionFilter filter) =>
        (await server.WithServiceAsync(sp => sp.GetRequiredService<RefreshSessionService>().ListAsync(filter, 0, 500, CancellationToken.None))).Items;

    [Fact]
    public async Task A_session_records_account_credential_client_address_and_agent()
    {
        var (user, password) = await server.NewUserAsync("dora");
        await DockerLoginAsync(user, password);

        var session = Assert.Single(await ListAsync(new SessionFilter(User: user)));
        Assert.Equal(user, session.Account);
        Assert.Equal("user", session.AccountKind);
        Assert.Equal(CredentialKind.Password, session.Credential);
        Assert.Equal("docker", session.ClientId);
        Assert.Equal(Service, session.Service);
        Assert.Equal("127.0.0.1", session.ClientIp);
        Assert.Equal("docker/27.3.1 go/go1.22.7", session.UserAgent);
        Assert.True(session.Active);
        Assert.InRange(session.ExpiresAt - session.CreatedAt, TimeSpan.FromDays(89), TimeSpan.FromDays(91));
    }

    [Fact]
    public async Task An_access_token_session_stays_within_the_tokens_scopes_and_ends_when_it_is_revoked()
    {
        var (user, _) = await server.NewUserAsync("eli");
        var secret = await server.NewAccessTokenAsync(user, "ci", [$"repository:{user}/app:pull"]);
        var refreshToken = await DockerLoginAsync(user, secret);

        var refreshed = await RefreshAsync(refreshToken, $"repository:{user}/app:pull,push");
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(["pull"], refreshed.Token.ActionsFor("repository", $"{user}/app"));
        var session = Assert.Single(await ListAsync(new SessionFilter(User: user)));
        Assert.Equal(CredentialKind.AccessToken, session.Credential);
        Assert.Equal("ci", session.AccessToken);

        await server.WithServiceAsync(sp => sp.GetRequiredService<AccessTokenService>().RevokeAsync(user, "ci", CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(refreshToken)).Status);
        Assert.Equal("session ended: access token revoked", Assert.Single(await ListAsync(new SessionFilter(User: user, IncludeEnded: true))).EndReason);
    }

    [Fact]
    public async Task A_password_change_ends_the_password_sessions_but_not_the_access_token_ones()
    {
        var (user, password) = await server.NewUserAsync("fay");
        var byPassword = await DockerLoginAsync(user, password);
        var byToken = await DockerLoginAsync(user, await server.NewAccessTokenAsync(user));

        await server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().SetPasswordAsync(user, "another-password-9", CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(byPassword)).Status);
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(byToken)).Status);
    }

    [Fact]
    public async Task A_robot_session_acts_as_the_robot_and_ends_when_the_robot_is_disabled()
    {
        var (login, secret) = await server.NewRobotAsync(scopes: ["repository:ci/**:pull"]);
        await server.AddRuleAsync(new RuleSpec(RuleEffect.Allow, $"robot:{login}", "repository", "ci/**", ["pull", "push"]));
        var refreshToken = await DockerLoginAsync(login, secret);

        var refreshed = await RefreshAsync(refreshToken, "repository:ci/app:pull,push");
        Assert.Equal(login, refreshed.Token.Payload.GetProperty("sub").GetString());
        Assert.Equal(["pull"], refreshed.Token.ActionsFor("repository", "ci/app"));
        var session = Assert.Single(await ListAsync(new SessionFilter(Robot: login)));
        Assert.Equal(("robot", CredentialKind.RobotSecret), (session.AccountKind, session.Credential));

        await server.WithServiceAsync(sp => sp.GetRequiredService<RobotService>().SetDisabledAsync(login, true, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(refreshToken)).Status);
        await server.WithServiceAsync(sp => sp.GetRequiredService<RobotService>().SetDisabledAsync(login, false, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(refreshToken)).Status);
    }

    [Fact]
    public async Task A_session_ends_no_later_than_the_credential_that_started_it()
    {
        var (login, secret) = await server.NewRobotAsync(expiresAt: DateTime.UtcNow.AddDays(2));
        await DockerLoginAsync(login, secret);
        var session = Assert.Single(await ListAsync(new SessionFilter(Robot: login)));
        Assert.InRange(session.ExpiresAt - session.CreatedAt, TimeSpan.FromDays(1.9), TimeSpan.FromDays(2));
    }

    [Fact]
    public async Task An_idle_session_ends()
    {
        var (user, password) = await server.NewUserAsync("gil");
        var refreshToken = await DockerLoginAsync(user, password);
        await server.ChangeAsync<RefreshSession>(s => s.User!.Name == user, s => s.LastUsedAt = DateTime.UtcNow.AddDays(-31));

        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(refreshToken)).Status);
        Assert.Equal("session idle too long", Assert.Single(await ListAsync(new SessionFilter(User: user, IncludeEnded: true))).EndReason);
    }

    [Fact]
    public async Task A_session_past_its_absolute_lifetime_ends_however_much_it_is_used()
    {
        var (user, password) = await server.NewUserAsync("hal");
        var refreshToken = await DockerLoginAsync(user, password);
        await server.ChangeAsync<RefreshSession>(s => s.User!.Name == user, s => s.ExpiresAt = DateTime.UtcNow.AddSeconds(-1));

        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(refreshToken)).Status);
        Assert.Empty(await ListAsync(new SessionFilter(User: user)));
    }

    [Fact]
    public async Task Sessions_can_be_ended_one_by_one_or_all_for_a_user()
    {
        var (user, password) = await server.NewUserAsync("ida");
        var first = await DockerLoginAsync(user, password);
        var second = await DockerLoginAsync(user, password);
        var third = await DockerLoginAsync(user, password);
        var sessions = await ListAsync(new SessionFilter(User: user));
        Assert.Equal(3, sessions.Count);

        await server.WithServiceAsync(sp => sp.GetRequiredService<RefreshSessionService>().RevokeAsync(sessions.Min(s => s.Id), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(first)).Status);
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(second)).Status);

        var ended = await server.WithServiceAsync(sp => sp.GetRequiredService<RefreshSessionService>().RevokeAllForUserAsync(user, CancellationToken.None));
        Assert.Equal(2, ended);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(second)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(third)).Status);
        Assert.Empty(await ListAsync(new SessionFilter(User: user)));
        Assert.Equal(3, (await ListAsync(new SessionFilter(User: user, IncludeEnded: true))).Count);
        await Assert.ThrowsAsync<AuthServer.Core.Errors.NotFoundException>(() =>
            server.WithServiceAsync(sp => sp.GetRequiredService<RefreshSessionService>().RevokeAsync(long.MaxValue, CancellationToken.None)));
    }

    [Fact]
    public async Task Deleting_the_user_ends_their_sessions()
    {
        var (user, password) = await server.NewUserAsync("jon");
        var refreshToken = await DockerLoginAsync(user, password);
        await server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().DeleteAsync(user, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(refreshToken)).Status);
    }

    [Fact]
    public async Task Refreshing_moves_the_last_used_time()
    {
        var (user, password) = await server.NewUserAsync("kim");
        var refreshToken = await DockerLoginAsync(user, password);
        // Set an hour back, instead of waiting for the clock to pass the login's own time.
        await server.ChangeAsync<RefreshSession>(s => s.User!.Name == user, s => s.LastUsedAt = s.LastUsedAt.AddHours(-1));
        var before = Assert.Single(await ListAsync(new SessionFilter(User: user))).LastUsedAt;
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(refreshToken)).Status);
        await server.Services.GetRequiredService<LastUsedRecorder>().FlushAsync(CancellationToken.None);
        Assert.True(Assert.Single(await ListAsync(new SessionFilter(User: user))).LastUsedAt > before);
    }
}

public sealed class SessionTests(AuthServerFixture server) : SessionTests<AuthServerFixture>(server);

public sealed class SessionTestsOnPostgres(AuthServerOnPostgres server) : SessionTests<AuthServerOnPostgres>(server);
