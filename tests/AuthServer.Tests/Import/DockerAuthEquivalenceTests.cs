using System.Net;
using AuthServer.Core.Identity;
using AuthServer.Core.Import;
using AuthServer.Core.Import.DockerAuth;
using AuthServer.Core.Policy;
using AuthServer.Core.Scopes;
using Xunit.Abstractions;

namespace AuthServer.Tests.Import;

/// <summary>
/// The ACL translation, proved against <see cref="DockerAuthReference"/>: for realistic docker_auth
/// configurations (docker_auth's own examples among them), many generated (account, repository,
/// action) requests get the same decision from docker_auth's first-match ACL and from our
/// order-free policy built from the imported rules; and wherever they do not, the import said so,
/// naming an entry that takes part in the request.
/// </summary>
public sealed partial class DockerAuthEquivalenceTests(ITestOutputHelper log)
{
    // Hashes of docker_auth's examples: admin/badmin and test/123 (htpasswd -B, cost 5).
    private const string Admin = "$2y$05$LO.vzwpWC5LZGqThvEfznu8qhb5SGqvBSWY1J3yZ4AxtMRZ3kN5jC";
    private const string Test = "$2y$05$WuwBasGDAgr.QCbGIjKJaep4dhxeai9gNZdmBnQXqpKly57oNutya";

    private static readonly string[] Services = ["registry", "short-lived"];

    /// <summary>docker_auth's examples/reference.yml ACL, with users carrying the labels its entries name.</summary>
    public const string ReferenceConfig = $$$"""
        token:
          issuer: "Acme auth server"
          expiration: 900
        users:
          "admin":
            password: "{{{Admin}}}"
          "test":
            password: "{{{Test}}}"
          "alice":
            password: "{{{Test}}}"
            labels:
              group: [VIP, dev]
              project: [project1]
          "bob":
            password: "{{{Test}}}"
            labels:
              group: [trainee]
          "carol@test.com":
            password: "{{{Test}}}"
          "": {}
        acl:
          - match: {ip: "127.0.0.0/8"}
            actions: ["*"]
            comment: "Allow everything from localhost (IPv4)"
          - match: {ip: "::1"}
            actions: ["*"]
          - match: {ip: "172.17.0.1"}
            actions: ["*"]
          - match: {account: "admin"}
            actions: ["*"]
            comment: "Admin has full access to everything."
          - match: {account: "test", name: "test-*"}
            actions: ["*"]
          - match: {account: "test"}
            actions: []
          - match: {account: "/.+/", name: "${account}/*"}
            actions: ["*"]
          - match: {account: "/.+/", type: "registry", name: "catalog"}
            actions: ["*"]
          - match: {account: "/.+/"}
            actions: ["pull"]
          - match: {account: "", name: "hello-world"}
            actions: ["pull"]
          - match: {account: "/^(.+)@test.com$/", name: "${account:1}/*"}
            actions: []
          - match: {labels: {"group": "VIP"}}
            actions: ["push"]
          - match: {labels: {"group": "/trainee|dev/"}}
            actions: ["push", "pull"]
          - match: {name: "${labels:group}-shared/*"}
            actions: ["push", "pull"]
          - match: {name: "${labels:project}/*"}
            actions: ["push", "pull"]
          - match: {name: "${labels:project}-{labels:tier}/*"}
            actions: ["push", "pull"]
        """;

