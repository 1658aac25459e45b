using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.Data;

/// <summary>
/// Tells in-memory snapshots when they are stale. A change made in this process marks the
/// revisions stale at once (the next request sees it); a change made by another process (the
/// CLI, another replica) is seen within <see cref="CacheOptions.RevisionCheckInterval"/>.
/// </summary>
public sealed class RevisionMonitor(
    IDbContextFactory<AuthServerDbContext> dbs, LocalChanges local, TimeProvider time, IOptions<CacheOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private volatile Dictionary<string, long> _revisions = new();
    private long _freshGeneration = -1;
    private long _checkedAt = long.MinValue;

    public async ValueTask<long> GetAsync(string area, CancellationToken ct)
    {
        if (IsStale()) await RefreshAsync(ct);
        return _revisions.GetValueOrDefault(area);
    }

    /// <summary>Called after this process committed a change.</summary>
    public void MarkStale() => local.Committed();

    private bool IsStale() =>
        Interlocked.Read(ref _freshGeneration) != local.Generation
        || time.GetElapsedTime(Interlocked.Read(ref _checkedAt)) >= options.Value.RevisionCheckInterval;

    private async Task RefreshAsync(CancellationToken ct)
    {
        await _lock.WaitAsync(ct);
        try
        {
            if (!IsStale()) return;
            var generation = local.Generation;
            var started = time.GetTimestamp();
            await using var db = await dbs.CreateDbContextAsync(ct);
            _revisions = await db.ChangeRevisions.AsNoTracking().ToDictionaryAsync(r => r.Area, r => r.Revision, ct);
            Interlocked.Exchange(ref _checkedAt, started);
            Interlocked.Exchange(ref _freshGeneration, generation);
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();
}
