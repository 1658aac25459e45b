namespace AuthServer.Core.Policy;

/// <summary>
/// Every access rule and group membership, indexed by subject, immutable. Token requests read
/// this instead of querying; a change to rules or groups builds a new one.
/// <para>
/// Built to be small, since for a moment the old and the new snapshot both live: the indexes are
/// plain dictionaries sized exactly, filled by sorting the rules and memberships once and slicing
/// the runs of each subject, with no grouping structures in between.
/// </para>
/// </summary>
public sealed class PolicySnapshot
{
    private static readonly CompiledRule[] None = [];
    private static readonly string[] NoGroups = [];

    private readonly Dictionary<string, CompiledRule[]> _byUser;
    private readonly Dictionary<string, CompiledRule[]> _byGroup;
    private readonly Dictionary<string, CompiledRule[]> _byRobot;
    private readonly Dictionary<string, string[]> _groupsOfUser;

    public PolicySnapshot(long revision, IEnumerable<AccessRule> rules, IEnumerable<(string User, string Group)> memberships)
        : this(revision, Compile(rules), memberships)
    {
    }

    /// <param name="rules">Compiled already, so a large policy can be read from the database one rule at a time.</param>
    public PolicySnapshot(long revision, IReadOnlyCollection<CompiledRule> rules, IEnumerable<(string User, string Group)> memberships)
    {
        Revision = revision;
        RuleCount = rules.Count;
        var sorted = rules.ToArray();
        Array.Sort(sorted, BySubject);
        _byUser = Index(sorted, SubjectKind.User);
        _byGroup = Index(sorted, SubjectKind.Group);
        _byRobot = Index(sorted, SubjectKind.Robot);
        Authenticated = sorted.Where(r => r.SubjectKind == SubjectKind.Authenticated).ToArray();
        Anonymous = sorted.Where(r => r.SubjectKind == SubjectKind.Anonymous).ToArray();
        _groupsOfUser = GroupsByUser(memberships);
    }

    public long Revision { get; }
    public int RuleCount { get; }
    public IReadOnlyList<CompiledRule> Authenticated { get; }
    public IReadOnlyList<CompiledRule> Anonymous { get; }

    public IReadOnlyList<CompiledRule> ForUser(string user) => _byUser.GetValueOrDefault(user, None);
    public IReadOnlyList<CompiledRule> ForGroup(string group) => _byGroup.GetValueOrDefault(group, None);
    public IReadOnlyList<CompiledRule> ForRobot(string robot) => _byRobot.GetValueOrDefault(robot, None);
    public IReadOnlyList<string> GroupsOf(string user) => _groupsOfUser.GetValueOrDefault(user, NoGroups);

    private static CompiledRule[] Compile(IEnumerable<AccessRule> rules)
    {
        var pool = new StringPool();
        return rules.Select(r => new CompiledRule(r, pool)).ToArray();
    }

    // Kind first, then subject: each subject's rules end up side by side. Rule ids keep it stable.
    private static int BySubject(CompiledRule a, CompiledRule b)
    {
        var kind = a.SubjectKind.CompareTo(b.SubjectKind);
        if (kind != 0) return kind;
        var subject = string.CompareOrdinal(a.Subject, b.Subject);
        return subject != 0 ? subject : a.Id.CompareTo(b.Id);
    }

    private static Dictionary<string, CompiledRule[]> Index(CompiledRule[] sorted, SubjectKind kind)
    {
        var runs = new List<(int Start, int Length)>();
        for (var i = 0; i < sorted.Length;)
        {
            var subject = sorted[i].Subject;
            var end = i + 1;
            while (end < sorted.Length && sorted[end].SubjectKind == sorted[i].SubjectKind && string.Equals(sorted[end].Subject, subject, StringComparison.Ordinal)) end++;
            if (sorted[i].SubjectKind == kind && subject is not null) runs.Add((i, end - i));
            i = end;
        }
        var index = new Dictionary<string, CompiledRule[]>(runs.Count, StringComparer.Ordinal);
        foreach (var (start, length) in runs) index.Add(sorted[start].Subject!, sorted[start..(start + length)]);
        return index;
    }

    private static Dictionary<string, string[]> GroupsByUser(IEnumerable<(string User, string Group)> memberships)
    {
        var pairs = memberships.ToArray();
        Array.Sort(pairs, (a, b) =>
        {
            var user = string.CompareOrdinal(a.User, b.User);
            return user != 0 ? user : string.CompareOrdinal(a.Group, b.Group);
        });
        var users = 0;
        for (var i = 0; i < pairs.Length; i++)
            if (i == 0 || !string.Equals(pairs[i].User, pairs[i - 1].User, StringComparison.Ordinal)) users++;
        var index = new Dictionary<string, string[]>(users, StringComparer.Ordinal);
        // Many users share the same groups: one array serves all of them.
        var shared = new HashSet<string[]>(GroupListComparer.Instance);
        var groups = new List<string>();
        for (var i = 0; i < pairs.Length;)
        {
            var user = pairs[i].User;
            groups.Clear();
            for (; i < pairs.Length && string.Equals(pairs[i].User, user, StringComparison.Ordinal); i++)
                if (groups.Count == 0 || !string.Equals(groups[^1], pairs[i].Group, StringComparison.Ordinal)) groups.Add(pairs[i].Group);
            var list = groups.ToArray();
            if (shared.TryGetValue(list, out var existing)) list = existing;
            else shared.Add(list);
            index.Add(user, list);
        }
        return index;
    }

    private sealed class GroupListComparer : IEqualityComparer<string[]>
    {
        public static readonly GroupListComparer Instance = new();

        public bool Equals(string[]? x, string[]? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

        public int GetHashCode(string[] list)
        {
            var hash = new HashCode();
            foreach (var group in list) hash.Add(group, StringComparer.Ordinal);
            return hash.ToHashCode();
        }
    }
}
