using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace AuthServer.Telemetry;

/// <summary>
/// <c>AuthServer:Logging:Format=text</c>, the default: the console's familiar two lines an entry
/// (<c>warn: Category[0]</c>, then the message indented), with the request's W3C trace id at the
/// end of the first line (<c>trace_id=…</c>), the same id its audit event and exported trace carry.
/// The framework's simple formatter shows it only among every scope, three lines long. No colours:
/// the server's output goes to a journal or a log collector, where escape codes are noise.
/// </summary>
public sealed class TextLogFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "authserver-text";

    private const string Indent = "      ";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null) return;
        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(": ");
        textWriter.Write(logEntry.Category);
        textWriter.Write('[');
        textWriter.Write(logEntry.EventId.Id);
        textWriter.Write(']');
        // The logger formats on the caller's thread, so this is the request's activity.
        if (Activity.Current is { } activity && activity.TraceId != default)
        {
            textWriter.Write(" trace_id=");
            textWriter.Write(activity.TraceId.ToHexString());
        }
        textWriter.Write('\n');
        if (!string.IsNullOrEmpty(message)) WriteIndented(textWriter, message);
        if (logEntry.Exception is { } exception) WriteIndented(textWriter, exception.ToString());
    }

    // Every line of a message indented, so an entry's continuation never looks like a new entry.
    private static void WriteIndented(TextWriter writer, string text)
    {
        foreach (var line in text.Split('\n'))
        {
            writer.Write(Indent);
            writer.Write(line.TrimEnd('\r'));
            writer.Write('\n');
        }
    }

    // The framework's four-letter level names, so existing log searches keep working.
    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
