using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using AuthServer.Core.Scopes;

namespace AuthServer.Tests.Policy;

public class PolicyEvaluatorTests
{
    private const string Service = "registry";
    private static long _nextId;

    private static readonly Principal Alice = User("alice");
    private static readonly Principal Bob = User("bob");

    private static Principal User(string name, bool admin = false) =>
        new(PrincipalKind.User, name, name, 1, admin, CredentialKind.Password);

    private static AccessRule Rule(RuleEffect effect, SubjectKind kind, string? subject, string pattern, string actions,
        string type = "repository", string? service = null) => new()
        {
            Id = Interlocked.Increment(ref _nextId),
            Effect = effect,
            SubjectKind = kind,
            Subject = subject,
            ResourceType = type,
            Pattern = pattern,
            Actions = actions,
            Service = service,
        };

    private static AccessRule Allow(SubjectKind kind, string? subject, string pattern, string actions, string? service = null) =>
        Rule(RuleEffect.Allow, kind, subject, pattern, actions, service: service);

    private static AccessRule Deny(SubjectKind kind, string? subject, string pattern, string actions) =>
        Rule(RuleEffect.Deny, kind, subject, pattern, actions);

    private static IReadOnlyList<string> Granted(IEnumerable<AccessRule> rules, Principal who, string scope,
        (string User, string Group)[]? memberships = null, string service = Service)
    {
        var snapshot = new PolicySnapshot(1, rules, memberships ?? []);
        return PolicyEvaluator.Decide(snapshot, who, service, ScopeParser.ParseOne(scope)).Granted;
    }

    [Fact]
    public void Nothing_is_granted_without_a_rule()
    {
        Assert.Empty(Granted([], Alice, "repository:alice/app:pull"));
        Assert.Empty(Granted([], Principal.Anonymous, "repository:alice/app:pull"));
    }

    [Fact]
    public void Granted_is_the_intersection_of_requested_and_allowed()
    {
        var rules = new[] { Allow(SubjectKind.User, "alice", "shared/**", "pull") };
        Assert.Equal(["pull"], Granted(rules, Alice, "repository:shared/app:pull,push"));
    }

    [Fact]
    public void Allow_rules_add_up()
    {
        var rules = new[]
        {
            Allow(SubjectKind.User, "alice", "team/**", "pull"),
            Allow(SubjectKind.Authenticated, null, "team/app", "push"),
        };
        Assert.Equal(["pull", "push"], Granted(rules, Alice, "repository:team/app:pull,push"));
    }

    [Fact]
    public void Deny_rules_subtract_whatever_the_order()
    {
        var rules = new List<AccessRule>
        {
            Allow(SubjectKind.Authenticated, null, "**", "*"),
            Deny(SubjectKind.User, "alice", "prod/**", "push,delete"),
            Allow(SubjectKind.User, "alice", "prod/**", "push"),
        };
        for (var i = 0; i < 6; i++)
        {
            var shuffled = rules.OrderBy(_ => Random.Shared.Next()).ToList();
            Assert.Equal(["pull"], Granted(shuffled, Alice, "repository:prod/api:pull,push,delete"));
        }
        Assert.Equal(["delete", "pull", "push"], Granted(rules, Bob, "repository:prod/api:pull,push,delete"));
    }

    [Fact]
    public void Deny_all_removes_every_action()
    {
        var rules = new[] { Allow(SubjectKind.Authenticated, null, "**", "pull,push"), Deny(SubjectKind.User, "alice", "secret/**", "*") };
        Assert.Empty(Granted(rules, Alice, "repository:secret/x:pull"));
    }

    [Fact]
    public void Group_rules_apply_to_members_only()
    {
        var rules = new[] { Allow(SubjectKind.Group, "devs", "team/**", "pull,push") };
        var members = new[] { ("alice", "devs") };
        Assert.Equal(["pull", "push"], Granted(rules, Alice, "repository:team/app:pull,push", members));
        Assert.Empty(Granted(rules, Bob, "repository:team/app:pull,push", members));
    }

    [Fact]
    public void Anonymous_rules_apply_to_everyone_and_authenticated_rules_only_to_signed_in_callers()
    {
        var rules = new[]
        {
            Allow(SubjectKind.Anonymous, null, "public/**", "pull"),
            Allow(SubjectKind.Authenticated, null, "internal/**", "pull"),
        };
        Assert.Equal(["pull"], Granted(rules, Principal.Anonymous, "repository:public/x:pull"));
        Assert.Equal(["pull"], Granted(rules, Alice, "repository:public/x:pull"));
        Assert.Empty(Granted(rules, Principal.Anonymous, "repository:internal/x:pull"));
        Assert.Equal(["pull"], Granted(rules, Alice, "repository:internal/x:pull"));
    }

