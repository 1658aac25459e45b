using System.Net;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Admin;

public abstract class SessionApiTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : AuthServerFixture
{
    private readonly HttpClient _api = server.AdminClient();

    private async Task<string> OfflineLoginAsync(string user, string password)
    {
        var login = await server.Http.GetTokenAsync($"service={Service}&offline_token=true&client_id=docker", Basic(user, password));
        return login.RefreshToken!;
    }

    private Task<TokenClient.Answer> RefreshAsync(string refreshToken) =>
        server.Http.PostTokenAsync(("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("service", Service));

    [Fact]
    public async Task Sessions_are_listed_without_tokens_and_one_can_be_ended()
    {
        var (user, password) = await server.NewUserAsync("quin");
        var refresh = await OfflineLoginAsync(user, password);

        var listed = await _api.ApiGetAsync($"/api/v1/sessions?user={user}");
        var session = Assert.Single(listed.Body.GetProperty("items").EnumerateArray());
        Assert.Equal("docker", session.GetProperty("clientId").GetString());
        Assert.Equal("password", session.GetProperty("credential").GetString());
        Assert.DoesNotContain(refresh, listed.Text);

        var ended = await _api.ApiDeleteAsync($"/api/v1/sessions/{session.GetProperty("id").GetInt64()}");
        Assert.Equal(HttpStatusCode.OK, ended.Status);
        Assert.False(ended.Body.GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(refresh)).Status);
        Assert.Empty((await _api.ApiGetAsync($"/api/v1/sessions?user={user}")).Body.GetProperty("items").EnumerateArray());
        Assert.Single((await _api.ApiGetAsync($"/api/v1/sessions?user={user}&includeEnded=true")).Body.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Every_session_of_a_user_can_be_ended_at_once()
    {
        var (user, password) = await server.NewUserAsync("ray");
        var first = await OfflineLoginAsync(user, password);
        var second = await OfflineLoginAsync(user, password);

        var ended = await _api.ApiDeleteAsync($"/api/v1/sessions?user={user}");
        Assert.Equal(2, ended.Body.GetProperty("ended").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(first)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(second)).Status);
    }

    [Fact]
    public async Task Every_session_of_a_robot_can_be_ended_at_once()
    {
        var (robot, secret) = await server.NewRobotAsync();
        var login = await server.Http.PostTokenAsync(("grant_type", "password"), ("username", robot), ("password", secret),
            ("service", Service), ("access_type", "offline"), ("client_id", "ci"));
        Assert.Single((await _api.ApiGetAsync($"/api/v1/sessions?robot={AdminApi.Path(robot)}")).Body.GetProperty("items").EnumerateArray());

        var ended = await _api.ApiDeleteAsync($"/api/v1/sessions?robot={AdminApi.Path(robot)}");
        Assert.Equal(robot, ended.Body.GetProperty("account").GetString());
        Assert.Equal(1, ended.Body.GetProperty("ended").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(login.RefreshToken!)).Status);
    }

    [Fact]
    public async Task Unknown_sessions_and_accounts_are_404_and_an_unclear_request_400()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiDeleteAsync("/api/v1/sessions/999999")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiDeleteAsync("/api/v1/sessions?user=nobody-here")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiDeleteAsync("/api/v1/sessions?robot=robot+nobody")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiGetAsync("/api/v1/sessions?user=nobody-here")).Status);
        Assert.NotEmpty((await _api.ApiDeleteAsync("/api/v1/sessions")).FieldErrors("user"));
        Assert.NotEmpty((await _api.ApiDeleteAsync("/api/v1/sessions?user=a&robot=b")).FieldErrors("user"));
    }
}

public sealed class SessionApiTests(AuthServerFixture server) : SessionApiTests<AuthServerFixture>(server);

public sealed class SessionApiTestsOnPostgres(AuthServerOnPostgres server) : SessionApiTests<AuthServerOnPostgres>(server);
