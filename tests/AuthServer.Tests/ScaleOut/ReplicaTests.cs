using System.Net;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.ScaleOut;

/// <summary>What one replica does, the other knows: changes, failed passwords, keys; and one replica gone leaves the other serving.</summary>
public sealed class ReplicaTests(ReplicaPair replicas) : IClassFixture<ReplicaPair>
{
    // Far below the one-minute revision poll: only a notice can make it in time.
    private static readonly TimeSpan NoticeDeadline = TimeSpan.FromSeconds(5);

    private static Task<TokenClient.Answer> LoginAsync(ServerProcess server, string user, string password) =>
        server.Http.GetTokenAsync($"service={Service}&scope=repository:{user}/app:pull", Basic(user, password));

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + NoticeDeadline;
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_user_disabled_or_given_a_new_password_through_one_replica_is_treated_so_by_the_other()
    {
        var (user, password) = await replicas.First.NewUserAsync("carol");
        // The second replica has the password verified and cached: only a notice ends that.
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(replicas.Second, user, password)).Status);

        using var admin = replicas.First.AdminClient();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.ApiPutAsync($"/api/v1/users/{user}/password", new { password = "new-password-1" })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await EventuallyAsync(() => LoginAsync(replicas.Second, user, password), a => a.Status != HttpStatusCode.OK)).Status);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(replicas.Second, user, "new-password-1")).Status);

        Assert.Equal(HttpStatusCode.OK, (await admin.ApiPostAsync($"/api/v1/users/{user}/disable")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await EventuallyAsync(() => LoginAsync(replicas.Second, user, "new-password-1"), a => a.Status != HttpStatusCode.OK)).Status);
    }

    [Fact]
    public async Task Failed_passwords_spread_over_both_replicas_lock_the_account_as_on_one_server()
    {
        var (user, password) = await replicas.First.NewUserAsync("mallory");

        // Five failures (the threshold), alternating: each replica counted only two or three itself.
        for (var i = 0; i < 5; i++)
        {
            var replica = i % 2 == 0 ? replicas.First : replicas.Second;
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(replica, user, $"guess-{i}")).Status);
            await Task.Delay(300);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync(replicas.Second, user, password)).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync(replicas.First, user, password)).Status);
    }

    [Fact]
    public async Task An_account_locked_through_one_replica_is_refused_by_the_other_and_by_replicas_started_later_until_unlocked()
    {
        var (user, password) = await replicas.First.NewUserAsync("oscar");
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(replicas.First, user, $"guess-{i}")).Status);

        Assert.Equal(HttpStatusCode.TooManyRequests,
            (await EventuallyAsync(() => LoginAsync(replicas.Second, user, password), a => a.Status == HttpStatusCode.TooManyRequests)).Status);
        // A replica started after the failures counted none of them: it holds the lock stored in the database.
        await using (var later = await ServerProcess.StartAsync(ProcessSettings(replicas.Settings)))
        {
            var held = await LoginAsync(later, user, password);
            Assert.Equal(HttpStatusCode.TooManyRequests, held.Status);
            Assert.InRange(held.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 120);
        }

        using var admin = replicas.Second.AdminClient();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.ApiPostAsync($"/api/v1/users/{user}/unlock")).Status);
        Assert.Equal(HttpStatusCode.OK, (await EventuallyAsync(() => LoginAsync(replicas.First, user, password), a => a.Status == HttpStatusCode.OK)).Status);
        // The unlock deleted the stored lock: a replica started now does not bring it back.
        await using var afterUnlock = await ServerProcess.StartAsync(ProcessSettings(replicas.Settings));
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(afterUnlock, user, password)).Status);
    }

    [Fact]
    public async Task A_key_activated_through_one_replica_signs_on_the_other()
    {
        var (user, password) = await replicas.First.NewUserAsync("kim");
        var before = (await LoginAsync(replicas.Second, user, password)).Token.Header.GetProperty("kid").GetString();

        using var admin = replicas.First.AdminClient();
        var created = await admin.ApiPostAsync("/api/v1/keys", new { });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var kid = created.Body.GetProperty("kid").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await admin.ApiPostAsync($"/api/v1/keys/{Uri.EscapeDataString(kid)}/activate")).Status);

        var after = await EventuallyAsync(() => LoginAsync(replicas.Second, user, password), a => a.Token.Header.GetProperty("kid").GetString() == kid);
        Assert.NotEqual(before, kid);
        Assert.Equal(kid, after.Token.Header.GetProperty("kid").GetString());
    }

    [Fact]
    public async Task With_one_replica_killed_the_other_goes_on_serving()
    {
        await using var third = await ServerProcess.StartAsync(ProcessSettings(replicas.Settings));
        var (user, password) = await third.NewUserAsync("dave");
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(third, user, password)).Status);

        await third.KillAsync();

        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(replicas.Second, user, password)).Status);
        var (other, otherPassword) = await replicas.Second.NewUserAsync("erin");
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(replicas.First, other, otherPassword)).Status);
    }
}
