using System.Net;
using AuthServer.Core.Audit;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Admin;

public abstract class UserApiTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : AuthServerFixture
{
    private readonly HttpClient _api = server.AdminClient();

    private async Task<(string Name, string Password)> CreateAsync(string prefix, bool admin = false)
    {
        var name = FixtureExtensions.UniqueName(prefix);
        var password = $"pw-{Guid.NewGuid():N}";
        var created = await _api.ApiPostAsync("/api/v1/users", new { name, password, admin });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return (name, password);
    }

    private Task<TokenClient.Answer> LoginAsync(string user, string password) =>
        server.Http.GetTokenAsync($"service={Service}&scope=repository:{user}/app:pull", Basic(user, password));

    [Fact]
    public async Task A_created_user_gets_a_token_at_once_and_the_change_names_its_actor()
    {
        var name = FixtureExtensions.UniqueName("Anna");
        var created = await _api.ApiPostAsync("/api/v1/users", new { name, password = "anna-password-1" });

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(name, created.Body.GetProperty("name").GetString());
        Assert.False(created.Body.GetProperty("admin").GetBoolean());
        Assert.Equal($"/api/v1/users/{name}", created.Response.Headers.Location?.OriginalString);
        Assert.DoesNotContain("password", created.Text);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(name, "anna-password-1")).Status);

        var subject = name.ToLowerInvariant();
        var events = await server.WaitForAuditAsync(q => q.Where(e => e.Type == AuditEventTypes.UserCreate && e.Subject == subject), e => e.Count > 0);
        Assert.Equal("api:admin", Assert.Single(events).Actor);
        Assert.Equal("127.0.0.1", events[0].ClientAddress);
    }

    [Fact]
    public async Task A_taken_name_is_409_whatever_its_case()
    {
        var (name, _) = await CreateAsync("bea");
        var again = await _api.ApiPostAsync("/api/v1/users", new { name = name.ToUpperInvariant(), password = "another-password" });
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal("application/problem+json", again.Response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("already exists", again.Detail);
    }

    [Fact]
    public async Task Invalid_fields_are_400_with_the_field_named_as_the_cli_words_it()
    {
        var badName = await _api.ApiPostAsync("/api/v1/users", new { name = "no spaces", password = "long-enough-1" });
        Assert.Equal(HttpStatusCode.BadRequest, badName.Status);
        Assert.Contains("may hold only letters", Assert.Single(badName.FieldErrors("name")));

        var noName = await _api.ApiPostAsync("/api/v1/users", new { password = "long-enough-1" });
        Assert.Equal("user name is required", Assert.Single(noName.FieldErrors("name")));

        var shortPassword = await _api.ApiPostAsync("/api/v1/users", new { name = FixtureExtensions.UniqueName("cy"), password = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, shortPassword.Status);
        Assert.Contains("at least 8 characters", Assert.Single(shortPassword.FieldErrors("password")));
    }

    [Theory]
    [InlineData("{\"name\":\"dan\",")]
    [InlineData("not json at all")]
    [InlineData("{\"name\":\"dan\",\"password\":\"long-enough-1\",\"admin\":\"yes\"}")]
    [InlineData("{\"name\":\"dan\",\"password\":\"long-enough-1\",\"admn\":true}")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"name\":123,\"password\":\"long-enough-1\"}")]
    [InlineData("{\"name\":\"dan\",\"password\":\"long-enough-1\",\"admin\":false,\"admin\":true}")]
    public async Task Malformed_json_is_400_problem_details_never_500(string body)
    {
        var answer = await _api.ApiPostAsync("/api/v1/users", body);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("application/problem+json", answer.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, answer.Body.GetProperty("status").GetInt32());
        Assert.DoesNotContain("   at ", answer.Text);
        // Our words only: no framework message ("Implicit body inferred for parameter ...") reaches a client.
        Assert.DoesNotContain("parameter", answer.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Service instead", answer.Text);
    }

    [Fact]
    public async Task A_duplicate_key_is_refused_and_creates_nothing()
    {
        var name = FixtureExtensions.UniqueName("dup");
        var answer = await _api.ApiPostAsync("/api/v1/users", $"{{\"name\":\"{name}\",\"password\":\"long-enough-1\",\"admin\":false,\"admin\":true}}");
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiGetAsync($"/api/v1/users/{name}")).Status);
    }

    [Fact]
    public async Task An_empty_body_is_told_so_in_our_words()
    {
        var answer = await _api.ApiPostAsync("/api/v1/users", "");
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("the request needs a JSON body", answer.Body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_wrong_type_names_its_field_and_a_wrong_content_type_is_415()
    {
        var answer = await _api.ApiPostAsync("/api/v1/users", "{\"name\":\"dan\",\"password\":\"long-enough-1\",\"admin\":\"yes\"}");
        Assert.NotEmpty(answer.FieldErrors("admin"));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/users") { Content = new StringContent("name=dan") };
        var form = await _api.ApiSendAsync(request);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.Status);
        Assert.Equal("application/problem+json", form.Response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_list_pages_by_name_and_filters()
    {
        var prefix = FixtureExtensions.UniqueName("page");
        foreach (var suffix in new[] { "c", "a", "b" })
            Assert.Equal(HttpStatusCode.Created, (await _api.ApiPostAsync("/api/v1/users", new { name = prefix + suffix, password = "page-password-1" })).Status);

        var first = await _api.ApiGetAsync($"/api/v1/users?filter={prefix}&limit=2");
        Assert.Equal(3, first.Body.GetProperty("total").GetInt32());
        Assert.Equal([prefix + "a", prefix + "b"], first.Body.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("name").GetString()));
        var second = await _api.ApiGetAsync($"/api/v1/users?filter={prefix.ToUpperInvariant()}&offset=2&limit=2");
        Assert.Equal([prefix + "c"], second.Body.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("name").GetString()));

        Assert.NotEmpty((await _api.ApiGetAsync("/api/v1/users?limit=100000")).FieldErrors("limit"));
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.ApiGetAsync("/api/v1/users?offset=-1")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.ApiGetAsync("/api/v1/users?limit=abc")).Status);
    }

    [Fact]
    public async Task Get_answers_404_for_a_user_that_does_not_exist()
    {
        var (name, _) = await CreateAsync("eve");
        Assert.Equal(HttpStatusCode.OK, (await _api.ApiGetAsync($"/api/v1/users/{name.ToUpperInvariant()}")).Status);
        var missing = await _api.ApiGetAsync("/api/v1/users/nobody-here");
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("user 'nobody-here' does not exist", missing.Detail);
    }

    [Fact]
    public async Task Update_makes_an_administrator_who_may_then_use_the_api()
    {
        var (name, password) = await CreateAsync("fay");
        Assert.Equal(HttpStatusCode.Forbidden, (await server.AdminClient(Basic(name, password)).ApiGetAsync("/api/v1/users")).Status);

        var updated = await _api.ApiPatchAsync($"/api/v1/users/{name}", new { admin = true });
        Assert.True(updated.Body.GetProperty("admin").GetBoolean());
        Assert.False(updated.Body.GetProperty("disabled").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await server.AdminClient(Basic(name, password)).ApiGetAsync("/api/v1/users")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiPatchAsync("/api/v1/users/nobody-here", new { admin = true })).Status);
    }

    [Fact]
    public async Task The_last_enabled_administrator_cannot_be_demoted_disabled_or_deleted()
    {
        // Another test's administrators may exist; leave only the bootstrap one by working on a fresh server's view.
        var admins = (await _api.ApiGetAsync("/api/v1/users?limit=500")).Body.GetProperty("items").EnumerateArray()
            .Where(u => u.GetProperty("admin").GetBoolean() && !u.GetProperty("disabled").GetBoolean()).Select(u => u.GetProperty("name").GetString()!)
            .Where(n => n != AdminName).ToArray();
        foreach (var other in admins) await _api.ApiPatchAsync($"/api/v1/users/{other}", new { admin = false });

        var demote = await _api.ApiPatchAsync($"/api/v1/users/{AdminName}", new { admin = false });
        Assert.Equal(HttpStatusCode.Conflict, demote.Status);
        Assert.Contains("last enabled administrator", demote.Detail);
        Assert.Equal(HttpStatusCode.Conflict, (await _api.ApiPostAsync($"/api/v1/users/{AdminName}/disable")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await _api.ApiDeleteAsync($"/api/v1/users/{AdminName}")).Status);
    }

    [Fact]
    public async Task A_new_password_works_at_once_and_the_old_one_no_longer()
    {
        var (name, password) = await CreateAsync("gus");
        var changed = await _api.ApiPutAsync($"/api/v1/users/{name}/password", new { password = "brand-new-password" });
        Assert.Equal(HttpStatusCode.NoContent, changed.Status);

        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(name, password)).Status);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(name, "brand-new-password")).Status);
        Assert.NotEmpty((await _api.ApiPutAsync($"/api/v1/users/{name}/password", new { password = "x" })).FieldErrors("password"));
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiPutAsync("/api/v1/users/nobody-here/password", new { password = "long-enough-1" })).Status);
    }

    [Fact]
    public async Task Disable_refuses_the_next_token_request_and_enable_restores_it()
    {
        var (name, password) = await CreateAsync("hal");
        var disabled = await _api.ApiPostAsync($"/api/v1/users/{name}/disable");
        Assert.True(disabled.Body.GetProperty("disabled").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(name, password)).Status);

        var enabled = await _api.ApiPostAsync($"/api/v1/users/{name}/enable");
        Assert.False(enabled.Body.GetProperty("disabled").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(name, password)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiPostAsync("/api/v1/users/nobody-here/disable")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiPostAsync("/api/v1/users/nobody-here/enable")).Status);
    }

    [Fact]
    public async Task Unlock_answers_204_for_a_user_and_404_for_nobody()
    {
        var (name, _) = await CreateAsync("ivy");
        Assert.Equal(HttpStatusCode.NoContent, (await _api.ApiPostAsync($"/api/v1/users/{name}/unlock")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiPostAsync("/api/v1/users/nobody-here/unlock")).Status);
    }

    [Fact]
    public async Task Delete_removes_the_user_and_their_sign_in()
    {
        var (name, password) = await CreateAsync("jan");
        Assert.Equal(HttpStatusCode.NoContent, (await _api.ApiDeleteAsync($"/api/v1/users/{name}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiGetAsync($"/api/v1/users/{name}")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(name, password)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiDeleteAsync($"/api/v1/users/{name}")).Status);
    }

    [Fact]
    public async Task An_address_unlock_names_its_key_and_refuses_what_is_no_address()
    {
        var unlocked = await _api.ApiPostAsync("/api/v1/addresses/2001:db8::5/unlock");
        Assert.Equal(HttpStatusCode.OK, unlocked.Status);
        Assert.Equal("2001:db8::/64", unlocked.Body.GetProperty("address").GetString());
        Assert.NotEmpty((await _api.ApiPostAsync("/api/v1/addresses/not-an-ip/unlock")).FieldErrors("address"));
    }
}

public sealed class UserApiTests(AuthServerFixture server) : UserApiTests<AuthServerFixture>(server);

public sealed class UserApiTestsOnPostgres(AuthServerOnPostgres server) : UserApiTests<AuthServerOnPostgres>(server);
