using System.Text.RegularExpressions;
using AuthServer.Core.Scopes;

namespace AuthServer.Core.Policy.Lint;

/// <summary>
/// Finds rules that can never match, that repeat another, or that grant nothing. Rules have no
/// order, so "shadowing" in the first-match sense cannot happen; what can happen is a rule whose
/// subject, service or pattern no request can meet, and allows cancelled by denies.
/// </summary>
public static partial class RuleLinter
{
    /// <summary>Findings for every rule, or for <paramref name="only"/> among the others (a rule about to be added).</summary>
    public static IReadOnlyList<LintFinding> Lint(LintInput input, AccessRule? only = null)
    {
        var findings = new List<LintFinding>();
        foreach (var rule in only is null ? input.Rules : [only])
        {
            void Add(string code, LintSeverity severity, string message, params long[] related) =>
                findings.Add(new LintFinding(rule.Id, code, severity, message, related));

            if (rule.Service is { } service && !input.Services.Contains(service))
                Add("unknown-service", LintSeverity.Error, $"service '{service}' is not configured (AuthServer:Tokens:Services): no token request can match");
            CheckSubject(rule, input, Add);
            CheckPattern(rule, Add);
            CheckAgainstOthers(rule, input, Add);
        }
        return findings;
    }

    private delegate void Report(string code, LintSeverity severity, string message, params long[] related);

    private static void CheckSubject(AccessRule rule, LintInput input, Report add)
    {
        var subject = RuleSubject.Format(rule.SubjectKind, rule.Subject);
        switch (rule.SubjectKind)
        {
            case SubjectKind.User when !input.UsersAreAdmin.ContainsKey(rule.Subject!):
            case SubjectKind.Group when !input.GroupMembers.ContainsKey(rule.Subject!):
            case SubjectKind.Robot when !input.Robots.Contains(rule.Subject!):
                add("subject-missing", LintSeverity.Error, $"{subject} does not exist: the rule can never match");
                return;
            case SubjectKind.User when input.UsersAreAdmin[rule.Subject!]:
                add("admin-subject", LintSeverity.Info, $"{subject} is an administrator, who is granted everything: the rule changes nothing for them");
                break;
            case SubjectKind.Group when input.GroupMembers[rule.Subject!].Count == 0:
                add("empty-group", LintSeverity.Warning, $"{subject} has no members: the rule reaches nobody for now");
                break;
        }
        if (!rule.Pattern.Contains(NamePattern.UserVariable, StringComparison.Ordinal)) return;
        if (rule.SubjectKind == SubjectKind.Robot)
            add("user-variable", LintSeverity.Error, "${user} is a user's own name and robots have none: the rule can never match");
        else if (rule.SubjectKind == SubjectKind.Anonymous)
            add("user-variable", LintSeverity.Warning,
                "${user} never matches an anonymous caller: the rule reaches signed-in users only, so write it for 'authenticated'");
    }

