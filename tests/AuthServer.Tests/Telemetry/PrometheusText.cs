using System.Globalization;
using System.Text.RegularExpressions;

namespace AuthServer.Tests.Telemetry;

/// <summary>A scraped /metrics page: the samples of a metric whose labels include the given ones.</summary>
public sealed partial class PrometheusText(string text)
{
    public string Text { get; } = text;

    public double Sum(string metric, params (string Name, string Value)[] labels)
    {
        var total = 0.0;
        foreach (var line in Text.Split('\n'))
        {
            var m = Sample().Match(line);
            if (!m.Success || m.Groups["name"].Value != metric) continue;
            var present = Label().Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups[1].Value, l => l.Groups[2].Value);
            if (labels.All(l => present.TryGetValue(l.Name, out var v) && v == l.Value))
                total += double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
        }
        return total;
    }

    public bool Has(string metric) => Text.Split('\n').Any(l => Sample().Match(l) is { Success: true } m && m.Groups["name"].Value == metric);

    public override string ToString() => Text;

    [GeneratedRegex("^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?<labels>.*)\\})? (?<value>\\S+)")]
    private static partial Regex Sample();

    [GeneratedRegex("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex Label();
}
