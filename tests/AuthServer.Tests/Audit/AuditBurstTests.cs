using System.Net;
using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Audit;

/// <summary>
/// The audit writer under a burst: a server takes 1,000 token requests, is shut down, and the
/// database it leaves behind (opened afresh, as an operator would) holds an event for each.
/// </summary>
public sealed class AuditBurstTests(ITestOutputHelper output)
{
    /// <summary>Every event recorded, the anonymous ones too: this is about the writer, not sampling.</summary>
    private sealed class UnsampledFixture : AuthServerFixture
    {
        protected override void Configure(Dictionary<string, string?> settings) => settings["AuthServer:Audit:SampleBurst"] = "0";
    }

    private const int Requests = 1000;

    [Fact]
    public async Task Every_event_of_a_burst_of_1000_token_requests_is_in_the_database_after_shutdown()
    {
        var server = new UnsampledFixture();
        await server.InitializeAsync();
        try
        {
            await BurstThenCountAsync(server);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private async Task BurstThenCountAsync(AuthServerFixture server)
    {
        var (user, password) = await server.NewUserAsync("burst");
        var writer = server.Services.GetRequiredService<AuditWriter>();

        var statuses = new HttpStatusCode[Requests];
        using var gate = new SemaphoreSlim(32);
        var started = DateTime.UtcNow;
        await Task.WhenAll(Enumerable.Range(0, Requests).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                // Granted, partial, refused and anonymous requests, all about this user or scope.
                var answer = (i % 4) switch
                {
                    0 => await server.Http.GetTokenAsync($"service={Service}&scope=repository:{user}/app:pull", Basic(user, password)),
                    1 => await server.Http.GetTokenAsync($"service={Service}&scope=repository:elsewhere/app:pull", Basic(user, password)),
                    2 => await server.Http.PostTokenAsync(("grant_type", "password"), ("username", user), ("password", password), ("service", Service)),
                    _ => await server.Http.GetTokenAsync($"service={Service}&scope=repository:burst-anon/{i}:pull"),
                };
                statuses[i] = answer.Status;
            }
            finally
            {
                gate.Release();
            }
        }));
        var elapsed = DateTime.UtcNow - started;
        var pendingAtShutdown = writer.Pending;

        await server.StopAsync();
        // Nothing of the stopped server's may linger in an open connection: read the file afresh.
        SqliteConnection.ClearAllPools();
        var database = Path.Combine(server.DataDirectory, "authserver.db");

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(0, writer.Dropped);
        var options = new DbContextOptionsBuilder<AuthServerDbContext>().UseSqlite($"Data Source={database};Pooling=False").Options;
        await using var db = new AuthServerDbContext(options);
        var byUser = await db.AuditEvents.CountAsync(e => e.Type == AuditEventTypes.TokenRequest && e.Subject == user);
        var anonymous = await db.AuditEvents.CountAsync(e => e.Type == AuditEventTypes.TokenRequest && e.RequestedScopes!.StartsWith("repository:burst-anon/"));
        var partial = await db.AuditEvents.CountAsync(e => e.Subject == user && e.Outcome == AuditOutcome.Partial);
        output.WriteLine($"{Requests} requests in {elapsed.TotalMilliseconds:0} ms; {pendingAtShutdown} events still queued when the requests were done; " +
                         $"stored: {byUser} by the user, {anonymous} anonymous");
        Assert.Equal(Requests * 3 / 4, byUser);
        Assert.Equal(Requests / 4, anonymous);
        Assert.Equal(Requests / 4, partial);
    }
}
