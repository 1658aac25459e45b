using System.Net;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Admin;

public abstract class RobotApiTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : AuthServerFixture
{
    private readonly HttpClient _api = server.AdminClient();

    private Task<TokenClient.Answer> LoginAsync(string login, string secret) =>
        server.Http.GetTokenAsync($"service={Service}&scope=repository:ci/app:pull,push", Basic(login, secret));

    [Fact]
    public async Task A_robot_is_created_with_its_secret_once_and_signs_in_at_once()
    {
        var (owner, _) = await server.NewUserAsync("nia");
        var created = await _api.ApiPostAsync("/api/v1/robots", new
        {
            name = "builder",
            owner = $"user:{owner}",
            description = "CI",
            expiresAt = DateTime.UtcNow.AddDays(30),
            scopes = new[] { "repository:ci/**:pull" },
        });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var login = created.Body.GetProperty("robot").GetProperty("name").GetString()!;
        var secret = created.Body.GetProperty("secret").GetString()!;
        Assert.Equal($"{owner}+builder", login);
        Assert.StartsWith("asrb_", secret);
        Assert.Equal(["repository:ci/**:pull"], created.Body.GetProperty("robot").GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        var read = await _api.ApiGetAsync($"/api/v1/robots/{AdminApi.Path(login)}");
        Assert.Equal("active", read.Body.GetProperty("state").GetString());
        Assert.DoesNotContain(secret, read.Text);
        Assert.DoesNotContain(secret, (await _api.ApiGetAsync("/api/v1/robots")).Text);
        Assert.Contains(login, (await _api.ApiGetAsync($"/api/v1/robots?owner=user:{owner}")).Text);

        await _api.ApiPostAsync("/api/v1/rules", new { subject = $"robot:{login}", pattern = "ci/**", actions = new[] { "pull", "push" } });
        var token = await LoginAsync(login, secret);
        Assert.Equal(HttpStatusCode.OK, token.Status);
        // The rule allows push; the robot's own scope limit keeps it to pull.
        Assert.Equal(["pull"], token.Token.ActionsFor("repository", "ci/app"));
    }

    [Fact]
    public async Task Disable_enable_and_delete_take_effect_on_the_next_request()
    {
        var created = await _api.ApiPostAsync("/api/v1/robots", new { name = FixtureExtensions.UniqueName("bot") });
        var login = created.Body.GetProperty("robot").GetProperty("name").GetString()!;
        var secret = created.Body.GetProperty("secret").GetString()!;
        Assert.StartsWith("robot+", login);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(login, secret)).Status);

        Assert.Equal("disabled", (await _api.ApiPostAsync($"/api/v1/robots/{AdminApi.Path(login)}/disable")).Body.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(login, secret)).Status);
        Assert.Equal("active", (await _api.ApiPostAsync($"/api/v1/robots/{AdminApi.Path(login)}/enable")).Body.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(login, secret)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await _api.ApiDeleteAsync($"/api/v1/robots/{AdminApi.Path(login)}")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(login, secret)).Status);
    }

    [Fact]
    public async Task Missing_robots_are_404_duplicates_409_and_bad_input_400()
    {
        foreach (var path in new[] { "/api/v1/robots/robot+nobody", "/api/v1/robots/robot+nobody/disable", "/api/v1/robots/robot+nobody/enable" })
            Assert.Equal(HttpStatusCode.NotFound, (path.EndsWith("able") ? await _api.ApiPostAsync(path) : await _api.ApiGetAsync(path)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiDeleteAsync("/api/v1/robots/robot+nobody")).Status);

        var name = FixtureExtensions.UniqueName("twin");
        Assert.Equal(HttpStatusCode.Created, (await _api.ApiPostAsync("/api/v1/robots", new { name })).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await _api.ApiPostAsync("/api/v1/robots", new { name })).Status);
        Assert.NotEmpty((await _api.ApiPostAsync("/api/v1/robots", new { name = "x", owner = "team:devs" })).FieldErrors("owner"));
        Assert.NotEmpty((await _api.ApiPostAsync("/api/v1/robots", new { name = "x", owner = "group:no-such-group" })).FieldErrors("owner"));
        Assert.NotEmpty((await _api.ApiPostAsync("/api/v1/robots", new { name = "x", scopes = new[] { "repository" } })).FieldErrors("scopes"));
        Assert.NotEmpty((await _api.ApiPostAsync("/api/v1/robots", new { name = "x", expiresAt = DateTime.UtcNow.AddDays(-1) })).FieldErrors("expiresAt"));
        Assert.NotEmpty((await _api.ApiPostAsync("/api/v1/robots", new { name = "a+b" })).FieldErrors("name"));
        Assert.NotEmpty((await _api.ApiGetAsync("/api/v1/robots?owner=nonsense")).FieldErrors("owner"));
    }
}

public sealed class RobotApiTests(AuthServerFixture server) : RobotApiTests<AuthServerFixture>(server);

public sealed class RobotApiTestsOnPostgres(AuthServerOnPostgres server) : RobotApiTests<AuthServerOnPostgres>(server);
