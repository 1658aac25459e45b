using System.Net;
using AuthServer.Core.Audit;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Audit;

/// <summary>Loopback is the trusted proxy, so a test can be an address of its own; the shipped audit sampling.</summary>
public sealed class SampledAuditFixture : AuthServerFixture
{
    protected override void Configure(Dictionary<string, string?> settings) =>
        settings["AuthServer:Network:TrustedProxies:0"] = "127.0.0.1";
}

/// <summary>What one address can make the audit log store is bounded (docs/security.md, "Audit storage").</summary>
public class AuditStorageTests(SampledAuditFixture server) : IClassFixture<SampledAuditFixture>
{
    private async Task<TokenClient.Answer> FromAsync(string address, string query, System.Net.Http.Headers.AuthenticationHeaderValue? auth = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/token?{query}");
        request.Headers.Authorization = auth;
        request.Headers.Add("X-Forwarded-For", address);
        return await server.Http.SendForAnswerAsync(request);
    }

    [Fact]
    public async Task A_flood_of_anonymous_requests_with_long_scope_lists_stores_a_bounded_number_of_bounded_rows()
    {
        const string flooder = "192.0.2.50";
        var scopes = string.Join("&", Enumerable.Range(0, 25).Select(i => $"scope=repository:flood/{new string('x', 200)}{i}:pull,push"));
        for (var i = 0; i < 200; i++) Assert.Equal(HttpStatusCode.OK, (await FromAsync(flooder, $"service={Service}&{scopes}")).Status);
        // Someone else meanwhile is recorded as always.
        var (user, password) = await server.NewUserAsync("quiet");
        Assert.Equal(HttpStatusCode.OK, (await FromAsync("192.0.2.51", $"service={Service}", Basic(user, password))).Status);

        var rows = await server.WaitForAuditAsync(q => q.Where(e => e.ClientAddress == flooder), e => e.Count >= 20);
        // The window's count is written when the window ends; at shutdown, or here, all at once.
        await server.Services.GetRequiredService<AuditWriter>().FlushSampledAsync(all: true);
        rows = await server.WaitForAuditAsync(q => q.Where(e => e.ClientAddress == flooder), e => e.Count >= 21);

        Assert.Equal(20, rows.Count(e => e.Type == AuditEventTypes.TokenRequest));
        var summary = Assert.Single(rows, e => e.Type == AuditEventTypes.RequestsSampled);
        Assert.StartsWith("180 more anonymous or refused requests from this source", summary.Reason);
        // Each row's scopes are capped, and a grant of nothing is not a second copy of them.
        Assert.All(rows, e => Assert.True((e.RequestedScopes?.Length ?? 0) <= AuditText.MaxScopesLength));
        Assert.All(rows, e => Assert.True(string.IsNullOrEmpty(e.GrantedScopes)));
        Assert.Single(await server.WaitForAuditAsync(q => q.Where(e => e.Subject == user && e.Type == AuditEventTypes.TokenRequest), e => e.Count >= 1));
    }

    [Fact]
    public async Task Refusals_past_the_burst_are_counted_not_stored_but_the_lockout_still_counts_them()
    {
        const string guesser = "192.0.2.60";
        var (user, _) = await server.NewUserAsync("sampled");
        for (var i = 0; i < 40; i++) await FromAsync(guesser, $"service={Service}", Basic(user, $"guess-{i}"));

        var rows = await server.WaitForAuditAsync(q => q.Where(e => e.ClientAddress == guesser && e.Type == AuditEventTypes.TokenRequest), e => e.Count >= 20);
        Assert.Equal(20, rows.Count);
        // The lockout is not sampled: its own events are recorded whatever the burst.
        Assert.NotEmpty(await server.WaitForAuditAsync(q => q.Where(e => e.Subject == user && e.Type == AuditEventTypes.LoginLockout), e => e.Count >= 1));
    }
}
