using System.Net;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Tokens;

/// <summary>A server whose clock the test moves forward.</summary>
public sealed class AdjustableClockFixture : AuthServerFixture
{
    public AdjustableClock Clock { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}

/// <summary>
/// A token answered again within the reuse window is the same token, so its exp has not moved:
/// the answer reports the seconds it has left, or a client computing now + expires_in (containerd
/// does) would keep it past its exp.
/// </summary>
public class TokenReuseTests(AdjustableClockFixture server) : IClassFixture<AdjustableClockFixture>
{
    [Fact]
    public async Task A_reused_token_reports_the_lifetime_it_has_left()
    {
        var query = $"service={Service}&scope=repository:admin/reused:pull";
        var first = await server.Http.GetTokenAsync(query, Basic(AdminName, AdminPassword));
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(900, first.Body.GetProperty("expires_in").GetInt32());

        server.Clock.Advance(TimeSpan.FromSeconds(5));
        var again = await server.Http.GetTokenAsync(query, Basic(AdminName, AdminPassword));

        Assert.Equal(first.Body.GetProperty("token").GetString(), again.Body.GetProperty("token").GetString());
        Assert.Equal(first.Body.GetProperty("issued_at").GetString(), again.Body.GetProperty("issued_at").GetString());
        var claims = again.Token.Payload;
        var exp = claims.GetProperty("exp").GetInt64();
        Assert.Equal(900, exp - claims.GetProperty("iat").GetInt64());
        // Five seconds moved, and a sixth if the real clock crossed a second boundary between the requests.
        Assert.InRange(again.Body.GetProperty("expires_in").GetInt32(), 894, 895);
    }

    [Fact]
    public async Task Past_the_reuse_window_a_new_token_with_the_full_lifetime_is_signed()
    {
        var query = $"service={Service}&scope=repository:admin/renewed:pull";
        var first = await server.Http.GetTokenAsync(query, Basic(AdminName, AdminPassword));

        server.Clock.Advance(TimeSpan.FromSeconds(11));
        var later = await server.Http.GetTokenAsync(query, Basic(AdminName, AdminPassword));

        Assert.NotEqual(first.Body.GetProperty("token").GetString(), later.Body.GetProperty("token").GetString());
        Assert.Equal(900, later.Body.GetProperty("expires_in").GetInt32());
    }
}
