using System.Diagnostics;
using System.Net;
using System.Text.Json;
using AuthServer.Hosting;
using AuthServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Telemetry;

/// <summary>The default text log format carries the request's trace id, and the audit listing finds the request by it.</summary>
public sealed class TextLogTests : IDisposable
{
    private readonly string _data = TempDirectory.Create("authserver-textlog");

    public void Dispose() => TempDirectory.Delete(_data);

    private static string Write(WebApplication app, string message)
    {
        var name = app.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName;
        var formatter = app.Services.GetServices<ConsoleFormatter>().Single(f => f.Name == name);
        using var text = new StringWriter();
        formatter.Write(new LogEntry<string>(LogLevel.Warning, "AuthServer.Tokens.TokenEndpoint", new EventId(0), message, null, (s, _) => s), null, text);
        return text.ToString();
    }

    [Fact]
    public async Task Text_lines_end_their_first_line_with_the_trace_id_inside_a_request_and_indent_the_message()
    {
        await using var app = AuthServerHost.Build([], b => b.Configuration.AddInMemoryCollection(BaseSettings(_data)));

        var outside = Write(app, "no request here");
        string inside;
        string trace;
        using (var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            trace = activity.TraceId.ToHexString();
            inside = Write(app, "first line\nsecond line");
        }

        Assert.Equal("warn: AuthServer.Tokens.TokenEndpoint[0]\n      no request here\n", outside);
        Assert.Equal($"warn: AuthServer.Tokens.TokenEndpoint[0] trace_id={trace}\n      first line\n      second line\n", inside);
    }

    [Fact]
    public async Task A_refused_request_is_found_by_its_trace_id_in_the_servers_output_and_in_the_audit_listing()
    {
        await using var server = await ServerProcess.StartAsync(ProcessSettings(new Dictionary<string, string?>()));
        var trace = ActivityTraceId.CreateRandom().ToHexString();
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/token?service={Service}&scope=repository:traced/app:pull"))
        {
            request.Headers.Authorization = Basic("traced-user", "wrong-password");
            request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            using var answer = await server.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        }

        CliProcess.Result listed = null!;
        await Eventually.WaitUntilAsync(async () =>
        {
            listed = await InProcessCli.RunAsync(server.DataDirectory, null, "audit", "--trace", trace.ToUpperInvariant());
            return listed.Output.Contains("traced-user", StringComparison.Ordinal);
        }, "audit event of the traced request", seconds: 20);
        var json = await InProcessCli.RunAsync(server.DataDirectory, null, "audit", "--trace", trace, "--json");
        var badTrace = await InProcessCli.RunAsync(server.DataDirectory, null, "audit", "--trace", "not-a-trace-id");
        var output = await server.OutputAsync();

        var lines = output.Split('\n');
        var denied = Array.FindIndex(lines, l => l.StartsWith("warn: AuthServer.Tokens.TokenEndpoint[0] trace_id=" + trace, StringComparison.Ordinal));
        Assert.True(denied >= 0, output);
        Assert.Contains("Token request denied", lines[denied + 1]);
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains("TRACE", listed.Output.Split('\n')[0]);
        var row = Assert.Single(listed.Output.Split('\n'), l => l.Contains("traced-user", StringComparison.Ordinal));
        Assert.Contains(trace, row);
        var item = Assert.Single(JsonDocument.Parse(json.Output).RootElement.EnumerateArray());
        Assert.Equal(trace, item.GetProperty("traceId").GetString());
        Assert.Equal(1, badTrace.ExitCode);
        Assert.Contains("32 hexadecimal digits", badTrace.Error);
    }
}
