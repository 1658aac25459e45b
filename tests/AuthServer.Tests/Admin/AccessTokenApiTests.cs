using System.Net;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Admin;

public abstract class AccessTokenApiTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : AuthServerFixture
{
    private readonly HttpClient _api = server.AdminClient();

    [Fact]
    public async Task The_secret_appears_once_works_at_once_and_revoking_refuses_the_next_request()
    {
        var (user, _) = await server.NewUserAsync("olga");
        var created = await _api.ApiPostAsync("/api/v1/access-tokens", new { user, name = "laptop", scopes = new[] { $"repository:{user}/**:pull" } });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var secret = created.Body.GetProperty("secret").GetString()!;
        Assert.StartsWith("aspat_", secret);
        Assert.Equal("active", created.Body.GetProperty("token").GetProperty("state").GetString());

        var login = await server.Http.GetTokenAsync($"service={Service}&scope=repository:{user}/app:pull,push", Basic(user, secret));
        Assert.Equal(["pull"], login.Token.ActionsFor("repository", $"{user}/app"));

        var listed = await _api.ApiGetAsync($"/api/v1/access-tokens?user={user}");
        Assert.Equal(["laptop"], listed.Body.EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.DoesNotContain(secret, listed.Text);
        Assert.DoesNotContain(secret, (await _api.ApiGetAsync("/api/v1/access-tokens")).Text);

        Assert.Equal(HttpStatusCode.NoContent, (await _api.ApiDeleteAsync($"/api/v1/access-tokens/{user}/laptop")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.GetTokenAsync($"service={Service}", Basic(user, secret))).Status);
        Assert.Empty((await _api.ApiGetAsync($"/api/v1/access-tokens?user={user}")).Body.EnumerateArray());
        var all = await _api.ApiGetAsync($"/api/v1/access-tokens?user={user}&includeRevoked=true");
        Assert.Equal("revoked", Assert.Single(all.Body.EnumerateArray()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Unknown_users_and_tokens_are_404_a_taken_name_409_and_bad_input_400()
    {
        var (user, _) = await server.NewUserAsync("pia");
        Assert.Equal(HttpStatusCode.Created, (await _api.ApiPostAsync("/api/v1/access-tokens", new { user, name = "ci" })).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await _api.ApiPostAsync("/api/v1/access-tokens", new { user, name = "CI" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiPostAsync("/api/v1/access-tokens", new { user = "nobody-here", name = "ci" })).Status);
        Assert.NotEmpty((await _api.ApiPostAsync("/api/v1/access-tokens", new { name = "ci" })).FieldErrors("user"));
        Assert.NotEmpty((await _api.ApiPostAsync("/api/v1/access-tokens", new { user, name = "x", scopes = new[] { "repository:A/b:pull" } })).FieldErrors("scopes"));
        Assert.NotEmpty((await _api.ApiPostAsync("/api/v1/access-tokens", new { user, name = "" })).FieldErrors("name"));
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiDeleteAsync($"/api/v1/access-tokens/{user}/no-such-token")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiGetAsync("/api/v1/access-tokens?user=nobody-here")).Status);
    }
}

public sealed class AccessTokenApiTests(AuthServerFixture server) : AccessTokenApiTests<AuthServerFixture>(server);

public sealed class AccessTokenApiTestsOnPostgres(AuthServerOnPostgres server) : AccessTokenApiTests<AuthServerOnPostgres>(server);
