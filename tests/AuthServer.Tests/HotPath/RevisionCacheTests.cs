using AuthServer.Core.Caching;
using Microsoft.Extensions.Time.Testing;

namespace AuthServer.Tests.HotPath;

/// <summary>The cache every per-record cache is built on: revision-tagged, optionally timed, bounded. Time is a fake clock.</summary>
public class RevisionCacheTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void An_entry_counts_only_at_the_revision_it_was_loaded_at()
    {
        var cache = new RevisionCache<string, string>(10, _clock);
        cache.Set("alice", revision: 3, "loaded at 3");
        Assert.True(cache.TryGet("alice", 3, out var value));
        Assert.Equal("loaded at 3", value);
        Assert.False(cache.TryGet("alice", 4, out _));
    }

    [Fact]
    public void An_entry_with_a_lifetime_ends_by_the_clock()
    {
        var cache = new RevisionCache<string, string>(10, _clock, TimeSpan.FromMinutes(5));
        cache.Set("alice", 0, "verified");
        _clock.Advance(TimeSpan.FromMinutes(4));
        Assert.True(cache.TryGet("alice", 0, out _));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(cache.TryGet("alice", 0, out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Past_its_capacity_it_drops_the_least_recently_used()
    {
        var cache = new RevisionCache<int, string>(10, _clock);
        for (var i = 0; i < 10; i++)
        {
            cache.Set(i, 0, $"v{i}");
            _clock.Advance(TimeSpan.FromSeconds(1));
        }
        // 0 is read again: now 1 is the least recently used.
        Assert.True(cache.TryGet(0, 0, out _));
        _clock.Advance(TimeSpan.FromSeconds(1));
        cache.Set(10, 0, "v10");
        Assert.InRange(cache.Count, 1, 10);
        Assert.True(cache.TryGet(0, 0, out _));
        Assert.True(cache.TryGet(10, 0, out _));
        Assert.False(cache.TryGet(1, 0, out _));
    }

    [Fact]
    public async Task A_missing_record_is_not_cached_and_drops_what_was()
    {
        var cache = new RevisionCache<string, string>(10, _clock);
        cache.Set("gone", 1, "old");
        Assert.Null(await cache.GetOrLoadAsync("gone", 2, (_, _) => Task.FromResult<string?>(null), CancellationToken.None));
        Assert.Equal(0, cache.Count);
    }
}
