using System.Runtime.InteropServices;
using AuthServer.Core.Caching;
using AuthServer.Core.Scopes;

namespace AuthServer.Core.Policy;

/// <summary>
/// Every access rule and group membership, indexed by subject, immutable. Token requests read
/// this instead of querying; a change to rules or groups builds a new one.
/// <para>
/// Built to be small, since for a moment the old and the new snapshot both live: the rules are
/// sorted once by kind and subject, and the indexes are plain dictionaries sized exactly that map
/// each subject to its run of them, with no grouping structures and no array per subject.
/// </para>
/// </summary>
public sealed class PolicySnapshot
{
    private static readonly string[] NoGroups = [];

    // Every rule, sorted by kind and subject; the indexes hold each subject's run of it, so a
    // 100,000-rule policy needs no array per subject.
    private readonly List<CompiledRule> _rules;
    private readonly Dictionary<string, Run> _byUser;
    private readonly Dictionary<string, Run> _byGroup;
    private readonly Dictionary<string, Run> _byRobot;
    private readonly Run _authenticated;
    private readonly Run _anonymous;
    private readonly Dictionary<string, string[]> _groupsOfUser;

    public PolicySnapshot(long revision, IEnumerable<AccessRule> rules, IEnumerable<(string User, string Group)> memberships)
        : this(revision, Compile(rules), GroupsByUser(memberships))
    {
    }

    /// <param name="rules">Compiled already, so a large policy can be read from the database one rule at a time.
    /// Sorted in place: a copy of 100,000 rules would be one more large array to collect.</param>
    /// <param name="groupsOfUser">Built by <see cref="MembershipIndex"/>.</param>
    /// <param name="decisionLookups">Counts the memo's hits and misses across snapshots (the store's counter).</param>
    public PolicySnapshot(long revision, List<CompiledRule> rules, Dictionary<string, string[]> groupsOfUser, CacheCounter? decisionLookups = null)
    {
        _decisions = new DecisionMemo(lookups: decisionLookups);
        Revision = revision;
        RuleCount = rules.Count;
        _rules = rules;
        var sorted = CollectionsMarshal.AsSpan(rules);
        sorted.Sort(BySubject);
        _byUser = Index(sorted, SubjectKind.User);
        _byGroup = Index(sorted, SubjectKind.Group);
        _byRobot = Index(sorted, SubjectKind.Robot);
        _authenticated = OfKind(sorted, SubjectKind.Authenticated);
        _anonymous = OfKind(sorted, SubjectKind.Anonymous);
        _groupsOfUser = groupsOfUser;
        Size = rules.Count + _groupsOfUser.Count;
    }

    public long Revision { get; }
    public int RuleCount { get; }

    /// <summary>Rules plus users with groups: how much memory this snapshot holds, roughly.</summary>
    public int Size { get; }

    // Decisions taken on this snapshot, thrown away with it: a change to rules or groups makes a
    // new snapshot, so the memo never needs invalidating.
    private readonly DecisionMemo _decisions;

    /// <summary>What the subject is granted of each requested scope, from the memo when it holds the answer.</summary>
    public IReadOnlyList<ScopeDecision> Decide(PolicySubject subject, string service, IReadOnlyList<ResourceScope> requested) =>
        _decisions.Decide(this, subject, service, requested);

    /// <summary>How many decisions this snapshot remembers.</summary>
    public int RememberedDecisions => _decisions.Count;
    public ReadOnlySpan<CompiledRule> Authenticated => Slice(_authenticated);
    public ReadOnlySpan<CompiledRule> Anonymous => Slice(_anonymous);

    public ReadOnlySpan<CompiledRule> ForUser(string user) => _byUser.TryGetValue(user, out var run) ? Slice(run) : default;
    public ReadOnlySpan<CompiledRule> ForGroup(string group) => _byGroup.TryGetValue(group, out var run) ? Slice(run) : default;
    public ReadOnlySpan<CompiledRule> ForRobot(string robot) => _byRobot.TryGetValue(robot, out var run) ? Slice(run) : default;
    public IReadOnlyList<string> GroupsOf(string user) => _groupsOfUser.GetValueOrDefault(user, NoGroups);

    private static Dictionary<string, string[]> GroupsByUser(IEnumerable<(string User, string Group)> memberships)
    {
        var index = new MembershipIndex();
        foreach (var (user, group) in memberships) index.Add(user, group);
        return index.Build();
    }

    private static List<CompiledRule> Compile(IEnumerable<AccessRule> rules)
    {
        var pool = new StringPool();
        return rules.Select(r => new CompiledRule(r, pool)).ToList();
    }

    private ReadOnlySpan<CompiledRule> Slice(Run run) => CollectionsMarshal.AsSpan(_rules).Slice(run.Start, run.Length);

    private static Run OfKind(ReadOnlySpan<CompiledRule> sorted, SubjectKind kind)
    {
        var start = 0;
        while (start < sorted.Length && sorted[start].SubjectKind != kind) start++;
        var end = start;
        while (end < sorted.Length && sorted[end].SubjectKind == kind) end++;
        return new Run(start, end - start);
    }

    private readonly record struct Run(int Start, int Length);

    // Kind first, then subject: each subject's rules end up side by side. Rule ids keep it stable.
    private static int BySubject(CompiledRule a, CompiledRule b)
    {
        var kind = a.SubjectKind.CompareTo(b.SubjectKind);
        if (kind != 0) return kind;
        var subject = string.CompareOrdinal(a.Subject, b.Subject);
        return subject != 0 ? subject : a.Id.CompareTo(b.Id);
    }

    private static Dictionary<string, Run> Index(ReadOnlySpan<CompiledRule> sorted, SubjectKind kind)
    {
        var runs = new List<Run>();
        for (var i = 0; i < sorted.Length;)
        {
            var subject = sorted[i].Subject;
            var end = i + 1;
            while (end < sorted.Length && sorted[end].SubjectKind == sorted[i].SubjectKind && string.Equals(sorted[end].Subject, subject, StringComparison.Ordinal)) end++;
            if (sorted[i].SubjectKind == kind && subject is not null) runs.Add(new Run(i, end - i));
            i = end;
        }
        var index = new Dictionary<string, Run>(runs.Count, StringComparer.Ordinal);
        foreach (var run in runs) index.Add(sorted[run.Start].Subject!, run);
        return index;
    }
}
