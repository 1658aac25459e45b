namespace AuthServer.WebConsole;

/// <summary>Scope limits as typed in a text box: one per line (or separated by spaces); none is null, "no limit".</summary>
public static class ScopeLines
{
    public static IReadOnlyCollection<string>? Split(string? text)
    {
        var lines = (text ?? "").Split(['\n', '\r', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? null : lines;
    }
}
