using System.Net;
using System.Text.Json;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Admin;

public abstract class PolicyApiTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : AuthServerFixture
{
    private readonly HttpClient _api = server.AdminClient();

    private async Task<long> RuleAsync(object rule)
    {
        var created = await _api.ApiPostAsync("/api/v1/rules", rule);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return created.Body.GetProperty("id").GetInt64();
    }

    private static JsonElement Action(JsonElement scope, string action) =>
        scope.GetProperty("actions").EnumerateArray().Single(a => a.GetProperty("action").GetString() == action);

    [Fact]
    public async Task Explain_names_the_rules_that_allowed_and_denied_each_action()
    {
        var (user, _) = await server.NewUserAsync("uli");
        var group = FixtureExtensions.UniqueName("team");
        await _api.ApiPostAsync("/api/v1/groups", new { name = group });
        await _api.ApiPostAsync($"/api/v1/groups/{group}/members", new { user });
        var allow = await RuleAsync(new { subject = $"group:{group}", pattern = $"{group}/**", actions = new[] { "*" } });
        var deny = await RuleAsync(new { effect = "deny", subject = $"user:{user}", pattern = $"{group}/prod", actions = new[] { "delete" } });

        var answer = await _api.ApiPostAsync("/api/v1/policy/explain", new { account = user, service = Service, scopes = new[] { $"repository:{group}/prod:pull,delete", "repository:other/app:pull" } });
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("user", answer.Body.GetProperty("accountKind").GetString());
        var scopes = answer.Body.GetProperty("scopes").EnumerateArray().ToArray();

        Assert.Equal(["pull"], scopes[0].GetProperty("granted").EnumerateArray().Select(a => a.GetString()));
        var pull = Action(scopes[0], "pull");
        Assert.True(pull.GetProperty("granted").GetBoolean());
        Assert.Equal([allow], pull.GetProperty("allowedBy").EnumerateArray().Select(r => r.GetInt64()));
        var delete = Action(scopes[0], "delete");
        Assert.False(delete.GetProperty("granted").GetBoolean());
        Assert.Equal([deny], delete.GetProperty("deniedBy").EnumerateArray().Select(r => r.GetInt64()));
        Assert.Equal($"denied by rule {deny}", delete.GetProperty("reason").GetString());
        Assert.Contains(scopes[0].GetProperty("matches").EnumerateArray(), m => m.GetProperty("via").GetString() == $"group:{group}");

        Assert.Equal("not granted: no rule allows it", Action(scopes[1], "pull").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Explain_shows_a_robots_and_an_access_tokens_scope_limits_narrowing_the_rules()
    {
        var (user, _) = await server.NewUserAsync("val");
        await RuleAsync(new { subject = $"user:{user}", pattern = "lib/**", actions = new[] { "pull", "push" } });
        await _api.ApiPostAsync("/api/v1/access-tokens", new { user, name = "read", scopes = new[] { "repository:lib/**:pull" } });

        var byToken = await _api.ApiPostAsync("/api/v1/policy/explain", new { account = user, accessToken = "read", service = Service, scopes = new[] { "repository:lib/x:pull,push" } });
        Assert.Equal(["repository:lib/**:pull"], byToken.Body.GetProperty("scopeLimits").EnumerateArray().Select(s => s.GetString()));
        var push = Action(byToken.Body.GetProperty("scopes")[0], "push");
        Assert.False(push.GetProperty("granted").GetBoolean());
        Assert.True(push.GetProperty("withheldByScopeLimits").GetBoolean());
        Assert.Contains("scope limits", push.GetProperty("reason").GetString());

        var robot = await _api.ApiPostAsync("/api/v1/robots", new { name = FixtureExtensions.UniqueName("rb"), scopes = new[] { "repository:lib/**:pull" } });
        var login = robot.Body.GetProperty("robot").GetProperty("name").GetString()!;
        await RuleAsync(new { subject = $"robot:{login}", pattern = "lib/**", actions = new[] { "pull", "push" } });
        var byRobot = await _api.ApiPostAsync("/api/v1/policy/explain", new { account = login, service = Service, scopes = new[] { "repository:lib/x:pull,push" } });
        Assert.Equal("robot", byRobot.Body.GetProperty("accountKind").GetString());
        Assert.Equal(["pull"], byRobot.Body.GetProperty("scopes")[0].GetProperty("granted").EnumerateArray().Select(a => a.GetString()));
        Assert.True(Action(byRobot.Body.GetProperty("scopes")[0], "push").GetProperty("withheldByScopeLimits").GetBoolean());
    }

    [Fact]
    public async Task Explain_answers_for_anonymous_callers_admins_and_disabled_accounts()
    {
        var repo = FixtureExtensions.UniqueName("pub");
        var rule = await RuleAsync(new { subject = "anonymous", pattern = $"{repo}/*", actions = new[] { "pull" } });
        var anonymous = await _api.ApiPostAsync("/api/v1/policy/explain", new { service = Service, scopes = new[] { $"repository:{repo}/app:pull,push" } });
        Assert.Equal("anonymous", anonymous.Body.GetProperty("accountKind").GetString());
        Assert.Equal([rule], Action(anonymous.Body.GetProperty("scopes")[0], "pull").GetProperty("allowedBy").EnumerateArray().Select(r => r.GetInt64()));

        var admin = await _api.ApiPostAsync("/api/v1/policy/explain", new { account = AdminName, service = Service, scopes = new[] { "repository:any/thing:*" } });
        Assert.True(admin.Body.GetProperty("scopes")[0].GetProperty("byAdmin").GetBoolean());
        Assert.Equal(["*"], admin.Body.GetProperty("scopes")[0].GetProperty("granted").EnumerateArray().Select(a => a.GetString()));

        var (user, _) = await server.NewUserAsync("wyn");
        await _api.ApiPostAsync($"/api/v1/users/{user}/disable");
        var disabled = await _api.ApiPostAsync("/api/v1/policy/explain", new { account = user, service = Service, scopes = new[] { "repository:a/b:pull" } });
        Assert.Equal("user disabled", disabled.Body.GetProperty("signInRefusal").GetString());
    }

    [Theory]
    [InlineData("{\"account\":\"nobody-here\",\"service\":\"registry\",\"scopes\":[\"repository:a/b:pull\"]}", "account")]
    [InlineData("{\"account\":\"robot+nobody\",\"service\":\"registry\",\"scopes\":[\"repository:a/b:pull\"]}", "account")]
    [InlineData("{\"account\":\"admin\",\"accessToken\":\"none\",\"service\":\"registry\",\"scopes\":[\"repository:a/b:pull\"]}", "accessToken")]
    [InlineData("{\"accessToken\":\"x\",\"service\":\"registry\",\"scopes\":[\"repository:a/b:pull\"]}", "accessToken")]
    [InlineData("{\"service\":\"elsewhere\",\"scopes\":[\"repository:a/b:pull\"]}", "service")]
    [InlineData("{\"scopes\":[\"repository:a/b:pull\"]}", "service")]
    [InlineData("{\"service\":\"registry\",\"scopes\":[\"repository:a//b:pull\"]}", "scopes")]
    [InlineData("{\"service\":\"registry\",\"scopes\":[]}", "scopes")]
    public async Task Explain_refuses_what_it_cannot_answer_with_the_field_named(string body, string field)
    {
        var answer = await _api.ApiPostAsync("/api/v1/policy/explain", body);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.NotEmpty(answer.FieldErrors(field));
    }
}

public sealed class PolicyApiTests(AuthServerFixture server) : PolicyApiTests<AuthServerFixture>(server);

public sealed class PolicyApiTestsOnPostgres(AuthServerOnPostgres server) : PolicyApiTests<AuthServerOnPostgres>(server);
