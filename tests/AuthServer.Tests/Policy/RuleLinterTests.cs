using AuthServer.Core.Policy;
using AuthServer.Core.Policy.Lint;

namespace AuthServer.Tests.Policy;

public class RuleLinterTests
{
    private static long _ids;

    private static AccessRule Rule(string subject, string pattern, string actions, RuleEffect effect = RuleEffect.Allow, string? service = null, string type = "repository")
    {
        var parsed = RuleSubject.Parse(subject);
        return new AccessRule
        {
            Id = Interlocked.Increment(ref _ids),
            Effect = effect,
            SubjectKind = parsed.Kind,
            Subject = parsed.Name?.ToLowerInvariant(),
            Service = service,
            ResourceType = type,
            Pattern = pattern,
            Actions = actions,
        };
    }

    private static IReadOnlyList<LintFinding> Lint(params AccessRule[] rules) => RuleLinter.Lint(new LintInput(
        rules,
        new Dictionary<string, bool> { ["alice"] = false, ["bob"] = false, ["root"] = true },
        new Dictionary<string, IReadOnlySet<string>> { ["devs"] = new HashSet<string> { "alice" }, ["ops"] = new HashSet<string>(), ["all"] = new HashSet<string> { "alice", "bob" } },
        new HashSet<string> { "devs+ci" },
        new HashSet<string> { "registry" }));

    private static string[] Codes(IReadOnlyList<LintFinding> findings, AccessRule rule) =>
        findings.Where(f => f.RuleId == rule.Id).Select(f => f.Code).ToArray();

    [Fact]
    public void Plain_rules_have_no_findings()
    {
        var rules = new[] { Rule("group:devs", "team/**", "pull,push"), Rule("authenticated", "${user}/**", "*"), Rule("anonymous", "public/*", "pull") };
        Assert.Empty(Lint(rules));
    }

    [Fact]
    public void Subjects_that_are_gone_empty_or_administrators_are_reported()
    {
        var gone = Rule("user:carol", "a/*", "pull");
        var empty = Rule("group:ops", "a/*", "pull");
        var admin = Rule("user:root", "a/*", "pull");
        var robotGone = Rule("robot:devs+cd", "a/*", "pull");
        var findings = Lint(gone, empty, admin, robotGone);
        Assert.Equal(["subject-missing"], Codes(findings, gone));
        Assert.Equal(["empty-group"], Codes(findings, empty));
        Assert.Equal(["admin-subject"], Codes(findings, admin));
        Assert.Equal(["subject-missing"], Codes(findings, robotGone));
    }

    [Fact]
    public void User_variable_never_matches_a_robot_and_only_signed_in_callers_of_an_anonymous_rule()
    {
        var robot = Rule("robot:devs+ci", "${user}/**", "pull");
        var anonymous = Rule("anonymous", "${user}/pub", "pull");
        var group = Rule("group:devs", "${user}/**", "pull");
        var findings = Lint(robot, anonymous, group);
        Assert.Equal(LintSeverity.Error, findings.Single(f => f.RuleId == robot.Id).Severity);
        Assert.Equal(LintSeverity.Warning, findings.Single(f => f.RuleId == anonymous.Id).Severity);
        Assert.Empty(Codes(findings, group));
    }

    [Theory]
    [InlineData("repository", "team/-app")]
    [InlineData("repository", "team/app-")]
    [InlineData("repository", "team/a..b")]
    [InlineData("registry", "catalogue")]
    public void Patterns_no_client_can_ask_for_are_unreachable(string type, string pattern)
    {
        var rule = Rule("authenticated", pattern, "pull", type: type);
        Assert.Equal(["pattern-unreachable"], Codes(Lint(rule), rule));
    }

    [Theory]
    [InlineData("registry.example.com:5000/team/app")]
    [InlineData("team/*-app")]
    [InlineData("a_b/c__d/e--f")]
    public void Valid_names_are_reachable(string pattern) => Assert.Empty(Lint(Rule("authenticated", pattern, "pull")));

