using System.Net;
using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Hosting;
using AuthServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.ScaleOut;

/// <summary>`authserver db copy`: a SQLite installation moved to PostgreSQL keeps every login working.</summary>
public sealed class DatabaseCopyTests : IAsyncLifetime
{
    private readonly AuthServerFixture _sqlite = new();

    public Task InitializeAsync() => _sqlite.InitializeAsync();

    public Task DisposeAsync() => _sqlite.DisposeAsync();

    [Fact]
    public async Task A_sqlite_installation_copied_to_postgresql_keeps_passwords_secrets_tokens_sessions_keys_and_audit()
    {
        var http = _sqlite.Http;
        var (user, password) = await _sqlite.NewUserAsync("moving");
        var groups = _sqlite.AdminClient();
        Assert.Equal(HttpStatusCode.Created, (await groups.ApiPostAsync("/api/v1/groups", new { name = "movers" })).Status);
        var (robot, secret) = await _sqlite.NewRobotAsync($"user:{user}", [$"repository:{user}/**:pull"]);
        var accessToken = await _sqlite.NewAccessTokenAsync(user);
        var login = await http.PostTokenAsync(
            ("grant_type", "password"), ("username", user), ("password", password), ("service", Service),
            ("client_id", "docker"), ("access_type", "offline"));
        var refreshToken = login.RefreshToken!;
        var kid = login.Token.Header.GetProperty("kid").GetString();
        var subject = user.ToLowerInvariant();
        await _sqlite.WaitForAuditAsync(q => q.Where(e => e.Type == AuditEventTypes.TokenRequest && e.Subject == subject), e => e.Count > 0);
        await _sqlite.StopAsync();
        var before = await CountsAsync(_sqlite.DataDirectory, null);

        var cluster = await PostgresCluster.SharedAsync();
        var target = cluster.ConnectionString(PostgresCluster.NewDatabaseName("copied"));
        var copy = await InProcessCli.RunAsync(_sqlite.DataDirectory, null, "db", "copy", "--to-provider", "postgresql", "--to", target);
        Assert.True(copy.ExitCode == 0, copy.ToString());
        var again = await InProcessCli.RunAsync(_sqlite.DataDirectory, null, "db", "copy", "--to-provider", "PostgreSQL", "--to", target);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("empty database", again.Error);

        Assert.Equal(before, await CountsAsync(_sqlite.DataDirectory, target));
        // Its own process, as after a real move.
        await using var server = await ServerProcess.StartAsync(ProcessSettings(new Dictionary<string, string?>
        {
            ["AuthServer:Database:Provider"] = "PostgreSQL",
            ["AuthServer:Database:ConnectionString"] = target,
            ["AuthServer:Signing:KeyEncryptionKeyFile"] = Path.Combine(_sqlite.DataDirectory, "signing.kek"),
        }));
        var moved = server.Http;
        var scope = $"service={Service}&scope=repository:{user}/app:pull";

        var byPassword = await moved.GetTokenAsync(scope, Basic(user, password));
        Assert.Equal(HttpStatusCode.OK, byPassword.Status);
        Assert.Equal(kid, byPassword.Token.Header.GetProperty("kid").GetString());
        Assert.Equal(HttpStatusCode.OK, (await moved.GetTokenAsync(scope, Basic(robot, secret))).Status);
        Assert.Equal(HttpStatusCode.OK, (await moved.GetTokenAsync(scope, Basic(user, accessToken))).Status);
        var refreshed = await moved.PostTokenAsync(
            ("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("service", Service), ("client_id", "docker"));
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await moved.GetTokenAsync(scope, Basic(user, "not-the-password"))).Status);
        // New rows get keys after the copied ones.
        using var admin = new HttpClient { BaseAddress = moved.BaseAddress, DefaultRequestHeaders = { Authorization = Basic(AdminName, AdminPassword) } };
        Assert.Equal(HttpStatusCode.Created, (await admin.ApiPostAsync("/api/v1/users", new { name = "newcomer", password = "newcomer-pw-1" })).Status);
    }

    private static WebApplication Server(string dataDirectory, string? postgres)
    {
        var settings = BaseSettings(dataDirectory);
        if (postgres is not null)
        {
            settings["AuthServer:Database:Provider"] = "PostgreSQL";
            settings["AuthServer:Database:ConnectionString"] = postgres;
        }
        return AuthServerHost.Build([], b => b.Configuration.AddInMemoryCollection(settings));
    }

    private static async Task<string> CountsAsync(string dataDirectory, string? postgres)
    {
        await using var app = Server(dataDirectory, postgres);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AuthServerDbContext>>().CreateDbContextAsync();
        return string.Join(", ",
            $"users {await db.Users.CountAsync()}", $"groups {await db.Groups.CountAsync()}", $"rules {await db.AccessRules.CountAsync()}",
            $"robots {await db.Robots.CountAsync()}", $"tokens {await db.AccessTokens.CountAsync()}", $"sessions {await db.RefreshSessions.CountAsync()}",
            $"keys {await db.SigningKeys.CountAsync()}", $"audit {await db.AuditEvents.CountAsync()}",
            $"hashes {string.Join(",", await db.Users.OrderBy(u => u.Id).Select(u => u.PasswordHash).ToListAsync())}");
    }
}