    [Fact]
    public void User_variable_gives_each_user_their_namespace()
    {
        var rules = new[] { Allow(SubjectKind.Authenticated, null, "${user}/**", "pull,push,delete") };
        Assert.Equal(["delete", "pull", "push"], Granted(rules, Alice, "repository:alice/app:pull,push,delete"));
        Assert.Empty(Granted(rules, Alice, "repository:bob/app:pull"));
        Assert.Empty(Granted(rules, Principal.Anonymous, "repository:alice/app:pull"));
    }

    [Fact]
    public void A_rule_for_one_service_does_not_apply_to_another()
    {
        var rules = new[] { Allow(SubjectKind.User, "alice", "**", "pull", service: "other") };
        Assert.Empty(Granted(rules, Alice, "repository:x:pull", service: Service));
        Assert.Equal(["pull"], Granted(rules, Alice, "repository:x:pull", service: "other"));
    }

    [Fact]
    public void Rules_match_on_resource_type()
    {
        var rules = new[] { Allow(SubjectKind.User, "alice", "catalog", "*") };
        Assert.Empty(Granted(rules, Alice, "registry:catalog:*"));
        var registryRule = new[] { Rule(RuleEffect.Allow, SubjectKind.User, "alice", "catalog", "*", type: "registry") };
        Assert.Equal(["*"], Granted(registryRule, Alice, "registry:catalog:*"));
    }

    [Fact]
    public void Requested_wildcard_expands_to_the_callers_actions_unless_they_have_every_right()
    {
        var partial = new[] { Allow(SubjectKind.User, "alice", "**", "pull,delete") };
        Assert.Equal(["delete", "pull"], Granted(partial, Alice, "repository:x:*"));
        var full = new[] { Allow(SubjectKind.User, "alice", "**", "*") };
        Assert.Equal(["*"], Granted(full, Alice, "repository:x:*"));
        var fullMinusDelete = new[] { Allow(SubjectKind.User, "alice", "**", "*"), Deny(SubjectKind.User, "alice", "**", "delete") };
        Assert.Equal(["pull", "push"], Granted(fullMinusDelete, Alice, "repository:x:*"));
    }

    [Fact]
    public void Admins_get_everything_they_ask_for_deny_rules_included()
    {
        var admin = User("root", admin: true);
        var rules = new[] { Deny(SubjectKind.Authenticated, null, "**", "*") };
        Assert.Equal(["*"], Granted(rules, admin, "registry:catalog:*"));
        Assert.Equal(["delete", "pull", "push"], Granted(rules, admin, "repository:any/thing:pull,push,delete"));
    }

    [Fact]
    public void Explain_lists_the_rules_that_decided()
    {
        var allow = Allow(SubjectKind.Group, "devs", "team/**", "pull,push");
        var deny = Deny(SubjectKind.User, "alice", "team/prod", "push");
        var snapshot = new PolicySnapshot(1, [allow, deny], [("alice", "devs")]);
        var decision = PolicyEvaluator.Decide(snapshot, Alice, Service, ScopeParser.ParseOne("repository:team/prod:pull,push"), explain: true);
        Assert.Equal(["pull"], decision.Granted);
        Assert.Equal([allow.Id, deny.Id], decision.Matches.Select(m => m.RuleId).Order());
        Assert.Contains(decision.Matches, m => m.Via == "group:devs" && m.Effect == RuleEffect.Allow);
    }

    [Fact]
    public void The_seed_rule_does_not_grant_a_top_level_repository_named_like_the_user_and_explain_says_why()
    {
        var seed = Allow(SubjectKind.Authenticated, null, "${user}/**", "*");
        var snapshot = new PolicySnapshot(1, [seed], []);
        Assert.Equal(["pull"], Granted([seed], Alice, "repository:alice/app:pull"));
        var decision = PolicyEvaluator.Decide(snapshot, Alice, Service, ScopeParser.Parse(["repository:alice:pull"])[0], explain: true);
        Assert.Empty(decision.Granted);
        Assert.Contains(decision.Notes!, n => n.Contains($"rule {seed.Id}", StringComparison.Ordinal) && n.Contains("below 'alice/'", StringComparison.Ordinal));
    }
}
