using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using AuthServer.Core.Scopes;

namespace AuthServer.Tests.Policy;

public class DecisionMemoTests
{
    private const string Service = "registry";
    private static readonly Principal Alice = new(PrincipalKind.User, "Alice", "alice", 1, false, CredentialKind.Password);
    private static readonly Principal Bob = new(PrincipalKind.User, "bob", "bob", 2, false, CredentialKind.Password);
    private static readonly Principal BuildRobot = new(PrincipalKind.Robot, "alice+ci", "alice+ci", null, false, CredentialKind.RobotSecret, 5, 5);

    private static AccessRule Rule(long id, RuleEffect effect, SubjectKind kind, string? subject, string pattern, string actions) => new()
    {
        Id = id,
        Effect = effect,
        SubjectKind = kind,
        Subject = subject,
        ResourceType = "repository",
        Pattern = pattern,
        Actions = actions,
    };

    // Past DecisionMemo.MinRules for everyone: rules everybody walks, that grant nothing asked here.
    private static IEnumerable<AccessRule> Filler() =>
        Enumerable.Range(100, DecisionMemo.MinRules).Select(i => Rule(i, RuleEffect.Allow, SubjectKind.Anonymous, null, $"filler/app{i}", "pull"));

    private static PolicySnapshot Policy() => new(1,
    [
        .. Filler(),
        Rule(1, RuleEffect.Allow, SubjectKind.Authenticated, null, "${user}/**", "pull,push"),
        Rule(2, RuleEffect.Allow, SubjectKind.Group, "devs", "team/**", "pull,push"),
        Rule(3, RuleEffect.Deny, SubjectKind.User, "bob", "team/secret", "push"),
        Rule(4, RuleEffect.Allow, SubjectKind.Robot, "alice+ci", "team/**", "pull"),
        Rule(5, RuleEffect.Allow, SubjectKind.Anonymous, null, "public/**", "pull"),
    ], [("alice", "devs"), ("bob", "devs")]);

    public static TheoryData<string, string> Requests => new()
    {
        { "alice", "repository:alice/app:pull,push" },
        { "alice", "repository:bob/app:pull,push" },
        { "bob", "repository:team/secret:push,pull" },
        { "bob", "repository:team/secret:*" },
        { "robot", "repository:team/app:pull,push" },
        { "anonymous", "repository:public/x:pull" },
        { "anonymous", "repository:team/app:pull" },
    };

    // The rules a decision for the caller reads, as the evaluator counts them.
    private static int Walked(PolicySnapshot policy, Principal who)
    {
        PolicyEvaluator.Decide(policy, who, Service, ScopeParser.ParseOne("repository:any/thing:pull"), explain: false, out var walked);
        return walked;
    }

