using System.Net;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Telemetry;

public class MetricsEndpointTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private readonly HttpClient _http = server.Http;

    private async Task<PrometheusText> ScrapeAsync()
    {
        // No credentials: a scraper has none.
        using var answer = await _http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("text/plain", answer.Content.Headers.ContentType?.MediaType);
        return new PrometheusText(await answer.Content.ReadAsStringAsync());
    }

    private static double Requests(PrometheusText scrape, string outcome, string service, string grant, string credential) =>
        scrape.Sum("authserver_token_requests_total", ("outcome", outcome), ("service", service), ("grant", grant), ("credential", credential));

    [Fact]
    public async Task Token_requests_are_counted_by_outcome_service_grant_and_credential()
    {
        var before = await ScrapeAsync();
        await _http.GetTokenAsync($"service={Service}&scope=repository:metrics/a:pull", Basic(AdminName, AdminPassword));
        await _http.GetTokenAsync($"service={Service}&scope=repository:metrics/a:pull", Basic("metrics-nobody", "wrong-password"));
        await _http.GetTokenAsync("service=not-a-configured-service&scope=repository:metrics/a:pull");
        var after = await ScrapeAsync();

        // At least: OpenTelemetry listens to every meter of its name in the process, and other test
        // classes' servers run in this process at the same time (a real server is alone in its own).
        Assert.True(Requests(after, "granted", Service, "password", "password") - Requests(before, "granted", Service, "password", "password") >= 1, after.Text);
        Assert.True(Requests(after, "unauthorized", Service, "password", "password") - Requests(before, "unauthorized", Service, "password", "password") >= 1, after.Text);
        // A service the request names but the server does not know is no label value of its own.
        Assert.True(Requests(after, "invalid", "unknown", "anonymous", "none") >= 1, after.Text);
        Assert.DoesNotContain("not-a-configured-service", after.Text);
        Assert.DoesNotContain("metrics-nobody", after.Text);
        Assert.DoesNotContain("metrics/a", after.Text);
    }

    [Fact]
    public async Task Duration_histogram_queues_signing_and_runtime_meters_are_exported()
    {
        await _http.GetTokenAsync($"service={Service}&scope=repository:metrics/b:pull", Basic(AdminName, AdminPassword));
        var scrape = await ScrapeAsync();

        Assert.True(scrape.Sum("authserver_token_request_duration_seconds_count", ("outcome", "granted")) >= 1, scrape.Text);
        Assert.True(scrape.Sum("authserver_token_request_duration_seconds_bucket", ("outcome", "granted"), ("le", "+Inf")) >= 1, scrape.Text);
        Assert.True(scrape.Sum("authserver_password_hashing_workers") >= 1, scrape.Text);
        foreach (var metric in new[]
        {
            "authserver_password_hashing_waiting", "authserver_audit_queue_depth", "authserver_audit_events_written_total",
            "authserver_audit_events_dropped_total", "authserver_session_cache_entries", "authserver_signing_key_age_seconds",
            "http_server_request_duration_seconds_count", "dotnet_gc_heap_total_allocated_bytes_total",
        })
            Assert.True(scrape.Has(metric), $"{metric} missing from\n{scrape.Text}");
        Assert.True(scrape.Sum("authserver_signing_certificate_expiry_seconds", ("certificate", "key")) > 0, scrape.Text);
    }
}