    [Fact]
    public void Duplicates_and_narrower_copies_are_reported_on_the_later_or_narrower_rule()
    {
        var first = Rule("group:devs", "team/**", "pull,push");
        var copy = Rule("group:devs", "team/**", "pull,push");
        var narrower = Rule("group:devs", "team/**", "pull");
        var findings = Lint(first, copy, narrower);
        Assert.Empty(Codes(findings, first));
        Assert.Equal(["duplicate"], Codes(findings, copy));
        Assert.Equal(["redundant"], Codes(findings, narrower));
        Assert.Equal([first.Id], findings.Single(f => f.RuleId == copy.Id).Related);
    }

    [Fact]
    public void A_deny_that_no_allow_overlaps_changes_nothing()
    {
        var allow = Rule("group:devs", "team/**", "pull,push");
        var overlapping = Rule("user:alice", "team/prod", "push", RuleEffect.Deny);
        var otherPattern = Rule("user:alice", "other/**", "push", RuleEffect.Deny);
        var otherAction = Rule("user:alice", "team/**", "delete", RuleEffect.Deny);
        var otherCaller = Rule("user:bob", "team/**", "push", RuleEffect.Deny);
        var otherService = Rule("group:devs", "team/**", "push", RuleEffect.Deny, service: "registry");
        var findings = Lint(allow, overlapping, otherPattern, otherAction, otherCaller, otherService);
        Assert.Empty(Codes(findings, overlapping));
        Assert.Empty(Codes(findings, otherService));
        Assert.Equal(["deny-without-allow"], Codes(findings, otherPattern));
        Assert.Equal(["deny-without-allow"], Codes(findings, otherAction));
        Assert.Equal(["deny-without-allow"], Codes(findings, otherCaller));
    }

    [Fact]
    public void An_allow_entirely_denied_grants_nothing()
    {
        var allow = Rule("user:alice", "team/app/*", "pull");
        var deny = Rule("group:devs", "team/**", "*", RuleEffect.Deny);
        var partlyDenied = Rule("user:bob", "team/app/*", "pull,push");
        var denyPush = Rule("user:bob", "team/**", "push", RuleEffect.Deny);
        var findings = Lint(allow, deny, partlyDenied, denyPush);
        Assert.Equal(["grants-nothing"], Codes(findings, allow));
        Assert.Equal([deny.Id], findings.Single(f => f.RuleId == allow.Id).Related);
        Assert.Empty(Codes(findings, partlyDenied));
    }

    [Fact]
    public void A_service_no_longer_configured_can_never_match()
    {
        var rule = Rule("authenticated", "a/*", "pull", service: "old-registry");
        Assert.Equal(["unknown-service"], Codes(Lint(rule), rule));
    }

    [Theory]
    [InlineData("team/**", "*/app", true)]
    [InlineData("team/*", "team/app/x", false)]
    [InlineData("a*c", "ab*", true)]
    [InlineData("a*c", "b*", false)]
    [InlineData("**", "anything/at/all", true)]
    [InlineData("${user}/**", "nowhere", false)]
    [InlineData("${user}/**", "nowhere/app", true)]
    [InlineData("x/**/y", "x/y", true)]
    [InlineData("x/**/y", "x/z", false)]
    public void Patterns_overlap_when_one_name_matches_both(string a, string b, bool overlap)
    {
        Assert.Equal(overlap, PatternOverlap.Overlap(a, b));
        Assert.Equal(overlap, PatternOverlap.Overlap(b, a));
    }

    [Theory]
    [InlineData("team/**", "team/app/*", true)]
    [InlineData("team/**", "other/app", false)]
    [InlineData("team/*", "team/app", true)]
    [InlineData("team/*", "team/**", false)]
    [InlineData("**", "${user}/x", true)]
    public void A_pattern_covers_another_only_when_every_name_of_it_matches(string outer, string inner, bool covers) =>
        Assert.Equal(covers, PatternOverlap.Covers(outer, inner));

    [Fact]
    public void Redundant_double_stars_are_reported() =>
        Assert.Contains(Lint(Rule("authenticated", "**/**/z", "pull")), f => f.Code == "redundant-wildcard");
}
