using System.Diagnostics.Metrics;
using System.Reflection;
using AuthServer.Core.SignIn;
using AuthServer.Core.Signing;
using AuthServer.Hosting;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AuthServer.Telemetry;

/// <summary>
/// Metrics through System.Diagnostics.Metrics, collected by OpenTelemetry and served at /metrics
/// in Prometheus text format. OpenTelemetry rather than prometheus-net: the instruments stay the
/// runtime's own (ASP.NET Core, Kestrel and the runtime publish theirs the same way), and the same
/// provider can export by OTLP too.
/// </summary>
public static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

    public const string OtlpEndpointSetting = "AuthServer:Telemetry:OtlpEndpoint";
    public const string OtlpProtocolSetting = "AuthServer:Telemetry:OtlpProtocol";

    /// <summary>
    /// On by default. Off, no meter listener collects the server's instruments and /metrics is not
    /// served (404): for an installation that scrapes nothing, and for the benchmark that measures
    /// what collecting costs the warm path.
    /// </summary>
    public const string MetricsSetting = "AuthServer:Telemetry:Metrics";

    public static bool MetricsEnabled(IConfiguration configuration) => configuration.GetValue(MetricsSetting, true);

    public static IServiceCollection AddAuthServerTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<TokenMetrics>();
        services.AddSingleton<ServerMetrics>();
        var telemetry = services.AddOpenTelemetry();
        AddTracing(telemetry, configuration);
        if (!MetricsEnabled(configuration)) return services;
        telemetry.WithMetrics(metrics => metrics
            .AddMeter(TokenMetrics.MeterName, ServerMetrics.MeterName, SigningExpiry.MeterName)
            // Not the rate limiter's meter: its instruments cost three updates on every request, for what
            // the 429s in http.server.request.duration and the token requests' "limited" outcome tell.
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime")
            .AddView(Stream)
            // No cached page: a scrape shows every request answered before it (Prometheus scrapes every few seconds at most).
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    /// <summary>
    /// Every stream preallocates room for its cardinality limit of series (2,000 by default, over
    /// some fifty streams: megabytes held from start). Every label here is bounded far below
    /// <see cref="SeriesPerStream"/>; a stream that reached it would fold the rest into one overflow
    /// series (otel_metric_overflow) rather than grow.
    /// </summary>
    private static MetricStreamConfiguration Stream(Instrument instrument) => new()
    {
        // Routes x methods x status codes x protocols: the one stream with more than a few dozen series.
        CardinalityLimit = instrument.Name == "http.server.request.duration" ? 4 * SeriesPerStream : SeriesPerStream,
    };

    public const int SeriesPerStream = 256;

    /// <summary>
    /// Traces only when an OTLP endpoint is set: without a listener the token request's spans are
    /// never made, so the warm path pays nothing for tracing it does not export. The trace id
    /// still reaches log lines and audit events (ASP.NET Core's own request activity carries it).
    /// </summary>
    private static void AddTracing(IOpenTelemetryBuilder telemetry, IConfiguration configuration)
    {
        var endpoint = configuration[OtlpEndpointSetting];
        if (string.IsNullOrWhiteSpace(endpoint)) return;
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new StartupException($"{OtlpEndpointSetting} '{endpoint}' is not an http or https URL (e.g. http://otel-collector:4318)");
        var protocol = configuration[OtlpProtocolSetting] switch
        {
            null or "" or "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            "grpc" => OtlpExportProtocol.Grpc,
            var other => throw new StartupException($"{OtlpProtocolSetting} '{other}' is not an OTLP protocol: use http/protobuf or grpc"),
        };
        // Given in code, the endpoint is used as is: the collector's base address gets the signal's path (the OTLP spec's rule for OTEL_EXPORTER_OTLP_ENDPOINT).
        if (protocol == OtlpExportProtocol.HttpProtobuf && uri.AbsolutePath is "/" or "") uri = new Uri(uri, "/v1/traces");
        var version = typeof(TelemetrySetup).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        telemetry
            .ConfigureResource(resource => resource.AddService("authserver", serviceVersion: version))
            .WithTracing(tracing => tracing
                .AddSource(TokenTracing.SourceName, SignInTracing.SourceName, "Microsoft.AspNetCore")
                .AddOtlpExporter(o =>
                {
                    o.Endpoint = uri;
                    o.Protocol = protocol;
                }));
    }

    /// <summary>
    /// Anonymous, like /healthz: a scraper holds no credential, and nothing on the page names a
    /// user, a repository or a secret.
    /// </summary>
    public static void MapMetrics(this WebApplication app)
    {
        if (!MetricsEnabled(app.Configuration)) return;
        // Observable instruments exist once their owner does; create them before the first scrape,
        // but only once the host started: their owners read settings that start-up validates first.
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            app.Services.GetRequiredService<ServerMetrics>();
            app.Services.GetRequiredService<SigningExpiry>();
        });
        app.MapPrometheusScrapingEndpoint(MetricsPath);
    }
}
