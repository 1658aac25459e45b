using AuthServer.Hosting;
using Microsoft.Extensions.Logging.Console;

namespace AuthServer.Telemetry;

/// <summary>
/// <c>AuthServer:Logging:Format</c>: <c>text</c> (<see cref="TextLogFormatter"/>, the default) or
/// <c>json</c> (<see cref="JsonLogFormatter"/>). Both carry the request's trace id.
/// </summary>
public static class LogFormat
{
    public const string Setting = "AuthServer:Logging:Format";

    public static void Configure(WebApplicationBuilder builder)
    {
        var format = builder.Configuration[Setting];
        if (string.IsNullOrEmpty(format) || string.Equals(format, "text", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddConsoleFormatter<TextLogFormatter, ConsoleFormatterOptions>();
            builder.Logging.AddConsole(o => o.FormatterName = TextLogFormatter.FormatterName);
            return;
        }
        if (!string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
            throw new StartupException($"{Setting} '{format}' is not a log format: use text or json");
        builder.Logging.AddConsoleFormatter<JsonLogFormatter, ConsoleFormatterOptions>();
        builder.Logging.AddConsole(o => o.FormatterName = JsonLogFormatter.FormatterName);
    }
}
