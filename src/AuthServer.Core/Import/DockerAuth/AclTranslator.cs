using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using AuthServer.Core.Scopes;

namespace AuthServer.Core.Import.DockerAuth;

/// <summary>
/// Turns docker_auth's ordered, first-match ACL into this server's order-free allow and deny rules.
/// <para>
/// The accounts are known (the static users, and anonymous when the user "" exists), so every
/// condition on the account, its labels and the resource type is decided per account here, and
/// what is left for each account and type is an ordered list of (service, name patterns, actions).
/// For that list: an entry whose patterns earlier entries already cover never decides and is
/// dropped; every other entry allows its actions on its patterns; and an entry denies the actions
/// it lacks where a later entry would allow them. That is exactly first-match unless an earlier
/// entry allowed the same action on names the deny also covers: then the deny still wins (less
/// is granted, never more) and the loss is reported with both entries.
/// </para>
/// <para>
/// Rules every user has become <c>authenticated</c> rules, those of exactly a label group's members
/// that group's, the rest stay per user. The anonymous account's rules become <c>anonymous</c>
/// rules, which apply to users too here: users docker_auth did not give them get a deny of their own.
/// </para>
/// </summary>
internal sealed class AclTranslator
{
    private static readonly string[] RepositoryActions = [ScopeActions.Pull, ScopeActions.Push, ScopeActions.Delete];
    private static readonly string[] RegistryActions = [ScopeActions.All];
    private static readonly string[] Types = [ResourceScope.Repository, ResourceScope.Registry];
    private static readonly string[] MatchAll = [".*", ".+", "^.*$", "^.+$", "^.*", "^.+", ".*$", ".+$"];

    private readonly List<DockerAuthAclEntry> _acl;
    private readonly IReadOnlyCollection<string> _services;
    private readonly List<ImportFinding> _findings = [];
    private readonly Dictionary<int, string> _leftOut = [];

    public AclTranslator(List<DockerAuthAclEntry> acl, IReadOnlyCollection<string> services)
    {
        _acl = acl;
        _services = services;
    }

    /// <summary>One account as docker_auth sees it: "" is anonymous.</summary>
    public sealed record Account(string Name, Dictionary<string, List<string>> Labels)
    {
        public bool IsAnonymous => Name.Length == 0;
    }

    /// <summary>A rule one account needs; <see cref="Template"/> has <c>${user}</c> where the account's name was.</summary>
    private sealed record AccountRule(RuleEffect Effect, string Type, string? Service, string Template, string Pattern, string[] Actions, SortedSet<int> Entries)
    {
        public string Key => $"{Effect}|{Type}|{Service}|{Template}|{string.Join(',', Actions)}";
    }

    private sealed record Region(string? Service, List<(string Template, string Pattern)> Patterns);

    private sealed record SubEntry(int Number, Region Region, HashSet<string> Grants);

    public IReadOnlyList<ImportFinding> Findings => _findings;

