using System.Net;
using AuthServer.Core.Audit;
using AuthServer.Core.SignIn;
using AuthServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;
using static AuthServer.Tests.Infrastructure.FixtureExtensions;

namespace AuthServer.Tests.SignIn;

/// <summary>Loopback is the trusted proxy, so each test can sign in from as many addresses as it likes; the shipped lockout settings.</summary>
public sealed class ManySourcesFixture : AuthServerFixture
{
    protected override void Configure(Dictionary<string, string?> settings) =>
        settings["AuthServer:Network:TrustedProxies:0"] = "127.0.0.1";
}

/// <summary>
/// Smart lockout (docs/security.md, "Password guessing"): an attacker who knows a name cannot lock
/// its owner out, one broken client cannot lock out its neighbours behind a NAT, and guessing is
/// still stopped. Each test takes addresses of its own (from its own /16), so they do not meet.
/// </summary>
public class SmartLockoutTests(ManySourcesFixture server) : IClassFixture<ManySourcesFixture>
{
    private static int _network;

    /// <summary>A block of addresses no other test uses: 10.N.x.y.</summary>
    private static Func<int, string> NewNetwork()
    {
        var n = Interlocked.Increment(ref _network);
        return i => $"10.{n}.{i / 250}.{(i % 250) + 1}";
    }

    private async Task<TokenClient.Answer> LoginFromAsync(string address, string user, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/token?service={Service}");
        request.Headers.Authorization = Basic(user, secret);
        request.Headers.Add("X-Forwarded-For", address);
        return await server.Http.SendForAnswerAsync(request);
    }

    [Fact]
    public async Task Guessing_from_elsewhere_cannot_lock_the_owner_out_of_a_familiar_source()
    {
        var at = NewNetwork();
        var (user, password) = await server.NewUserAsync("owner");
        Assert.Equal(HttpStatusCode.OK, (await LoginFromAsync(at(0), user, password)).Status);

        // 60 guesses from 20 addresses: every count the lockout keeps for them fills.
        var guesses = new List<HttpStatusCode>();
        for (var i = 1; i <= 60; i++) guesses.Add((await LoginFromAsync(at(1 + (i % 20)), user, $"guess-{i}")).Status);
        Assert.Contains(HttpStatusCode.TooManyRequests, guesses);

        // A verified password passes anywhere (the password cache); a new one must go through bcrypt and the lockout.
        var changed = "changed-password-1";
        await server.WithServiceAsync(sp => sp.GetRequiredService<Core.Identity.UserService>().SetPasswordAsync(user, changed, CancellationToken.None));
        // From an address the owner never used, it waits: that is where the guessing comes from...
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginFromAsync(at(100), user, changed)).Status);
        // ...but the owner, at the address they signed in from before, is in.
        Assert.Equal(HttpStatusCode.OK, (await LoginFromAsync(at(0), user, changed)).Status);
    }

    [Fact]
    public async Task A_guessing_run_spread_over_many_addresses_is_slowed_for_unfamiliar_sources_with_a_bounded_wait()
    {
        var at = NewNetwork();
        var (user, password) = await server.NewUserAsync("target");
        // Ten addresses, one guess each: no address reaches its own threshold.
        for (var i = 0; i < 10; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await LoginFromAsync(at(i), user, $"guess-{i}")).Status);

        var eleventh = await LoginFromAsync(at(10), user, password);
        Assert.Equal(HttpStatusCode.TooManyRequests, eleventh.Status);
        // One guess per UnfamiliarLeak (10 min) from all unfamiliar sources together: never more than that wait.
        Assert.InRange(eleventh.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 600);

        var locks = await server.WaitForAuditAsync(q => q.Where(e => e.Subject == user && e.Type == AuditEventTypes.LoginLockout), e => e.Count == 1);
        Assert.StartsWith("10 failed sign-ins from unfamiliar sources", locks[0].Reason);
    }

    [Fact]
    public async Task A_verified_password_and_high_entropy_credentials_pass_whatever_others_did()
    {
        var at = NewNetwork();
        var (user, password) = await server.NewUserAsync("ci");
        var token = await server.NewAccessTokenAsync(user);
        var (robot, secret) = await server.NewRobotAsync();
        Assert.Equal(HttpStatusCode.OK, (await LoginFromAsync(at(0), user, password)).Status);
        var offline = await server.Http.PostTokenAsync(("grant_type", "password"), ("service", Service), ("client_id", "test"),
            ("access_type", "offline"), ("username", user), ("password", password));
        var refreshToken = offline.RefreshToken!;

        // One address sprays names until it is refused, and unfamiliar guesses at the user fill the account's count.
        var sprayer = at(1);
        for (var i = 0; i < 40; i++) await LoginFromAsync(sprayer, UniqueName("spray"), "guess-1");
        for (var i = 0; i < 12; i++) await LoginFromAsync(at(2 + i), user, $"guess-{i}");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginFromAsync(sprayer, UniqueName("spray"), "guess-1")).Status);

        // From the refused address itself: the password verified a moment ago, an access token, a robot secret.
        Assert.Equal(HttpStatusCode.OK, (await LoginFromAsync(sprayer, user, password)).Status);
        Assert.Equal(HttpStatusCode.OK, (await LoginFromAsync(sprayer, user, token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await LoginFromAsync(sprayer, robot, secret)).Status);
        using var refresh = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("service", Service), new("client_id", "test"), new("refresh_token", refreshToken)]),
        };
        refresh.Headers.Add("X-Forwarded-For", sprayer);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.SendForAnswerAsync(refresh)).Status);
    }

    [Fact]
    public async Task One_broken_client_behind_a_NAT_does_not_lock_out_its_neighbours()
    {
        var office = NewNetwork()(0);
        var (broken, _) = await server.NewUserAsync("broken");
        var (colleague, password) = await server.NewUserAsync("colleague");

        // A CI job with a stale password retries all day: its own account and address pair is slowed...
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 100; i++) answers.Add((await LoginFromAsync(office, broken, "stale-password")).Status);
        Assert.Equal(5, answers.Count(a => a == HttpStatusCode.Unauthorized));

        // ...and only that: a colleague at the same address signs in for the first time.
        Assert.Equal(HttpStatusCode.OK, (await LoginFromAsync(office, colleague, password)).Status);
    }

    [Fact]
    public async Task Familiar_sources_are_kept_in_the_database_so_they_survive_a_restart()
    {
        var at = NewNetwork();
        var (user, password) = await server.NewUserAsync("remembered");
        Assert.Equal(HttpStatusCode.OK, (await LoginFromAsync(at(0), user, password)).Status);
        var userId = await server.WithServiceAsync(sp => sp.GetRequiredService<Core.Data.AuthServerDbContext>().Users
            .Where(u => u.Name == user).Select(u => u.Id).SingleAsync());

        // A fresh instance, as a restarted process has: it knows only what the database holds.
        var restarted = new FamiliarSources(
            server.Services.GetRequiredService<IDbContextFactory<Core.Data.AuthServerDbContext>>(),
            server.Services.GetRequiredService<IOptions<LockoutOptions>>(), TimeProvider.System, NullLogger<FamiliarSources>.Instance);
        Assert.True(await restarted.IsFamiliarAsync(userId, at(0), CancellationToken.None));
        Assert.False(await restarted.IsFamiliarAsync(userId, at(1), CancellationToken.None));
    }
}
