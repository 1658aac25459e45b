using System.Net;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Admin;

public class AdminSecretsTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    [Fact]
    public async Task No_secret_the_admin_api_sees_or_makes_reaches_a_log_line_or_the_audit_log()
    {
        var api = server.AdminClient();
        var user = FixtureExtensions.UniqueName("zed");
        const string password = "zed-password-123";
        await api.ApiPostAsync("/api/v1/users", new { name = user, password, admin = true });
        await api.ApiPutAsync($"/api/v1/users/{user}/password", new { password = "zed-password-456" });
        var token = (await api.ApiPostAsync("/api/v1/access-tokens", new { user, name = "api", scopes = new[] { "admin:api:*" } })).Body.GetProperty("secret").GetString()!;
        var robot = (await api.ApiPostAsync("/api/v1/robots", new { name = "sec" })).Body.GetProperty("secret").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await server.AdminClient(Basic(user, token)).ApiGetAsync("/api/v1/keys")).Status);
        var bearer = (await server.Http.GetTokenAsync("service=authserver-admin&scope=admin:api:*", Basic(user, "zed-password-456"))).Body.GetProperty("token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await server.AdminClient(new("Bearer", bearer)).ApiGetAsync("/api/v1/keys")).Status);
        await server.AdminClient(new("Bearer", bearer + "x")).ApiGetAsync("/api/v1/keys");
        await server.AdminClient(Basic(user, "wrong-password-789")).ApiGetAsync("/api/v1/keys");
        await server.WaitForAuditAsync(q => q.Where(e => e.Type == "admin.sign-in" && e.Subject == user), e => e.Count > 0);

        var logs = string.Join("\n", server.Logs.Lines);
        var audit = string.Join("\n", (await server.AuditEventsAsync()).Select(e => e.Summary()));
        foreach (var secret in new[] { password, "zed-password-456", "wrong-password-789", token, robot, bearer, AdminPassword })
        {
            Assert.DoesNotContain(secret, logs);
            Assert.DoesNotContain(secret, audit);
        }
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_a_problem_not_a_500()
    {
        var answer = await server.AdminClient().ApiPostAsync("/api/v1/groups", $"{{\"name\":\"big\",\"description\":\"{new string('x', 2 * 1024 * 1024)}\"}}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.Status);
        Assert.Equal("application/problem+json", answer.Response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Malformed_input_leaves_no_stack_trace_in_the_log()
    {
        var api = server.AdminClient();
        await api.ApiPostAsync("/api/v1/rules", "{\"subject\":");
        await api.ApiPostAsync("/api/v1/rules", "{\"effect\":\"sometimes\"}");
        await api.ApiGetAsync("/api/v1/audit/events?beforeId=abc");
        await api.ApiPostAsync("/api/v1/policy/explain", "{\"service\":\"registry\",\"scopes\":[\"::\"]}");

        Assert.DoesNotContain(server.Logs.Lines, line => line.Contains("   at ", StringComparison.Ordinal));
    }
}
