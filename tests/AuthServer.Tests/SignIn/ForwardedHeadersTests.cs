using System.Net;
using AuthServer.Core.Audit;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.SignIn;

/// <summary>Loopback is configured as the reverse proxy in front of the server.</summary>
public sealed class BehindProxyFixture : AuthServerFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["AuthServer:Network:TrustedProxies:0"] = "127.0.0.1";
        settings["AuthServer:Lockout:AccountThreshold"] = "1000";
        settings["AuthServer:Lockout:AddressThreshold"] = "3";
    }
}

public class BehindProxyTests(BehindProxyFixture server) : IClassFixture<BehindProxyFixture>
{
    private async Task<TokenClient.Answer> LoginFromAsync(string forwardedFor, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/token?service={Service}");
        request.Headers.Authorization = Basic(user, password);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await server.Http.SendForAnswerAsync(request);
    }

    [Fact]
    public async Task A_trusted_proxy_names_the_client_and_failures_count_per_real_client()
    {
        var (user, password) = await server.NewUserAsync("wendy");
        for (var i = 0; i < 3; i++) await LoginFromAsync("203.0.113.7", user, "wrong");

        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginFromAsync("203.0.113.7", user, password)).Status);
        // Another client behind the same proxy is not held up by the first one's lock.
        Assert.Equal(HttpStatusCode.OK, (await LoginFromAsync("198.51.100.20", user, password)).Status);

        var events = await server.WaitForAuditAsync(q => q.Where(e => e.Subject == user && e.Type == AuditEventTypes.TokenRequest), e => e.Count >= 5);
        Assert.Equal(4, events.Count(e => e.ClientAddress == "203.0.113.7"));
        Assert.Contains(events, e => e.ClientAddress == "198.51.100.20" && e.Outcome == AuditOutcome.Granted);
    }

    [Fact]
    public async Task Ipv6_clients_are_counted_by_their_slash_64()
    {
        var (user, password) = await server.NewUserAsync("xena");
        for (var i = 0; i < 3; i++) await LoginFromAsync($"2001:db8:1:2::{i + 1}", user, "wrong");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginFromAsync("2001:db8:1:2:ffff::9", user, password)).Status);
        Assert.Equal(HttpStatusCode.OK, (await LoginFromAsync("2001:db8:1:3::1", user, password)).Status);
    }
}

/// <summary>No proxy configured: X-Forwarded-For is anyone's to send, so it is ignored.</summary>
public class UntrustedForwardedForTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    [Fact]
    public async Task X_forwarded_for_from_an_unconfigured_peer_is_ignored()
    {
        var (user, password) = await server.NewUserAsync("yuri");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/token?service={Service}&offline_token=true&client_id=docker");
        request.Headers.Authorization = Basic(user, password);
        request.Headers.Add("X-Forwarded-For", "203.0.113.99");
        Assert.Equal(HttpStatusCode.OK, (await server.Http.SendForAnswerAsync(request)).Status);

        var granted = Assert.Single(await server.WaitForAuditAsync(q => q.Where(e => e.Subject == user && e.Type == AuditEventTypes.TokenRequest), e => e.Count > 0));
        Assert.Equal("127.0.0.1", granted.ClientAddress);
    }
}