    public static readonly TheoryData<string, string, bool> Configs = new()
    {
        { "reference", ReferenceConfig, false },
        {
            "simple", $$$"""
            users:
              "admin": {password: "{{{Admin}}}"}
              "test": {password: "{{{Test}}}"}
            acl:
              - match: {account: "admin"}
                actions: ["*"]
              - match: {account: "test"}
                actions: ["pull"]
            """, true
        },
        {
            "shadowing", $$$"""
            users:
              "alice": {password: "{{{Test}}}"}
              "bob": {password: "{{{Test}}}"}
            acl:
              - match: {account: "/.+/"}
                actions: ["pull"]
                comment: "broad first: the entry below never decides"
              - match: {account: "alice", name: "alice/*"}
                actions: ["*"]
              - match: {account: "bob", name: "secret/*"}
                actions: []
            """, true
        },
        {
            "templates-and-anonymous", $$$"""
            users:
              "alice": {password: "{{{Test}}}"}
              "bob": {password: "{{{Test}}}"}
              "ci.bot": {password: "{{{Test}}}"}
              "": {}
            acl:
              - match: {account: "/.+/", name: "${account}/*"}
                actions: ["*"]
              - match: {account: "/.+/", name: "shared/*"}
                actions: ["pull", "push"]
              - match: {account: "bob", name: "public/*"}
                actions: []
              - match: {name: "public/*"}
                actions: ["pull"]
              - match: {account: "", name: "library/*"}
                actions: ["pull"]
            """, true
        },
        {
            "an-anonymous-deny-reaches-users", $$$"""
            users:
              "admin": {password: "{{{Admin}}}"}
              "dev": {password: "{{{Test}}}"}
              "guest": {password: "{{{Test}}}"}
              "": {}
            acl:
              - match: {account: "admin"}
                actions: ["*"]
              - match: {account: "guest", name: "private/*"}
                actions: []
              - match: {account: "dev", name: "private/*"}
                actions: ["pull", "push"]
              - match: {name: "private/*"}
                actions: []
              - match: {account: "dev"}
                actions: ["pull", "push"]
              - match: {}
                actions: ["pull"]
            """, false
        },
        {
            "globs-and-regexes", $$$"""
            users:
              "ops": {password: "{{{Test}}}"}
              "ci": {password: "{{{Test}}}"}
              "dev": {password: "{{{Test}}}"}
            acl:
              - match: {account: "ops", name: "*/*"}
                actions: ["*"]
              - match: {account: "ci", name: "/^build-[0-9]+$/"}
                actions: ["push", "pull"]
              - match: {account: "/^(ci|dev)$/", name: "library/*"}
                actions: ["pull"]
              - match: {name: "*"}
                actions: ["pull"]
              - match: {account: "dev", name: "/.*/"}
                actions: ["pull", "push", "delete"]
            """, false
        },
        {
            "deny-by-empty-actions", $$$"""
            users:
              "intern": {password: "{{{Test}}}"}
              "dev": {password: "{{{Test}}}"}
              "lead": {password: "{{{Test}}}"}
              "": {}
            acl:
              - match: {account: "intern", name: "prod/*"}
                actions: []
              - match: {account: "lead"}
                actions: ["*"]
              - match: {account: "/.+/", name: "prod/*"}
                actions: ["pull"]
              - match: {account: "/.+/"}
                actions: ["pull", "push"]
              - match: {account: "", name: "prod/*"}
                actions: []
              - match: {account: "", type: "repository"}
                actions: ["pull"]
            """, false
        },
        {
            "labels-to-groups", $$$"""
            users:
              "ann": {password: "{{{Test}}}", labels: {group: [ops]}}
              "ben": {password: "{{{Test}}}", labels: {group: [dev]}}
              "cid": {password: "{{{Test}}}", labels: {group: [dev]}}
              "dan": {password: "{{{Test}}}", labels: {group: [dev, ops], team: [blue]}}
            acl:
              - match: {labels: {group: "ops"}}
                actions: ["*"]
              - match: {labels: {group: "dev"}, name: "dev/*"}
                actions: ["push", "pull"]
              - match: {name: "${labels:group}-shared/*"}
                actions: ["pull", "push"]
              - match: {labels: {team: "blue"}, service: "registry"}
                actions: ["delete", "pull"]
              - match: {account: "/.+/"}
                actions: ["pull"]
            """, true
        },
        {
            "services-and-an-overlap-that-cannot-be-kept", $$$"""
            users:
              "bob": {password: "{{{Test}}}"}
              "dave": {password: "{{{Test}}}"}
            acl:
              - match: {account: "bob", service: "registry"}
                actions: ["push", "pull"]
              - match: {account: "bob", service: "mirror"}
                actions: ["*"]
              - match: {account: "dave", name: "*/public"}
                actions: ["pull"]
              - match: {account: "dave", name: "team/*"}
                actions: []
              - match: {account: "/.+/"}
                actions: ["pull"]
            """, false
        },
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void Imported_rules_decide_as_docker_auths_first_match_acl(string name, string yaml, bool exact)
    {
        var plan = DockerAuthImport.Plan(yaml, Services);
        var config = DockerAuthConfig.Parse(yaml);
        var reference = new DockerAuthReference(config);
        var policy = Policy(plan);
        var reported = plan.Findings.Where(f => f.Kind == ImportFinding.Difference).SelectMany(f => f.Entries).ToHashSet();
        foreach (var spec in plan.Rules) log.WriteLine($"{name}: {spec.Effect} {spec.Subject} {spec.ResourceType} {spec.Pattern} {string.Join(',', spec.Actions)} {spec.Service}");
        foreach (var finding in plan.Findings) log.WriteLine($"{name}: {finding.Kind}: [{string.Join(",", finding.Entries)}] {finding.Message}");

        var anonymousAllowed = config.Users?.ContainsKey("") == true;
        var accounts = plan.Users.Select(u => u.Name).Append("").ToList();
        var cases = 0;
        var differing = 0;
        foreach (var request in Requests(accounts, config))
        {
            cases++;
            var theirs = request.Account.Length == 0 && !anonymousAllowed ? [] : reference.Authorize(request, out _);
            var ours = Ours(policy, plan, request);
            if (theirs.Order().SequenceEqual(ours.Order())) continue;
            differing++;
            var involved = reference.Matching(request).ToList();
            Assert.True(involved.Any(reported.Contains),
                $"{name}: {Show(request)}: docker_auth grants [{string.Join(",", theirs)}], ours [{string.Join(",", ours)}], " +
                $"and no reported entry takes part (matching entries: {string.Join(",", involved)}; reported: {string.Join(",", reported)})");
        }
        log.WriteLine($"{name}: {cases} requests, {differing} decided differently, each by a reported entry");
        Assert.True(cases > 1000, $"{name}: only {cases} requests");
        if (exact)
        {
            Assert.Equal(0, differing);
            Assert.DoesNotContain(plan.Findings, f => f.Kind == ImportFinding.Difference);
        }
    }

    [Fact]
    public void What_cannot_be_expressed_is_named_with_its_entries()
    {
        var plan = DockerAuthImport.Plan(ReferenceConfig, Services);
        var differences = plan.Findings.Where(f => f.Kind == ImportFinding.Difference).ToList();
        Assert.Contains(differences, f => f.Entries.SequenceEqual([1]) && f.Message.StartsWith("matches on the client address (ip: 127.0.0.0/8)", StringComparison.Ordinal));
        Assert.Contains(differences, f => f.Entries.SequenceEqual([2]) && f.Message.Contains("ip: ::1", StringComparison.Ordinal));
        Assert.Contains(differences, f => f.Entries.SequenceEqual([3]));
        Assert.Contains(plan.Findings, f => f.Kind == ImportFinding.Note && f.Message.Contains("token.issuer is 'Acme auth server'", StringComparison.Ordinal));
        // Users test and admin get their own rules; alice's namespace comes from ${account}, as ${user} for everyone.
        Assert.Contains(plan.Rules, r => r.Subject == "user:test" && r.Pattern == "test-*" && r.Actions.SequenceEqual(["*"]));
        Assert.Contains(plan.Rules, r => r.Subject == "user:admin" && r.Pattern == "**" && r.ResourceType == "repository");
        Assert.Contains(plan.Rules, r => r.Subject == "anonymous" && r.Pattern == "hello-world" && r.Actions.SequenceEqual(["pull"]));
        Assert.Contains(plan.Rules, r => r.Effect == RuleEffect.Deny && r.Subject == "user:test" && r.Pattern == "hello-world");
        Assert.Equal(["dev", "project-project1", "trainee", "vip"], plan.Groups);

        var globs = DockerAuthImport.Plan((string)Configs.Single(c => (string)c[0] == "globs-and-regexes")[1], Services);
        Assert.Contains(globs.Findings, f => f.Entries.SequenceEqual([2]) && f.Message.Contains("the name regex '/^build-[0-9]+$/'", StringComparison.Ordinal));

        var services = DockerAuthImport.Plan((string)Configs.Single(c => (string)c[0] == "services-and-an-overlap-that-cannot-be-kept")[1], Services);
        Assert.Contains(services.Findings, f => f.Entries.SequenceEqual([2]) && f.Message.Contains("service 'mirror', which is not configured here", StringComparison.Ordinal));
        Assert.Contains(services.Findings, f => f.Entries.SequenceEqual([3, 4]) && f.Message.Contains("the deny wins here", StringComparison.Ordinal));
    }

    [Fact]
    public void Users_without_a_bcrypt_password_or_a_valid_name_are_left_out_with_a_line_each()
    {
        var plan = DockerAuthImport.Plan($$$"""
            users:
              "ok": {password: "{{{Test}}}"}
              "nopass": {}
              "md5": {password: "$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/"}
              "bad name": {password: "{{{Test}}}"}
              "OK": {password: "{{{Test}}}"}
            """, Services);
        Assert.Equal(["ok"], plan.Users.Select(u => u.Name));
        Assert.Contains(plan.Findings, f => f.Kind == ImportFinding.Skipped && f.Message.StartsWith("user nopass: no password in docker_auth", StringComparison.Ordinal));
        Assert.Contains(plan.Findings, f => f.Kind == ImportFinding.Skipped && f.Message.StartsWith("user md5: MD5-crypt", StringComparison.Ordinal));
        Assert.Contains(plan.Findings, f => f.Kind == ImportFinding.Refused && f.Message.StartsWith("user bad name:", StringComparison.Ordinal));
        Assert.Contains(plan.Findings, f => f.Kind == ImportFinding.Refused && f.Message.StartsWith("user OK: another user differs from it only in case", StringComparison.Ordinal));
        Assert.StartsWith("bcrypt:$2y$05$", plan.Users[0].StoredHash);
    }

    [Fact]
    public void A_file_that_is_not_yaml_is_refused_with_its_line()
    {
        var error = Assert.Throws<AuthServer.Core.Errors.ValidationFailedException>(() => DockerAuthImport.Plan("users: [unclosed", Services));
        Assert.Contains("not a docker_auth configuration (line 1", error.Message);
    }

    private static PolicySnapshot Policy(ImportPlan plan)
    {
        var id = 0;
        var rules = plan.Rules.Select(spec =>
        {
            var subject = RuleSubject.Parse(spec.Subject);
            return new AccessRule
            {
                Id = ++id,
                Effect = spec.Effect,
                SubjectKind = subject.Kind,
                Subject = subject.Name is null ? null : Names.Normalize(subject.Name),
                Service = spec.Service,
                ResourceType = spec.ResourceType,
                Pattern = spec.Pattern,
                Actions = RuleActions.Format(spec.Actions),
            };
        }).ToList();
        var memberships = plan.Users.SelectMany(u => u.Groups.Select(g => (Names.Normalize(u.Name), Names.Normalize(g))));
        return new PolicySnapshot(1, rules, memberships);
    }

    private static IReadOnlyList<string> Ours(PolicySnapshot policy, ImportPlan plan, DockerAuthReference.Request request)
    {
        var principal = request.Account.Length == 0
            ? Principal.Anonymous
            : Principal.ForUser(new User
            {
                Id = plan.Users.ToList().FindIndex(u => u.Name == request.Account) + 1,
                Name = request.Account,
                NormalizedName = Names.Normalize(request.Account),
                PasswordHash = "",
                SecurityStamp = "",
            }, CredentialKind.Password);
        return PolicyEvaluator.Decide(policy, principal, request.Service, new ResourceScope(request.Type, null, request.Name, request.Actions)).Granted;
    }

    /// <summary>Every account against names the ACL mentions, names around them and random ones, each action alone and all together, on each service.</summary>
    private static IEnumerable<DockerAuthReference.Request> Requests(List<string> accounts, DockerAuthConfig config)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal)
        {
            "hello-world", "test-1", "test-app", "test-app/x", "library/alpine", "alpine", "team/public", "team/secret", "x/public",
            "prod/db", "prod/db/x", "public/img", "shared/img", "secret/key", "build-7", "build-x", "build-7/x", "dev/app", "dev-shared/x",
            "ops-shared/x", "vip-shared/y", "trainee-shared/z", "project1/img", "project1-tier/x", "a/b/c", "carol/app", "catalog",
        };
        foreach (var account in accounts.Where(a => a.Length > 0))
        {
            var lower = Names.Normalize(account);
            names.Add($"{lower}/app");
            names.Add($"{lower}/app/deep");
            names.Add($"{lower}-x/app");
            if (lower.Contains('@', StringComparison.Ordinal)) names.Add($"{lower[..lower.IndexOf('@')]}/app");
        }
        // Names around each name pattern of the ACL, with the accounts and label values put in.
        foreach (var entry in config.Acl ?? [])
        {
            if (entry.Match?.Name is not { } pattern || pattern.StartsWith('/')) continue;
            foreach (var account in accounts)
            {
                Dictionary<string, List<string>> labels = config.Users?.GetValueOrDefault(account)?.Labels ?? [];
                var expanded = new List<string> { pattern.Replace("${account}", account, StringComparison.Ordinal) };
                foreach (var (key, values) in labels)
                    expanded = expanded.SelectMany(e => e.Contains($"${{labels:{key}}}", StringComparison.Ordinal)
                        ? values.Select(v => e.Replace($"${{labels:{key}}}", v, StringComparison.Ordinal)) : new[] { e }).ToList();
                foreach (var e in expanded)
                {
                    foreach (var filler in new[] { "x", "any-thing" })
                    {
                        var sample = e.Replace("*", filler, StringComparison.Ordinal).Replace("?", "q", StringComparison.Ordinal);
                        names.Add(sample);
                        names.Add(sample + "/deep");
                        names.Add("other/" + sample);
                    }
                }
            }
        }
        var random = new Random(16);
        string[] segments = ["a", "b", "team", "prod", "dev", "public", "library", "alice", "test-1", "build-3", "shared", "ops-shared", "x"];
        for (var i = 0; i < 60; i++)
            names.Add(string.Join('/', Enumerable.Range(0, random.Next(1, 4)).Select(_ => segments[random.Next(segments.Length)])));

        // Only names a registry can ask for (distribution's reference grammar); the token endpoint refuses the rest.
        names.RemoveWhere(n => !RepositoryName().IsMatch(n));
        string[][] actionSets = [["pull"], ["push"], ["delete"], ["pull", "push"], ["delete", "pull", "push"]];
        // From an address no ip entry names, and from loopback, which docker_auth's reference.yml lets do everything.
        foreach (var (service, address) in Services.SelectMany(s => new[] { (s, IPAddress.Parse("203.0.113.7")), (s, IPAddress.Loopback) }))
        {
            foreach (var account in accounts)
            {
                foreach (var name in names)
                    foreach (var actions in actionSets)
                        yield return new(account, ResourceScope.Repository, name, service, address, actions);
                yield return new(account, ResourceScope.Registry, ResourceScope.Catalog, service, address, ["*"]);
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial System.Text.RegularExpressions.Regex RepositoryName();

    private static string Show(DockerAuthReference.Request r) =>
        $"{(r.Account.Length == 0 ? "anonymous" : r.Account)} {r.Type}:{r.Name}:{string.Join(",", r.Actions)} on {r.Service}";
}
