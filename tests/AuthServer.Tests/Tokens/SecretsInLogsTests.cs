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
}
