using System.Net;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Tokens;

public class SecretsInLogsTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    [Fact]
    public async Task No_password_refresh_token_or_jwt_reaches_a_log_line()
    {
        var (user, password) = await server.NewUserAsync("ken");
        var login = await server.Http.GetTokenAsync($"service={Service}&offline_token=true&client_id=docker", Basic(user, password));
        Assert.Equal(HttpStatusCode.OK, login.Status);
        var refreshed = await server.Http.PostTokenAsync(("grant_type", "refresh_token"), ("refresh_token", login.RefreshToken!), ("service", Service));
        await server.Http.GetTokenAsync($"service={Service}", Basic(user, "wrong-" + password));
        await server.Http.PostTokenAsync(("grant_type", "password"), ("username", user), ("password", "other-" + password), ("service", Service));

        var logs = string.Join("\n", server.Logs.Lines);
        Assert.Contains("Token issued", logs);
        Assert.Contains("Token request denied", logs);
        Assert.DoesNotContain(password, logs);
        Assert.DoesNotContain(login.RefreshToken!, logs);
        Assert.DoesNotContain(login.Body.GetProperty("token").GetString()!, logs);
        Assert.DoesNotContain(refreshed.Body.GetProperty("token").GetString()!, logs);
        Assert.DoesNotContain(AdminPassword, logs);
    }

    [Fact]
    public async Task No_robot_secret_or_access_token_reaches_a_log_line_or_the_audit_log()
    {
        var (user, _) = await server.NewUserAsync("lena");
        var token = await server.NewAccessTokenAsync(user);
        var (robot, secret) = await server.NewRobotAsync();

        var byToken = await server.Http.GetTokenAsync($"service={Service}&offline_token=true&client_id=docker", Basic(user, token));
        var byRobot = await server.Http.PostTokenAsync(("grant_type", "password"), ("username", robot), ("password", secret),
            ("service", Service), ("access_type", "offline"), ("client_id", "containerd-client"));
        Assert.Equal(HttpStatusCode.OK, byToken.Status);
        Assert.Equal(HttpStatusCode.OK, byRobot.Status);
        await server.Http.PostTokenAsync(("grant_type", "refresh_token"), ("refresh_token", byRobot.RefreshToken!), ("service", Service));
        // Near misses: a secret one character off must not be logged either.
        var wrongToken = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        var wrongSecret = secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A');
        await server.Http.GetTokenAsync($"service={Service}", Basic(user, wrongToken));
        await server.Http.GetTokenAsync($"service={Service}", Basic(robot, wrongSecret));
        await server.WaitForAuditAsync(robot, 4);

        var logs = string.Join("\n", server.Logs.Lines);
        var audit = string.Join("\n", (await server.AuditEventsAsync()).Select(e => e.Summary()));
        foreach (var leaked in new[] { token, wrongToken, secret, wrongSecret, byToken.RefreshToken!, byRobot.RefreshToken! })
        {
            Assert.DoesNotContain(leaked, logs);
            Assert.DoesNotContain(leaked, audit);
        }
        Assert.Contains("Refresh session", logs);
        Assert.Contains("wrong robot secret", logs);
    }

    [Fact]
    public async Task A_secret_typed_as_the_user_name_is_redacted_in_logs_and_audit_rows()
    {
        var (robot, secret) = await server.NewRobotAsync();
        // Pasted into the wrong field: the secret as the name, over GET and POST, at /token and the admin API.
        await server.Http.GetTokenAsync($"service={Service}", Basic(secret, "whatever-1"));
        await server.Http.PostTokenAsync(("grant_type", "password"), ("username", secret), ("password", "whatever-2"), ("service", Service));
        using (var api = new HttpRequestMessage(HttpMethod.Get, "/api/v1/users"))
        {
            api.Headers.Authorization = Basic(secret, "whatever-3");
            using var answer = await server.Http.SendAsync(api);
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        }
        var events = await server.WaitForAuditAsync(q => q.Where(e => e.Subject == "[redacted secret]"), e => e.Count >= 3);

        var logs = string.Join("\n", server.Logs.Lines);
        var audit = string.Join("\n", (await server.AuditEventsAsync()).Select(e => e.Summary()));
        Assert.DoesNotContain(secret, logs);
        Assert.DoesNotContain(secret, audit);
        Assert.DoesNotContain(secret[5..], logs);
        Assert.Contains("[redacted secret]", logs);
        Assert.True(events.Count >= 3);
        Assert.NotNull(robot);
    }

    [Fact]
    public async Task Control_characters_in_client_text_cannot_forge_a_log_line()
    {
        // No colon: Basic ends the name at the first one.
        var forged = "mallory\ninfo AuthServer.Tokens.TokenEndpoint[0]\n      Token issued to admin";
        await server.Http.GetTokenAsync($"service={Service}", Basic(forged, "whatever-1"));
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/token?service={Service}"))
        {
            request.Headers.Authorization = Basic("nora", "whatever-2");
            request.Headers.TryAddWithoutValidation("User-Agent", "agent\u001b[31m red");
            await server.Http.SendForAnswerAsync(request);
        }
        var events = await server.WaitForAuditAsync(q => q.Where(e => e.Subject != null && e.Subject.StartsWith("mallory")), e => e.Count >= 1);

        Assert.Equal("mallory\\ninfo authserver.tokens.tokenendpoint[0]\\n      token issued to admin", events[0].Subject);
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains("mallory\n", StringComparison.Ordinal));
        Assert.Contains(server.Logs.Lines, l => l.Contains("mallory\\ninfo", StringComparison.Ordinal));
        var agent = await server.WaitForAuditAsync(q => q.Where(e => e.Subject == "nora"), e => e.Count >= 1);
        Assert.Equal("agent\\u001b[31m red", agent[0].UserAgent);
    }

    [Fact]
    public async Task A_chunked_body_is_held_to_the_same_limit_as_one_with_a_length()
    {
        // 200 KiB of form (under the server's 1 MiB body limit), sent without Content-Length: the
        // token endpoint's 64 KiB limit used to apply only to that header.
        var form = "grant_type=password&service=registry&username=a&scope=" + new string('x', 200 * 1024);
        using var content = new StreamContent(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(form)));
        content.Headers.ContentType = new("application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var answer = await server.Http.SendForAnswerAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("larger than 65536 bytes", answer.ErrorMessage);
    }
}
