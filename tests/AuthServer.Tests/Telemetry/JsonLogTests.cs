using System.Diagnostics;
using System.Text.Json;
using AuthServer.Hosting;
using AuthServer.Telemetry;
using AuthServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace AuthServer.Tests.Telemetry;

public sealed class JsonLogTests : IDisposable
{
    private readonly string _data = TempDirectory.Create("authserver-jsonlog");

    public void Dispose() => TempDirectory.Delete(_data);

    private WebApplication Build(string? format)
    {
        var settings = AuthServerFixture.BaseSettings(_data);
        settings[LogFormat.Setting] = format;
        return AuthServerHost.Build([], b => b.Configuration.AddInMemoryCollection(settings));
    }

    /// <summary>What the server's console logger writes for one entry, through the formatter it is configured with (none named: simple).</summary>
    private static string Write(WebApplication app, LogEntry<IReadOnlyList<KeyValuePair<string, object?>>> entry)
    {
        var name = app.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName ?? ConsoleFormatterNames.Simple;
        var formatter = app.Services.GetServices<ConsoleFormatter>().Single(f => f.Name == name);
        using var text = new StringWriter();
        formatter.Write(entry, null, text);
        return text.ToString();
    }

    private static LogEntry<IReadOnlyList<KeyValuePair<string, object?>>> Entry(Exception? exception = null)
    {
        IReadOnlyList<KeyValuePair<string, object?>> state =
        [
            new("User", "alice\n\"evil\""),
            new("Attempts", 3),
            new("{OriginalFormat}", "Token request denied: user {User}, {Attempts} attempts"),
        ];
        return new(LogLevel.Warning, "AuthServer.Tokens.TokenEndpoint", new EventId(0), state, exception,
            (s, _) => "Token request denied: user alice\\n\"evil\", 3 attempts");
    }

    [Fact]
    public async Task Json_format_writes_one_flat_object_per_line_with_utc_time_level_category_trace_and_fields()
    {
        await using var app = Build("json");
        using var activity = new Activity("token request").SetIdFormat(ActivityIdFormat.W3C).Start();

        var line = Write(app, Entry(new InvalidOperationException("boom")));

        Assert.EndsWith("\n", line);
        Assert.DoesNotContain('\n', line.TrimEnd('\n'));
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        var at = root.GetProperty("timestamp").GetString()!;
        Assert.EndsWith("Z", at);
        Assert.True(DateTimeOffset.TryParse(at, out var parsed) && parsed.Offset == TimeSpan.Zero, at);
        Assert.Equal("warning", root.GetProperty("level").GetString());
        Assert.Equal("AuthServer.Tokens.TokenEndpoint", root.GetProperty("category").GetString());
        Assert.StartsWith("Token request denied", root.GetProperty("message").GetString());
        Assert.Equal(activity.TraceId.ToHexString(), root.GetProperty("trace_id").GetString());
        Assert.Equal(activity.SpanId.ToHexString(), root.GetProperty("span_id").GetString());
        Assert.Equal("alice\n\"evil\"", root.GetProperty("fields").GetProperty("User").GetString());
        Assert.Equal(3, root.GetProperty("fields").GetProperty("Attempts").GetInt32());
        Assert.False(root.GetProperty("fields").TryGetProperty("{OriginalFormat}", out _));
        Assert.Contains("boom", root.GetProperty("exception").GetString());
    }

    [Fact]
    public async Task Text_is_the_default_format()
    {
        await using var app = Build(null);
        var line = Write(app, Entry());
        Assert.StartsWith("warn: AuthServer.Tokens.TokenEndpoint", line);
    }

    [Fact]
    public void An_unknown_format_stops_the_start_with_the_setting_named()
    {
        var e = Assert.Throws<StartupException>(() => Build("xml"));
        Assert.Contains(LogFormat.Setting, e.Message);
    }
}