    private static void CheckPattern(AccessRule rule, Report add)
    {
        if (NamePattern.HasRedundantWildcard(rule.Pattern))
            add("redundant-wildcard", LintSeverity.Info, $"'**/**' in '{rule.Pattern}' matches what one '**' does: write one");
        if (rule.ResourceType == ResourceScope.Registry)
        {
            // distribution asks registry:catalog:* only; no other name is ever requested.
            if (!NamePattern.Parse(rule.Pattern).IsMatch("catalog", user: null) && !rule.Pattern.Contains(NamePattern.UserVariable))
                add("pattern-unreachable", LintSeverity.Error, $"registry scopes name only 'catalog', which '{rule.Pattern}' does not match");
            return;
        }
        if (rule.ResourceType != ResourceScope.Repository) return;
        var segments = rule.Pattern.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.Contains('*') || segment.Contains(NamePattern.UserVariable)) continue;
            // scope.md: an optional leading host[:port], then path components.
            if (ComponentRegex().IsMatch(segment) || (i == 0 && segments.Length > 1 && HostRegex().IsMatch(segment))) continue;
            add("pattern-unreachable", LintSeverity.Error,
                $"'{segment}' is not a valid repository name component (scope.md): no client can ask for a name the pattern matches");
            return;
        }
    }

    private static void CheckAgainstOthers(AccessRule rule, LintInput input, Report add)
    {
        var actions = RuleActions.Parse(rule.Actions);
        var others = input.Rules.Where(o => o.Id != rule.Id && o.ResourceType == rule.ResourceType).ToArray();

        var duplicate = others.FirstOrDefault(o => o.Id < rule.Id && SameTarget(o, rule) && o.Effect == rule.Effect && o.Actions == rule.Actions);
        if (duplicate is not null)
        {
            add("duplicate", LintSeverity.Warning, $"the same as rule {duplicate.Id}", duplicate.Id);
        }
        else if (others.FirstOrDefault(o => SameTarget(o, rule) && o.Effect == rule.Effect && o.Actions != rule.Actions
                                            && Includes(RuleActions.Parse(o.Actions), actions)) is { } wider)
        {
            add("redundant", LintSeverity.Info, $"rule {wider.Id} already {Verb(rule.Effect)} these actions for the same subject and pattern", wider.Id);
        }

        if (rule.Effect == RuleEffect.Deny)
        {
            var overlapping = others.Any(o => o.Effect == RuleEffect.Allow && ServicesOverlap(o, rule) && SubjectsOverlap(o, rule, input)
                                              && ActionsOverlap(RuleActions.Parse(o.Actions), actions) && PatternOverlap.Overlap(o.Pattern, rule.Pattern));
            if (!overlapping)
                add("deny-without-allow", LintSeverity.Warning, "no allow rule grants anything this rule denies: it changes nothing");
            return;
        }

        var cancelling = others.FirstOrDefault(o => o.Effect == RuleEffect.Deny && (o.Service is null || o.Service == rule.Service)
                                                    && SubjectCovers(o, rule, input) && Includes(RuleActions.Parse(o.Actions), actions)
                                                    && PatternOverlap.Covers(o.Pattern, rule.Pattern));
        if (cancelling is not null)
            add("grants-nothing", LintSeverity.Error, $"rule {cancelling.Id} denies everything this rule allows: it grants nothing", cancelling.Id);
    }

    private static string Verb(RuleEffect effect) => effect == RuleEffect.Allow ? "allows" : "denies";

    private static bool SameTarget(AccessRule a, AccessRule b) =>
        a.SubjectKind == b.SubjectKind && a.Subject == b.Subject && a.Service == b.Service && a.Pattern == b.Pattern;

    private static bool Includes(IReadOnlyList<string> outer, IReadOnlyList<string> inner) =>
        outer.Contains(ScopeActions.All) || (!inner.Contains(ScopeActions.All) && inner.All(outer.Contains));

    private static bool ActionsOverlap(IReadOnlyList<string> a, IReadOnlyList<string> b) =>
        a.Contains(ScopeActions.All) || b.Contains(ScopeActions.All) || a.Intersect(b).Any();

    private static bool ServicesOverlap(AccessRule a, AccessRule b) => a.Service is null || b.Service is null || a.Service == b.Service;

    /// <summary>Whether some caller is reached by both rules. Anonymous rules reach everyone, signed in or not.</summary>
    private static bool SubjectsOverlap(AccessRule a, AccessRule b, LintInput input)
    {
        if (a.SubjectKind == SubjectKind.Anonymous || b.SubjectKind == SubjectKind.Anonymous) return true;
        if (a.SubjectKind == SubjectKind.Authenticated || b.SubjectKind == SubjectKind.Authenticated) return true;
        return Callers(a, input).Overlaps(Callers(b, input));
    }

    /// <summary>Whether every caller the inner rule reaches, the outer rule reaches too.</summary>
    private static bool SubjectCovers(AccessRule outer, AccessRule inner, LintInput input) => outer.SubjectKind switch
    {
        SubjectKind.Anonymous => true,
        SubjectKind.Authenticated => inner.SubjectKind != SubjectKind.Anonymous,
        _ when inner.SubjectKind is SubjectKind.Anonymous or SubjectKind.Authenticated => false,
        _ => Callers(inner, input).Count > 0 && Callers(inner, input).IsSubsetOf(Callers(outer, input)),
    };

    /// <summary>The named accounts a user, group or robot rule reaches, robots marked apart from users.</summary>
    private static HashSet<string> Callers(AccessRule rule, LintInput input) => rule.SubjectKind switch
    {
        SubjectKind.User => [$"user:{rule.Subject}"],
        SubjectKind.Robot => [$"robot:{rule.Subject}"],
        SubjectKind.Group => input.GroupMembers.TryGetValue(rule.Subject!, out var members) ? members.Select(m => $"user:{m}").ToHashSet() : [],
        _ => [],
    };

    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")]
    private static partial Regex ComponentRegex();

    [GeneratedRegex("^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?$")]
    private static partial Regex HostRegex();
}