    private static Principal Who(string who) => who switch
    {
        "alice" => Alice,
        "bob" => Bob,
        "robot" => BuildRobot,
        _ => Principal.Anonymous,
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void Asked_twice_it_answers_as_the_evaluator_does(string who, string scope)
    {
        var policy = Policy();
        var memo = new DecisionMemo();
        var expected = PolicyEvaluator.Decide(policy, Who(who), Service, ScopeParser.ParseOne(scope));
        var first = memo.Decide(policy, Who(who), Service, ScopeParser.ParseOne(scope));
        var second = memo.Decide(policy, Who(who), Service, ScopeParser.ParseOne(scope));
        Assert.Equal(expected.Granted, first.Granted);
        Assert.Equal(expected.Granted, second.Granted);
        Assert.Equal(1, memo.Count);
    }

    [Fact]
    public void Each_caller_service_resource_and_action_list_is_its_own_entry()
    {
        var policy = Policy();
        var memo = new DecisionMemo();
        Assert.Equal(["pull", "push"], memo.Decide(policy, Alice, Service, ScopeParser.ParseOne("repository:team/secret:pull,push")).Granted);
        // Bob asks the same thing right after Alice: his deny rule must apply, not her answer.
        Assert.Equal(["pull"], memo.Decide(policy, Bob, Service, ScopeParser.ParseOne("repository:team/secret:pull,push")).Granted);
        // The robot with Alice's name in its own is not Alice.
        Assert.Equal(["pull"], memo.Decide(policy, BuildRobot, Service, ScopeParser.ParseOne("repository:team/secret:pull,push")).Granted);
        Assert.Empty(memo.Decide(policy, Alice, "other", ScopeParser.ParseOne("repository:bob/app:pull")).Granted);
        Assert.Equal(["pull"], memo.Decide(policy, Bob, Service, ScopeParser.ParseOne("repository:team/secret:pull")).Granted);
        Assert.Equal(5, memo.Count);
    }

    [Fact]
    public void The_answer_carries_the_request_it_answers()
    {
        var policy = Policy();
        var memo = new DecisionMemo();
        memo.Decide(policy, Alice, Service, ScopeParser.ParseOne("repository:alice/app:pull"));
        var withClass = ScopeParser.ParseOne("repository(plugin):alice/app:pull");
        Assert.Same(withClass, memo.Decide(policy, Alice, Service, withClass).Requested);
    }

    [Fact]
    public void Admins_and_limited_credentials_are_decided_each_time()
    {
        var policy = Policy();
        var memo = new DecisionMemo();
        var admin = Alice with { IsAdmin = true };
        var limited = Alice with { Credential = CredentialKind.AccessToken, CredentialId = 9, Limits = ScopeLimits.FromStored("repository:alice/*:pull") };
        Assert.Equal(["pull", "push"], memo.Decide(policy, admin, Service, ScopeParser.ParseOne("repository:any/thing:pull,push")).Granted);
        Assert.Equal(["pull"], memo.Decide(policy, limited, Service, ScopeParser.ParseOne("repository:alice/app:pull,push")).Granted);
        Assert.Equal(0, memo.Count);
        // And an unlimited Alice asking the same afterwards is not held to the token's limits.
        Assert.Equal(["pull", "push"], memo.Decide(policy, Alice, Service, ScopeParser.ParseOne("repository:alice/app:pull,push")).Granted);
    }

    [Fact]
    public void A_caller_with_few_rules_is_decided_each_time()
    {
        var policy = new PolicySnapshot(1, [Rule(1, RuleEffect.Allow, SubjectKind.Authenticated, null, "${user}/**", "pull,push")], []);
        Assert.Equal(1, Walked(policy, Alice));
        var memo = new DecisionMemo();
        Assert.Equal(["pull", "push"], memo.Decide(policy, Alice, Service, ScopeParser.ParseOne("repository:alice/app:pull,push")).Granted);
        Assert.Equal(0, memo.Count);
    }

    [Fact]
    public void It_counts_the_rules_each_kind_of_caller_walks()
    {
        var policy = Policy();
        var anonymous = DecisionMemo.MinRules + 1;
        Assert.Equal(anonymous, Walked(policy, Principal.Anonymous));
        Assert.Equal(anonymous + 1 + 1, Walked(policy, Alice));
        Assert.Equal(anonymous + 1 + 1 + 1, Walked(policy, Bob));
        Assert.Equal(anonymous + 1 + 1, Walked(policy, BuildRobot));
    }

    [Fact]
    public void It_never_holds_more_than_its_capacity()
    {
        var policy = Policy();
        var memo = new DecisionMemo(capacity: 8);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(["pull", "push"], memo.Decide(policy, Alice, Service, ScopeParser.ParseOne($"repository:alice/app{i}:pull,push")).Granted);
            Assert.InRange(memo.Count, 1, 8);
        }
    }

    [Fact]
    public void A_new_snapshot_starts_with_no_decisions()
    {
        var old = Policy();
        old.Decide(Bob, Service, [ScopeParser.ParseOne("repository:team/app:pull")]);
        Assert.Equal(1, old.RememberedDecisions);
        Assert.Equal(0, Policy().RememberedDecisions);
    }

    [Fact]
    public void The_memo_key_is_made_of_what_the_evaluator_reads()
    {
        // Two principals that differ only in what no decision reads (credential, display case) share an entry.
        var byPassword = Alice;
        var byRefresh = Alice with { Name = "ALICE", Credential = CredentialKind.RefreshToken, CredentialId = 7 };
        var scope = ScopeParser.ParseOne("repository:team/secret:pull");
        Assert.Equal(PolicySubject.Of(byPassword).MemoKey(Service, scope), PolicySubject.Of(byRefresh).MemoKey(Service, scope));
        // What it does read makes another key.
        Assert.NotEqual(PolicySubject.Of(Alice).MemoKey(Service, scope), PolicySubject.Of(Bob).MemoKey(Service, scope));
        Assert.False(PolicySubject.Of(Alice with { IsAdmin = true }).IsMemoizable);
    }
}
