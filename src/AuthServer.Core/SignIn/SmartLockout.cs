using System.Collections.Concurrent;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
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
/// Counted in memory: checking happens on every sign-in and must not cost a database round trip.
/// Replicas on one database share the counts all the same: each failure counted here is published
/// (<see cref="IReplicaChannel"/>, in the background) and counted by every other replica when it
/// arrives, so failures spread over N replicas lock as they would on one, within a notice's delay.
/// A lock that begins is written to the database (<see cref="StoredLock"/>, before the failure is
/// answered) and read back by every process (on the lockouts revision, and at its first password
/// check): a restarted server and a replica that missed the notices hold it too, until it runs out.
/// Familiar sources are in the database (<see cref="FamiliarSources"/>); administrators'
/// unlocks too (<see cref="LockoutRelease"/>), so they reach every process. Unknown account names are
/// counted exactly like real ones, so a refusal never tells whether an account exists.
/// </para>
/// </summary>
public sealed class SmartLockout(
    IOptions<LockoutOptions> options, TimeProvider time, RevisionMonitor revisions, LockoutStore store,
    IReplicaChannel? replicas = null) : IDisposable
{
    /// <summary>
    /// The replica channel's topic: a counter key counted once more; with <see cref="StoredMark"/>
    /// first, counted once more and the lock it began at the sender stored there; with
    /// <see cref="ClearedMark"/> first, cleared.
    /// </summary>
    public const string ReplicaTopic = "lockout";
    private const char ClearedMark = '-';
    private const char StoredMark = '+';

    /// <summary>Unlock keys, as written in <see cref="LockoutRelease.Key"/>.</summary>
    public const string AccountPrefix = "account:";
    public const string AddressPrefix = "address:";

    // Counter keys: per account and source, per source, per account from unfamiliar sources.
    private const string PairPrefix = "p:";
    private const string SourcePrefix = "s:";
    private const string UnfamiliarPrefix = "u:";
    private const char Separator = '\n';
    private const string NoSource = "-";

    private readonly ConcurrentDictionary<string, LeakyCounter> _counters = new(StringComparer.Ordinal);
    // Account-and-source counts with a stored lock: a correct password from there deletes it.
    private readonly ConcurrentDictionary<string, byte> _storedPairs = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _readLock = new(1, 1);
    private long _seenRevision = -1;
    private LockoutCursor? _cursor;

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
        await ApplyStoredAsync(ct);
        var now = Now;
        var account = Names.Normalize(password.Account);
        var source = attempt.Source.Key;
        var wait = Wait(PairKey(account, source), now, o.AccountThreshold, o.AccountLeak);
        if (familiar) return wait;
        if (source is not null) wait = Longer(wait, Wait(SourcePrefix + source, now, o.AddressThreshold, o.AddressLeak));
        return Longer(wait, Wait(UnfamiliarPrefix + account, now, o.UnfamiliarThreshold, o.UnfamiliarLeak));
    }

    /// <summary>
    /// Counts a failed sign-in; returns the locks it began, for the log and audit trail, once they
    /// are stored.
    /// </summary>
    public async ValueTask<IReadOnlyList<ImposedLock>> RecordFailureAsync(SignInAttempt attempt, bool familiar)
    {
        var o = options.Value;
        if (!o.Enabled) return [];
        var now = Now;
        var source = attempt.Source.Key;
        var began = new Began();
        var account = attempt.Credential is PasswordCredential password ? Names.Normalize(password.Account) : null;
        if (account is not null && Add(PairKey(account, source), now, o.AccountThreshold, o.AccountLeak, began))
            began.Locks.Add(Imposing(new ImposedLock(account, LockScope.AccountAtSource, o.AccountThreshold, o.AccountLeak)));
        // A familiar source keeps its own count: its typos never slow the account elsewhere, nor its neighbours.
        if (familiar) return await KeepAsync(began);
        if (account is not null && Add(UnfamiliarPrefix + account, now, o.UnfamiliarThreshold, o.UnfamiliarLeak, began))
            began.Locks.Add(Imposing(new ImposedLock(account, LockScope.UnfamiliarSources, o.UnfamiliarThreshold, o.UnfamiliarLeak)));
        if (RecordAgainstSource(source, now, began) is { } sourceLock) began.Locks.Add(sourceLock);
        return await KeepAsync(began);
    }

    /// <summary>
    /// A sign-in refused because the hashing queue had no place for it: not a failed sign-in (its
    /// account is not counted), but the source asked for work it did not get, so it counts there.
    /// </summary>
    public async ValueTask<IReadOnlyList<ImposedLock>> RecordBusyAsync(SignInAttempt attempt)
    {
        if (!options.Value.Enabled) return [];
        var began = new Began();
        if (RecordAgainstSource(attempt.Source.Key, Now, began) is { } imposed) began.Locks.Add(imposed);
        return await KeepAsync(began);
    }

    /// <summary>
    /// A correct password clears its own account-and-source count, and its stored lock if it had
    /// one (in the background: this is the warm path); the others fade by themselves.
    /// </summary>
    public void RecordSuccess(SignInAttempt attempt)
    {
        if (attempt.Credential is not PasswordCredential password) return;
        var account = Names.Normalize(password.Account);
        var key = PairKey(account, attempt.Source.Key);
        if (!_counters.TryRemove(key, out _)) return;
        replicas?.Publish(ReplicaTopic, ClearedMark + key);
        if (_storedPairs.TryRemove(key, out _)) store.ForgetLater(account, attempt.Source.Key);
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
                _storedPairs.TryRemove(item[1..], out _);
                continue;
            }
            var storedThere = item[0] == StoredMark;
            var key = storedThere ? item[1..] : item;
            if (Limits(key) is not var (threshold, leak)) continue;
            if (_counters.Count >= options.Value.MaxTrackedKeys && !_counters.ContainsKey(key)) Sweep(now, evictUnlocked: true);
            var counter = _counters.GetOrAdd(key, _ => new LeakyCounter());
            var filled = counter.Add(now, threshold, leak);
            if (storedThere)
            {
                if (key.StartsWith(PairPrefix, StringComparison.Ordinal)) _storedPairs[key] = 0;
            }
            // The sender's count had not filled (notices crossed): this replica stores the lock, or a restart would forget it.
            else if (filled && Stored(key, counter, now, leak) is { } stored)
            {
                store.SaveLater(stored);
            }
        }
    }

    /// <summary>A counter key's threshold and leak, by its prefix; null for a key this version does not know.</summary>
    private (int Threshold, TimeSpan Leak)? Limits(string key)
    {
        var o = options.Value;
        return key.Length < 2 ? null : key[..2] switch
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
        foreach (var pair in _storedPairs.Keys)
            if (covered(pair)) _storedPairs.TryRemove(pair, out _);
        return removed;
    }

    /// <summary>Drops counters that have leaked empty; run periodically.</summary>
    public int Sweep() => Sweep(Now, evictUnlocked: false);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private static string PairKey(string account, string? source) => PairPrefix + account + Separator + (source ?? NoSource);

    private static TimeSpan? Longer(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private TimeSpan? Wait(string key, DateTime now, int threshold, TimeSpan leak) =>
        _counters.TryGetValue(key, out var counter) ? counter.Wait(now, threshold, leak) : null;

    private ImposedLock? RecordAgainstSource(string? source, DateTime now, Began began)
    {
        var o = options.Value;
        return source is not null && Add(SourcePrefix + source, now, o.AddressThreshold, o.AddressLeak, began)
            ? Imposing(new ImposedLock(AddressPrefix + source, LockScope.Source, o.AddressThreshold, o.AddressLeak))
            : null;
    }

    private ImposedLock Imposing(ImposedLock imposed)
    {
        Interlocked.Increment(ref _imposed[(int)imposed.Scope]);
        return imposed;
    }

    private bool Add(string key, DateTime now, int threshold, TimeSpan leak, Began began)
    {
        if (_counters.Count >= options.Value.MaxTrackedKeys && !_counters.ContainsKey(key)) Sweep(now, evictUnlocked: true);
        var counter = _counters.GetOrAdd(key, _ => new LeakyCounter());
        var filled = counter.Add(now, threshold, leak);
        var stored = filled ? Stored(key, counter, now, leak) : null;
        if (stored is not null) began.Stored.Add(stored);
        replicas?.Publish(ReplicaTopic, stored is null ? key : StoredMark + key);
        return filled;
    }

    /// <summary>The locks a failure began: for the audit trail, and to store.</summary>
    private sealed class Began
    {
        public List<ImposedLock> Locks { get; } = [];
        public List<StoredLock> Stored { get; } = [];
    }

    private async ValueTask<IReadOnlyList<ImposedLock>> KeepAsync(Began began)
    {
        if (began.Stored.Count > 0) await store.SaveAsync(began.Stored);
        return began.Locks;
    }

    /// <summary>The row that keeps the lock counter <paramref name="key"/> began; null for a name too long ever to sign in.</summary>
    private StoredLock? Stored(string key, LeakyCounter counter, DateTime now, TimeSpan leak)
    {
        string? account = null, source = null;
        LockScope scope;
        switch (key[..2])
        {
            case PairPrefix:
                var separator = key.LastIndexOf(Separator);
                account = key[PairPrefix.Length..separator];
                source = key[(separator + 1)..] is var s && s != NoSource ? s : null;
                scope = LockScope.AccountAtSource;
                break;
            case SourcePrefix:
                source = key[SourcePrefix.Length..];
                scope = LockScope.Source;
                break;
            default:
                account = key[UnfamiliarPrefix.Length..];
                scope = LockScope.UnfamiliarSources;
                break;
        }
        if (account?.Length > StoredLock.MaxAccountLength || source?.Length > StoredLock.MaxSourceLength) return null;
        if (scope == LockScope.AccountAtSource) _storedPairs[key] = 0;
        var failures = counter.Level(now, leak);
        return new StoredLock { Scope = scope, Account = account, Source = source, Failures = failures, At = now, Until = now + failures * leak };
    }

    private static string CounterKey(StoredLock stored) => stored.Scope switch
    {
        LockScope.AccountAtSource => PairKey(stored.Account ?? "", stored.Source),
        LockScope.Source => SourcePrefix + stored.Source,
        _ => UnfamiliarPrefix + stored.Account,
    };

    /// <summary>Holds stored locks as counted here: a lock read twice, or over failures this process counted too, is held once.</summary>
    private void Restore(IReadOnlyList<StoredLock> locks, DateTime now)
    {
        foreach (var stored in locks)
        {
            if (stored.Until <= now) continue;
            var key = CounterKey(stored);
            if (Limits(key) is not var (_, leak)) continue;
            if (stored.Scope == LockScope.AccountAtSource) _storedPairs[key] = 0;
            if (_counters.Count >= options.Value.MaxTrackedKeys && !_counters.ContainsKey(key)) Sweep(now, evictUnlocked: true);
            _counters.GetOrAdd(key, _ => new LeakyCounter()).Raise(stored.At, stored.Failures, now, leak);
        }
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
        foreach (var pair in _storedPairs.Keys)
            if (!_counters.ContainsKey(pair)) _storedPairs.TryRemove(pair, out _);
        return removed;
    }

    /// <summary>
    /// Applies the locks and unlocks written to the database since this process last looked (every
    /// lock still running, the first time): only when the lockouts revision moved, so a password
    /// check costs no round trip while nothing changed.
    /// </summary>
    private async ValueTask ApplyStoredAsync(CancellationToken ct)
    {
        var revision = await revisions.GetAsync(ChangeRevision.Lockouts, ct);
        if (revision == Interlocked.Read(ref _seenRevision)) return;
        await _readLock.WaitAsync(ct);
        try
        {
            if (revision == _seenRevision) return;
            var changes = await store.ReadAsync(_cursor, ct);
            var now = Now;
            Restore(changes.Locks, now);
            foreach (var key in changes.Releases) Release(key);
            Restore(changes.Surviving, now);
            _cursor = changes.Cursor;
            Interlocked.Exchange(ref _seenRevision, revision);
        }
        finally
        {
            _readLock.Release();
        }
    }

    public void Dispose() => _readLock.Dispose();
}
