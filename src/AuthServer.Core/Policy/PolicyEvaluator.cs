using AuthServer.Core.Identity;
using AuthServer.Core.Scopes;

namespace AuthServer.Core.Policy;

/// <summary>
/// Granted = requested ∩ allowed ∩ the credential's own scope limits. Every matching allow rule
/// adds its actions, every matching deny rule removes its actions, and the order of rules never
/// matters. Admins are allowed everything, but an access token of an admin is still held to its
/// limits. A robot gets the rules naming it, plus those for <c>authenticated</c> and <c>anonymous</c>.
/// </summary>
public static class PolicyEvaluator
{
    private static readonly RuleMatch[] NoMatches = [];
    private static readonly string[] NoActions = [];

    public static IReadOnlyList<ScopeDecision> Decide(
        PolicySnapshot policy, PolicySubject subject, string service, IReadOnlyList<ResourceScope> requested, bool explain = false)
    {
        var decisions = new ScopeDecision[requested.Count];
        for (var i = 0; i < requested.Count; i++)
            decisions[i] = Decide(policy, subject, service, requested[i], explain);
        return decisions;
    }

    public static ScopeDecision Decide(
        PolicySnapshot policy, PolicySubject subject, string service, ResourceScope requested, bool explain = false) =>
        Decide(policy, subject, service, requested, explain, out _);

    /// <param name="walked">How many rules the decision read: what deciding it again would cost.</param>
    public static ScopeDecision Decide(
        PolicySnapshot policy, PolicySubject subject, string service, ResourceScope requested, bool explain, out int walked)
    {
        walked = 0;
        var limits = subject.Limits;
        if (subject.IsAdmin && limits is null)
            return new ScopeDecision(requested, requested.Actions, NoMatches, ByAdmin: true);

        var parts = requested.Name.Split('/');
        var user = subject.PatternUser;
        var matches = explain ? new List<RuleMatch>() : null;
        var notes = explain ? new List<string>() : null;
        Effect? effect = null;
        if (!subject.IsAdmin)
        {
            // The "via" labels are only for explanations: not built on the token path.
            effect = new Effect();
            walked += Apply(policy.Anonymous, "anonymous", service, requested, parts, user, effect, matches, notes);
            if (subject.IsAuthenticated && subject.Name is { } name)
            {
                walked += Apply(policy.Authenticated, "authenticated", service, requested, parts, user, effect, matches, notes);
                if (subject.Kind == PrincipalKind.User)
                {
                    walked += Apply(policy.ForUser(name), matches is null ? "" : $"user:{subject.Label}", service, requested, parts, user, effect, matches, notes);
                    foreach (var group in policy.GroupsOf(name))
                        walked += Apply(policy.ForGroup(group), matches is null ? "" : $"group:{group}", service, requested, parts, user, effect, matches, notes);
                }
                else if (subject.Kind == PrincipalKind.Robot)
                {
                    walked += Apply(policy.ForRobot(name), matches is null ? "" : $"robot:{subject.Label}", service, requested, parts, user, effect, matches, notes);
                }
            }
        }

        var everything = (effect is null || effect.HasEverything) && (limits is null || limits.AllowsEverything(requested.Type, parts, user));
        var granted = new List<string>(requested.Actions.Count);
        List<string>? withheld = null;
        foreach (var action in requested.Actions)
        {
            if (action == ScopeActions.All)
            {
                // A literal * is granted only with every right; otherwise it stands for each action
                // the caller has (skopeo delete asks repository:<name>:*, the registry needs delete).
                if (everything) granted.Add(ScopeActions.All);
                else if (requested.Type == ResourceScope.Repository)
                    foreach (var concrete in ScopeActions.RepositoryActions) Consider(concrete, effect, limits, requested.Type, parts, user, granted, ref withheld);
            }
            else
            {
                Consider(action, effect, limits, requested.Type, parts, user, granted, ref withheld);
            }
        }
        return new ScopeDecision(requested, ScopeActions.Normalize(granted), (IReadOnlyList<RuleMatch>?)matches ?? NoMatches,
            ByAdmin: subject.IsAdmin, WithheldByCredential: withheld is null ? NoActions : ScopeActions.Normalize(withheld), Notes: notes);
    }

    /// <summary>An action the rules permit is granted if the credential's limits allow it, else withheld.</summary>
    private static void Consider(
        string action, Effect? effect, ScopeLimits? limits, string type, string[] parts, string? user,
        List<string> granted, ref List<string>? withheld)
    {
        if (effect is not null && !effect.Permits(action)) return;
        if (limits is null || limits.Allows(type, parts, user, action)) granted.Add(action);
        else (withheld ??= []).Add(action);
    }

    private static int Apply(
        ReadOnlySpan<CompiledRule> rules, string via, string service, ResourceScope requested,
        string[] parts, string? user, Effect effect, List<RuleMatch>? matches, List<string>? notes)
    {
        foreach (var rule in rules)
        {
            if (!rule.Applies(service, requested.Type, parts, user))
            {
                if (notes is not null && rule.Pattern.IsPrefixOnly(parts, user) && (rule.Service is null || rule.Service == service) && rule.ResourceType == requested.Type)
                    notes.Add($"rule {rule.Id}: '{rule.Pattern.Text}' matches the names below '{requested.Name}/', not '{requested.Name}' itself");
                continue;
            }
            effect.Add(rule);
            matches?.Add(new RuleMatch(rule.Id, rule.Effect, rule.Actions, via));
        }
        return rules.Length;
    }

    /// <summary>The allows and denies of the matching rules; the sets are made only when a rule names actions.</summary>
    private sealed class Effect
    {
        private HashSet<string>? _allowed;
        private HashSet<string>? _denied;
        private bool _allowAll;
        private bool _denyAll;

        public void Add(CompiledRule rule)
        {
            if (rule.Effect == RuleEffect.Allow)
            {
                if (rule.AllActions) _allowAll = true; else (_allowed ??= new(StringComparer.Ordinal)).UnionWith(rule.Actions);
            }
            else
            {
                if (rule.AllActions) _denyAll = true; else (_denied ??= new(StringComparer.Ordinal)).UnionWith(rule.Actions);
            }
        }

        public bool HasEverything => _allowAll && !_denyAll && (_denied is null || _denied.Count == 0);

        public bool Permits(string action) =>
            !_denyAll && (_denied is null || !_denied.Contains(action)) && (_allowAll || (_allowed is not null && _allowed.Contains(action)));
    }
}
