using System.Net;
using AuthServer.Core.Audit;
using AuthServer.Core.Identity;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;
using static AuthServer.Tests.Infrastructure.FixtureExtensions;

namespace AuthServer.Tests.SignIn;

/// <summary>The shipped lockout settings (5 failures per account and source, then 1 per 2 min), with the address count out of the way.</summary>
public sealed class AccountLockoutFixture : AuthServerFixture
{
    protected override void Configure(Dictionary<string, string?> settings) =>
        settings["AuthServer:Lockout:AddressThreshold"] = "100000";
}

/// <summary>Password guessing against one account: locked after 5 failures, before any bcrypt work.</summary>
public class LockoutTests(AccountLockoutFixture server) : IClassFixture<AccountLockoutFixture>
{
    private readonly HttpClient _http = server.Http;

    private Task<TokenClient.Answer> LoginAsync(string user, string password) =>
        _http.GetTokenAsync($"service={Service}&account={user}", Basic(user, password));

    [Fact]
    public async Task Twenty_wrong_passwords_then_the_right_one_is_refused_while_locked()
    {
        var (user, password) = await server.NewUserAsync("mallory");

        var answers = new List<TokenClient.Answer>();
        for (var i = 0; i < 20; i++) answers.Add(await LoginAsync(user, $"guess-{i}"));
        var right = await LoginAsync(user, password);

        Assert.All(answers.Take(5), a => Assert.Equal(HttpStatusCode.Unauthorized, a.Status));
        Assert.All(answers.Skip(5), a => Assert.Equal(HttpStatusCode.TooManyRequests, a.Status));
        Assert.Equal(HttpStatusCode.TooManyRequests, right.Status);
        Assert.Equal("TOOMANYREQUESTS", right.ErrorCode);
        var retryAfter = right.Headers.RetryAfter?.Delta ?? throw new Xunit.Sdk.XunitException("no Retry-After");
        Assert.InRange(retryAfter.TotalSeconds, 1, 120);
        Assert.Contains($"{(int)retryAfter.TotalSeconds} seconds", right.ErrorMessage);
    }

    [Fact]
    public async Task A_locked_request_costs_no_password_hashing()
    {
        var (user, password) = await server.NewUserAsync("nina");
        var hasher = server.Services.GetRequiredService<PasswordHasher>();
        for (var i = 0; i < 5; i++) await LoginAsync(user, $"guess-{i}");

        var before = hasher.Verifications;
        for (var i = 0; i < 10; i++) Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync(user, $"more-{i}")).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync(user, password)).Status);

        // Other tests of this class run in sequence, so nothing else hashes in between.
        Assert.Equal(before, hasher.Verifications);
    }

    [Fact]
    public async Task Unknown_and_existing_accounts_lock_alike()
    {
        var (user, _) = await server.NewUserAsync("olga");
        var unknown = UniqueName("ghost");
        for (var i = 0; i < 6; i++)
        {
            await LoginAsync(user, $"guess-{i}");
            await LoginAsync(unknown, $"guess-{i}");
        }
        var lockedKnown = await LoginAsync(user, "guess-x");
        var lockedUnknown = await LoginAsync(unknown, "guess-x");

        Assert.Equal(HttpStatusCode.TooManyRequests, lockedKnown.Status);
        Assert.Equal(lockedKnown.Status, lockedUnknown.Status);
        Assert.Equal(lockedKnown.ErrorCode, lockedUnknown.ErrorCode);
    }

    [Fact]
    public async Task A_successful_login_resets_the_count()
    {
        var (user, password) = await server.NewUserAsync("pia");
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(user, $"guess-{i}")).Status);
            Assert.Equal(HttpStatusCode.OK, (await LoginAsync(user, password)).Status);
        }
    }

    [Fact]
    public async Task A_locked_account_does_not_hold_up_other_users()
    {
        var (victim, _) = await server.NewUserAsync("quinn");
        var (bystander, password) = await server.NewUserAsync("rita");
        var flood = Enumerable.Range(0, 40).Select(i => LoginAsync(victim, $"guess-{i}")).ToList();
        var meanwhile = await LoginAsync(bystander, password);
        await Task.WhenAll(flood);

        Assert.Equal(HttpStatusCode.OK, meanwhile.Status);
        Assert.Contains(flood, f => f.Result.Status == HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task An_access_token_still_works_while_its_users_password_is_locked()
    {
        var (user, password) = await server.NewUserAsync("sam");
        var token = await server.NewAccessTokenAsync(user);
        for (var i = 0; i < 6; i++) await LoginAsync(user, $"guess-{i}");

        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync(user, password)).Status);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(user, token)).Status);
    }

    [Fact]
    public async Task An_administrator_can_unlock_and_the_lockout_is_audited()
    {
        var (user, password) = await server.NewUserAsync("tom");
        for (var i = 0; i < 5; i++) await LoginAsync(user, $"guess-{i}");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync(user, password)).Status);

        await server.WithServiceAsync(sp => sp.GetRequiredService<AuthServer.Core.SignIn.LockoutService>().UnlockUserAsync(user, CancellationToken.None));
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(user, password)).Status);

        var events = await server.WaitForAuditAsync(q => q.Where(e => e.Subject == user), e => e.Any(x => x.Outcome == AuditOutcome.Granted));
        var lockout = Assert.Single(events, e => e.Type == AuditEventTypes.LoginLockout);
        Assert.Equal(AuditOutcome.Locked, lockout.Outcome);
        Assert.Equal("5 failed sign-ins from one source: its guesses at this account slowed to 1 per 2 min", lockout.Reason);
        Assert.Contains(events, e => e.Type == AuditEventTypes.TokenRequest && e.Outcome == AuditOutcome.Locked);
        Assert.Contains(events, e => e.Type == AuditEventTypes.LockoutRelease && e.Actor == "system");
        Assert.Equal(5, events.Count(e => e.Type == AuditEventTypes.TokenRequest && e.Outcome == AuditOutcome.Unauthorized && e.Reason == "wrong password"));
    }
}
