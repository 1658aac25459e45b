using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace AuthServer.Telemetry;

/// <summary>
/// <c>AuthServer:Logging:Format=json</c>: one JSON object per line, flat, so a log pipeline
/// (Loki, Elasticsearch, Cloud Logging) indexes it without parsing rules: <c>timestamp</c> (UTC,
/// ISO 8601), <c>level</c>, <c>category</c>, <c>message</c>, <c>trace_id</c> and <c>span_id</c> of the
/// request's trace, the message's named values under <c>fields</c>, and <c>exception</c>. The
/// framework's own JSON formatter nests the trace id in a list of scopes; this one puts it
/// where a query finds it. Runs on the logging thread, so <see cref="Activity.Current"/> is the caller's.
/// </summary>
public sealed class JsonLogFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "authserver-json";

    private static readonly JsonWriterOptions Options = new()
    {
        // Readable text; quotes, backslashes and control characters are still escaped, so one entry stays one line.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null) return;
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("level", Level(logEntry.LogLevel));
            json.WriteString("category", logEntry.Category);
            if (logEntry.EventId.Id != 0) json.WriteNumber("event_id", logEntry.EventId.Id);
            if (logEntry.EventId.Name is { } eventName) json.WriteString("event", eventName);
            json.WriteString("message", message);
            if (Activity.Current is { } activity && activity.TraceId != default)
            {
                json.WriteString("trace_id", activity.TraceId.ToHexString());
                json.WriteString("span_id", activity.SpanId.ToHexString());
            }
            if (logEntry.State is IReadOnlyList<KeyValuePair<string, object?>> fields && fields.Count > 1)
            {
                json.WriteStartObject("fields");
                foreach (var (name, value) in fields)
                    if (name != "{OriginalFormat}") WriteValue(json, name, value);
                json.WriteEndObject();
            }
            if (logEntry.Exception is { } exception) json.WriteString("exception", exception.ToString());
            json.WriteEndObject();
        }
        textWriter.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        textWriter.Write('\n');
    }

    private static void WriteValue(Utf8JsonWriter json, string name, object? value)
    {
        switch (value)
        {
            case null: json.WriteNull(name); break;
            case bool b: json.WriteBoolean(name, b); break;
            case int or long or short or byte or uint or ulong or ushort:
                json.WriteNumber(name, Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case double or float or decimal:
                json.WriteNumber(name, Convert.ToDouble(value, CultureInfo.InvariantCulture)); break;
            case DateTime or DateTimeOffset or TimeSpan:
                json.WriteString(name, ((IFormattable)value).ToString(value is TimeSpan ? "c" : "O", CultureInfo.InvariantCulture)); break;
            default: json.WriteString(name, Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "information",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        LogLevel.Critical => "critical",
        _ => "none",
    };
}
