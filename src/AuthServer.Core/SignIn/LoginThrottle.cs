using System.Collections.Concurrent;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.SignIn;

/// <summary>
/// Counts failed sign-ins per account and per client address, with exponential back-off: after
/// the threshold a key is locked for <see cref="LockoutOptions.BaseLockout"/>, and each failure
/// after a lock doubles it up to <see cref="LockoutOptions.MaxLockout"/>. A locked request is
/// refused before any password is hashed, so a guessing run costs the server almost nothing.
/// <para>
/// Kept in memory, per process. Checking a lock happens on every sign-in and must not cost a
/// database round trip, and recording every failure as a write would let a flood of wrong
/// passwords queue behind SQLite's single writer. The price: with N replicas an attacker gets up
/// to N times the attempts (still exponentially throttled on each), and a restart forgets the
/// counts. Unlocks are shared through the database (<see cref="LockoutRelease"/>), so an
/// administrator's unlock reaches every process, the CLI's included.
/// </para>
/// Unknown account names are counted exactly like real ones, so a lock never tells whether an
/// account exists.
/// </summary>
public sealed class LoginThrottle(
    IOptions<LockoutOptions> options, TimeProvider time, RevisionMonitor revisions, IDbContextFactory<AuthServerDbContext> dbs) : IDisposable
{
    public const string AccountPrefix = "account:";
    public const string AddressPrefix = "address:";

    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _releaseLock = new(1, 1);
    private long _seenRevision = -1;
    private long _seenReleaseId = -1;

    public static string AccountKey(string name) => AccountPrefix + Names.Normalize(name);
    public static string AddressKey(string clientAddressKey) => AddressPrefix + clientAddressKey;

    public int TrackedKeys => _counters.Count;

    /// <summary>How long the caller must wait, or null when neither the account nor the address is locked.</summary>
    public async ValueTask<TimeSpan?> CheckAsync(string? accountKey, string? addressKey, CancellationToken ct)
    {
        if (!options.Value.Enabled) return null;
        await ApplyReleasesAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var accountWait = RemainingLock(accountKey, now);
        var addressWait = RemainingLock(addressKey, now);
        if (accountWait is null) return addressWait;
        if (addressWait is null) return accountWait;
        return accountWait > addressWait ? accountWait : addressWait;
    }

    /// <summary>Counts a failure; returns the locks it imposed (none while under the thresholds).</summary>
    public IReadOnlyList<Lockout> RecordFailure(string? accountKey, string? addressKey)
    {
        var o = options.Value;
        if (!o.Enabled) return [];
        var now = time.GetUtcNow().UtcDateTime;
        var locks = new List<Lockout>(2);
        if (accountKey is not null && Fail(accountKey, o.AccountThreshold, now) is { } accountLock) locks.Add(accountLock);
        if (addressKey is not null && Fail(addressKey, o.AddressThreshold, now) is { } addressLock) locks.Add(addressLock);
        return locks;
    }

    /// <summary>
    /// A correct password clears its account's count. The address's count is left to fade, so
    /// one valid account cannot be used to wash out a guessing run against others.
    /// </summary>
    public void RecordSuccess(string? accountKey)
    {
        if (accountKey is not null) _counters.TryRemove(accountKey, out _);
    }

    /// <summary>Forgets a key's failures and lock in this process.</summary>
    public bool Release(string key) => _counters.TryRemove(key, out _);

    /// <summary>Drops keys whose failures are forgotten; run periodically.</summary>
    public int Sweep() => Sweep(time.GetUtcNow().UtcDateTime, evictUnlocked: false);

    private TimeSpan? RemainingLock(string? key, DateTime now)
    {
        if (key is null || !_counters.TryGetValue(key, out var counter)) return null;
        lock (counter) return counter.LockedUntil > now ? counter.LockedUntil - now : null;
    }

    private Lockout? Fail(string key, int threshold, DateTime now)
    {
        var o = options.Value;
        if (_counters.Count >= o.MaxTrackedKeys && !_counters.ContainsKey(key)) Sweep(now, evictUnlocked: true);
        var counter = _counters.GetOrAdd(key, _ => new Counter());
        lock (counter)
        {
            if (now - counter.LastFailure > o.ForgetAfter) counter.Failures = 0;
            counter.Failures++;
            counter.LastFailure = now;
            if (counter.Failures < threshold) return null;
            var doublings = Math.Min(counter.Failures - threshold, 30);
            var ticks = Math.Min((double)o.BaseLockout.Ticks * Math.Pow(2, doublings), o.MaxLockout.Ticks);
            var duration = TimeSpan.FromTicks((long)ticks);
            counter.LockedUntil = now + duration;
            return new Lockout(key, counter.Failures, duration);
        }
    }

    /// <param name="evictUnlocked">At the size bound: drop every key not locked right now, so locks survive a spray of names.</param>
    private int Sweep(DateTime now, bool evictUnlocked)
    {
        var forgetAfter = options.Value.ForgetAfter;
        var removed = 0;
        foreach (var (key, counter) in _counters)
        {
            bool stale;
            lock (counter) stale = counter.LockedUntil <= now && (evictUnlocked || now - counter.LastFailure > forgetAfter);
            if (stale && _counters.TryRemove(key, out _)) removed++;
        }
        return removed;
    }

    /// <summary>Applies unlocks written to the database since this process last looked.</summary>
    private async ValueTask ApplyReleasesAsync(CancellationToken ct)
    {
        var revision = await revisions.GetAsync(ChangeRevision.Lockouts, ct);
        if (revision == Interlocked.Read(ref _seenRevision)) return;
        await _releaseLock.WaitAsync(ct);
        try
        {
            if (revision == _seenRevision) return;
            await using var db = await dbs.CreateDbContextAsync(ct);
            if (_seenReleaseId < 0)
            {
                // Unlocks older than this process concern counts it never had.
                _seenReleaseId = await db.LockoutReleases.MaxAsync(r => (long?)r.Id, ct) ?? 0;
            }
            else
            {
                var releases = await db.LockoutReleases.AsNoTracking().Where(r => r.Id > _seenReleaseId).OrderBy(r => r.Id).ToListAsync(ct);
                foreach (var release in releases)
                {
                    Release(release.Key);
                    _seenReleaseId = release.Id;
                }
            }
            Interlocked.Exchange(ref _seenRevision, revision);
        }
        finally
        {
            _releaseLock.Release();
        }
    }

    private sealed class Counter
    {
        public int Failures;
        public DateTime LastFailure = DateTime.MinValue;
        public DateTime LockedUntil = DateTime.MinValue;
    }

    public void Dispose() => _releaseLock.Dispose();
}
