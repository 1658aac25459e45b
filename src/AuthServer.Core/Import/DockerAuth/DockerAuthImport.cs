using AuthServer.Core.Identity;

namespace AuthServer.Core.Import.DockerAuth;

/// <summary>
/// A docker_auth configuration as an <see cref="ImportPlan"/>: its static users with their bcrypt
/// hashes, a group for each label value they carry, and its ACL as rules (<see cref="AclTranslator"/>).
/// </summary>
public static class DockerAuthImport
{
    /// <param name="services">The services configured here: a rule may only name one of them.</param>
    public static ImportPlan Plan(string yaml, IReadOnlyCollection<string> services)
    {
        var config = DockerAuthConfig.Parse(yaml);
        var findings = new List<ImportFinding>();
        var users = new List<ImportedUser>();
        var accounts = new List<AclTranslator.Account>();
        var groupMembers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);

        foreach (var (name, user) in config.Users ?? [])
        {
            var labels = user?.Labels ?? [];
            if (name.Length == 0)
            {
                if (user?.Password is null) accounts.Add(new AclTranslator.Account("", []));
                else findings.Add(ImportFinding.Of(ImportFinding.Note, "the anonymous user \"\" has a password in docker_auth, so no anonymous request could pass it; no anonymous access here either"));
                continue;
            }
            if (Names.Problem(name, "user") is { } problem)
            {
                findings.Add(ImportFinding.Of(ImportFinding.Refused, $"user {name}: {problem}"));
                continue;
            }
            if (!seen.Add(Names.Normalize(name)))
            {
                findings.Add(ImportFinding.Of(ImportFinding.Refused, $"user {name}: another user differs from it only in case, and names are compared without case here"));
                continue;
            }
            if (user?.Password is null)
            {
                findings.Add(ImportFinding.Of(ImportFinding.Skipped,
                    $"user {name}: no password in docker_auth, so any password signed in; not imported, add them with 'authserver user add {name}'"));
                continue;
            }
            if (PasswordHashFormat.FromStandardBcrypt(user.Password) is not { } stored)
            {
                findings.Add(ImportFinding.Of(ImportFinding.Skipped, $"user {name}: {PasswordHashFormat.Describe(user.Password)} password; docker_auth takes bcrypt only, so it never signed in"));
                continue;
            }
            var groups = new List<string>();
            foreach (var (key, values) in labels)
            {
                foreach (var value in values)
                {
                    var group = key is "group" or "groups" ? value : $"{key}-{value}";
                    if (Names.Problem(group, "group") is not null)
                    {
                        findings.Add(ImportFinding.Of(ImportFinding.Note, $"label {key}: {value} of user {name} makes no valid group name; it still counts for the ACL"));
                        continue;
                    }
                    var normalized = Names.Normalize(group);
                    if (!groupMembers.TryGetValue(normalized, out var members)) groupMembers[normalized] = members = [];
                    if (!members.Contains(name)) members.Add(name);
                    if (!groups.Contains(normalized)) groups.Add(normalized);
                }
            }
            users.Add(new ImportedUser(name, stored, groups));
            accounts.Add(new AclTranslator.Account(name, labels));
        }

        var translator = new AclTranslator(config.Acl ?? [], services);
        var rules = translator.Translate(accounts, groupMembers);
        findings.AddRange(translator.Findings);
        findings.AddRange(TokenNotes(config.Token));
        if (config.Acl is null or { Count: 0 })
            findings.Add(ImportFinding.Of(ImportFinding.Note, "no acl in the file (an acl_mongo, ext_authz or casbin setup is not read): no rules made"));
        return new ImportPlan("docker-auth", users, groupMembers.Keys.Order(StringComparer.Ordinal).ToList(), rules, findings);
    }

    /// <summary>The token settings have counterparts here that an import does not change; docs/migrating.md maps them.</summary>
    private static IEnumerable<ImportFinding> TokenNotes(DockerAuthToken? token)
    {
        if (token is null) yield break;
        if (token.Issuer is { } issuer)
            yield return ImportFinding.Of(ImportFinding.Note, $"token.issuer is '{issuer}': set AuthServer:Tokens:Issuer to it, or the registry's auth.token.issuer to ours");
        if (token.Expiration is { } seconds)
            yield return ImportFinding.Of(ImportFinding.Note, $"token.expiration is {seconds} s: set AuthServer:Tokens:Services:N:TokenLifetimeSeconds to it (at least 60)");
        if (token.Certificate is not null || token.Key is not null)
            yield return ImportFinding.Of(ImportFinding.Note,
                $"token.certificate and token.key sign docker_auth's tokens: 'authserver keys import --cert {token.Certificate ?? "FILE"} --key {token.Key ?? "FILE"}' keeps registries that trust it working");
    }
}
