using System.Net;
using AuthServer.Core.Identity;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;
using static AuthServer.Tests.Infrastructure.FixtureExtensions;

namespace AuthServer.Tests.HotPath;

/// <summary>One hashing worker and room for one waiting hash, so the queue can be filled by hand.</summary>
public sealed class TinyHashingQueueFixture : AuthServerFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["AuthServer:Passwords:HashingConcurrency"] = "1";
        settings["AuthServer:Passwords:HashingQueueLimit"] = "1";
        // Served first come first served: no quieter newcomer takes a waiting hash's place.
        settings["AuthServer:Passwords:HashingDemandHalfLife"] = "00:00:00";
    }
}

public class HashingWorkersTests(TinyHashingQueueFixture server) : IClassFixture<TinyHashingQueueFixture>
{
    private Task<TokenClient.Answer> LoginAsync(string user, string password) =>
        server.Http.GetTokenAsync($"service={Service}", Basic(user, password));

    /// <summary>Occupies the worker and the queue's one place until the returned gate opens.</summary>
    private async Task<(TaskCompletionSource Gate, Task Running, Task Waiting)> FillQueueAsync()
    {
        var queue = server.Services.GetRequiredService<HashingWorkers>();
        var gate = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        var running = queue.Run("192.0.2.1", () => { started.SetResult(); return gate.Task.Wait(TimeSpan.FromSeconds(30)); });
        Assert.False(running.IsCompleted);
        // Only once the worker took the first job is the queue's one place free for the second.
        await started.Task;
        var waiting = queue.Run("192.0.2.1", () => true);
        Assert.False(waiting.IsCompleted);
        return (gate, running, waiting);
    }

    [Fact]
    public async Task A_full_queue_answers_503_with_Retry_After_for_known_and_unknown_users_alike()
    {
        var (user, password) = await server.NewUserAsync("queued");
        var (gate, running, waiting) = await FillQueueAsync();
        try
        {
            var known = await LoginAsync(user, password);
            var unknown = await LoginAsync(UniqueName("nobody"), "whatever-1");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, known.Status);
            Assert.Equal("UNAVAILABLE", known.ErrorCode);
            Assert.Equal(1, known.Headers.RetryAfter!.Delta!.Value.TotalSeconds);
            Assert.Equal(known.Status, unknown.Status);
            Assert.Equal(known.Text, unknown.Text);
        }
        finally
        {
            gate.SetResult();
            await Task.WhenAll(running, waiting);
        }
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(user, password)).Status);
    }

    [Fact]
    public async Task A_warm_password_is_served_while_the_queue_is_full()
    {
        var (user, password) = await server.NewUserAsync("warmed");
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(user, password)).Status);
        var (gate, running, waiting) = await FillQueueAsync();
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await LoginAsync(user, password)).Status);
        }
        finally
        {
            gate.SetResult();
            await Task.WhenAll(running, waiting);
        }
    }

    [Fact]
    public async Task Refusals_for_a_full_queue_do_not_count_towards_a_lockout()
    {
        var (user, password) = await server.NewUserAsync("patient");
        var (gate, running, waiting) = await FillQueueAsync();
        try
        {
            for (var i = 0; i < 8; i++) Assert.Equal(HttpStatusCode.ServiceUnavailable, (await LoginAsync(user, password)).Status);
        }
        finally
        {
            gate.SetResult();
            await Task.WhenAll(running, waiting);
        }
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(user, password)).Status);
    }
}
