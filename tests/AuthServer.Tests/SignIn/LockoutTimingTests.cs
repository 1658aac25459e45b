using System.Net;
using AuthServer.Core.Audit;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.SignIn;

/// <summary>A clock the test moves, and a 10-second leak, so the lock can be watched run out without waiting.</summary>
public sealed class ShortLockoutFixture : AuthServerFixture
{
    public AdjustableClock Clock { get; } = new();

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["AuthServer:Lockout:AccountThreshold"] = "3";
        settings["AuthServer:Lockout:AccountLeak"] = "00:00:10";
        settings["AuthServer:Lockout:AddressThreshold"] = "100000";
        settings["AuthServer:Lockout:UnfamiliarThreshold"] = "100000";
    }

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}

public class LockoutTimingTests(ShortLockoutFixture server) : IClassFixture<ShortLockoutFixture>
{
    private Task<TokenClient.Answer> LoginAsync(string user, string password) =>
        server.Http.GetTokenAsync($"service={Service}", Basic(user, password));

    [Fact]
    public async Task A_patient_guesser_gets_one_guess_per_leak_and_the_wait_never_grows()
    {
        var (user, password) = await server.NewUserAsync("uri");
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(user, "wrong")).Status);

        // The old lock doubled on each guess after it; an attacker spending one guess per lock kept
        // the owner out for ever longer. Now: one guess per 10 s, and the wait stays 10 s.
        for (var round = 0; round < 8; round++)
        {
            var held = await LoginAsync(user, password);
            Assert.Equal(HttpStatusCode.TooManyRequests, held.Status);
            Assert.InRange(held.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 10);
            server.Clock.Advance(TimeSpan.FromSeconds(10.5));
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(user, "still-wrong")).Status);
        }

        // Once the guessing stops, the failures leak away and the owner is in.
        server.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(user, password)).Status);

        var locks = await server.WaitForAuditAsync(q => q.Where(e => e.Subject == user && e.Type == AuditEventTypes.LoginLockout), e => e.Count >= 1);
        Assert.Equal("3 failed sign-ins from one source: its guesses at this account slowed to 1 per 10 s", locks[0].Reason);
    }
}
