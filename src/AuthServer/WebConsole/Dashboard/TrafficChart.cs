using System.Globalization;
using System.Text;
using AuthServer.Core.Audit;

namespace AuthServer.WebConsole.Dashboard;

/// <summary>
/// Token requests per minute as stacked bars, drawn on the server as SVG: no script, no chart
/// library, readable without colour (each series is also in the table below the chart).
/// Every value written into the markup is a number or a fixed word, so nothing needs escaping.
/// </summary>
public static class TrafficChart
{
    public const int Width = 960;
    public const int Height = 280;
    private const int Left = 48, Right = 8, Top = 12, Bottom = 34;

    /// <summary>Series in stacking order, bottom up, with their colour and legend word.</summary>
    public static readonly IReadOnlyList<(string Name, string Colour, AuditOutcome[] Outcomes)> Series =
    [
        ("granted", "#1a7f37", [AuditOutcome.Granted]),
        ("partial", "#bf8700", [AuditOutcome.Partial]),
        ("unauthorized", "#cf222e", [AuditOutcome.Unauthorized]),
        ("locked", "#8250df", [AuditOutcome.Locked]),
        ("invalid", "#57606a", [AuditOutcome.Invalid]),
        ("other", "#0969da", [AuditOutcome.Limited, AuditOutcome.Busy, AuditOutcome.Error, AuditOutcome.Success]),
    ];

    public static double PerMinute(TrafficBucket bucket, AuditOutcome[] outcomes, TimeSpan size) =>
        outcomes.Sum(o => bucket.Counts.GetValueOrDefault(o)) / size.TotalMinutes;

    public static string Render(Traffic traffic)
    {
        var size = traffic.Window.Bucket;
        var peak = traffic.Buckets.Select(b => b.Total / size.TotalMinutes).DefaultIfEmpty(0).Max();
        var scale = NiceCeiling(peak);
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var barWidth = (double)plotWidth / traffic.Buckets.Count;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-labelledby=\"chart-title chart-desc\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"chart-title\">Token requests per minute by outcome, {traffic.Window.Label}</title>");
        svg.Append(CultureInfo.InvariantCulture,
            $"<desc id=\"chart-desc\">{traffic.Requests} requests: {traffic.Count(AuditOutcome.Granted)} granted, {traffic.Count(AuditOutcome.Partial)} partial, {traffic.Count(AuditOutcome.Unauthorized)} unauthorized, {traffic.Count(AuditOutcome.Locked)} locked out. Peak {peak:0.#} per minute.</desc>");

        // Grid and y-axis labels at 0, half and the top of the scale.
        foreach (var fraction in new[] { 0.0, 0.5, 1.0 })
        {
            var y = Top + plotHeight * (1 - fraction);
            svg.Append(CultureInfo.InvariantCulture,
                $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#d0d7de\" stroke-width=\"1\"/>");
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" font-size=\"12\" fill=\"#57606a\">{scale * fraction:0.#}</text>");
        }

        for (var i = 0; i < traffic.Buckets.Count; i++)
        {
            var bucket = traffic.Buckets[i];
            var x = Left + i * barWidth;
            var stacked = 0.0;
            foreach (var (name, colour, outcomes) in Series)
            {
                var value = PerMinute(bucket, outcomes, size);
                if (value <= 0) continue;
                var h = scale > 0 ? plotHeight * value / scale : 0;
                var y = Top + plotHeight - plotHeight * stacked / Math.Max(scale, 1e-9) - h;
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{x + barWidth * 0.1:0.##}\" y=\"{y:0.##}\" width=\"{barWidth * 0.8:0.##}\" height=\"{Math.Max(h, 0.5):0.##}\" fill=\"{colour}\">");
                svg.Append(CultureInfo.InvariantCulture, $"<title>{bucket.Start:HH:mm} UTC: {value:0.##} {name} per minute</title></rect>");
                stacked += value;
            }
        }

        // Time labels: about six along the axis, in UTC.
        var every = Math.Max(1, traffic.Buckets.Count / 6);
        for (var i = 0; i < traffic.Buckets.Count; i += every)
        {
            var x = Left + i * barWidth;
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{x:0.#}\" y=\"{Height - Bottom + 18}\" font-size=\"12\" fill=\"#57606a\">{traffic.Buckets[i].Start:HH:mm}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture,
            $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Top + plotHeight}\" y2=\"{Top + plotHeight}\" stroke=\"#57606a\" stroke-width=\"1\"/>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>The top of the y axis: 1, 2 or 5 times a power of ten, at least the peak.</summary>
    public static double NiceCeiling(double peak)
    {
        if (peak <= 0) return 1;
        var power = Math.Pow(10, Math.Floor(Math.Log10(peak)));
        foreach (var step in new[] { 1.0, 2.0, 5.0, 10.0 })
        {
            if (step * power >= peak) return step * power;
        }
        return 10 * power;
    }
}
