using System.Net;
using AuthServer.Core.Identity;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthServer.Tests.WebConsole;

public sealed class ConsoleClockFixture : AuthServerFixture
{
    public AdjustableClock Clock { get; } = new();

    protected override void Configure(Dictionary<string, string?> settings) =>
        settings["AuthServer:Lockout:AddressThreshold"] = "100000";

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}

/// <summary>The console's cookie session over plain HTTP: its timeouts, its lockout shared with /token, and what ends it.</summary>
public class ConsoleSessionTests(ConsoleClockFixture server) : IClassFixture<ConsoleClockFixture>
{
    private static bool SentToSignIn(HttpResponseMessage answer) =>
        answer.StatusCode == HttpStatusCode.Redirect && answer.Headers.Location!.OriginalString.Contains("/ui/signin", StringComparison.Ordinal);

    private async Task<ConsoleClient> SignedInAsync(string name, string password)
    {
        var client = new ConsoleClient(server.BaseAddress);
        using var answer = await client.SignInAsync(name, password);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal("/ui", answer.Headers.Location!.OriginalString);
        return client;
    }

    [Fact]
    public async Task Session_cookie_is_HttpOnly_SameSite_Strict_and_scoped_to_the_console()
    {
        var (name, password) = await server.NewUserAsync("ivan");
        using var client = new ConsoleClient(server.BaseAddress);
        using var answer = await client.SignInAsync(name, password);
        var cookie = answer.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("authserver_console=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/ui", cookie, StringComparison.OrdinalIgnoreCase);
        // Over plain http on loopback it cannot be Secure; behind TLS it is (CookieSecurePolicy.SameAsRequest).
        Assert.DoesNotContain("secure", cookie.Replace("samesite", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Session_ends_after_fifteen_idle_minutes_but_not_while_used()
    {
        var (name, password) = await server.NewUserAsync("judy");
        using var client = await SignedInAsync(name, password);
        for (var i = 0; i < 4; i++)
        {
            server.Clock.Advance(TimeSpan.FromMinutes(10));
            using var used = await client.GetAsync("/ui");
            Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        }
        server.Clock.Advance(TimeSpan.FromMinutes(16));
        using var idle = await client.GetAsync("/ui");
        Assert.True(SentToSignIn(idle), $"{(int)idle.StatusCode} {idle.Headers.Location}");
    }

    [Fact]
    public async Task Session_ends_after_eight_hours_however_busy()
    {
        var (name, password) = await server.NewUserAsync("ken");
        using var client = await SignedInAsync(name, password);
        for (var minutes = 0; minutes < 8 * 60 - 10; minutes += 10)
        {
            server.Clock.Advance(TimeSpan.FromMinutes(10));
            using var used = await client.GetAsync("/ui/me/sessions");
            Assert.True(used.StatusCode == HttpStatusCode.OK, $"after {minutes + 10} minutes: {(int)used.StatusCode}");
        }
        server.Clock.Advance(TimeSpan.FromMinutes(11));
        using var late = await client.GetAsync("/ui/me/sessions");
        Assert.True(SentToSignIn(late));
    }

    [Fact]
    public async Task Wrong_console_passwords_lock_the_account_at_the_token_endpoint_too()
    {
        var (name, password) = await server.NewUserAsync("leo");
        using var client = new ConsoleClient(server.BaseAddress);
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await client.SignInAsync(name, "not-the-password");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains("Wrong user name or password.", await wrong.Content.ReadAsStringAsync());
        }
        using var locked = await client.SignInAsync(name, password);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.True(locked.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var token = await server.Http.GetTokenAsync("service=registry", AuthServerFixture.Basic(name, password));
        Assert.Equal(HttpStatusCode.TooManyRequests, token.Status);

        var audit = await server.WaitForAuditAsync(q => q.Where(e => e.Subject == name && (e.Type == "console.sign-in" || e.Type == "login.lockout")),
            e => e.Count >= 7);
        Assert.Equal(5, audit.Count(e => e.Type == "console.sign-in" && e.Outcome == Core.Audit.AuditOutcome.Unauthorized));
        Assert.Equal(1, audit.Count(e => e.Type == "console.sign-in" && e.Outcome == Core.Audit.AuditOutcome.Locked));
        Assert.Single(audit, e => e.Type == "login.lockout");
        Assert.All(audit, e => Assert.DoesNotContain("not-the-password", e.Reason ?? ""));
    }

    [Fact]
    public async Task Access_tokens_do_not_sign_in_to_the_console()
    {
        var (name, _) = await server.NewUserAsync("mia");
        var secret = await server.NewAccessTokenAsync(name);
        using var client = new ConsoleClient(server.BaseAddress);
        using var answer = await client.SignInAsync(name, secret);
        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        var audit = await server.WaitForAuditAsync(q => q.Where(e => e.Subject == name && e.Type == "console.sign-in"), e => e.Count == 1);
        Assert.Equal("only a user's password signs in to the console", audit[0].Reason);
    }

    [Fact]
    public async Task Disabling_a_user_ends_their_console_session_at_once()
    {
        var (name, password) = await server.NewUserAsync("nina");
        using var client = await SignedInAsync(name, password);
        await server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().SetDisabledAsync(name, true, CancellationToken.None));
        // Past the user cache's revision check interval, on the server's clock.
        server.Clock.Advance(TimeSpan.FromSeconds(5));
        using var after = await client.GetAsync("/ui");
        Assert.True(SentToSignIn(after));
    }

    [Fact]
    public async Task Changing_ones_password_keeps_this_session_and_ends_the_others()
    {
        var (name, password) = await server.NewUserAsync("olga");
        using var here = await SignedInAsync(name, password);
        using var elsewhere = await SignedInAsync(name, password);

        var token = await here.FormTokenAsync("/ui/me/password");
        using var wrong = await here.PostAsync("/ui/me/password", token, ("current", "wrong-password"), ("password", "new-password-2"), ("confirm", "new-password-2"));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("The current password is wrong.", await wrong.Content.ReadAsStringAsync());

        using var changed = await here.PostAsync("/ui/me/password", token, ("current", password), ("password", "new-password-2"), ("confirm", "new-password-2"));
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        server.Clock.Advance(TimeSpan.FromSeconds(5));
        using var stays = await here.GetAsync("/ui");
        Assert.Equal(HttpStatusCode.OK, stays.StatusCode);
        using var ended = await elsewhere.GetAsync("/ui");
        Assert.True(SentToSignIn(ended));
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetTokenAsync("service=registry", AuthServerFixture.Basic(name, "new-password-2"))).Status);
    }

