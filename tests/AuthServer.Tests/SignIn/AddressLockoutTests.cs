using System.Net;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;
using static AuthServer.Tests.Infrastructure.FixtureExtensions;

namespace AuthServer.Tests.SignIn;

public sealed class AddressLockoutFixture : AuthServerFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["AuthServer:Lockout:AccountThreshold"] = "1000";
        settings["AuthServer:Lockout:AddressThreshold"] = "8";
    }
}

/// <summary>One address spraying many names is locked as a whole, whatever credentials it tries.</summary>
public class AddressLockoutTests(AddressLockoutFixture server) : IClassFixture<AddressLockoutFixture>
{
    [Fact]
    public async Task An_address_that_fails_too_often_is_refused_even_with_good_credentials_but_anonymous_goes_on()
    {
        var (user, password) = await server.NewUserAsync("val");
        var (robot, secret) = await server.NewRobotAsync();
        for (var i = 0; i < 4; i++) await server.Http.GetTokenAsync($"service={Service}", Basic(UniqueName("spray"), "password-1"));
        for (var i = 0; i < 4; i++) await server.Http.GetTokenAsync($"service={Service}", Basic(robot, "asrb_wrong"));

        var withPassword = await server.Http.GetTokenAsync($"service={Service}", Basic(user, password));
        var withRobot = await server.Http.GetTokenAsync($"service={Service}", Basic(robot, secret));
        var anonymous = await server.Http.GetTokenAsync($"service={Service}");

        Assert.Equal(HttpStatusCode.TooManyRequests, withPassword.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, withRobot.Status);
        Assert.Equal(HttpStatusCode.OK, anonymous.Status);

        var lockout = await server.WaitForAuditAsync(q => q.Where(e => e.Subject == "address:127.0.0.1"), e => e.Count > 0);
        Assert.Equal("8 failed sign-ins: locked for 30 s", Assert.Single(lockout).Reason);
    }
}
