using System.Collections.Concurrent;

namespace AuthServer.Core.Caching;

/// <summary>
/// Records loaded from the database, each tagged with the revision of its area read before it was
/// loaded, and trusted only while that revision stands (see <see cref="Data.CacheDependencies"/>:
/// every write the record depends on moves it). Optionally each entry also ends after a lifetime.
/// Bounded: past the capacity the least recently used tenth goes. Misses are not cached, so made-up
/// keys cannot push real entries out. One abstraction for the user, verified-password and refresh
/// session caches; whole-state snapshots (policy, keys) use <see cref="RevisionSnapshot{T}"/>.
/// </summary>
public sealed class RevisionCache<TKey, TValue>(int capacity, TimeProvider time, TimeSpan? lifetime = null)
    where TKey : notnull
    where TValue : class
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();
    private int _trimming;

    public int Count => _entries.Count;

    /// <summary>Lookups that found a current entry, and those that did not.</summary>
    public CacheCounter Lookups { get; } = new();

    /// <summary>The keys held, for tests.</summary>
    public ICollection<TKey> Keys => _entries.Keys;

    /// <summary>The value cached for the key, if it was loaded at this revision and has not expired.</summary>
    public bool TryGet(TKey key, long revision, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Revision == revision)
        {
            var now = time.GetTimestamp();
            if (entry.ExpiresAt is not { } expires || now < expires)
            {
                Volatile.Write(ref entry.LastUsed, now);
                value = entry.Value;
                Lookups.Hit();
                return true;
            }
            _entries.TryRemove(KeyValuePair.Create(key, entry));
        }
        value = null!;
        Lookups.Miss();
        return false;
    }

    /// <param name="revision">Read before the value was loaded: a change between the two then reloads it, never the reverse.</param>
    public void Set(TKey key, long revision, TValue value)
    {
        if (capacity <= 0 || lifetime <= TimeSpan.Zero) return;
        var now = time.GetTimestamp();
        long? expires = lifetime is { } l ? now + (long)(l.TotalSeconds * time.TimestampFrequency) : null;
        _entries[key] = new Entry(revision, value, expires) { LastUsed = now };
        if (_entries.Count > capacity) Trim();
    }

    public void Remove(TKey key) => _entries.TryRemove(key, out _);

    /// <summary>
    /// The value for the key at the current revision: cached, or loaded and cached. A null from the
    /// loader (no such record) is not cached and drops what was.
    /// </summary>
    public async ValueTask<TValue?> GetOrLoadAsync(TKey key, long revision, Func<TKey, CancellationToken, Task<TValue?>> load, CancellationToken ct)
    {
        if (TryGet(key, revision, out var cached)) return cached;
        var loaded = await load(key, ct);
        if (loaded is null) Remove(key);
        else Set(key, revision, loaded);
        return loaded;
    }

    /// <summary>Drops the least recently used tenth; one caller at a time, the others go on.</summary>
    private void Trim()
    {
        if (Interlocked.Exchange(ref _trimming, 1) == 1) return;
        try
        {
            var entries = _entries.ToArray();
            var excess = entries.Length - capacity * 9 / 10;
            if (excess <= 0) return;
            Array.Sort(entries, static (a, b) => Volatile.Read(ref a.Value.LastUsed).CompareTo(Volatile.Read(ref b.Value.LastUsed)));
            for (var i = 0; i < excess; i++) _entries.TryRemove(entries[i]);
        }
        finally
        {
            Volatile.Write(ref _trimming, 0);
        }
    }

    private sealed class Entry(long revision, TValue value, long? expiresAt)
    {
        public long Revision { get; } = revision;
        public TValue Value { get; } = value;
        public long? ExpiresAt { get; } = expiresAt;
        public long LastUsed;
    }
}