    [Fact]
    public async Task A_docker_login_is_revoked_by_its_owner_and_not_by_another_user()
    {
        var (victim, victimPassword) = await server.NewUserAsync("pat");
        var login = await server.Http.GetTokenAsync("service=registry&offline_token=true&client_id=docker", AuthServerFixture.Basic(victim, victimPassword));
        Assert.NotNull(login.RefreshToken);
        var session = (await server.WithServiceAsync(sp => sp.GetRequiredService<RefreshSessionService>()
            .ListAsync(new SessionFilter(User: victim), 0, 500, CancellationToken.None))).Items.Single();

        var (name, password) = await server.NewUserAsync("quinn");
        using var client = await SignedInAsync(name, password);
        var token = await client.FormTokenAsync("/ui/me/sessions");
        using var answer = await client.PostAsync("/ui/me/sessions?handler=RevokeSession", token, ("id", session.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Single((await server.WithServiceAsync(sp => sp.GetRequiredService<RefreshSessionService>()
            .ListAsync(new SessionFilter(User: victim), 0, 500, CancellationToken.None))).Items);

        // Its owner can.
        using var owner = await SignedInAsync(victim, victimPassword);
        var ownToken = await owner.FormTokenAsync("/ui/me/sessions");
        using var revoked = await owner.PostAsync("/ui/me/sessions?handler=RevokeSession", ownToken, ("id", session.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Empty((await server.WithServiceAsync(sp => sp.GetRequiredService<RefreshSessionService>()
            .ListAsync(new SessionFilter(User: victim), 0, 500, CancellationToken.None))).Items);
        var refused = await server.Http.PostTokenAsync(("grant_type", "refresh_token"), ("service", "registry"), ("client_id", "docker"), ("refresh_token", login.RefreshToken!));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
    }
}

public sealed class ConsoleOffFixture : AuthServerFixture
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["AuthServer:Console:Enabled"] = "false";
}

public class ConsoleSwitchedOffTests(ConsoleOffFixture server) : IClassFixture<ConsoleOffFixture>
{
    [Fact]
    public async Task With_the_console_switched_off_ui_is_not_there_and_tokens_are_still_issued()
    {
        foreach (var path in new[] { "/ui", "/ui/signin", "/ui/assets/console.css" })
        {
            using var answer = await server.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        }
        var token = await server.Http.GetTokenAsync("service=registry", AuthServerFixture.Basic(AuthServerFixture.AdminName, AuthServerFixture.AdminPassword));
        Assert.Equal(HttpStatusCode.OK, token.Status);
    }
}
