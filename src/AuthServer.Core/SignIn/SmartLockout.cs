using System.Collections.Concurrent;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.SignIn;

/// <summary>
/// Smart lockout: password guessing is slowed where it happens, never for the account as a whole.
/// Three leaky buckets (<see cref="LeakyCounter"/>) count failed passwords:
/// <list type="bullet">
/// <item>per account and source: a source guessing one account gets one guess per
/// <see cref="LockoutOptions.AccountLeak"/> once it failed <see cref="LockoutOptions.AccountThreshold"/> times;</item>
/// <item>per source: a source that failed often, on any accounts, gets its password guesses refused
/// (<see cref="LockoutOptions.AddressThreshold"/>), except for the accounts it is familiar to;</item>
/// <item>per account, from unfamiliar sources only: a guessing run spread over many addresses slows
/// every unfamiliar source for that account (<see cref="LockoutOptions.UnfamiliarThreshold"/>), while the
/// account's owner, at a source they signed in from before, goes on.</item>
/// </list>
/// Only guessable credentials are ever refused: a password already verified (the password cache)
/// and the 256-bit secrets (access tokens, robot secrets, refresh tokens) pass whatever others did,
/// though their failures still count against their source.
/// <para>
/// Kept in memory: checking happens on every sign-in and must not cost a database round trip.
/// Replicas on one database share the counts all the same: each failure counted here is published
/// (<see cref="IReplicaChannel"/>, in the background) and counted by every other replica when it
/// arrives, so failures spread over N replicas lock as they would on one, within a notice's delay.
/// Familiar sources are in the database (<see cref="FamiliarSources"/>); administrators'
/// unlocks too (<see cref="LockoutRelease"/>), so they reach every process. Unknown account names are
/// counted exactly like real ones, so a refusal never tells whether an account exists.
/// </para>
/// </summary>
public sealed class SmartLockout(
    IOptions<LockoutOptions> options, TimeProvider time, RevisionMonitor revisions, IDbContextFactory<AuthServerDbContext> dbs,
    IReplicaChannel? replicas = null) : IDisposable
{
    /// <summary>The replica channel's topic: a counter key counted once more, or with <see cref="ClearedMark"/> first, cleared.</summary>
    public const string ReplicaTopic = "lockout";
    private const char ClearedMark = '-';

    /// <summary>Unlock keys, as written in <see cref="LockoutRelease.Key"/>.</summary>
    public const string AccountPrefix = "account:";
    public const string AddressPrefix = "address:";

    // Counter keys: per account and source, per source, per account from unfamiliar sources.
    private const string PairPrefix = "p:";
    private const string SourcePrefix = "s:";
    private const string UnfamiliarPrefix = "u:";
    private const char Separator = '\n';

    private readonly ConcurrentDictionary<string, LeakyCounter> _counters = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _releaseLock = new(1, 1);
    private long _seenRevision = -1;
    private long _seenReleaseId = -1;

    public static string AccountKey(string name) => AccountPrefix + Names.Normalize(name);
    public static string AddressKey(string sourceKey) => AddressPrefix + sourceKey;

    public int TrackedKeys => _counters.Count;

    // Locks begun since start, by LockScope: read by the metrics when Prometheus scrapes.
    private readonly long[] _imposed = new long[Enum.GetValues<LockScope>().Length];

    /// <summary>Locks of this scope begun since start.</summary>
    public long Imposed(LockScope scope) => Interlocked.Read(ref _imposed[(int)scope]);

    /// <summary>
    /// How long a guess of <paramref name="attempt"/>'s password must wait, or null when it may be
    /// checked now. Only passwords are ever held back.
    /// </summary>
    /// <param name="familiar">The source signed in to this account recently (<see cref="FamiliarSources"/>).</param>
    public async ValueTask<TimeSpan?> WaitAsync(SignInAttempt attempt, bool familiar, CancellationToken ct)
    {
        var o = options.Value;
        if (!o.Enabled || attempt.Credential is not PasswordCredential password) return null;
        await ApplyReleasesAsync(ct);
        var now = Now;
        var account = Names.Normalize(password.Account);
        var source = attempt.Source.Key;
        var wait = Wait(PairKey(account, source), now, o.AccountThreshold, o.AccountLeak);
        if (familiar) return wait;
        if (source is not null) wait = Longer(wait, Wait(SourcePrefix + source, now, o.AddressThreshold, o.AddressLeak));
        return Longer(wait, Wait(UnfamiliarPrefix + account, now, o.UnfamiliarThreshold, o.UnfamiliarLeak));
    }

    /// <summary>Counts a failed sign-in; returns the locks it began, for the log and audit trail.</summary>
    public IReadOnlyList<ImposedLock> RecordFailure(SignInAttempt attempt, bool familiar)
    {
        var o = options.Value;
        if (!o.Enabled) return [];
        var now = Now;
        var source = attempt.Source.Key;
        var locks = new List<ImposedLock>(3);
        if (attempt.Credential is PasswordCredential password)
        {
            var account = Names.Normalize(password.Account);
            if (Add(PairKey(account, source), now, o.AccountThreshold, o.AccountLeak))
                locks.Add(Imposing(new ImposedLock(account, LockScope.AccountAtSource, o.AccountThreshold, o.AccountLeak)));
            // A familiar source keeps its own count: its typos never slow the account elsewhere, nor its neighbours.
            if (familiar) return locks;
            if (Add(UnfamiliarPrefix + account, now, o.UnfamiliarThreshold, o.UnfamiliarLeak))
                locks.Add(Imposing(new ImposedLock(account, LockScope.UnfamiliarSources, o.UnfamiliarThreshold, o.UnfamiliarLeak)));
        }
        if (RecordAgainstSource(source, now) is { } sourceLock) locks.Add(sourceLock);
        return locks;
    }

    /// <summary>
    /// A sign-in refused because the hashing queue had no place for it: not a failed sign-in (its
    /// account is not counted), but the source asked for work it did not get, so it counts there.
    /// </summary>
    public IReadOnlyList<ImposedLock> RecordBusy(SignInAttempt attempt) =>
        options.Value.Enabled && RecordAgainstSource(attempt.Source.Key, Now) is { } imposed ? [imposed] : [];

    /// <summary>A correct password clears its own account-and-source count; the others fade by themselves.</summary>
    public void RecordSuccess(SignInAttempt attempt)
    {
        if (attempt.Credential is not PasswordCredential password) return;
        var key = PairKey(Names.Normalize(password.Account), attempt.Source.Key);
        if (_counters.TryRemove(key, out _)) replicas?.Publish(ReplicaTopic, ClearedMark + key);
    }

    /// <summary>Counts and clears that other replicas published: counted here as if they had happened here.</summary>
    public void ApplyFromReplicas(IReadOnlyList<string> items)
    {
        if (!options.Value.Enabled) return;
        var now = Now;
        foreach (var item in items)
        {
            if (item.Length < 3) continue;
            if (item[0] == ClearedMark)
            {
                _counters.TryRemove(item[1..], out _);
                continue;
            }
            if (Limits(item) is not var (threshold, leak)) continue;
            if (_counters.Count >= options.Value.MaxTrackedKeys && !_counters.ContainsKey(item)) Sweep(now, evictUnlocked: true);
            _counters.GetOrAdd(item, _ => new LeakyCounter()).Add(now, threshold, leak);
        }
    }

    /// <summary>A counter key's threshold and leak, by its prefix; null for a key this version does not know.</summary>
    private (int Threshold, TimeSpan Leak)? Limits(string key)
    {
        var o = options.Value;
        return key[..2] switch
        {
            PairPrefix => (o.AccountThreshold, o.AccountLeak),
            SourcePrefix => (o.AddressThreshold, o.AddressLeak),
            UnfamiliarPrefix => (o.UnfamiliarThreshold, o.UnfamiliarLeak),
            _ => null,
        };
    }

    /// <summary>Forgets, in this process, the counts an unlock key (<c>account:NAME</c> or <c>address:KEY</c>) covers.</summary>
    public int Release(string key)
    {
        Func<string, bool> covered;
        if (key.StartsWith(AccountPrefix, StringComparison.Ordinal))
        {
            var account = key[AccountPrefix.Length..];
            var pairs = PairPrefix + account + Separator;
            var unfamiliar = UnfamiliarPrefix + account;
            covered = counter => counter.StartsWith(pairs, StringComparison.Ordinal) || counter == unfamiliar;
        }
        else if (key.StartsWith(AddressPrefix, StringComparison.Ordinal))
        {
            var source = key[AddressPrefix.Length..];
            var own = SourcePrefix + source;
            var pairs = Separator + source;
            covered = counter => counter == own || (counter.StartsWith(PairPrefix, StringComparison.Ordinal) && counter.EndsWith(pairs, StringComparison.Ordinal));
        }
        else
        {
            return 0;
        }
        var removed = 0;
        foreach (var counter in _counters.Keys)
            if (covered(counter) && _counters.TryRemove(counter, out _)) removed++;
        return removed;
    }

    /// <summary>Drops counters that have leaked empty; run periodically.</summary>
    public int Sweep() => Sweep(Now, evictUnlocked: false);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private static string PairKey(string account, string? source) => PairPrefix + account + Separator + (source ?? "-");

    private static TimeSpan? Longer(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private TimeSpan? Wait(string key, DateTime now, int threshold, TimeSpan leak) =>
        _counters.TryGetValue(key, out var counter) ? counter.Wait(now, threshold, leak) : null;

    private ImposedLock? RecordAgainstSource(string? source, DateTime now)
    {
        var o = options.Value;
        return source is not null && Add(SourcePrefix + source, now, o.AddressThreshold, o.AddressLeak)
            ? Imposing(new ImposedLock(AddressPrefix + source, LockScope.Source, o.AddressThreshold, o.AddressLeak))
            : null;
    }

    private ImposedLock Imposing(ImposedLock imposed)
    {
        Interlocked.Increment(ref _imposed[(int)imposed.Scope]);
        return imposed;
    }

    private bool Add(string key, DateTime now, int threshold, TimeSpan leak)
    {
        if (_counters.Count >= options.Value.MaxTrackedKeys && !_counters.ContainsKey(key)) Sweep(now, evictUnlocked: true);
        replicas?.Publish(ReplicaTopic, key);
        return _counters.GetOrAdd(key, _ => new LeakyCounter()).Add(now, threshold, leak);
    }

    /// <param name="evictUnlocked">At the size bound: drop every counter not refusing right now, so locks survive a spray of names.</param>
    private int Sweep(DateTime now, bool evictUnlocked)
    {
        var o = options.Value;
        var removed = 0;
        foreach (var (key, counter) in _counters)
        {
            var (threshold, leak) = key[0] switch
            {
                'p' => (o.AccountThreshold, o.AccountLeak),
                's' => (o.AddressThreshold, o.AddressLeak),
                _ => (o.UnfamiliarThreshold, o.UnfamiliarLeak),
            };
            var stale = evictUnlocked ? counter.Wait(now, threshold, leak) is null : counter.Level(now, leak) <= 0;
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

    public void Dispose() => _releaseLock.Dispose();
}
