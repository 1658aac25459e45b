using AuthServer.Core.Identity;
using Microsoft.Extensions.Options;

namespace AuthServer.Tests.HotPath;

/// <summary>The hashing queue is shared fairly: a flood from many addresses cannot keep a quiet source out.</summary>
public class HashingFairnessTests
{
    private static HashingWorkers Workers(int limit, int perSource) => new(Options.Create(new PasswordOptions
    {
        HashingConcurrency = 1,
        HashingQueueLimit = limit,
        HashingPerSource = perSource,
        HashingDemandHalfLife = TimeSpan.FromMinutes(10),
    }), TimeProvider.System);

    [Fact]
    public async Task A_quiet_source_takes_the_place_of_a_flooders_hash_and_goes_first()
    {
        using var workers = Workers(limit: 16, perSource: 4);
        var gate = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        var order = new List<string>();
        var blocker = workers.Run("blocker", () => { started.SetResult(); return gate.Task.Wait(TimeSpan.FromSeconds(30)); });
        await started.Task;

        // Ten flooding sources ask again and again; the queue fills with their hashes.
        var flood = new List<Task<Hashed<bool>>>();
        for (var round = 0; round < 6; round++)
            for (var s = 0; s < 10; s++)
            {
                var source = $"203.0.113.{s}";
                flood.Add(workers.Run(source, () => { lock (order) order.Add(source); return true; }));
            }
        Assert.Equal(16, workers.Waiting);
        var refusedBeforeUser = flood.Count(f => f.IsCompleted);

        // A person's first login: one hash from a source that asked for nothing before.
        var user = workers.Run("198.51.100.7", () => { lock (order) order.Add("user"); return true; });
        Assert.False(user.IsCompleted);
        Assert.Equal(1, workers.Displaced);

        gate.SetResult();
        Assert.True((await user).Ran);
        await Task.WhenAll(flood);
        await blocker;
        Assert.Equal("user", order[0]);
        Assert.Equal(16, order.Count);
        Assert.Equal(60 - 15, refusedBeforeUser + 1);
    }

    [Fact]
    public async Task One_source_holds_at_most_its_share_of_the_queue()
    {
        using var workers = Workers(limit: 16, perSource: 4);
        var gate = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        var blocker = workers.Run("blocker", () => { started.SetResult(); return gate.Task.Wait(TimeSpan.FromSeconds(30)); });
        await started.Task;

        var mine = Enumerable.Range(0, 10).Select(_ => workers.Run("203.0.113.1", () => true)).ToList();
        Assert.Equal(4, workers.Waiting);
        Assert.Equal(6, mine.Count(t => t.IsCompleted));

        // Someone else still finds room.
        var other = workers.Run("198.51.100.7", () => true);
        gate.SetResult();
        Assert.True((await other).Ran);
        var answers = await Task.WhenAll(mine);
        Assert.Equal(6, answers.Count(a => !a.Ran));
        await blocker;
    }

    [Fact]
    public async Task Within_a_full_share_a_quiet_account_takes_the_place_of_the_busiest_one()
    {
        using var workers = Workers(limit: 16, perSource: 4);
        var gate = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        var blocker = workers.Run("blocker", () => { started.SetResult(); return gate.Task.Wait(TimeSpan.FromSeconds(30)); });
        await started.Task;

        // One broken client behind the office NAT retries a stale password for one account...
        var broken = Enumerable.Range(0, 10).Select(_ => workers.Run("192.0.2.1", () => "broken", "ci-bot")).ToList();
        // ...and a colleague behind the same address signs in.
        var colleague = workers.Run("192.0.2.1", () => "colleague", "carol");
        Assert.False(colleague.IsCompleted);

        gate.SetResult();
        Assert.Equal(new Hashed<string>(true, "colleague"), await colleague);
        Assert.Equal(3, (await Task.WhenAll(broken)).Count(b => b.Ran));
        await blocker;
    }
}
