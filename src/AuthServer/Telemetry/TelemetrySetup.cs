using AuthServer.Core.Signing;
using OpenTelemetry.Metrics;

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

    public static IServiceCollection AddAuthServerTelemetry(this IServiceCollection services)
    {
        services.AddSingleton<TokenMetrics>();
        services.AddSingleton<ServerMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(TokenMetrics.MeterName, ServerMetrics.MeterName, SigningExpiry.MeterName)
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.RateLimiting", "System.Runtime")
            // No cached page: a scrape shows every request answered before it (Prometheus scrapes every few seconds at most).
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    /// <summary>
    /// Anonymous, like /healthz: a scraper holds no credential, and nothing on the page names a
    /// user, a repository or a secret.
    /// </summary>
    public static void MapMetrics(this WebApplication app)
    {
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
