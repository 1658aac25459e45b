using System.Collections.Concurrent;
using AuthServer.Core.Caching;
using AuthServer.Core.Scopes;

namespace AuthServer.Core.Policy;

/// <summary>
/// The decisions already taken on one <see cref="PolicySnapshot"/>: docker asks for the same
/// scopes over and over, and a user in busy groups may have a hundred rules to walk for each.
/// It lives and dies with its snapshot, so a change to rules or groups starts it empty. Only a
/// decision that depends on nothing but the snapshot and the request is kept: admins cost nothing
/// to decide, and credential limits differ per credential, so those are decided every time. A
/// decision that walked few rules is not kept either: deciding it again costs about what the
/// lookup does, and keeping every scope ever asked would fill the memory with entries that save nothing.
/// </summary>
public sealed class DecisionMemo(int capacity = DecisionMemo.DefaultCapacity, CacheCounter? lookups = null)
{
    public const int DefaultCapacity = 10_000;

    /// <summary>Below this many rules to walk, deciding again is cheaper than remembering.</summary>
    public const int MinRules = 32;

    private readonly ConcurrentDictionary<string, ScopeDecision> _decisions = new(StringComparer.Ordinal);
    private int _added;

    /// <summary>How many decisions are kept now (never more than the capacity).</summary>
    public int Count => _decisions.Count;

    public IReadOnlyList<ScopeDecision> Decide(PolicySnapshot policy, PolicySubject subject, string service, IReadOnlyList<ResourceScope> requested)
    {
        var decisions = new ScopeDecision[requested.Count];
        for (var i = 0; i < requested.Count; i++) decisions[i] = Decide(policy, subject, service, requested[i]);
        return decisions;
    }

    public ScopeDecision Decide(PolicySnapshot policy, PolicySubject subject, string service, ResourceScope requested)
    {
        if (!subject.IsMemoizable) return PolicyEvaluator.Decide(policy, subject, service, requested);

        var key = subject.MemoKey(service, requested);
        // The request itself (its class, its object) goes back with the answer, not the first asker's.
        if (_decisions.TryGetValue(key, out var known))
        {
            lookups?.Hit();
            return ReferenceEquals(known.Requested, requested) ? known : known with { Requested = requested };
        }
        lookups?.Miss();

        var decision = PolicyEvaluator.Decide(policy, subject, service, requested, explain: false, out var walked);
        if (walked < MinRules) return decision;
        // Bounded without a lock: past the capacity it starts again empty (Count would lock every bucket).
        if (Interlocked.Increment(ref _added) > capacity)
        {
            _decisions.Clear();
            Interlocked.Exchange(ref _added, 1);
        }
        _decisions.TryAdd(key, decision);
        return decision;
    }
}
