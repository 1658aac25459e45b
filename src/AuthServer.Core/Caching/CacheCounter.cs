namespace AuthServer.Core.Caching;

/// <summary>
/// Hits and misses of one cache, counted with one interlocked add each and read only when
/// Prometheus scrapes: the warm path pays no tag lookup and no allocation for its metrics.
/// </summary>
public sealed class CacheCounter
{
    private long _hits;
    private long _misses;

    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);

    public void Hit() => Interlocked.Increment(ref _hits);
    public void Miss() => Interlocked.Increment(ref _misses);
}
