using System.Collections.Frozen;

namespace AuthServer.Core.Policy;

/// <summary>
/// Every access rule and group membership, indexed by subject, immutable. Token requests read
/// this instead of querying; a change to rules or groups builds a new one.
/// </summary>
public sealed class PolicySnapshot
{
    private static readonly CompiledRule[] None = [];

    private readonly FrozenDictionary<string, CompiledRule[]> _byUser;
    private readonly FrozenDictionary<string, CompiledRule[]> _byGroup;
    private readonly FrozenDictionary<string, CompiledRule[]> _byRobot;
    private readonly FrozenDictionary<string, string[]> _groupsOfUser;

    public PolicySnapshot(long revision, IEnumerable<AccessRule> rules, IEnumerable<(string User, string Group)> memberships)
        : this(revision, Compile(rules), memberships)
    {
    }

    /// <param name="rules">Compiled already, so a large policy can be read from the database one rule at a time.</param>
    public PolicySnapshot(long revision, IReadOnlyCollection<CompiledRule> rules, IEnumerable<(string User, string Group)> memberships)
    {
        Revision = revision;
        var compiled = rules;
        RuleCount = compiled.Count;
        _byUser = Index(compiled, SubjectKind.User);
        _byGroup = Index(compiled, SubjectKind.Group);
        _byRobot = Index(compiled, SubjectKind.Robot);
        Authenticated = compiled.Where(r => r.SubjectKind == SubjectKind.Authenticated).ToArray();
        Anonymous = compiled.Where(r => r.SubjectKind == SubjectKind.Anonymous).ToArray();
        _groupsOfUser = memberships
            .GroupBy(m => m.User, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Select(m => m.Group).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
    }

    public long Revision { get; }
    public int RuleCount { get; }
    public IReadOnlyList<CompiledRule> Authenticated { get; }
    public IReadOnlyList<CompiledRule> Anonymous { get; }

    public IReadOnlyList<CompiledRule> ForUser(string user) => _byUser.GetValueOrDefault(user, None);
    public IReadOnlyList<CompiledRule> ForGroup(string group) => _byGroup.GetValueOrDefault(group, None);
    public IReadOnlyList<CompiledRule> ForRobot(string robot) => _byRobot.GetValueOrDefault(robot, None);
    public IReadOnlyList<string> GroupsOf(string user) => _groupsOfUser.GetValueOrDefault(user, []);

    private static CompiledRule[] Compile(IEnumerable<AccessRule> rules)
    {
        var pool = new StringPool();
        return rules.Select(r => new CompiledRule(r, pool)).ToArray();
    }

    private static FrozenDictionary<string, CompiledRule[]> Index(IEnumerable<CompiledRule> rules, SubjectKind kind) =>
        rules.Where(r => r.SubjectKind == kind && r.Subject is not null)
            .GroupBy(r => r.Subject!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
}
