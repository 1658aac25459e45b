using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.Data;

/// <summary>
/// Tells in-memory snapshots when they are stale. A change made in this process marks the
/// revisions stale at once (the next request sees it); a change made by another process (the
/// CLI, another replica) is seen within <see cref="CacheOptions.RevisionCheckInterval"/>, or at once
/// when the database announces it (PostgreSQL's NOTIFY, which also marks them stale).
/// <para>
/// A database that does not answer leaves the revisions as they were: the snapshots built from
/// them go on serving (warm sign-ins, policy, keys) and the check is tried again an interval
/// later. While one request checks only because the interval ran out, others do not wait for it;
/// after a change of which this process was told, they do, so a change is seen by the next request.
/// </para>
/// </summary>
public sealed class RevisionMonitor(
    IDbContextFactory<AuthServerDbContext> dbs, LocalChanges local, TimeProvider time, IOptions<CacheOptions> options,
    ILogger<RevisionMonitor>? log = null) : IDisposable
{
    private bool _unreachable;

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
        var onlyTimedOut = Interlocked.Read(ref _freshGeneration) == local.Generation;
        if (!await _lock.WaitAsync(0, ct))
        {
            // Someone is checking already; a periodic check need not be waited for (the database may be slow to fail).
            if (onlyTimedOut) return;
            await _lock.WaitAsync(ct);
        }
        try
        {
            if (!IsStale()) return;
            var generation = local.Generation;
            var started = time.GetTimestamp();
            try
            {
                await using var db = await dbs.CreateDbContextAsync(ct);
                _revisions = await db.ChangeRevisions.AsNoTracking().ToDictionaryAsync(r => r.Area, r => r.Revision, ct);
                if (_unreachable) log?.LogInformation("The database answers again: revisions checked");
                _unreachable = false;
            }
            catch (Exception e) when (Unreachable(e) && Interlocked.Read(ref _freshGeneration) >= 0)
            {
                if (!_unreachable) log?.LogWarning("The database does not answer ({Error}); serving from memory, checking again every {Interval}",
                    e.Message.ReplaceLineEndings(" "), options.Value.RevisionCheckInterval);
                _unreachable = true;
            }
            Interlocked.Exchange(ref _checkedAt, started);
            Interlocked.Exchange(ref _freshGeneration, generation);
        }
        finally
        {
            _lock.Release();
        }
    }

    private static bool Unreachable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is DbException or TimeoutException) return true;
        return false;
    }

    public void Dispose() => _lock.Dispose();
}
