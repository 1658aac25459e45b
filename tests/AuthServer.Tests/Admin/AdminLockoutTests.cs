using System.Net;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Admin;

/// <summary>Its own server: the lockout it provokes must not spill into other tests.</summary>
public class AdminLockoutTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    [Fact]
    public async Task Failed_admin_sign_ins_lock_the_account_as_at_the_token_endpoint()
    {
        var (admin, password) = await server.NewUserAsync("ops", admin: true);
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await server.AdminClient(Basic(admin, $"wrong-{i}-password")).ApiGetAsync("/api/v1/users")).Status);

        var locked = await server.AdminClient(Basic(admin, password)).ApiGetAsync("/api/v1/users");
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.Status);
        Assert.NotNull(locked.Response.Headers.RetryAfter);
        // The same counter as /token: the password is refused there too.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await server.Http.GetTokenAsync($"service={Service}", Basic(admin, password))).Status);

        var unlocked = await server.AdminClient().ApiPostAsync($"/api/v1/users/{admin}/unlock");
        Assert.Equal(HttpStatusCode.NoContent, unlocked.Status);
        Assert.Equal(HttpStatusCode.OK, (await server.AdminClient(Basic(admin, password)).ApiGetAsync("/api/v1/users")).Status);
    }
}
