using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Admin;

/// <summary>
/// The tasks of docs/admin-api.md, in order, with nothing but HttpClient and JSON text, as the
/// curl lines there send them, against a fresh server.
/// </summary>
public abstract class AdminApiWalkthroughTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : AuthServerFixture
{
    private const string Api = "/api/v1";

    private async Task<(HttpStatusCode Status, JsonElement Body, string Text)> CurlAsync(string method, string path, string? json = null, string? user = null)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        var credentials = user ?? $"{AuthServerFixture.AdminName}:{AuthServerFixture.AdminPassword}";
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.StartsWith('{') || text.StartsWith('[') ? JsonDocument.Parse(text).RootElement.Clone() : default, text);
    }

    private async Task<string[]> GrantedAsync(string credentials, string scope)
    {
        var (user, secret) = (credentials[..credentials.IndexOf(':')], credentials[(credentials.IndexOf(':') + 1)..]);
        var answer = await server.Http.GetTokenAsync($"service=registry&scope={scope}", AuthServerFixture.Basic(user, secret));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var parts = scope.Split(':');
        return answer.Token.ActionsFor(parts[0], parts[1]);
    }

    [Fact]
    public async Task An_operator_does_every_task_of_the_admin_api_doc_with_plain_http()
    {
        // Add a user.
        var added = await CurlAsync("POST", $"{Api}/users", """{"name":"alice","password":"correct-horse-battery"}""");
        Assert.Equal(HttpStatusCode.Created, added.Status);
        Assert.Empty(await GrantedAsync("alice:correct-horse-battery", "repository:team/app:pull,push"));

        // Give a group push on a namespace.
        Assert.Equal(HttpStatusCode.Created, (await CurlAsync("POST", $"{Api}/groups", """{"name":"devs"}""")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await CurlAsync("POST", $"{Api}/groups/devs/members", """{"user":"alice"}""")).Status);
        var rule = await CurlAsync("POST", $"{Api}/rules", """{"subject":"group:devs","pattern":"team/**","actions":["pull","push"]}""");
        Assert.Equal(HttpStatusCode.Created, rule.Status);
        Assert.Equal(["pull", "push"], await GrantedAsync("alice:correct-horse-battery", "repository:team/app:pull,push"));

        // Create a CI robot.
        var robot = await CurlAsync("POST", $"{Api}/robots",
            """{"name":"ci","owner":"group:devs","scopes":["repository:team/**:pull,push"],"expiresAt":"2099-03-01T00:00:00Z"}""");
        Assert.Equal(HttpStatusCode.Created, robot.Status);
        var secret = robot.Body.GetProperty("secret").GetString()!;
        Assert.Equal(HttpStatusCode.Created, (await CurlAsync("POST", $"{Api}/rules", """{"subject":"robot:devs+ci","pattern":"team/**","actions":["pull","push"]}""")).Status);
        Assert.Equal(["pull", "push"], await GrantedAsync($"devs+ci:{secret}", "repository:team/app:pull,push"));

        // Revoke a token.
        var token = await CurlAsync("POST", $"{Api}/access-tokens", """{"user":"alice","name":"laptop"}""");
        var tokenSecret = token.Body.GetProperty("secret").GetString()!;
        Assert.Equal(["pull"], await GrantedAsync($"alice:{tokenSecret}", "repository:team/app:pull"));
        Assert.Contains("laptop", (await CurlAsync("GET", $"{Api}/access-tokens?user=alice")).Text);
        Assert.Equal(HttpStatusCode.NoContent, (await CurlAsync("DELETE", $"{Api}/access-tokens/alice/laptop")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.GetTokenAsync("service=registry", AuthServerFixture.Basic("alice", tokenSecret))).Status);
        Assert.Equal(HttpStatusCode.OK, (await CurlAsync("DELETE", $"{Api}/sessions?user=alice")).Status);

        // Find out why a pull was denied: someone added a deny; the audit log shows the partial answer, explain names the rule.
        var deny = await CurlAsync("POST", $"{Api}/rules", """{"effect":"deny","subject":"authenticated","pattern":"team/app","actions":["pull"]}""");
        var denyId = deny.Body.GetProperty("id").GetInt64();
        Assert.Empty(await GrantedAsync("alice:correct-horse-battery", "repository:team/app:pull"));
        await server.WaitForAuditAsync(q => q.Where(e => e.Subject == "alice" && e.Outcome == Core.Audit.AuditOutcome.Partial),
            e => e.Any(x => x.RequestedScopes == "repository:team/app:pull"));
        var audit = await CurlAsync("GET", $"{Api}/audit/events?subject=alice&outcome=partial&service=registry");
        var partial = audit.Body.GetProperty("items")[0];
        Assert.Equal("repository:team/app:pull", partial.GetProperty("requestedScopes").GetString());
        var explained = await CurlAsync("POST", $"{Api}/policy/explain", """{"account":"alice","service":"registry","scopes":["repository:team/app:pull"]}""");
        var pull = explained.Body.GetProperty("scopes")[0].GetProperty("actions")[0];
        Assert.False(pull.GetProperty("granted").GetBoolean());
        Assert.Equal($"denied by rule {denyId}", pull.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await CurlAsync("DELETE", $"{Api}/rules/{denyId}")).Status);
        Assert.Equal(["pull"], await GrantedAsync("alice:correct-horse-battery", "repository:team/app:pull"));

        // Rotate the signing key.
        var next = await CurlAsync("POST", $"{Api}/keys", "{}");
        var kid = next.Body.GetProperty("kid").GetString()!;
        Assert.Contains("BEGIN CERTIFICATE", (await CurlAsync("GET", $"{Api}/keys/bundle")).Text);
        Assert.Contains(kid, (await CurlAsync("GET", $"{Api}/keys/jwks")).Text);
        Assert.Equal(HttpStatusCode.OK, (await CurlAsync("POST", $"{Api}/keys/{kid}/activate")).Status);
        var signed = await server.Http.GetTokenAsync("service=registry", AuthServerFixture.Basic("alice", "correct-horse-battery"));
        Assert.Equal(kid, signed.Token.Header.GetProperty("kid").GetString());

        // Every change above is in the audit log under the administrator's name.
        var changes = await CurlAsync("GET", $"{Api}/audit/events?actor=api:admin&limit=1000");
        var types = changes.Body.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToHashSet();
        foreach (var type in new[] { "user.create", "group.create", "group.member-add", "rule.create", "robot.create", "access-token.create",
                                     "access-token.revoke", "session.revoke", "rule.delete", "key.add", "key.activate" })
            Assert.Contains(type, types);
    }

    [Fact]
    public async Task The_bearer_way_in_works_as_the_doc_shows()
    {
        var token = await server.Http.GetTokenAsync("service=authserver-admin&scope=admin:api:*",
            AuthServerFixture.Basic(AuthServerFixture.AdminName, AuthServerFixture.AdminPassword));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Body.GetProperty("token").GetString());
        var keys = await http.GetAsync($"{Api}/keys");
        Assert.Equal(HttpStatusCode.OK, keys.StatusCode);
        Assert.True(token.Body.GetProperty("expires_in").GetInt32() <= 300);
    }
}

public sealed class AdminApiWalkthroughTests(AuthServerFixture server) : AdminApiWalkthroughTests<AuthServerFixture>(server);

public sealed class AdminApiWalkthroughTestsOnPostgres(AuthServerOnPostgres server) : AdminApiWalkthroughTests<AuthServerOnPostgres>(server);