    public List<RuleSpec> Translate(IReadOnlyList<Account> accounts, IReadOnlyDictionary<string, List<string>> groupMembers)
    {
        FindLeftOut(accounts);
        var perAccount = accounts.ToDictionary(a => a.Name, RulesOf, StringComparer.Ordinal);
        var users = accounts.Where(a => !a.IsAnonymous).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var has = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var byKey = new Dictionary<string, AccountRule>(StringComparer.Ordinal);
        foreach (var (account, rules) in perAccount)
        {
            if (account.Length == 0) continue;
            foreach (var rule in rules)
            {
                (has.TryGetValue(rule.Key, out var set) ? set : has[rule.Key] = new(StringComparer.Ordinal)).Add(account);
                if (byKey.TryGetValue(rule.Key, out var known)) known.Entries.UnionWith(rule.Entries);
                else byKey[rule.Key] = rule;
            }
        }

        var specs = new List<RuleSpec>();
        var anonymous = perAccount.GetValueOrDefault("") ?? [];
        var anonymousKeys = anonymous.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var rule in anonymous)
        {
            specs.Add(Spec(rule, "anonymous", rule.Template));
            var lacking = users.Where(u => (!has.TryGetValue(rule.Key, out var h) || !h.Contains(u)) && !Decided(perAccount[u], rule)).Order(StringComparer.Ordinal);
            foreach (var user in lacking) Compensate(rule, user, perAccount[user], specs);
        }
        foreach (var (key, rule) in byKey.OrderBy(k => k.Value.Entries.Min).ThenBy(k => k.Key, StringComparer.Ordinal))
        {
            if (anonymousKeys.Contains(key)) continue;
            // Users without the rule whose own rules settle what it covers would not notice it: it can be shared with them.
            var holders = has[key].Union(users.Where(u => !has[key].Contains(u) && Decided(perAccount[u], ForUser(rule, u)))).ToHashSet(StringComparer.Ordinal);
            // Shared only as docker_auth meant it: an entry naming one account stays that account's,
            // a group stands for a label, and authenticated for "whoever signs in".
            var named = rule.Entries.Any(NamesAnAccount);
            var byLabel = rule.Entries.Any(UsesLabels);
            if (holders.SetEquals(users) && !named && !byLabel)
            {
                specs.Add(Spec(rule, "authenticated", rule.Template));
                continue;
            }
            var group = named || !byLabel ? null : groupMembers.Where(g => g.Value.Count > 0 && has[key].IsSubsetOf(g.Value) && holders.IsSupersetOf(g.Value)).Select(g => g.Key).Order(StringComparer.Ordinal).FirstOrDefault();
            if (group is not null)
            {
                specs.Add(Spec(rule, $"group:{group}", rule.Template));
                continue;
            }
            foreach (var user in has[key].Order(StringComparer.Ordinal))
                specs.Add(Spec(perAccount[user].First(r => r.Key == key), $"user:{user}", perAccount[user].First(r => r.Key == key).Pattern));
        }
        // One rule per meaning: entries that give the same rule share it.
        return specs.DistinctBy(r => (r.Effect, r.Subject, r.ResourceType, r.Pattern, string.Join(',', r.Actions), r.Service)).ToList();
    }

    /// <summary>The rule as it would read for <paramref name="user"/>: <c>${user}</c> put in.</summary>
    private static AccountRule ForUser(AccountRule rule, string user) =>
        rule with { Pattern = rule.Template.Replace(NamePattern.UserVariable, Names.Normalize(user), StringComparison.Ordinal) };

    /// <summary>
    /// True when adding the anonymous rule changes nothing for the user: for each of its actions, a
    /// rule of the user's own spans it, an allow or a deny for an anonymous allow (the request is
    /// settled either way), a deny for an anonymous deny.
    /// </summary>
    private static bool Decided(List<AccountRule> own, AccountRule anonymousRule) =>
        anonymousRule.Actions.All(action => own.Any(r =>
            (anonymousRule.Effect == RuleEffect.Allow || r.Effect == RuleEffect.Deny)
            && r.Type == anonymousRule.Type && (r.Service is null || r.Service == anonymousRule.Service)
            && (r.Actions.Contains(action) || r.Actions.Contains(ScopeActions.All))
            && RepositoryGlob.Contains(r.Pattern, anonymousRule.Pattern)));

    /// <summary>
    /// An anonymous rule reaches every user here. A user docker_auth did not give it to gets a deny;
    /// where that deny also covers what the user was given, the loss is reported.
    /// </summary>
    private void Compensate(AccountRule anonymousRule, string user, List<AccountRule> own, List<RuleSpec> specs)
    {
        var clashes = own.Where(r => r.Effect == RuleEffect.Allow && r.Type == anonymousRule.Type && ServicesMeet(r.Service, anonymousRule.Service)
                                     && r.Actions.Intersect(anonymousRule.Actions).Any() && RepositoryGlob.Overlaps(r.Pattern, anonymousRule.Pattern)).ToList();
        var actions = string.Join(',', anonymousRule.Actions);
        if (anonymousRule.Effect == RuleEffect.Allow)
        {
            specs.Add(Spec(anonymousRule with { Effect = RuleEffect.Deny }, $"user:{user}", anonymousRule.Pattern));
            if (clashes.Count > 0)
                _findings.Add(Difference(
                    $"anonymous users may {actions} on {anonymousRule.Type} {anonymousRule.Pattern}, and rules for anonymous apply to every user here; " +
                    $"user {user} did not have that in docker_auth, so a deny for {user} is added, which also withholds {actions} where {user} was given it " +
                    $"({string.Join(", ", clashes.Select(c => c.Pattern).Distinct())})",
                    [.. anonymousRule.Entries, .. clashes.SelectMany(c => c.Entries)]));
        }
        else if (clashes.Count > 0)
        {
            _findings.Add(Difference(
                $"the deny of {actions} on {anonymousRule.Type} {anonymousRule.Pattern} for anonymous users applies to every user here; " +
                $"user {user} loses {actions} where docker_auth gave it ({string.Join(", ", clashes.Select(c => c.Pattern).Distinct())})",
                [.. anonymousRule.Entries, .. clashes.SelectMany(c => c.Entries)]));
        }
    }

    private bool NamesAnAccount(int entry) =>
        _acl[entry - 1].Match?.Account is { } account && !AclFields.IsRegex(account) && account.IndexOfAny(['*', '?', '[']) < 0;

    private bool UsesLabels(int entry) =>
        _acl[entry - 1].Match is { } match
        && (match.Labels is { Count: > 0 } || new[] { match.Account, match.Type, match.Name, match.Service }.Any(f => f?.Contains("${labels:", StringComparison.Ordinal) == true));

    private static RuleSpec Spec(AccountRule rule, string subject, string pattern) => new(
        rule.Effect, subject, rule.Type, pattern, rule.Actions, rule.Service,
        (rule.Entries.Count == 1 ? "docker_auth acl entry " : "docker_auth acl entries ") + string.Join(", ", rule.Entries));

    /// <summary>Entries no rule can carry, whoever asks: left out, each with its reason, reported once.</summary>
    private void FindLeftOut(IReadOnlyList<Account> accounts)
    {
        for (var i = 0; i < _acl.Count; i++)
        {
            var number = i + 1;
            var match = _acl[i].Match ?? new DockerAuthMatch();
            var reason = LeftOutReason(match, accounts);
            if (reason is null) continue;
            _leftOut[number] = reason;
            _findings.Add(Difference($"matches on {reason}, which rules here cannot express; left out, so the requests it decided are decided by the entries after it", number));
        }
    }

    private string? LeftOutReason(DockerAuthMatch match, IReadOnlyList<Account> accounts)
    {
        if (match.Ip is not null) return $"the client address (ip: {match.Ip})";
        foreach (var field in new[] { match.Account, match.Type, match.Service, match.Name }.Concat(match.Labels?.Values.AsEnumerable() ?? []))
        {
            if (AclFields.RequestPlaceholder(field) is { } placeholder) return $"{placeholder}, known only per request";
            if (AclFields.IsRegex(field) && AclFields.Compile(field![1..^1]) is null) return $"'{field}', not a valid regular expression";
        }
        foreach (var account in accounts)
        {
            var fields = new AclFields(account.Name, account.Labels, match);
            if (!fields.Matches(match.Account, account.Name) || !fields.LabelsMatch(match.Labels)) continue;
            if (ServiceOf(match, fields).Reason is { } serviceReason) return serviceReason;
            if (NamesOf(match, fields, account).Reason is { } nameReason) return nameReason;
        }
        return null;
    }

    private (string? Service, string? Reason) ServiceOf(DockerAuthMatch match, AclFields fields)
    {
        if (match.Service is null) return (null, null);
        var expansions = fields.Expansions(match.Service).Distinct().ToList();
        if (expansions.Count != 1) return (null, $"the service pattern '{match.Service}' with label values");
        var service = expansions[0];
        if (AclFields.IsRegex(service))
            return MatchAll.Contains(service[1..^1]) ? (null, null) : (null, $"the service regex '{service}'");
        if (service == "*") return (null, null);
        if (service.IndexOfAny(['*', '?', '[', '\\']) >= 0) return (null, $"the service pattern '{service}'");
        if (!_services.Contains(service)) return (null, $"service '{service}', which is not configured here (AuthServer:Tokens:Services)");
        return (service, null);
    }

    /// <summary>The name patterns an entry covers for one account: ours, with the account's name put in, and the same with <c>${user}</c>.</summary>
    private static (List<(string Template, string Pattern)> Patterns, string? Reason) NamesOf(DockerAuthMatch match, AclFields fields, Account account)
    {
        if (match.Name is null) return ([(RepositoryGlob.AnyName, RepositoryGlob.AnyName)], null);
        var marked = new AclFields(RepositoryGlob.AccountMarker.ToString(), account.Labels, match, quoteAccount: false);
        var patterns = new List<(string, string)>();
        foreach (var (concrete, template) in fields.Expansions(match.Name).Zip(marked.Expansions(match.Name)))
        {
            if (AclFields.IsRegex(concrete))
            {
                if (MatchAll.Contains(concrete[1..^1])) patterns.Add((RepositoryGlob.AnyName, RepositoryGlob.AnyName));
                else return ([], $"the name regex '{match.Name}'");
                continue;
            }
            var converted = RepositoryGlob.FromGlob(concrete);
            if (converted.Kind == RepositoryGlob.Kind.Inexpressible) return ([], converted.Reason);
            if (converted.Kind == RepositoryGlob.Kind.Empty) continue;
            var templated = RepositoryGlob.FromGlob(template);
            var user = Names.Normalize(account.Name);
            var usable = templated.Kind == RepositoryGlob.Kind.Pattern
                         && templated.Pattern.Replace(NamePattern.UserVariable, user, StringComparison.Ordinal) == converted.Pattern;
            patterns.Add((usable ? templated.Pattern : converted.Pattern, converted.Pattern));
        }
        return (patterns.Distinct().ToList(), null);
    }

    /// <summary>The rules one account needs so that each request gets what docker_auth's first matching entry gives.</summary>
    private List<AccountRule> RulesOf(Account account)
    {
        var rules = new List<AccountRule>();
        foreach (var type in Types)
        {
            var universe = type == ResourceScope.Repository ? RepositoryActions : RegistryActions;
            var entries = new List<SubEntry>();
            for (var i = 0; i < _acl.Count; i++)
            {
                var number = i + 1;
                if (_leftOut.ContainsKey(number)) continue;
                var entry = _acl[i];
                var match = entry.Match ?? new DockerAuthMatch();
                var fields = new AclFields(account.Name, account.Labels, match);
                if (!fields.Matches(match.Account, account.Name) || !fields.LabelsMatch(match.Labels) || !fields.Matches(match.Type, type)) continue;
                var (patterns, _) = NamesOf(match, fields, account);
                // The registry asks one registry-type name, registry:catalog:*; rules for others would never apply.
                if (type == ResourceScope.Registry) patterns.RemoveAll(p => !RepositoryGlob.Overlaps(p.Pattern, ResourceScope.Catalog));
                var region = new Region(ServiceOf(match, fields).Service, patterns);
                // Patterns an earlier entry already covers never decide anything: first match stops there.
                region.Patterns.RemoveAll(p => entries.Any(e => Covers(e.Region, region.Service, p.Pattern)));
                if (region.Patterns.Count == 0) continue;
                entries.Add(new SubEntry(number, region, Grants(entry.Actions ?? [], type)));
            }
            for (var j = 0; j < entries.Count; j++)
            {
                var entry = entries[j];
                if (entry.Grants.Count > 0)
                {
                    var actions = entry.Grants.Count == universe.Length ? [ScopeActions.All] : entry.Grants.Order(StringComparer.Ordinal).ToArray();
                    foreach (var (template, pattern) in entry.Region.Patterns)
                        rules.Add(new AccountRule(RuleEffect.Allow, type, entry.Region.Service, template, pattern, actions, [entry.Number]));
                }
                foreach (var (template, pattern) in entry.Region.Patterns)
                {
                    // Denied where a later entry would allow: the actions this entry lacks that a later, overlapping one grants.
                    var denied = universe.Where(a => !entry.Grants.Contains(a)
                        && entries.Skip(j + 1).Any(later => later.Grants.Contains(a) && Overlaps(later.Region, entry.Region.Service, pattern))).ToArray();
                    if (denied.Length == 0) continue;
                    var actions = denied.Length == universe.Length ? [ScopeActions.All] : denied;
                    rules.Add(new AccountRule(RuleEffect.Deny, type, entry.Region.Service, template, pattern, actions, [entry.Number]));
                    var earlier = entries.Take(j).Where(e => denied.Any(e.Grants.Contains) && Overlaps(e.Region, entry.Region.Service, pattern)).ToList();
                    if (earlier.Count > 0 && !account.IsAnonymous)
                    {
                        _findings.Add(Difference(
                            $"for {Who(account)}, entry {entry.Number} refuses {string.Join(",", denied)} on {type} {pattern} where a later entry allows it, " +
                            $"and entr{(earlier.Count == 1 ? "y" : "ies")} {string.Join(", ", earlier.Select(e => e.Number))} before it allowed {string.Join(",", denied.Where(a => earlier.Any(e => e.Grants.Contains(a))))} " +
                            "on some of the same names: the deny wins here, so those names get less than in docker_auth",
                            [entry.Number, .. earlier.Select(e => e.Number)]));
                    }
                    else if (earlier.Count > 0)
                    {
                        _findings.Add(Difference(
                            $"for anonymous users, entry {entry.Number} refuses {string.Join(",", denied)} on {type} {pattern}, where entries " +
                            $"{string.Join(", ", earlier.Select(e => e.Number))} before it allowed some of it: the deny wins here",
                            [entry.Number, .. earlier.Select(e => e.Number)]));
                    }
                }
            }
        }
        return rules;
    }

    private static string Who(Account account) => account.IsAnonymous ? "anonymous users" : $"user {account.Name}";

    /// <summary>docker_auth grants the requested actions the entry lists; a lone "*" grants whatever was asked.</summary>
    private static HashSet<string> Grants(List<string> actions, string type)
    {
        var all = actions.Count == 1 && actions[0] == ScopeActions.All;
        var universe = type == ResourceScope.Repository ? RepositoryActions : RegistryActions;
        return universe.Where(a => all || actions.Contains(a)).ToHashSet(StringComparer.Ordinal);
    }

    private static bool ServicesMeet(string? a, string? b) => a is null || b is null || a == b;

    private static bool Covers(Region earlier, string? service, string pattern) =>
        (earlier.Service is null || earlier.Service == service) && earlier.Patterns.Any(p => RepositoryGlob.Contains(p.Pattern, pattern));

    private static bool Overlaps(Region region, string? service, string pattern) =>
        ServicesMeet(region.Service, service) && region.Patterns.Any(p => RepositoryGlob.Overlaps(p.Pattern, pattern));

    private static ImportFinding Difference(string message, params int[] entries) =>
        new(ImportFinding.Difference, message, entries.Distinct().Order().ToArray());
}
