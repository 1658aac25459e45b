using System.Text.RegularExpressions;

namespace AuthServer.Core.Scopes;

/// <summary>
/// Parses requested scopes as distribution's scope.md defines them and as real clients send them:
/// one scope per value or several separated by spaces, a host:port inside the name, the same
/// resource more than once (merged), a class on the type (kept for display, ignored for matching).
/// </summary>
public static partial class ScopeParser
{
    /// <summary>distribution's reference.go NameTotalLengthMax.</summary>
    public const int MaxNameLength = 255;

    /// <summary>Bounds the work one request can cause; no real client sends more than a handful.</summary>
    public const int MaxScopes = 64;

    public static IReadOnlyList<ResourceScope> Parse(IEnumerable<string?> values)
    {
        // Nearly every request asks for one scope in one value: nothing to merge.
        string? only = null;
        var count = 0;
        foreach (var value in values)
        {
            if (string.IsNullOrWhiteSpace(value)) continue;
            only = value;
            if (++count > 1) break;
        }
        if (count == 0) return [];
        if (count == 1 && !only!.Contains(' ')) return [ParseOne(only)];

        // Keyed by (type, name): the class is deprecated and ignored by the registry (D3 scope.md).
        var merged = new Dictionary<(string Type, string Name), (string? Class, HashSet<string> Actions)>();
        var order = new List<(string, string)>();
        foreach (var value in values)
        {
            if (string.IsNullOrWhiteSpace(value)) continue;
            foreach (var item in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var scope = ParseOne(item);
                var key = (scope.Type, scope.Name);
                if (merged.TryGetValue(key, out var existing))
                {
                    existing.Actions.UnionWith(scope.Actions);
                    continue;
                }
                if (merged.Count == MaxScopes)
                    throw new ScopeFormatException($"too many scopes: at most {MaxScopes} resources per request");
                merged[key] = (scope.Class, new HashSet<string>(scope.Actions, StringComparer.Ordinal));
                order.Add(key);
            }
        }
        return order
            .Select(k => new ResourceScope(k.Item1, merged[k].Class, k.Item2, ScopeActions.Normalize(merged[k].Actions)))
            .ToArray();
    }

    /// <summary>
    /// type is the text before the first colon and actions the text after the last one, so a name
    /// may hold a registry host with a port (scope.md warns splitting on every colon is wrong).
    /// </summary>
    public static ResourceScope ParseOne(string text)
    {
        var first = text.IndexOf(':');
        var last = text.LastIndexOf(':');
        if (first < 0 || first == last)
            throw new ScopeFormatException($"invalid scope '{Shorten(text)}': expected type:name:actions");

        var typeText = text[..first];
        var name = text[(first + 1)..last];
        var actionsText = text[(last + 1)..];

        string type;
        string? cls = null;
        if (typeText is ResourceScope.Repository or ResourceScope.Registry)
        {
            // What clients send; the regex below would accept it as it is, with no class.
            type = typeText;
        }
        else
        {
            var typeMatch = TypeRegex().Match(typeText);
            if (!typeMatch.Success)
                throw new ScopeFormatException($"invalid scope '{Shorten(text)}': bad resource type '{Shorten(typeText)}'");
            type = typeMatch.Groups["type"].Value;
            cls = typeMatch.Groups["class"].Success ? typeMatch.Groups["class"].Value : null;
        }

        if (name.Length == 0)
            throw new ScopeFormatException($"invalid scope '{Shorten(text)}': empty resource name");
        if (name.Length > MaxNameLength)
            throw new ScopeFormatException($"invalid scope: resource name longer than {MaxNameLength} characters");
        if (!NameRegex().IsMatch(name))
            throw new ScopeFormatException($"invalid scope '{Shorten(text)}': bad resource name '{Shorten(name)}'");

        // scope.md allows an empty action (/[a-z]*/); it asks for nothing, so it is dropped.
        var actions = actionsText.Split(',', StringSplitOptions.RemoveEmptyEntries);
        foreach (var action in actions)
        {
            if (!ScopeActions.IsValid(action))
                throw new ScopeFormatException($"invalid scope '{Shorten(text)}': bad action '{Shorten(action)}'");
        }
        return new ResourceScope(type, cls, name, ScopeActions.Normalize(actions));
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..77] + "...";

    [GeneratedRegex(@"^(?<type>[a-z0-9]+)(?:\((?<class>[a-z0-9]+)\))?$", RegexOptions.CultureInvariant)]
    private static partial Regex TypeRegex();

    // scope.md: resourcename := [hostname '/'] component ['/' component]*
    [GeneratedRegex(
        @"^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?/)?" +
        @"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$",
        RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex NameRegex();
}
