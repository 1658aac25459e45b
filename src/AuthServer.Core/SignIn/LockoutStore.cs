using System.Data.Common;
using System.Threading.Channels;
using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AuthServer.Core.SignIn;

/// <summary>Where a <see cref="SmartLockout"/> cursor stands: the last lock and the last unlock it read.</summary>
public readonly record struct LockoutCursor(long LockId, long ReleaseId);

/// <summary>
/// Locks and unlocks read from the database: <paramref name="Locks"/> to hold, then
/// <paramref name="Releases"/> (unlock keys) to lift, then <paramref name="Surviving"/> to hold again
/// (locks that began after an unlock, which it did not lift).
/// </summary>
public sealed record StoredChanges(IReadOnlyList<StoredLock> Locks, IReadOnlyList<string> Releases, IReadOnlyList<StoredLock> Surviving, LockoutCursor Cursor);

/// <summary>
/// The database side of <see cref="SmartLockout"/>: locks that began (<see cref="StoredLock"/>),
/// written when they begin and read back by every process, so that neither a restart nor a replica
/// that missed the failures lets a locked account or source in. Only locks are written, never each
/// failure: a flood of wrong passwords must not queue behind the database's writer.
/// </summary>
public sealed class LockoutStore(IDbContextFactory<AuthServerDbContext> dbs, TimeProvider time, ILogger<LockoutStore> log)
{
    private const string Counted = "the replicas that counted the failures hold it";

    private abstract record Pending;
    private sealed record Save(StoredLock Lock) : Pending;
    private sealed record Forget(string Account, string? Source) : Pending;

    // Writes that need not hold up a request: locks begun from other replicas' counts, and locks a
    // correct password lifted. Bounded: beyond it they are dropped (the counts fade anyway).
    private readonly Channel<Pending> _pending =
        Channel.CreateBounded<Pending>(new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>
    /// Writes locks that began in this process before the failed sign-in is answered, so a lock
    /// answered is a lock kept, even through a kill the moment after. A database that does not
    /// answer leaves the lock in this process's memory only (and in the other replicas' counts).
    /// </summary>
    public Task SaveAsync(IReadOnlyCollection<StoredLock> locks) =>
        // Not the request's token: a client that hangs up after its last guess must not keep its lock from being stored.
        WriteAsync(locks, "held in this process's memory only", CancellationToken.None);

    /// <summary>Writes, in the background, a lock that other replicas' counts began here.</summary>
    public void SaveLater(StoredLock stored) => _pending.Writer.TryWrite(new Save(stored));

    /// <summary>Deletes, in the background, the account-and-source locks a correct password from there cleared.</summary>
    public void ForgetLater(string account, string? source) => _pending.Writer.TryWrite(new Forget(account, source));

    /// <summary>Writes what <see cref="SaveLater"/> and <see cref="ForgetLater"/> queued, in their order, until <paramref name="ct"/> fires.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var reader = _pending.Reader;
        try
        {
            while (await reader.WaitToReadAsync(ct))
            {
                var saves = new List<StoredLock>();
                while (reader.TryRead(out var pending))
                {
                    if (pending is Save save)
                    {
                        saves.Add(save.Lock);
                        continue;
                    }
                    await WriteAsync(saves, Counted, ct);
                    saves = [];
                    await ForgetAsync((Forget)pending, ct);
                }
                await WriteAsync(saves, Counted, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// What the database holds since <paramref name="since"/>; with no cursor (a process's first
    /// look), every lock that has not run out yet.
    /// </summary>
    public async Task<StoredChanges> ReadAsync(LockoutCursor? since, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (since is not { } cursor)
        {
            // Read before the locks: an unlock committed in between deleted its locks first, and is applied at the next look.
            var lastRelease = await db.LockoutReleases.MaxAsync(r => (long?)r.Id, ct) ?? 0;
            var live = await db.StoredLocks.AsNoTracking().Where(l => l.Until > now).OrderBy(l => l.Id).ToListAsync(ct);
            return new StoredChanges(live, [], [], new LockoutCursor(LastId(live, 0), lastRelease));
        }

        var locks = await db.StoredLocks.AsNoTracking().Where(l => l.Id > cursor.LockId).OrderBy(l => l.Id).ToListAsync(ct);
        var releases = await db.LockoutReleases.AsNoTracking().Where(r => r.Id > cursor.ReleaseId).OrderBy(r => r.Id)
            .Select(r => new { r.Id, r.Key }).ToListAsync(ct);
        List<StoredLock> surviving = [];
        if (releases.Count > 0)
        {
            // An unlock deleted the locks it lifted in its own transaction: any still there began after it.
            var keys = releases.Select(r => r.Key).ToList();
            var accounts = keys.Select(AccountOf).OfType<string>().ToList();
            var sources = keys.Select(SourceOf).OfType<string>().ToList();
            surviving = await db.StoredLocks.AsNoTracking()
                .Where(l => l.Until > now && ((l.Account != null && accounts.Contains(l.Account)) || (l.Source != null && sources.Contains(l.Source))))
                .ToListAsync(ct);
        }
        var releaseId = releases.Count > 0 ? releases[^1].Id : cursor.ReleaseId;
        return new StoredChanges(locks, releases.Select(r => r.Key).ToList(), surviving, new LockoutCursor(LastId(locks, cursor.LockId), releaseId));
    }

    /// <summary>The locks an unlock key (<c>account:NAME</c> or <c>address:KEY</c>) lifts: every count of that account, or of that source.</summary>
    public static IQueryable<StoredLock> CoveredBy(IQueryable<StoredLock> locks, string unlockKey) =>
        AccountOf(unlockKey) is { } account ? locks.Where(l => l.Account == account)
        : SourceOf(unlockKey) is { } source ? locks.Where(l => l.Source == source)
        : locks.Where(l => false);

    /// <summary>Deletes locks that ran out long enough ago to have leaked empty; run periodically.</summary>
    public static Task<int> PruneAsync(AuthServerDbContext db, DateTime now, CancellationToken ct) =>
        db.StoredLocks.Where(l => l.Until <= now).ExecuteDeleteAsync(ct);

    private static string? AccountOf(string unlockKey) =>
        unlockKey.StartsWith(SmartLockout.AccountPrefix, StringComparison.Ordinal) ? unlockKey[SmartLockout.AccountPrefix.Length..] : null;

    private static string? SourceOf(string unlockKey) =>
        unlockKey.StartsWith(SmartLockout.AddressPrefix, StringComparison.Ordinal) ? unlockKey[SmartLockout.AddressPrefix.Length..] : null;

    private static long LastId(List<StoredLock> locks, long before) => locks.Count > 0 ? Math.Max(before, locks[^1].Id) : before;

    private async Task WriteAsync(IReadOnlyCollection<StoredLock> locks, string otherwise, CancellationToken ct)
    {
        if (locks.Count == 0) return;
        try
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            db.StoredLocks.AddRange(locks);
            await db.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is DbException or DbUpdateException or TimeoutException)
        {
            log.LogWarning("{Count} sign-in lock(s) not stored ({Error}): {Otherwise}", locks.Count, e.Message.ReplaceLineEndings(" "), otherwise);
        }
    }

    private async Task ForgetAsync(Forget forget, CancellationToken ct)
    {
        try
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            await db.StoredLocks.Where(l => l.Scope == LockScope.AccountAtSource && l.Account == forget.Account && l.Source == forget.Source)
                .ExecuteDeleteAsync(ct);
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            log.LogWarning("A sign-in lock cleared by a correct password not deleted ({Error}); it runs out by itself", e.Message.ReplaceLineEndings(" "));
        }
    }
}
