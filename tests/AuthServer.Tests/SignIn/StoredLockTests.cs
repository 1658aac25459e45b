using System.Net;
using AuthServer.Core.Identity;
using AuthServer.Core.SignIn;
using AuthServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.SignIn;

/// <summary>Loopback is the trusted proxy, so each test signs in from addresses of its own; the shipped lockout settings.</summary>
public static class StoredLockSettings
{
    public static void Apply(Dictionary<string, string?> settings) => settings["AuthServer:Network:TrustedProxies:0"] = "127.0.0.1";
}

public sealed class StoredLockServer : AuthServerFixture
{
    protected override void Configure(Dictionary<string, string?> settings) => StoredLockSettings.Apply(settings);
}

public sealed class StoredLockServerOnPostgres : AuthServerOnPostgres
{
    protected override void Configure(Dictionary<string, string?> settings) => StoredLockSettings.Apply(settings);
}

/// <summary>
/// The locks kept in the database (table <c>lockouts</c>) beside the counts in memory: written when a
/// lock begins, whichever replica's count filled, and deleted when a correct password or an
/// unlock lifts it, so that a restart brings back exactly the locks still in force.
/// </summary>
public abstract class StoredLockTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : AuthServerFixture
{
    private static int _network;

    /// <summary>An address no other test of this server uses.</summary>
    private static string NewAddress() => $"10.200.{Interlocked.Increment(ref _network)}.1";

    private async Task<HttpStatusCode> LoginFromAsync(string address, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/token?service={Service}");
        request.Headers.Authorization = Basic(user, password);
        request.Headers.Add("X-Forwarded-For", address);
        return (await server.Http.SendForAnswerAsync(request)).Status;
    }

    private Task<List<StoredLock>> StoredAsync(string? account = null, string? source = null) =>
        server.WithServiceAsync(sp => sp.GetRequiredService<Core.Data.AuthServerDbContext>().StoredLocks.AsNoTracking()
            .Where(l => (account == null || l.Account == account) && (source == null || l.Source == source)).ToListAsync());

    private async Task<List<StoredLock>> EventuallyStoredAsync(Func<List<StoredLock>, bool> done, string? account = null, string? source = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var stored = await StoredAsync(account, source);
            if (done(stored) || DateTime.UtcNow > deadline) return stored;
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_lock_is_stored_when_it_begins_and_a_correct_password_that_clears_its_count_deletes_it()
    {
        var address = NewAddress();
        var (user, password) = await server.NewUserAsync("typo");
        Assert.Equal(HttpStatusCode.OK, await LoginFromAsync(address, user, password));
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Unauthorized, await LoginFromAsync(address, user, $"guess-{i}"));

        // Stored before the fifth failure was answered.
        var stored = Assert.Single(await StoredAsync(Names.Normalize(user)));
        Assert.Equal(LockScope.AccountAtSource, stored.Scope);
        Assert.Equal(address, stored.Source);
        Assert.InRange(stored.Failures, 4.9, 5);

        // The password verified a moment ago passes the lock and clears its count: a restart must not bring the lock back.
        Assert.Equal(HttpStatusCode.OK, await LoginFromAsync(address, user, password));
        Assert.Empty(await EventuallyStoredAsync(s => s.Count == 0, Names.Normalize(user)));
    }

    [Fact]
    public async Task A_lock_that_other_replicas_counts_began_here_is_stored_too()
    {
        var address = NewAddress();
        var lockout = server.Services.GetRequiredService<SmartLockout>();

        // 30 failures from one source (the address threshold) as the replica channel delivers them
        // (SmartLockout.ReplicaTopic: "s:" and the source is that source's count), none of them counted here first.
        lockout.ApplyFromReplicas(Enumerable.Repeat("s:" + address, 30).ToList());

        var stored = Assert.Single(await EventuallyStoredAsync(s => s.Count > 0, source: address));
        Assert.Equal(LockScope.Source, stored.Scope);
        Assert.Null(stored.Account);
        var (user, password) = await server.NewUserAsync("behind");
        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginFromAsync(address, user, password));
    }

    [Fact]
    public async Task Unlocking_an_address_deletes_its_stored_locks()
    {
        var address = NewAddress();
        var (user, password) = await server.NewUserAsync("nat");
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Unauthorized, await LoginFromAsync(address, user, $"guess-{i}"));
        Assert.Single(await StoredAsync(source: address));

        await server.WithServiceAsync(sp => sp.GetRequiredService<LockoutService>().UnlockAddressAsync(address, CancellationToken.None));

        Assert.Empty(await StoredAsync(source: address));
        Assert.Equal(HttpStatusCode.OK, await LoginFromAsync(address, user, password));
    }
}

public sealed class StoredLockTests(StoredLockServer server) : StoredLockTests<StoredLockServer>(server);

public sealed class StoredLockTestsOnPostgres(StoredLockServerOnPostgres server) : StoredLockTests<StoredLockServerOnPostgres>(server);
