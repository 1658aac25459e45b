using System.Text.Json;
using System.Text.Json.Serialization;

namespace AuthServer.Cli;

/// <summary>Human-readable tables, or JSON with <c>--json</c>.</summary>
internal sealed class Output(bool json, TextWriter writer)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public bool IsJson => json;

    /// <summary>Rows as a table, or the items as a JSON array.</summary>
    public void List<T>(IReadOnlyList<T> items, string[] headers, Func<T, string?[]> row)
    {
        if (json)
        {
            writer.WriteLine(JsonSerializer.Serialize(items, JsonOptions));
            return;
        }
        var rows = items.Select(i => row(i).Select(c => c ?? "").ToArray()).ToList();
        var widths = headers.Select((h, c) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[c].Length))).ToArray();
        writer.WriteLine(Line(headers, widths));
        foreach (var r in rows) writer.WriteLine(Line(r, widths));
        if (rows.Count == 0) writer.WriteLine("(none)");
    }

    /// <summary>Under a table that shows one page of a longer list: which rows these are and how to see the next.</summary>
    public void More(int offset, int shown, int total, string offsetOption)
    {
        if (json || offset + shown >= total) return;
        writer.WriteLine($"(rows {offset + 1}-{offset + shown} of {total}; {offsetOption} {offset + shown} for more)");
    }

    /// <summary>A one-line confirmation, or the object as JSON.</summary>
    public void Done<T>(string message, T item)
    {
        writer.WriteLine(json ? JsonSerializer.Serialize(item, JsonOptions) : message);
    }

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
}
