using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace AuthServer.Interop.Tests.ScaleOut;

/// <summary>
/// deploy/compose.yaml as the tests read it: a service's environment (anchors resolved, compose's
/// ${VAR}, ${VAR:?message} and ${VAR:-default} filled from an .env file), its command, and a
/// service's fixed address on a network. No image runs here, so this is what the process
/// topology takes from the file.
/// </summary>
public sealed partial class ComposeFile
{
    private readonly YamlMappingNode _services;
    private readonly IReadOnlyDictionary<string, string> _variables;

    private ComposeFile(YamlMappingNode root, IReadOnlyDictionary<string, string> variables)
    {
        _services = (YamlMappingNode)root["services"];
        _variables = variables;
    }

    public static ComposeFile Load(string path, string envFile)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path)) yaml.Load(reader);
        var variables = File.ReadAllLines(envFile).Where(l => l.Contains('=') && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        return new ComposeFile((YamlMappingNode)yaml.Documents[0].RootNode, variables);
    }

    public IReadOnlyList<string> Services => _services.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();

    /// <summary>The service's environment with compose's variables filled in.</summary>
    public Dictionary<string, string?> Environment(string service) =>
        Mapping(service, "environment").Children.ToDictionary(
            e => ((YamlScalarNode)e.Key).Value!, e => (string?)Interpolate(((YamlScalarNode)e.Value).Value ?? ""));

    public string[] Command(string service) =>
        ((YamlSequenceNode)Service(service)["command"]).Children.Select(c => ((YamlScalarNode)c).Value!).ToArray();

    /// <summary>services.NAME.networks.NETWORK.ipv4_address.</summary>
    public string Address(string service, string network) =>
        ((YamlScalarNode)((YamlMappingNode)Mapping(service, "networks")[network])["ipv4_address"]).Value!;

    private YamlMappingNode Service(string name) => (YamlMappingNode)_services[name];

    private YamlMappingNode Mapping(string service, string key) => (YamlMappingNode)Service(service)[key];

    private string Interpolate(string value) => VariableRegex().Replace(value, m =>
    {
        var name = m.Groups["name"].Value;
        if (_variables.TryGetValue(name, out var set) && set.Length > 0) return set;
        return m.Groups["op"].Value switch
        {
            ":-" => m.Groups["arg"].Value,
            ":?" => throw new InvalidOperationException($"compose would refuse to start: {name} is unset ({m.Groups["arg"].Value})"),
            _ => "",
        };
    });

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:\?|:-)(?<arg>[^}]*))?\}")]
    private static partial Regex VariableRegex();
}
