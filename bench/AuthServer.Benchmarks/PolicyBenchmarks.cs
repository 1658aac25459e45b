using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using AuthServer.Core.Scopes;
using BenchmarkDotNet.Attributes;

namespace AuthServer.Benchmarks;

/// <summary>
/// One decision for a user in three groups, against a small policy and one of 100,000 rules
/// (the shape bench/run.sh seeds): the cost grows with the rules the member's groups carry (~100
/// here), never with the 100,000; remembered per snapshot, it does not grow at all.
/// </summary>
[MemoryDiagnoser]
public class PolicyBenchmarks
{
    private static readonly Principal Member = new(PrincipalKind.User, "bench", "bench", 1, false, CredentialKind.Password);
    private readonly ResourceScope[] _request = [ScopeParser.ParseOne("repository:team0001/app:pull,push")];
    private PolicySnapshot _small = null!;
    private PolicySnapshot _large = null!;

    [GlobalSetup]
    public void Setup()
    {
        _small = Build(rules: 20, users: 10, groups: 5);
        _large = Build(rules: 100_000, users: 100_000, groups: 1_000);
    }

    [Benchmark(Baseline = true)]
    public IReadOnlyList<ScopeDecision> SmallPolicy() => PolicyEvaluator.Decide(_small, Member, "registry", _request);

    [Benchmark]
    public IReadOnlyList<ScopeDecision> Policy100kRules() => PolicyEvaluator.Decide(_large, Member, "registry", _request);

    /// <summary>The token endpoint's way: the member walks ~100 rules, so the decision is remembered per snapshot.</summary>
    [Benchmark]
    public IReadOnlyList<ScopeDecision> Policy100kRulesRemembered() => _large.Decisions.Decide(_large, Member, "registry", _request);

    private static PolicySnapshot Build(int rules, int users, int groups)
    {
        var list = new List<AccessRule>
        {
            Rule(SubjectKind.Authenticated, null, "${user}/**", "delete,pull,push"),
            Rule(SubjectKind.User, "bench", "project0/*", "pull,push"),
        };
        for (var i = 0; list.Count < rules; i++)
        {
            var group = $"team{i % groups:D4}";
            list.Add(i % 10 < 3
                ? Rule(SubjectKind.Group, group, i / groups % 2 == 0 ? $"{group}/**" : $"{group}/app{i}", "pull")
                : Rule(SubjectKind.User, $"user{i % users:D6}", $"scratch/user{i % users:D6}/*", "delete,pull,push"));
        }
        var memberships = Enumerable.Range(0, users).SelectMany(u => new[]
        {
            ($"user{u:D6}", $"team{u % groups:D4}"), ($"user{u:D6}", $"team{(u * 7 + 3) % groups:D4}"),
        }).Concat([("bench", "team0001"), ("bench", "team0002"), ("bench", "team0003")]);
        return new PolicySnapshot(1, list, memberships);
    }

    private static AccessRule Rule(SubjectKind kind, string? subject, string pattern, string actions) =>
        new() { Effect = RuleEffect.Allow, SubjectKind = kind, Subject = subject, ResourceType = "repository", Pattern = pattern, Actions = actions };
}
