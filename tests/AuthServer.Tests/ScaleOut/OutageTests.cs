using System.Net;
using AuthServer.Core.Audit;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.ScaleOut;

/// <summary>Stops the run's PostgreSQL: alone, after every class that runs in parallel with others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DatabaseOutage
{
    public const string Name = "PostgreSQL stopped";
}

public sealed class OutageServer : AuthServerOnPostgres
{
    protected override void Configure(Dictionary<string, string?> settings) =>
        settings["AuthServer:Cache:RevisionCheckInterval"] = "00:00:00.200";
}

/// <summary>
/// PostgreSQL stopped under load and started again: warm requests are answered from memory, those
/// that need the database get 503 with Retry-After (never 500), /readyz says not ready, the audit
/// events of the outage are written once it is back, and everything recovers by itself.
/// </summary>
[Collection(DatabaseOutage.Name)]
public sealed class OutageTests(OutageServer server) : IClassFixture<OutageServer>
{
    private Task<TokenClient.Answer> LoginAsync(string user, string password) =>
        server.Http.GetTokenAsync($"service={Service}&scope=repository:{user}/app:pull", Basic(user, password));

    private Task<TokenClient.Answer> SecretAsync(string login, string secret) =>
        server.Http.GetTokenAsync($"service={Service}&scope=repository:team/app:pull", Basic(login, secret));

    private Task<TokenClient.Answer> RefreshAsync(string refreshToken) =>
        server.Http.PostTokenAsync(("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("service", Service), ("client_id", "docker"));

    [Fact]
    public async Task Warm_requests_are_served_through_a_database_restart_and_the_rest_get_503_until_it_is_back()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var (user, password) = await server.NewUserAsync("warm");
        var (robot, secret) = await server.NewRobotAsync(null, ["repository:team/**:pull"]);
        var (coldRobot, coldSecret) = await server.NewRobotAsync(null, ["repository:team/**:pull"]);
        var accessToken = await server.NewAccessTokenAsync(user);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(user, password)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SecretAsync(robot, secret)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SecretAsync(user, accessToken)).Status);
        var login = await server.Http.PostTokenAsync(
            ("grant_type", "password"), ("username", user), ("password", password), ("service", Service), ("client_id", "docker"), ("access_type", "offline"));
        var refreshToken = login.RefreshToken!;
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(refreshToken)).Status);
        var admin = server.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.ApiGetAsync("/api/v1/users")).Status);

        var statuses = new List<HttpStatusCode>();
        using var load = new CancellationTokenSource();
        var warmLoad = Task.Run(async () =>
        {
            while (!load.IsCancellationRequested)
            {
                var answer = await LoginAsync(user, password);
                lock (statuses) statuses.Add(answer.Status);
                await Task.Delay(20);
            }
        });

        await cluster.StopAsync();
        try
        {
            // Several revision checks fail meanwhile.
            await Task.Delay(1500);
            var cold = await LoginAsync("nobody-" + Guid.NewGuid().ToString("N")[..8], "whatever-1");
            var listing = await admin.ApiGetAsync("/api/v1/users");
            var ready = await server.Http.GetAsync("/readyz");
            var robotAgain = await SecretAsync(robot, secret);
            var tokenAgain = await SecretAsync(user, accessToken);
            var refreshed = await RefreshAsync(refreshToken);
            var wrongSecret = await SecretAsync(robot, secret[..^2] + "xx");
            var coldSecretAnswer = await SecretAsync(coldRobot, coldSecret);

            // Recently used robot secrets, access tokens and sessions are answered from memory, a
            // wrong secret for a known robot refused from it; one never used here needs the database.
            Assert.True(robotAgain.Status == HttpStatusCode.OK, robotAgain.Text);
            Assert.True(tokenAgain.Status == HttpStatusCode.OK, tokenAgain.Text);
            Assert.True(refreshed.Status == HttpStatusCode.OK, refreshed.Text);
            Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.Status);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, coldSecretAnswer.Status);
            Assert.NotNull(coldSecretAnswer.Headers.RetryAfter);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, listing.Status);
            Assert.NotNull(listing.Response.Headers.RetryAfter);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, cold.Status);
            Assert.NotNull(cold.Headers.RetryAfter);
            Assert.DoesNotContain("Npgsql", cold.Text + listing.Text);
        }
        finally
        {
            await cluster.StartAsync();
        }

        var readyAgain = await Eventually(async () => (await server.Http.GetAsync("/readyz")).StatusCode, s => s == HttpStatusCode.OK);
        await load.CancelAsync();
        await warmLoad;
        Assert.Equal(HttpStatusCode.OK, readyAgain);
        Assert.NotEmpty(statuses);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));

        var (after, afterPassword) = await server.NewUserAsync("after");
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(after, afterPassword)).Status);
        Assert.Equal(HttpStatusCode.OK, (await admin.ApiGetAsync("/api/v1/users")).Status);
        // The outage's token requests reach the audit table once the database is back.
        var subject = user.ToLowerInvariant();
        var events = await server.WaitForAuditAsync(
            q => q.Where(e => e.Type == AuditEventTypes.TokenRequest && e.Subject == subject), e => e.Count >= statuses.Count + 1);
        Assert.True(events.Count >= statuses.Count + 1, $"{events.Count} token events stored of {statuses.Count + 1} answered:\n" +
            string.Join("\n", server.Logs.Lines.Where(l => l.Contains("udit") || l.Contains("atabase"))));
    }

    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(100);
        }
    }
}
