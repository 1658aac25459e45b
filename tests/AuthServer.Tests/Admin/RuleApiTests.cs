using System.Net;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Admin;

public abstract class RuleApiTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : AuthServerFixture
{
    private readonly HttpClient _api = server.AdminClient();

    [Fact]
    public async Task Rules_take_effect_on_the_next_token_request_when_created_updated_and_deleted()
    {
        var (user, password) = await server.NewUserAsync("sam");
        async Task<string[]> GrantedAsync() =>
            (await server.Http.GetTokenAsync($"service={Service}&scope=repository:shared/app:pull,push", Basic(user, password)))
            .Token.ActionsFor("repository", "shared/app");
        Assert.Empty(await GrantedAsync());

        var created = await _api.ApiPostAsync("/api/v1/rules", new { subject = $"user:{user}", pattern = "shared/*", actions = new[] { "pull" }, description = "read" });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var id = created.Body.GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/rules/{id}", created.Response.Headers.Location?.OriginalString);
        Assert.Equal("allow", created.Body.GetProperty("effect").GetString());
        Assert.Equal("repository", created.Body.GetProperty("resourceType").GetString());
        Assert.Equal(["pull"], await GrantedAsync());

        var updated = await _api.ApiPutAsync($"/api/v1/rules/{id}", new { subject = $"user:{user}", pattern = "shared/**", actions = new[] { "pull", "push" } });
        Assert.Equal(["pull", "push"], updated.Body.GetProperty("actions").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["pull", "push"], await GrantedAsync());
        Assert.Equal("shared/**", (await _api.ApiGetAsync($"/api/v1/rules/{id}")).Body.GetProperty("pattern").GetString());
        Assert.Contains((await _api.ApiGetAsync("/api/v1/rules")).Body.EnumerateArray(), r => r.GetProperty("id").GetInt64() == id);

        var deny = await _api.ApiPostAsync("/api/v1/rules", new { effect = "deny", subject = "authenticated", pattern = "shared/app", actions = new[] { "push" } });
        Assert.Equal(["pull"], await GrantedAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await _api.ApiDeleteAsync($"/api/v1/rules/{deny.Body.GetProperty("id").GetInt64()}")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await _api.ApiDeleteAsync($"/api/v1/rules/{id}")).Status);
        Assert.Empty(await GrantedAsync());
    }

    [Fact]
    public async Task Missing_rules_are_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiGetAsync("/api/v1/rules/999999")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiDeleteAsync("/api/v1/rules/999999")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiPutAsync("/api/v1/rules/999999", new { subject = "anonymous", pattern = "a", actions = new[] { "pull" } })).Status);
    }

    [Theory]
    [InlineData("{\"subject\":\"someone\",\"pattern\":\"a/*\",\"actions\":[\"pull\"]}", "subject")]
    [InlineData("{\"subject\":\"user:nobody-here\",\"pattern\":\"a/*\",\"actions\":[\"pull\"]}", "subject")]
    [InlineData("{\"subject\":\"anonymous\",\"pattern\":\"A/b\",\"actions\":[\"pull\"]}", "pattern")]
    [InlineData("{\"subject\":\"anonymous\",\"pattern\":\"a/b\",\"actions\":[]}", "actions")]
    [InlineData("{\"subject\":\"anonymous\",\"pattern\":\"a/b\",\"actions\":[\"Pull\"]}", "actions")]
    [InlineData("{\"subject\":\"anonymous\",\"pattern\":\"a/b\",\"actions\":[\"pull\"],\"service\":\"elsewhere\"}", "service")]
    [InlineData("{\"subject\":\"anonymous\",\"pattern\":\"a/b\",\"actions\":[\"pull\"],\"resourceType\":\"Repo\"}", "resourceType")]
    [InlineData("{\"subject\":\"anonymous\",\"pattern\":\"a/b\",\"actions\":[\"pull\"],\"effect\":\"maybe\"}", "effect")]
    [InlineData("{\"subject\":\"anonymous\",\"pattern\":\"a/b\",\"actions\":[\"pull\"],\"effect\":99}", "effect")]
    [InlineData("{\"subject\":\"anonymous\",\"pattern\":\"a/b\",\"actions\":[\"pull\"],\"effect\":\"1\"}", "effect")]
    [InlineData("{\"pattern\":\"a/b\",\"actions\":[\"pull\"]}", "subject")]
    public async Task Invalid_rules_are_400_naming_the_field(string body, string field)
    {
        var answer = await _api.ApiPostAsync("/api/v1/rules", body);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.NotEmpty(answer.FieldErrors(field));
    }
}

public sealed class RuleApiTests(AuthServerFixture server) : RuleApiTests<AuthServerFixture>(server);

public sealed class RuleApiTestsOnPostgres(AuthServerOnPostgres server) : RuleApiTests<AuthServerOnPostgres>(server);
