using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.SignIn;

/// <summary>
/// A lock outlives its server: `authserver serve` killed while an account is locked and started
/// again on the same database refuses the right password until the lock runs out, on time, and an
/// administrator's unlock is not undone by a restart. On SQLite (one server and its file) and on
/// PostgreSQL.
/// </summary>
public abstract class LockoutRestartTests : IAsyncLifetime
{
    // Long enough for a kill and a start on a busy machine (a start beside the suite's other
    // servers has taken over 20 s): the lock must still hold after them.
    private static readonly TimeSpan Leak = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, string?> _settings = new()
    {
        ["AuthServer:Lockout:AccountThreshold"] = "3",
        ["AuthServer:Lockout:AccountLeak"] = Leak.ToString(),
        ["AuthServer:Lockout:AddressThreshold"] = "100000",
        ["AuthServer:Lockout:UnfamiliarThreshold"] = "100000",
        ["AuthServer:Signing:KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>Points the settings at a database of the test's own, the same for every start.</summary>
    protected abstract Task UseDatabaseAsync(Dictionary<string, string?> settings);

    public Task InitializeAsync() => UseDatabaseAsync(_settings);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private Task<ServerProcess> StartAsync() => ServerProcess.StartAsync(ProcessSettings(_settings));

    private static Task<TokenClient.Answer> LoginAsync(ServerProcess server, string user, string password) =>
        server.Http.GetTokenAsync($"service={Service}", Basic(user, password));

    private static async Task<(string Name, string Password)> LockedUserAsync(ServerProcess server, string prefix)
    {
        var (name, password) = await server.NewUserAsync(prefix);
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(server, name, $"guess-{i}")).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync(server, name, password)).Status);
        return (name, password);
    }

    [Fact]
    public async Task A_lock_holds_through_a_restart_and_runs_out_on_time()
    {
        await using var first = await StartAsync();
        var (user, password) = await LockedUserAsync(first, "locked");
        var locked = Stopwatch.StartNew();

        // As a crash would: nothing is written on the way down.
        await first.KillAsync();
        await using var restarted = await StartAsync();

        var held = await LoginAsync(restarted, user, password);
        Assert.True(locked.Elapsed < Leak, $"the restart took {locked.Elapsed}, longer than the lock: nothing to see");
        Assert.Equal(HttpStatusCode.TooManyRequests, held.Status);
        Assert.InRange(held.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, Leak.TotalSeconds);

        // Polled with the right password: a refusal is answered before hashing and counts nothing.
        TokenClient.Answer answer;
        do
        {
            await Task.Delay(250);
            answer = await LoginAsync(restarted, user, password);
        }
        while (answer.Status == HttpStatusCode.TooManyRequests && locked.Elapsed < Leak + TimeSpan.FromSeconds(30));

        Assert.True(answer.Status == HttpStatusCode.OK, $"{answer.Status} {locked.Elapsed} after the lock began: {answer.Text}");
        // The lock ran its whole time (it began a moment before the stopwatch), not less.
        Assert.True(locked.Elapsed >= Leak - TimeSpan.FromSeconds(1), $"signed in {locked.Elapsed} after the lock began");
    }

    [Fact]
    public async Task An_administrators_unlock_is_not_undone_by_a_restart()
    {
        await using var first = await StartAsync();
        var (user, password) = await LockedUserAsync(first, "unlocked");
        using (var admin = first.AdminClient())
            Assert.Equal(HttpStatusCode.NoContent, (await admin.ApiPostAsync($"/api/v1/users/{user}/unlock")).Status);

        await first.KillAsync();
        await using var restarted = await StartAsync();

        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(restarted, user, password)).Status);
    }
}

public sealed class LockoutRestartTestsOnSqlite : LockoutRestartTests
{
    private readonly string _data = TempDirectory.Create("authserver-restart");

    protected override Task UseDatabaseAsync(Dictionary<string, string?> settings)
    {
        settings["AuthServer:DataDirectory"] = _data;
        return Task.CompletedTask;
    }

    public override Task DisposeAsync()
    {
        TempDirectory.Delete(_data);
        return Task.CompletedTask;
    }
}

public sealed class LockoutRestartTestsOnPostgres : LockoutRestartTests
{
    protected override async Task UseDatabaseAsync(Dictionary<string, string?> settings)
    {
        var cluster = await PostgresCluster.SharedAsync();
        settings["AuthServer:Database:Provider"] = "PostgreSQL";
        settings["AuthServer:Database:ConnectionString"] = cluster.ConnectionString(PostgresCluster.NewDatabaseName("restart"));
    }
}
