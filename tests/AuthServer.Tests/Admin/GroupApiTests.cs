using System.Net;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Admin;

public abstract class GroupApiTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : AuthServerFixture
{
    private readonly HttpClient _api = server.AdminClient();

    private async Task<string> CreateAsync(string prefix)
    {
        var name = FixtureExtensions.UniqueName(prefix);
        Assert.Equal(HttpStatusCode.Created, (await _api.ApiPostAsync("/api/v1/groups", new { name, description = "a team" })).Status);
        return name;
    }

    [Fact]
    public async Task A_group_is_created_listed_read_and_deleted()
    {
        var name = await CreateAsync("web");
        var (user, _) = await server.NewUserAsync("kim");
        Assert.Equal(HttpStatusCode.NoContent, (await _api.ApiPostAsync($"/api/v1/groups/{name}/members", new { user })).Status);

        var listed = (await _api.ApiGetAsync("/api/v1/groups")).Body.EnumerateArray().Single(g => g.GetProperty("name").GetString() == name);
        Assert.Equal(1, listed.GetProperty("memberCount").GetInt32());
        var group = await _api.ApiGetAsync($"/api/v1/groups/{name}");
        Assert.Equal("a team", group.Body.GetProperty("description").GetString());
        Assert.Equal([user], group.Body.GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal([user], (await _api.ApiGetAsync($"/api/v1/groups/{name}/members")).Body.EnumerateArray().Select(m => m.GetString()));

        Assert.Equal(HttpStatusCode.NoContent, (await _api.ApiDeleteAsync($"/api/v1/groups/{name}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiGetAsync($"/api/v1/groups/{name}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiDeleteAsync($"/api/v1/groups/{name}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiGetAsync($"/api/v1/groups/{name}/members")).Status);
    }

    [Fact]
    public async Task Duplicates_are_409_and_bad_names_400()
    {
        var name = await CreateAsync("ops");
        Assert.Equal(HttpStatusCode.Conflict, (await _api.ApiPostAsync("/api/v1/groups", new { name })).Status);
        Assert.NotEmpty((await _api.ApiPostAsync("/api/v1/groups", new { name = "bad name" })).FieldErrors("name"));
        Assert.NotEmpty((await _api.ApiPostAsync("/api/v1/groups", new { name = "ok", description = new string('x', 501) })).FieldErrors("description"));

        var (user, _) = await server.NewUserAsync("lou");
        Assert.Equal(HttpStatusCode.NoContent, (await _api.ApiPostAsync($"/api/v1/groups/{name}/members", new { user })).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await _api.ApiPostAsync($"/api/v1/groups/{name}/members", new { user })).Status);
        Assert.NotEmpty((await _api.ApiPostAsync($"/api/v1/groups/{name}/members", new { })).FieldErrors("user"));
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiPostAsync($"/api/v1/groups/{name}/members", new { user = "nobody-here" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiPostAsync("/api/v1/groups/no-such-group/members", new { user })).Status);
    }

    [Fact]
    public async Task Membership_changes_take_effect_on_the_next_token_request()
    {
        var name = await CreateAsync("push");
        var rule = await _api.ApiPostAsync("/api/v1/rules", new { subject = $"group:{name}", pattern = $"{name}/**", actions = new[] { "pull", "push" } });
        Assert.Equal(HttpStatusCode.Created, rule.Status);
        var (user, password) = await server.NewUserAsync("max");
        async Task<string[]> GrantedAsync() =>
            (await server.Http.GetTokenAsync($"service={Service}&scope=repository:{name}/app:pull,push", Basic(user, password))).Token.ActionsFor("repository", $"{name}/app");

        Assert.Empty(await GrantedAsync());
        await _api.ApiPostAsync($"/api/v1/groups/{name}/members", new { user });
        Assert.Equal(["pull", "push"], await GrantedAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await _api.ApiDeleteAsync($"/api/v1/groups/{name}/members/{user}")).Status);
        Assert.Empty(await GrantedAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiDeleteAsync($"/api/v1/groups/{name}/members/{user}")).Status);
    }
}

public sealed class GroupApiTests(AuthServerFixture server) : GroupApiTests<AuthServerFixture>(server);

public sealed class GroupApiTestsOnPostgres(AuthServerOnPostgres server) : GroupApiTests<AuthServerOnPostgres>(server);
