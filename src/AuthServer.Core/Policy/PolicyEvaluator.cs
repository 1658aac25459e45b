using AuthServer.Core.Identity;
using AuthServer.Core.Scopes;

namespace AuthServer.Core.Policy;

/// <summary>
/// Granted = requested ∩ allowed. Every matching allow rule adds its actions, every matching deny
/// rule removes its actions, and the order of rules never matters. Admins get all they ask for.
/// </summary>
public static class PolicyEvaluator
{
    private static readonly RuleMatch[] NoMatches = [];

    public static IReadOnlyList<ScopeDecision> Decide(
        PolicySnapshot policy, Principal principal, string service, IReadOnlyList<ResourceScope> requested, bool explain = false)
    {
        var decisions = new ScopeDecision[requested.Count];
        for (var i = 0; i < requested.Count; i++)
            decisions[i] = Decide(policy, principal, service, requested[i], explain);
        return decisions;
    }

    public static ScopeDecision Decide(
        PolicySnapshot policy, Principal principal, string service, ResourceScope requested, bool explain = false)
    {
        if (principal.IsAdmin)
            return new ScopeDecision(requested, requested.Actions, NoMatches, ByAdmin: true);

        var effect = new Effect();
        var matches = explain ? new List<RuleMatch>() : null;
        var parts = requested.Name.Split('/');
        var user = principal.NormalizedName;

        Apply(policy.Anonymous, "anonymous", service, requested, parts, user, effect, matches);
        if (principal.IsAuthenticated && user is not null)
        {
            Apply(policy.Authenticated, "authenticated", service, requested, parts, user, effect, matches);
            Apply(policy.ForUser(user), $"user:{principal.Name}", service, requested, parts, user, effect, matches);
            foreach (var group in policy.GroupsOf(user))
                Apply(policy.ForGroup(group), $"group:{group}", service, requested, parts, user, effect, matches);
        }

        var granted = new List<string>(requested.Actions.Count);
        foreach (var action in requested.Actions)
        {
            if (action == ScopeActions.All)
            {
                // A literal * is granted only with every right; otherwise it stands for each action
                // the caller has (skopeo delete asks repository:<name>:*, the registry needs delete).
                if (effect.HasEverything) granted.Add(ScopeActions.All);
                else if (requested.Type == ResourceScope.Repository)
                    granted.AddRange(ScopeActions.RepositoryActions.Where(effect.Permits));
            }
            else if (effect.Permits(action))
            {
                granted.Add(action);
            }
        }
        return new ScopeDecision(requested, ScopeActions.Normalize(granted), (IReadOnlyList<RuleMatch>?)matches ?? NoMatches, ByAdmin: false);
    }

    private static void Apply(
        IReadOnlyList<CompiledRule> rules, string via, string service, ResourceScope requested,
        string[] parts, string? user, Effect effect, List<RuleMatch>? matches)
    {
        foreach (var rule in rules)
        {
            if (!rule.Applies(service, requested.Type, parts, user)) continue;
            effect.Add(rule);
            matches?.Add(new RuleMatch(rule.Id, rule.Effect, rule.Actions, via));
        }
    }

    private sealed class Effect
    {
        private readonly HashSet<string> _allowed = new(StringComparer.Ordinal);
        private readonly HashSet<string> _denied = new(StringComparer.Ordinal);
        private bool _allowAll;
        private bool _denyAll;

        public void Add(CompiledRule rule)
        {
            if (rule.Effect == RuleEffect.Allow)
            {
                if (rule.AllActions) _allowAll = true; else _allowed.UnionWith(rule.Actions);
            }
            else
            {
                if (rule.AllActions) _denyAll = true; else _denied.UnionWith(rule.Actions);
            }
        }

        public bool HasEverything => _allowAll && !_denyAll && _denied.Count == 0;

        public bool Permits(string action) =>
            !_denyAll && !_denied.Contains(action) && (_allowAll || _allowed.Contains(action));
    }
}
