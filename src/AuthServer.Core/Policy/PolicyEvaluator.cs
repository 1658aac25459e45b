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
        var limits = principal.Limits;
        if (principal.IsAdmin && limits is null)
            return new ScopeDecision(requested, requested.Actions, NoMatches, ByAdmin: true);

        var parts = requested.Name.Split('/');
        var user = principal.PatternUser;
        var matches = explain ? new List<RuleMatch>() : null;
        Effect? effect = null;
        if (!principal.IsAdmin)
        {
            effect = new Effect();
            Apply(policy.Anonymous, "anonymous", service, requested, parts, user, effect, matches);
            if (principal.IsAuthenticated && principal.NormalizedName is { } name)
            {
                Apply(policy.Authenticated, "authenticated", service, requested, parts, user, effect, matches);
                if (principal.Kind == PrincipalKind.User)
                {
                    Apply(policy.ForUser(name), $"user:{principal.Name}", service, requested, parts, user, effect, matches);
                    foreach (var group in policy.GroupsOf(name))
                        Apply(policy.ForGroup(group), $"group:{group}", service, requested, parts, user, effect, matches);
                }
                else if (principal.Kind == PrincipalKind.Robot)
                {
                    Apply(policy.ForRobot(name), $"robot:{principal.Name}", service, requested, parts, user, effect, matches);
                }
            }
        }

        bool PolicyPermits(string action) => effect is null || effect.Permits(action);
        bool LimitPermits(string action) => limits is null || limits.Allows(requested.Type, parts, user, action);
        var everything = (effect is null || effect.HasEverything) && (limits is null || limits.AllowsEverything(requested.Type, parts, user));

        var granted = new List<string>(requested.Actions.Count);
        List<string>? withheld = null;
        void Consider(string action)
        {
            if (!PolicyPermits(action)) return;
            if (LimitPermits(action)) granted.Add(action);
            else (withheld ??= []).Add(action);
        }

        foreach (var action in requested.Actions)
        {
            if (action == ScopeActions.All)
            {
                // A literal * is granted only with every right; otherwise it stands for each action
                // the caller has (skopeo delete asks repository:<name>:*, the registry needs delete).
                if (everything) granted.Add(ScopeActions.All);
                else if (requested.Type == ResourceScope.Repository)
                    foreach (var concrete in ScopeActions.RepositoryActions) Consider(concrete);
            }
            else
            {
                Consider(action);
            }
        }
        return new ScopeDecision(requested, ScopeActions.Normalize(granted), (IReadOnlyList<RuleMatch>?)matches ?? NoMatches,
            ByAdmin: principal.IsAdmin, WithheldByCredential: withheld is null ? NoActions : ScopeActions.Normalize(withheld));
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
