using System.Text;
using System.Text.RegularExpressions;

namespace AuthServer.Core.Import.DockerAuth;

/// <summary>
/// docker_auth's matching of one ACL field for one known account: <c>${account}</c> (regex-quoted,
/// as docker_auth does), <c>${account:N}</c> capture groups of the account regex, and
/// <c>${labels:KEY}</c>, tried with every value of the account's label. A field in
/// <c>/slashes/</c> is an unanchored regular expression, anything else a Go path.Match glob.
/// </summary>
internal sealed partial class AclFields
{
    private readonly List<(string Placeholder, string Value)> _vars = [];
    private readonly Dictionary<string, List<string>> _labels;

    public AclFields(string account, Dictionary<string, List<string>> labels, DockerAuthMatch match, bool quoteAccount = true)
    {
        _labels = labels;
        _vars.Add(("${account}", quoteAccount ? QuoteMeta(account) : account));
        // ${account:N}: the N-th group of the account field's regex, matched against the account.
        foreach (var field in new[] { match.Account, match.Type, match.Name, match.Service })
        {
            if (field is null) continue;
            foreach (Match found in CaptureGroup().Matches(field))
            {
                if (found.Groups[1].Value != "account" || !IsRegex(match.Account)) continue;
                var groups = Compile(match.Account![1..^1])?.Match(account);
                var index = int.Parse(found.Groups[2].ValueSpan, provider: System.Globalization.CultureInfo.InvariantCulture);
                if (groups is null || !groups.Success || index < 1 || index >= groups.Groups.Count) continue;
                _vars.Add((found.Value, groups.Groups[index].Value));
            }
        }
    }

    public static bool IsRegex(string? p) => p is { Length: > 2 } && p[0] == '/' && p[^1] == '/';

    /// <summary>Placeholders only a request knows (its type, name or service), which a rule cannot carry.</summary>
    public static string? RequestPlaceholder(string? field) =>
        field is null ? null : RequestVariable().Match(field) is { Success: true } m ? m.Value : null;

    /// <summary>Does the field match <paramref name="text"/> for this account (docker_auth's matchStringWithLabelPermutations).</summary>
    public bool Matches(string? pattern, string text) =>
        pattern is null || Expansions(pattern).Any(p => MatchOne(p, text));

    /// <summary>
    /// The field with the account's values put in: first as written (docker_auth tries that first),
    /// then once for each combination of the values of the labels it names.
    /// </summary>
    public IEnumerable<string> Expansions(string pattern)
    {
        var plain = Substitute(pattern, []);
        yield return plain;
        var placeholders = _labels.Keys.Select(k => $"${{labels:{k}}}").Where(p => pattern.Contains(p, StringComparison.Ordinal)).ToList();
        if (placeholders.Count == 0) yield break;
        IEnumerable<List<(string, string)>> combinations = [[]];
        foreach (var placeholder in placeholders)
        {
            var values = _labels[placeholder[9..^1]];
            combinations = combinations.SelectMany(c => values.Select(v => new List<(string, string)>(c) { (placeholder, v) })).ToList();
        }
        foreach (var combination in combinations) yield return Substitute(pattern, combination);
    }

    /// <summary>A labels condition: every named label has a value matching its pattern.</summary>
    public bool LabelsMatch(Dictionary<string, string>? conditions) =>
        conditions is null || conditions.All(c =>
            _labels.TryGetValue(c.Key, out var values) && values.Any(v => MatchOne(Substitute(c.Value, []), v)));

    private string Substitute(string pattern, List<(string Placeholder, string Value)> labels)
    {
        foreach (var (placeholder, value) in _vars) pattern = pattern.Replace(placeholder, value, StringComparison.Ordinal);
        foreach (var (placeholder, value) in labels) pattern = pattern.Replace(placeholder, value, StringComparison.Ordinal);
        return pattern;
    }

    public static bool MatchOne(string pattern, string text) =>
        IsRegex(pattern) ? Compile(pattern[1..^1])?.IsMatch(text) == true : GoPathMatch.IsMatch(pattern, text);

    public static Regex? Compile(string regex)
    {
        try
        {
            return new Regex(regex, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Go's regexp.QuoteMeta.</summary>
    public static string QuoteMeta(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (@"\.+*?()|[]{}^$".Contains(c, StringComparison.Ordinal)) sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    [GeneratedRegex(@"\$\{(.+?):(\d+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex CaptureGroup();

    [GeneratedRegex(@"\$\{(type|name|service)(:\d+)?\}", RegexOptions.CultureInvariant)]
    private static partial Regex RequestVariable();
}
