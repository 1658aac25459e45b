using System.Net;
using AuthServer.Core.Data;
using AuthServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Telemetry;

[Collection(MetricsAlone.Name)]
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

    [Fact]
    public async Task Caches_lockouts_policy_and_database_errors_are_counted_with_bounded_labels()
    {
        var before = await ScrapeAsync();
        // The second request is the warm path: its user and its verified password come from memory.
        for (var i = 0; i < 2; i++)
            await _http.GetTokenAsync($"service={Service}&scope=repository:metrics/c:pull", Basic(AdminName, AdminPassword));
        // Past the account's threshold from one source: a lock begins.
        for (var i = 0; i < 6; i++)
            await _http.GetTokenAsync($"service={Service}&scope=repository:metrics/c:pull", Basic("metrics-locked", "wrong-password"));
        var db = await server.Services.GetRequiredService<IDbContextFactory<AuthServerDbContext>>().CreateDbContextAsync();
        await using (db)
            await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("SELECT * FROM no_such_table"));
        var after = await ScrapeAsync();

        double Moved(string metric, params (string, string)[] labels) => after.Sum(metric, labels) - before.Sum(metric, labels);
        Assert.True(Moved("authserver_cache_hits_total", ("cache", "password")) >= 1, after.Text);
        Assert.True(Moved("authserver_cache_hits_total", ("cache", "user")) >= 1, after.Text);
        Assert.True(Moved("authserver_cache_misses_total", ("cache", "password")) >= 1, after.Text);
        Assert.True(Moved("authserver_lockouts_imposed_total", ("scope", "account_at_source")) >= 1, after.Text);
        Assert.True(Moved("authserver_database_errors_total", ("operation", "command")) >= 1, after.Text);
        Assert.True(after.Sum("authserver_policy_rebuilds_total") >= 1, after.Text);
        foreach (var metric in new[]
        {
            "authserver_policy_rules", "authserver_policy_rebuild_seconds_total", "authserver_policy_last_rebuild_seconds",
        })
            Assert.True(after.Has(metric), $"{metric} missing from\n{after.Text}");
        foreach (var cache in new[] { "password", "user", "session", "decision" })
            Assert.Contains($"cache=\"{cache}\"", after.Text);
        Assert.DoesNotContain("metrics-locked", after.Text);
    }
}
