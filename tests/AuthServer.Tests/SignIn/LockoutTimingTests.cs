using System.Net;
using AuthServer.Core.Audit;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.SignIn;

/// <summary>A one-second first lock, so the back-off can be watched run out.</summary>
public sealed class ShortLockoutFixture : AuthServerFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["AuthServer:Lockout:AccountThreshold"] = "3";
        settings["AuthServer:Lockout:BaseLockout"] = "00:00:01";
        settings["AuthServer:Lockout:AddressThreshold"] = "100000";
    }
}

public class LockoutTimingTests(ShortLockoutFixture server) : IClassFixture<ShortLockoutFixture>
{
    private Task<TokenClient.Answer> LoginAsync(string user, string password) =>
        server.Http.GetTokenAsync($"service={Service}", Basic(user, password));

    [Fact]
    public async Task The_lock_runs_out_and_each_failure_after_it_doubles_the_next()
    {
        var (user, password) = await server.NewUserAsync("uri");
        for (var i = 0; i < 3; i++) await LoginAsync(user, "wrong");
        var first = await LoginAsync(user, password);
        Assert.Equal(HttpStatusCode.TooManyRequests, first.Status);
        Assert.Equal(1, first.Headers.RetryAfter!.Delta!.Value.TotalSeconds);

        await Task.Delay(1200);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(user, "wrong")).Status);
        var second = await LoginAsync(user, password);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.Status);
        Assert.InRange(second.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 2);

        await Task.Delay(2200);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(user, password)).Status);

        var locks = await server.WaitForAuditAsync(q => q.Where(e => e.Subject == user && e.Type == AuditEventTypes.LoginLockout), e => e.Count == 2);
        Assert.Equal(["3 failed sign-ins: locked for 1 s", "4 failed sign-ins: locked for 2 s"], locks.Select(e => e.Reason));
    }
}
