using System.Text.RegularExpressions;

namespace AuthServer.Interop.Tests.Deployment;

/// <summary>
/// The instructions of the repository's Dockerfile, per stage, with line continuations joined.
/// Enough of the syntax for what the Dockerfile uses: FROM, RUN, ENV key=value, EXPOSE, USER,
/// VOLUME, HEALTHCHECK ... CMD [json], ENTRYPOINT [json], CMD [json].
/// </summary>
public sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<IReadOnlyList<(string Instruction, string Arguments)>> stages) => Stages = stages;

    public IReadOnlyList<IReadOnlyList<(string Instruction, string Arguments)>> Stages { get; }

    public IReadOnlyList<(string Instruction, string Arguments)> Build => Stages[0];
    public IReadOnlyList<(string Instruction, string Arguments)> Runtime => Stages[^1];

    public static Dockerfile Parse(string text)
    {
        var joined = text.Replace("\\\r\n", " ").Replace("\\\n", " ");
        var stages = new List<List<(string, string)>>();
        foreach (var raw in joined.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var space = line.IndexOf(' ');
            var instruction = line[..space].ToUpperInvariant();
            var arguments = WhitespaceRegex().Replace(line[(space + 1)..].Trim(), " ");
            if (instruction == "FROM") stages.Add([]);
            stages[^1].Add((instruction, arguments));
        }
        return new Dockerfile(stages);
    }

    public IEnumerable<string> All(IReadOnlyList<(string Instruction, string Arguments)> stage, string instruction) =>
        stage.Where(i => i.Instruction == instruction).Select(i => i.Arguments);

    /// <summary>The ENV values of a stage (key=value form).</summary>
    public Dictionary<string, string> Environment(IReadOnlyList<(string Instruction, string Arguments)> stage) =>
        All(stage, "ENV").SelectMany(e => e.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    /// <summary>A JSON-array (exec form) instruction's words, e.g. ENTRYPOINT ["dotnet", "x.dll"].</summary>
    public static string[] ExecForm(string arguments) =>
        System.Text.Json.JsonSerializer.Deserialize<string[]>(arguments[arguments.IndexOf('[')..])!;

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRegex();
}
