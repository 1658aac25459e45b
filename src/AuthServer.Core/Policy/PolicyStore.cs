using AuthServer.Core.Caching;
using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Core.Policy;

/// <summary>Holds the current <see cref="PolicySnapshot"/> and rebuilds it when the policy revision moves.</summary>
public sealed class PolicyStore : IDisposable
{
    private readonly IDbContextFactory<AuthServerDbContext> _dbs;
    private readonly ISnapshotHeap _heap;
    private readonly RevisionSnapshot<PolicySnapshot> _snapshot;

    public PolicyStore(IDbContextFactory<AuthServerDbContext> dbs, RevisionMonitor revisions, ISnapshotHeap heap, TimeProvider time)
    {
        _dbs = dbs;
        _heap = heap;
        _snapshot = new RevisionSnapshot<PolicySnapshot>(revisions, ChangeRevision.Policy, LoadAsync, time);
        _snapshot.Replaced += ReleaseLargeGarbage;
    }

    public ValueTask<PolicySnapshot> GetAsync(CancellationToken ct) => _snapshot.GetAsync(ct);

    /// <summary>Hits and misses of every snapshot's decision memo.</summary>
    public CacheCounter DecisionLookups { get; } = new();

    /// <summary>Rules in the snapshot loaded last; 0 before the first load.</summary>
    public int RuleCount => _snapshot.Loaded?.RuleCount ?? 0;

    /// <summary>Snapshots built since start, and the seconds they took together.</summary>
    public long Rebuilds => Interlocked.Read(ref _rebuilds);
    public double RebuildSeconds => Volatile.Read(ref _rebuildSeconds);

    /// <summary>Seconds the last build took, from the first query to the finished indexes.</summary>
    public double LastRebuildSeconds => Volatile.Read(ref _lastRebuildSeconds);

    private long _rebuilds;
    private double _rebuildSeconds;
    private double _lastRebuildSeconds;

    /// <summary>After a large rebuild, the old snapshot and the build's arrays are garbage worth giving back at once.</summary>
    private void ReleaseLargeGarbage(PolicySnapshot? previous, PolicySnapshot current)
    {
        if (Math.Max(previous?.Size ?? 0, current.Size) >= LargeSnapshot) _heap.Compact();
    }

    private const int LargeSnapshot = 10_000;

    // One build at a time (RevisionSnapshot's lock), so the sums need no more than visibility.
    private async Task<Snapshot<PolicySnapshot>> LoadAsync(CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var loaded = await BuildAsync(ct);
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        Volatile.Write(ref _lastRebuildSeconds, seconds);
        Volatile.Write(ref _rebuildSeconds, _rebuildSeconds + seconds);
        Interlocked.Increment(ref _rebuilds);
        return loaded;
    }

    private async Task<Snapshot<PolicySnapshot>> BuildAsync(CancellationToken ct)
    {
        await using var db = await _dbs.CreateDbContextAsync(ct);
        // One read transaction, so the revision, rules and memberships are one consistent state.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var revision = await db.ChangeRevisions.AsNoTracking()
            .Where(r => r.Area == ChangeRevision.Policy).Select(r => r.Revision).SingleAsync(ct);
        // Sized up front: growing lists of this size leave their outgrown arrays on the large object heap.
        var ruleCount = await db.AccessRules.CountAsync(ct);
        var memberCount = await db.GroupMembers.CountAsync(ct);
        // A large build allocates tens of megabytes that will all survive: collected first, the
        // heap builds it in the room earlier garbage held instead of growing by its size.
        if (ruleCount + memberCount >= LargeSnapshot) _heap.Compact();
        // Distinct strings: about one subject or name segment per rule, one name per member.
        var pool = new StringPool(ruleCount + memberCount / 2);
        var rules = new List<CompiledRule>(ruleCount);
        // Streamed and compiled one at a time, strings pooled: with 100,000 rules a list of
        // entities first would double the memory the rebuild needs. Only the columns a decision
        // reads: no description, no timestamps to parse.
        await foreach (var rule in db.AccessRules.AsNoTracking()
                           .Select(r => new AccessRule
                           {
                               Id = r.Id,
                               Effect = r.Effect,
                               SubjectKind = r.SubjectKind,
                               Subject = r.Subject,
                               Service = r.Service,
                               ResourceType = r.ResourceType,
                               Pattern = r.Pattern,
                               Actions = r.Actions,
                           })
                           .AsAsyncEnumerable().WithCancellation(ct))
            rules.Add(new CompiledRule(rule, pool));
        // In user order, so each user's groups arrive together and no list of every row is needed.
        var memberships = new MembershipIndex(await db.GroupMembers.Select(m => m.UserId).Distinct().CountAsync(ct));
        string? user = null;
        await foreach (var m in db.GroupMembers.AsNoTracking()
                           .OrderBy(m => m.UserId)
                           .Select(m => new { User = m.User.NormalizedName, Group = m.Group.NormalizedName })
                           .AsAsyncEnumerable().WithCancellation(ct))
        {
            // One lookup per user, not per row.
            user = user is not null && string.Equals(user, m.User, StringComparison.Ordinal) ? user : pool.Intern(m.User)!;
            memberships.Add(user, pool.Intern(m.Group)!);
        }
        await tx.CommitAsync(ct);
        return new Snapshot<PolicySnapshot>(revision, new PolicySnapshot(revision, rules, memberships.Build(), DecisionLookups));
    }

    public void Dispose() => _snapshot.Dispose();
}
