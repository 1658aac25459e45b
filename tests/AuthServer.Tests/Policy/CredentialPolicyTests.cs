using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using AuthServer.Core.Scopes;

namespace AuthServer.Tests.Policy;

/// <summary>Robots as policy subjects, and scope limits of robots and access tokens narrowing the rules.</summary>
public class CredentialPolicyTests
{
    private const string Service = "registry";
    private static long _nextId;

    private static AccessRule Rule(RuleEffect effect, SubjectKind kind, string? subject, string pattern, string actions, string type = "repository") => new()
    {
        Id = Interlocked.Increment(ref _nextId),
        Effect = effect,
        SubjectKind = kind,
        Subject = subject,
        ResourceType = type,
        Pattern = pattern,
        Actions = actions,
    };

    private static Principal Robot(string name, params string[] limits) =>
        new(PrincipalKind.Robot, name, name, null, false, CredentialKind.RobotSecret, 7, 7, ScopeLimits.FromInput(limits));

    private static Principal UserWithToken(string name, bool admin, params string[] limits) =>
        new(PrincipalKind.User, name, name, 1, admin, CredentialKind.AccessToken, 9, null, ScopeLimits.FromInput(limits));

    private static ScopeDecision Decide(IEnumerable<AccessRule> rules, Principal who, string scope, (string, string)[]? memberships = null) =>
        PolicyEvaluator.Decide(new PolicySnapshot(1, rules, memberships ?? []), who, Service, ScopeParser.ParseOne(scope));

    [Fact]
    public void A_robot_gets_rules_naming_it_and_authenticated_and_anonymous_ones()
    {
        var rules = new[]
        {
            Rule(RuleEffect.Allow, SubjectKind.Robot, "devs+ci", "team/**", "push"),
            Rule(RuleEffect.Allow, SubjectKind.Authenticated, null, "team/**", "pull"),
            Rule(RuleEffect.Allow, SubjectKind.Anonymous, null, "team/**", "delete"),
            Rule(RuleEffect.Allow, SubjectKind.Robot, "devs+other", "team/**", "*"),
            Rule(RuleEffect.Allow, SubjectKind.User, "devs+ci", "team/**", "*"),
        };
        Assert.Equal(["delete", "pull", "push"], Decide(rules, Robot("devs+ci"), "repository:team/app:pull,push,delete").Granted);
    }

    [Fact]
    public void A_robot_never_matches_user_variable_patterns_nor_group_rules()
    {
        var rules = new[]
        {
            Rule(RuleEffect.Allow, SubjectKind.Authenticated, null, "${user}/**", "*"),
            Rule(RuleEffect.Allow, SubjectKind.Group, "devs", "**", "*"),
        };
        Assert.Empty(Decide(rules, Robot("devs+ci"), "repository:devs/app:pull").Granted);
        Assert.Empty(Decide(rules, Robot("devs+ci"), "repository:devs/app:pull", [("devs+ci", "devs")]).Granted);
    }

    [Fact]
    public void Deny_rules_naming_a_robot_subtract()
    {
        var rules = new[]
        {
            Rule(RuleEffect.Allow, SubjectKind.Authenticated, null, "prod/**", "pull,push"),
            Rule(RuleEffect.Deny, SubjectKind.Robot, "robot+reader", "prod/**", "push"),
        };
        Assert.Equal(["pull"], Decide(rules, Robot("robot+reader"), "repository:prod/app:pull,push").Granted);
    }

    [Fact]
    public void Limits_only_take_away()
    {
        var rules = new[] { Rule(RuleEffect.Allow, SubjectKind.User, "alice", "team/**", "pull,push") };
        var token = UserWithToken("alice", false, "repository:team/app:pull,push,delete", "repository:other/**:*");

        var inside = Decide(rules, token, "repository:team/app:pull,push,delete");
        Assert.Equal(["pull", "push"], inside.Granted);
        Assert.Empty(Decide(rules, token, "repository:team/lib:pull").Granted);
        Assert.Empty(Decide(rules, token, "repository:other/x:pull").Granted);
    }

    [Fact]
    public void Withheld_actions_are_reported_for_explain()
    {
        var rules = new[] { Rule(RuleEffect.Allow, SubjectKind.User, "alice", "team/**", "pull,push,delete") };
        var decision = Decide(rules, UserWithToken("alice", false, "repository:team/**:pull"), "repository:team/app:pull,push,delete");
        Assert.Equal(["pull"], decision.Granted);
        Assert.Equal(["delete", "push"], decision.WithheldByCredential);
    }

    [Fact]
    public void Limits_use_the_users_name_for_the_user_variable()
    {
        var rules = new[] { Rule(RuleEffect.Allow, SubjectKind.Authenticated, null, "**", "pull") };
        var token = UserWithToken("alice", false, "repository:${user}/**:pull");
        Assert.Equal(["pull"], Decide(rules, token, "repository:alice/app:pull").Granted);
        Assert.Empty(Decide(rules, token, "repository:bob/app:pull").Granted);
    }

    [Fact]
    public void An_admins_limited_token_gets_everything_within_its_limits_only()
    {
        var token = UserWithToken("root", true, "repository:prod/**:pull,push", "registry:catalog:*");
        Assert.Equal(["pull", "push"], Decide([], token, "repository:prod/app:pull,push,delete").Granted);
        Assert.Equal(["*"], Decide([], token, "registry:catalog:*").Granted);
        Assert.Equal(["pull", "push"], Decide([], token, "repository:prod/app:*").Granted);
        Assert.Empty(Decide([], token, "repository:dev/app:pull").Granted);
    }

    [Fact]
    public void A_requested_wildcard_is_granted_literally_only_when_both_rules_and_limits_allow_everything()
    {
        var rules = new[] { Rule(RuleEffect.Allow, SubjectKind.Robot, "robot+ops", "**", "*") };
        Assert.Equal(["*"], Decide(rules, Robot("robot+ops", "repository:**:*"), "repository:a/b:*").Granted);
        Assert.Equal(["delete", "pull"], Decide(rules, Robot("robot+ops", "repository:**:pull,delete"), "repository:a/b:*").Granted);
    }
}
