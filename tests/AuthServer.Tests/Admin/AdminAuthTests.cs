using System.Net;
using System.Net.Http.Headers;
using AuthServer.Core.Audit;
using AuthServer.Core.Identity;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Admin;

/// <summary>Who may use the admin API: administrators by password, by a scoped access token, or by a Bearer token from our /token.</summary>
public class AdminAuthTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private async Task<string> AdminTokenAsync(AuthenticationHeaderValue credentials, string service = "authserver-admin")
    {
        var answer = await server.Http.GetTokenAsync($"service={service}&scope=admin:api:*", credentials);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return answer.Body.GetProperty("token").GetString()!;
    }

    private static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    [Fact]
    public async Task No_credentials_get_401_with_a_Basic_and_a_Bearer_challenge_as_problem_details()
    {
        var answer = await server.Http.ApiGetAsync("/api/v1/users");

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal("application/problem+json", answer.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(401, answer.Body.GetProperty("status").GetInt32());
        var challenges = answer.Response.Headers.WwwAuthenticate.Select(c => c.ToString()).ToArray();
        Assert.Contains(challenges, c => c.StartsWith("Basic realm=\"AuthServer admin API\"", StringComparison.Ordinal));
        Assert.Contains(challenges, c => c.StartsWith("Bearer realm=\"http://127.0.0.1:", StringComparison.Ordinal)
                                         && c.Contains("/token\",service=\"authserver-admin\",scope=\"admin:api:*\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_password_gets_401_and_is_audited_without_the_secret()
    {
        var answer = await server.AdminClient(Basic(AdminName, "not-the-password")).ApiGetAsync("/api/v1/users");

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        var events = await server.WaitForAuditAsync(q => q.Where(e => e.Type == AuditEventTypes.AdminSignIn && e.Subject == AdminName), e => e.Count > 0);
        var refused = Assert.Single(events, e => e.Reason!.Contains("wrong password"));
        Assert.Equal(AuditOutcome.Unauthorized, refused.Outcome);
        Assert.DoesNotContain("not-the-password", refused.Summary());
    }

    [Fact]
    public async Task An_administrators_password_opens_the_api_and_a_users_gets_403()
    {
        var (user, password) = await server.NewUserAsync("pat");
        Assert.Equal(HttpStatusCode.OK, (await server.AdminClient().ApiGetAsync("/api/v1/users")).Status);

        var refused = await server.AdminClient(Basic(user, password)).ApiGetAsync("/api/v1/users");
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("not an administrator", refused.Detail);
    }

    [Fact]
    public async Task An_access_token_needs_the_admin_api_scope()
    {
        var (admin, _) = await server.NewUserAsync("root", admin: true);
        var scoped = await server.NewAccessTokenAsync(admin, "api", ["admin:api:*"]);
        var unscoped = await server.NewAccessTokenAsync(admin, "docker");

        Assert.Equal(HttpStatusCode.OK, (await server.AdminClient(Basic(admin, scoped)).ApiGetAsync("/api/v1/rules")).Status);
        var refused = await server.AdminClient(Basic(admin, unscoped)).ApiGetAsync("/api/v1/rules");
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("admin:api:*", refused.Detail);
    }

    [Fact]
    public async Task A_non_administrators_scoped_access_token_and_a_robot_get_403()
    {
        var (user, _) = await server.NewUserAsync("quinn");
        var token = await server.NewAccessTokenAsync(user, "api", ["admin:api:*"]);
        var (robot, secret) = await server.NewRobotAsync(scopes: ["admin:api:*"]);

        Assert.Equal(HttpStatusCode.Forbidden, (await server.AdminClient(Basic(user, token)).ApiGetAsync("/api/v1/rules")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.AdminClient(Basic(robot, secret)).ApiGetAsync("/api/v1/rules")).Status);
    }

    [Fact]
    public async Task A_bearer_token_from_our_token_endpoint_for_the_admin_audience_opens_the_api()
    {
        var token = await AdminTokenAsync(Basic(AdminName, AdminPassword));
        var answer = await server.AdminClient(Bearer(token)).ApiGetAsync("/api/v1/keys");
        Assert.Equal(HttpStatusCode.OK, answer.Status);

        var created = await server.AdminClient(Bearer(token)).ApiPostAsync("/api/v1/groups", new { name = FixtureExtensions.UniqueName("bearer") });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var change = await server.WaitForAuditAsync(q => q.Where(e => e.Type == AuditEventTypes.GroupCreate && e.Actor == "api:admin"), e => e.Count > 0);
        Assert.NotEmpty(change);
    }

    [Fact]
    public async Task A_registry_token_a_tampered_token_and_garbage_get_401()
    {
        var registryToken = await AdminTokenAsync(Basic(AdminName, AdminPassword), Service);
        var adminToken = await AdminTokenAsync(Basic(AdminName, AdminPassword));
        var tampered = adminToken[..^4] + (adminToken[^4] == 'A' ? "BBBB" : "AAAA");

        foreach (var token in new[] { registryToken, tampered, "not-a-jwt" })
            Assert.Equal(HttpStatusCode.Unauthorized, (await server.AdminClient(Bearer(token)).ApiGetAsync("/api/v1/keys")).Status);
    }

    [Fact]
    public async Task A_bearer_token_ends_with_a_password_change_and_with_its_user_deleted_and_made_again()
    {
        var (user, password) = await server.NewUserAsync("bound", admin: true);
        var token = await AdminTokenAsync(Basic(user, password));
        Assert.Equal(HttpStatusCode.OK, (await server.AdminClient(Bearer(token)).ApiGetAsync("/api/v1/keys")).Status);

        await server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().SetPasswordAsync(user, "another-password-1", CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.AdminClient(Bearer(token)).ApiGetAsync("/api/v1/keys")).Status);

        // A fresh token, then the account deleted and one of the same name made: the token was the old account's.
        var fresh = await AdminTokenAsync(Basic(user, "another-password-1"));
        await server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().DeleteAsync(user, CancellationToken.None));
        await server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().CreateAsync(user, "another-password-1", true, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.AdminClient(Bearer(fresh)).ApiGetAsync("/api/v1/keys")).Status);
    }

    [Fact]
    public async Task A_bearer_token_stops_working_when_its_user_is_no_longer_an_administrator()
    {
        var (admin, password) = await server.NewUserAsync("lead", admin: true);
        var token = await AdminTokenAsync(Basic(admin, password));
        Assert.Equal(HttpStatusCode.OK, (await server.AdminClient(Bearer(token)).ApiGetAsync("/api/v1/keys")).Status);

        // Demoting changes the account's version: the token ends (401); a new one is refused as not an administrator (403).
        await server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().SetAdminAsync(admin, false, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.AdminClient(Bearer(token)).ApiGetAsync("/api/v1/keys")).Status);
        var demoted = await AdminTokenAsync(Basic(admin, password));
        Assert.Equal(HttpStatusCode.Forbidden, (await server.AdminClient(Bearer(demoted)).ApiGetAsync("/api/v1/keys")).Status);

        await server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().SetDisabledAsync(admin, true, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.AdminClient(Bearer(demoted)).ApiGetAsync("/api/v1/keys")).Status);
    }

    [Fact]
    public async Task A_non_administrators_bearer_token_gets_403()
    {
        var (user, password) = await server.NewUserAsync("rita");
        var token = await AdminTokenAsync(Basic(user, password));
        var refused = await server.AdminClient(Bearer(token)).ApiGetAsync("/api/v1/keys");
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
    }

    [Fact]
    public async Task A_cross_site_browser_request_is_refused_even_with_credentials()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/groups") { Content = System.Net.Http.Json.JsonContent.Create(new { name = "csrf" }) };
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        var answer = await server.AdminClient().ApiSendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.AdminClient().ApiGetAsync("/api/v1/groups/csrf")).Status);
    }

    [Fact]
    public async Task A_change_from_a_foreign_origin_is_refused_without_sec_fetch_site_but_our_own_origin_goes_on()
    {
        using var foreign = new HttpRequestMessage(HttpMethod.Post, "/api/v1/groups") { Content = System.Net.Http.Json.JsonContent.Create(new { name = "csrf-origin" }) };
        foreign.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await server.AdminClient().ApiSendAsync(foreign)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.AdminClient().ApiGetAsync("/api/v1/groups/csrf-origin")).Status);

        using var own = new HttpRequestMessage(HttpMethod.Post, "/api/v1/groups") { Content = System.Net.Http.Json.JsonContent.Create(new { name = "same-origin" }) };
        own.Headers.Add("Origin", server.BaseAddress.GetLeftPart(UriPartial.Authority));
        Assert.Equal(HttpStatusCode.Created, (await server.AdminClient().ApiSendAsync(own)).Status);
    }

    [Fact]
    public async Task The_bearer_challenge_never_takes_its_address_from_the_Host_header()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/users");
        request.Headers.Host = "evil.example";
        var answer = await server.Http.ApiSendAsync(request);

        var bearer = Assert.Single(answer.Response.Headers.WwwAuthenticate, c => c.Scheme == "Bearer").ToString();
        Assert.DoesNotContain("evil.example", bearer);
        Assert.StartsWith($"Bearer realm=\"{server.BaseAddress.GetLeftPart(UriPartial.Authority)}/token\"", bearer);
    }

    [Fact]
    public async Task Answers_are_never_cached()
    {
        var answer = await server.AdminClient().ApiGetAsync("/api/v1/users");
        Assert.True(answer.Response.Headers.CacheControl?.NoStore);
    }
}
