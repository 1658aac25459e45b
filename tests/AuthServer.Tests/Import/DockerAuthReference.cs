using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using AuthServer.Core.Import.DockerAuth;

namespace AuthServer.Tests.Import;

/// <summary>
/// A small reference implementation of docker_auth's static ACL (auth_server/authz/acl.go),
/// written apart from the import's code so the comparison proves something: entries are tried in
/// order, the first whose match conditions all hold decides, a lone "*" grants what was asked and
/// any other list grants its intersection with what was asked, and no match denies. Globs are Go's
/// path.Match (translated to a regex here), /slashes/ are unanchored regexes, ${account},
/// ${account:N} and ${labels:KEY} are put in as docker_auth puts them in.
/// </summary>
public sealed class DockerAuthReference(DockerAuthConfig config)
{
    public sealed record Request(string Account, string Type, string Name, string Service, IPAddress Address, IReadOnlyList<string> Actions);

    public IReadOnlyList<string> Authorize(Request request, out int? decidedBy)
    {
        decidedBy = null;
        var labels = Labels(request.Account);
        var acl = config.Acl ?? [];
        for (var i = 0; i < acl.Count; i++)
        {
            if (!Matches(acl[i].Match ?? new DockerAuthMatch(), request, labels)) continue;
            decidedBy = i + 1;
            var actions = acl[i].Actions ?? [];
            return actions is ["*"] ? request.Actions : request.Actions.Where(actions.Contains).ToList();
        }
        return [];
    }

    /// <summary>Every entry whose conditions hold for the request, in order (the first decides).</summary>
    public IEnumerable<int> Matching(Request request)
    {
        var labels = Labels(request.Account);
        var acl = config.Acl ?? [];
        for (var i = 0; i < acl.Count; i++)
            if (Matches(acl[i].Match ?? new DockerAuthMatch(), request, labels)) yield return i + 1;
    }

    private Dictionary<string, List<string>> Labels(string account) =>
        config.Users?.GetValueOrDefault(account)?.Labels ?? [];

    private static bool Matches(DockerAuthMatch m, Request r, Dictionary<string, List<string>> labels)
    {
        var vars = new List<(string, string)>
        {
            ("${account}", Regex.Escape(r.Account)),
            ("${type}", Regex.Escape(r.Type)),
            ("${name}", Regex.Escape(r.Name)),
            ("${service}", Regex.Escape(r.Service)),
        };
        foreach (var field in new[] { m.Account, m.Type, m.Name, m.Service })
        {
            if (field is null) continue;
            foreach (Match found in Regex.Matches(field, @"\$\{(.+?):(\d+)\}"))
            {
                var source = found.Groups[1].Value switch { "account" => (m.Account, r.Account), "name" => (m.Name, r.Name), "type" => (m.Type, r.Type), "service" => (m.Service, r.Service), _ => (null, "") };
                if (source.Item1 is not { Length: > 2 } re || re[0] != '/' || re[^1] != '/') continue;
                var groups = Regex.Match(source.Item2, re[1..^1]);
                var index = int.Parse(found.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (!groups.Success || index < 1 || index >= groups.Groups.Count) continue;
                vars.Add((found.Value, groups.Groups[index].Value));
            }
        }
        return WithLabels(m.Account, r.Account, vars, labels)
               && WithLabels(m.Type, r.Type, vars, labels)
               && WithLabels(m.Name, r.Name, vars, labels)
               && WithLabels(m.Service, r.Service, vars, labels)
               && Ip(m.Ip, r.Address)
               && (m.Labels ?? []).All(c => labels.GetValueOrDefault(c.Key, []).Any(v => One(c.Value, v, vars)));
    }

    private static bool WithLabels(string? pattern, string text, List<(string, string)> vars, Dictionary<string, List<string>> labels)
    {
        if (pattern is null || One(pattern, text, vars)) return true;
        var used = labels.Where(l => pattern.Contains($"${{labels:{l.Key}}}", StringComparison.Ordinal)).ToList();
        if (used.Count == 0) return false;
        IEnumerable<List<(string, string)>> combos = [[]];
        foreach (var (key, values) in used)
            combos = combos.SelectMany(c => values.Select(v => new List<(string, string)>(c) { ($"${{labels:{key}}}", v) })).ToList();
        return combos.Any(c => One(pattern, text, [.. vars, .. c]));
    }

    private static bool One(string pattern, string text, List<(string, string)> vars)
    {
        foreach (var (placeholder, value) in vars) pattern = pattern.Replace(placeholder, value, StringComparison.Ordinal);
        if (pattern.Length > 2 && pattern[0] == '/' && pattern[^1] == '/') return Regex.IsMatch(text, pattern[1..^1]);
        return GlobRegex(pattern) is { } glob && glob.IsMatch(text);
    }

    /// <summary>Go's path.Match as an anchored regex: * and ? never cross '/', [..] classes, \ escapes.</summary>
    private static Regex? GlobRegex(string glob)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '*': sb.Append("[^/]*"); break;
                case '?': sb.Append("[^/]"); break;
                case '\\':
                    if (++i >= glob.Length) return null;
                    sb.Append(Regex.Escape(glob[i].ToString()));
                    break;
                case '[':
                    var end = glob.IndexOf(']', i + 2);
                    if (end < 0) return null;
                    var body = glob[(i + 1)..end];
                    sb.Append("(?!/)[").Append(body.StartsWith('^') ? "^" + body[1..].Replace("\\", "\\\\", StringComparison.Ordinal) : body.Replace("\\", "\\\\", StringComparison.Ordinal)).Append(']');
                    i = end;
                    break;
                default: sb.Append(Regex.Escape(c.ToString())); break;
            }
        }
        return new Regex(sb.Append('$').ToString());
    }

    private static bool Ip(string? pattern, IPAddress address)
    {
        if (pattern is null) return true;
        if (IPAddress.TryParse(pattern, out var single)) return single.Equals(address);
        return IPNetwork.TryParse(pattern, out var network) && network.Contains(address);
    }
}
