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

/// <summary>One address spraying many names has its password guesses refused; credentials that cannot be guessed go on.</summary>
public class AddressLockoutTests(AddressLockoutFixture server) : IClassFixture<AddressLockoutFixture>
{
    [Fact]
    public async Task An_address_that_fails_too_often_has_its_passwords_refused_but_robots_and_anonymous_go_on()
    {
        var (user, password) = await server.NewUserAsync("val");
        var (robot, secret) = await server.NewRobotAsync();
        for (var i = 0; i < 4; i++) await server.Http.GetTokenAsync($"service={Service}", Basic(UniqueName("spray"), "password-1"));
        for (var i = 0; i < 4; i++) await server.Http.GetTokenAsync($"service={Service}", Basic(robot, "asrb_wrong"));

        var withPassword = await server.Http.GetTokenAsync($"service={Service}", Basic(user, password));
        var withRobot = await server.Http.GetTokenAsync($"service={Service}", Basic(robot, secret));
        var anonymous = await server.Http.GetTokenAsync($"service={Service}");

        Assert.Equal(HttpStatusCode.TooManyRequests, withPassword.Status);
        Assert.Equal(HttpStatusCode.OK, withRobot.Status);
        Assert.Equal(HttpStatusCode.OK, anonymous.Status);

        var lockout = await server.WaitForAuditAsync(q => q.Where(e => e.Subject == "address:127.0.0.1"), e => e.Count > 0);
        Assert.Equal("8 failed sign-ins: password guesses from this source slowed to 1 per 60 s", Assert.Single(lockout).Reason);
    }
}
