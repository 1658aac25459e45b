using System.Net;
using AuthServer.Core.Audit;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.SignIn;

public sealed class RateLimitedFixture : AuthServerFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["AuthServer:RateLimit:Burst"] = "5";
        settings["AuthServer:RateLimit:PermitsPerSecond"] = "1";
        // Every refusal recorded one by one here: sampling has its own tests (AuditStorageTests).
        settings["AuthServer:Audit:SampleBurst"] = "0";
    }
}

/// <summary>ASP.NET Core's rate limiter, one token bucket per address on /token.</summary>
public class RateLimitTests(RateLimitedFixture server) : IClassFixture<RateLimitedFixture>
{
    [Fact]
    public async Task Requests_beyond_the_burst_get_429_with_retry_after_and_are_audited()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => server.Http.GetTokenAsync($"service={Service}")));
        var refilled = (int)Math.Ceiling(watch.Elapsed.TotalSeconds);

        var granted = answers.Count(a => a.Status == HttpStatusCode.OK);
        Assert.InRange(granted, 5, 5 + refilled);
        var limited = answers.Where(a => a.Status != HttpStatusCode.OK).ToList();
        Assert.Equal(30 - granted, limited.Count);
        Assert.All(limited, a =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, a.Status);
            Assert.Equal("TOOMANYREQUESTS", a.ErrorCode);
            Assert.NotNull(a.Headers.RetryAfter?.Delta);
        });

        // Health checks are not rate limited.
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/healthz")).StatusCode);

        var events = await server.WaitForAuditAsync(q => q.Where(e => e.Outcome == AuditOutcome.Limited), e => e.Count >= limited.Count);
        Assert.Equal(limited.Count, events.Count);
        Assert.All(events, e => Assert.Equal("127.0.0.1", e.ClientAddress));
        // The bucket refills one permit a second: the next request after that is answered again
        // (asking while it is empty takes no permit, so polling does not delay the refill).
        await Eventually.WaitUntilAsync(async () => (await server.Http.GetTokenAsync($"service={Service}")).Status == HttpStatusCode.OK,
            "granted request after the refill", seconds: 5);
    }
}
