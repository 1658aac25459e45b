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
}
