using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using AuthServer.Core.SignIn;
using AuthServer.Telemetry;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Telemetry;

/// <summary>A tiny OTLP/HTTP receiver on loopback: it keeps every body posted to /v1/traces.</summary>
public sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();

    public OtlpReceiver()
    {
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Port { get; }
    public ConcurrentQueue<(string Path, string? ContentType, byte[] Body)> Posts { get; } = new();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            Posts.Enqueue((context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    public void Dispose() => _listener.Close();
}

public sealed class OtlpFixture : AuthServerFixture, IDisposable
{
    public OtlpReceiver Receiver { get; } = new();

    protected override void Configure(Dictionary<string, string?> settings) =>
        settings[TelemetrySetup.OtlpEndpointSetting] = $"http://127.0.0.1:{Receiver.Port}";

    public void Dispose() => Receiver.Dispose();
}

public class TracingTests(OtlpFixture server) : IClassFixture<OtlpFixture>
{
    /// <summary>Sends a token request as part of a trace the test starts (a proxy's traceparent), returns its trace id.</summary>
    private async Task<(ActivityTraceId Trace, HttpStatusCode Status)> RequestAsync(string user, string password)
    {
        var trace = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/token?service={Service}&scope=repository:{user}/traced:pull");
        request.Headers.Authorization = Basic(user, password);
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var answer = await server.Http.SendAsync(request);
        return (trace, answer.StatusCode);
    }

    private static ActivityListener Listen(ConcurrentQueue<Activity> stopped)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is TokenTracing.SourceName or SignInTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    [Fact]
    public async Task A_token_request_is_one_span_with_a_child_per_pipeline_stage_in_the_callers_trace()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = Listen(stopped);

        var granted = await RequestAsync(AdminName, AdminPassword);
        var refused = await RequestAsync("traced-nobody", "wrong-password");
        Assert.Equal(HttpStatusCode.OK, granted.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);

        // Other test classes' servers trace in this process too: only these two traces count.
        void Check(ActivityTraceId trace, string outcome, string[] stages)
        {
            var spans = stopped.Where(a => a.TraceId == trace).ToList();
            var root = Assert.Single(spans, a => a.OperationName == TokenTracing.Request);
            Assert.Equal(outcome, root.GetTagItem("authserver.outcome"));
            Assert.Equal(Service, root.GetTagItem("authserver.service"));
            var children = spans.Where(a => a != root).ToList();
            Assert.All(children, c => Assert.Equal(root.SpanId, c.ParentSpanId));
            Assert.Equal(stages.Order(), children.Select(c => c.OperationName).Distinct().Order());
            // No user or repository name leaves in a tag.
            Assert.DoesNotContain(spans.SelectMany(s => s.Tags), t => t.Value is { } v && (v.Contains("traced") || v.Contains(AdminName)));
        }
        Check(granted.Trace, "granted", [TokenTracing.Read, SignInTracing.Authenticate, TokenTracing.Resolve, TokenTracing.Issue]);
        Check(refused.Trace, "unauthorized", [TokenTracing.Read, SignInTracing.Authenticate, SignInTracing.Lockout]);
    }

    [Fact]
    public async Task The_audit_event_carries_the_requests_trace_id()
    {
        var (trace, _) = await RequestAsync("traced-audit", "wrong-password");
        var id = trace.ToHexString();
        var events = await server.WaitForAuditAsync(q => q.Where(e => e.TraceId == id), e => e.Count > 0);
        Assert.Equal("traced-audit", Assert.Single(events).Subject);
    }

    [Fact]
    public async Task Spans_are_exported_by_otlp_http_to_the_configured_endpoint()
    {
        var (trace, _) = await RequestAsync(AdminName, AdminPassword);
        Assert.True(server.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));

        var traceBytes = Convert.FromHexString(trace.ToHexString());
        // ASP.NET Core's request span ends after the answer is sent, so it may leave in a later batch than its children.
        var posts = server.Receiver.Posts.Where(p => p.Body.AsSpan().IndexOf(traceBytes) >= 0).ToArray();
        Assert.NotEmpty(posts);
        Assert.All(posts, p => Assert.Equal(("/v1/traces", "application/x-protobuf"), (p.Path, p.ContentType)));
        Assert.Contains(posts, p => p.Body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(TokenTracing.Request)) >= 0);
        Assert.All(posts, p => Assert.True(p.Body.AsSpan().IndexOf(Encoding.UTF8.GetBytes("authserver")) >= 0));
    }
}
