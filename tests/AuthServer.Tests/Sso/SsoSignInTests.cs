using System.Net;
using System.Text.RegularExpressions;
using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using AuthServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Sso;

/// <summary>
/// Single sign-on for people (issue 19, item 2) against a real OpenID provider: the browser flow
/// driven over HTTP through the provider's own login and consent pages, the user it provisions,
/// the CLI secret made on the page and used at /token, and the people it refuses.
/// </summary>
public partial class SsoSignInTests(SsoFixture server) : IClassFixture<SsoFixture>
{
    private Uri At(string path) => new(server.BaseAddress, path);

    private async Task<(SsoBrowser Browser, Uri Landed, HttpResponseMessage Page)> SignInAsync(string login, string start = "/login")
    {
        var browser = new SsoBrowser();
        var (url, page) = await browser.BrowseAsync(At(start), server.ProviderAddress, login);
        if (url.AbsolutePath == "/ui/signin" && page.StatusCode == HttpStatusCode.OK)
        {
            // /login shows the sign-in page; the person picks the provider there.
            var html = await page.Content.ReadAsStringAsync();
            var link = ProviderLink().Match(html);
            Assert.True(link.Success, $"the sign-in page offers no provider:\n{html}");
            (url, page) = await browser.BrowseAsync(new Uri(url, WebUtility.HtmlDecode(link.Groups[1].Value)), server.ProviderAddress, login);
        }
        return (browser, url, page);
    }

    [Fact]
    public async Task A_person_signs_in_at_the_provider_and_makes_a_cli_secret_that_docker_login_accepts_until_revoked()
    {
        await server.AddRuleAsync(new RuleSpec(RuleEffect.Allow, "group:devs", "repository", "devs/**", ["pull", "push"]));
        var (browser, landed, page) = await SignInAsync("alice");
        using var _ = browser;

        // The provider's callback gives the console's session and lands on a page that goes on to the CLI secrets.
        Assert.Equal(SsoContinue, landed.AbsolutePath);
        Assert.Contains("url=/ui/me/tokens", await page.Content.ReadAsStringAsync());
        var callback = browser.Trail.Single(t => t.Url.AbsolutePath == "/login/test/callback").Answer;
        var cookie = callback.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("authserver_console=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        // PKCE: the provider refuses this client any authorization request without a code challenge
        // (provider.mjs), so getting this far proves it. The request itself was pushed (PAR, which
        // the provider offers), so the browser carried only its reference.
        Assert.Contains(browser.Trail, t => t.Url.Authority == server.ProviderAddress.Authority && t.Url.Query.Contains("request_uri=", StringComparison.Ordinal));

        using var tokensPage = await browser.GetAsync(At("/ui/me/tokens"));
        var tokensHtml = await tokensPage.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, tokensPage.StatusCode);
        Assert.Contains("You signed in with <strong>Test Provider</strong>", tokensHtml);
        Assert.DoesNotContain(">never<", tokensHtml);

        var user = await UserAsync("alice");
        Assert.Equal("oidc:test", user.Source);
        Assert.Equal("alice", user.ExternalId);
        Assert.Equal("", user.PasswordHash);
        Assert.Equal(["devs", "registry-users"], user.Memberships.Select(m => m.Group.Name).Order());

        // The CLI secret: shown once with the docker login command.
        var form = await browser.FormTokenAsync(At("/ui/me/tokens"));
        using var created = await browser.PostAsync(At("/ui/me/tokens?handler=Create"),
            ("__RequestVerificationToken", form), ("Input.Name", "laptop"), ("Input.ExpiresInDays", "30"));
        var createdHtml = await created.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var secret = WebUtility.HtmlDecode(SecretValue().Match(createdHtml).Groups[1].Value);
        Assert.StartsWith(Secrets.AccessTokenPrefix, secret);
        Assert.Contains($"docker login -u alice {Service}", createdHtml);

        var docker = await server.Http.GetTokenAsync($"service={Service}&scope=repository:devs/app:pull,push&account=alice", Basic("alice", secret));
        Assert.Equal(HttpStatusCode.OK, docker.Status);
        Assert.Equal(["pull", "push"], docker.Token.ActionsFor("repository", "devs/app"));
        var oauth = await server.Http.PostTokenAsync(("grant_type", "password"), ("service", Service), ("client_id", "sso-test"),
            ("username", "alice"), ("password", secret), ("scope", "repository:devs/app:pull"));
        Assert.Equal(HttpStatusCode.OK, oauth.Status);
        var curl = await ExternalTool.RunAsync(Tools.Require("curl", "curl"), server.DataDirectory, TimeSpan.FromSeconds(30),
            "-s", "-o", "/dev/null", "-w", "%{http_code}", "-u", $"alice:{secret}", At($"/token?service={Service}&scope=repository:devs/app:pull").ToString());
        Assert.Equal("200", curl.Output);

        // Listed, then revoked on the page: refused from the next request on.
        Assert.Contains(">laptop<", tokensHtml + await (await browser.GetAsync(At("/ui/me/tokens"))).Content.ReadAsStringAsync());
        form = await browser.FormTokenAsync(At("/ui/me/tokens"));
        using var revoked = await browser.PostAsync(At("/ui/me/tokens?handler=RevokeToken"), ("__RequestVerificationToken", form), ("token", "laptop"));
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        var refused = await server.Http.GetTokenAsync($"service={Service}&scope=repository:devs/app:pull", Basic("alice", secret));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);

        // Audited with the provider, subject and groups; no ID token (nor any JWT) in the log or the audit.
        var events = await server.WaitForAuditAsync(q => q.Where(e => e.Type == AuditEventTypes.SsoSignIn && e.Subject == "alice"), e => e.Count > 0);
        Assert.Equal(AuditOutcome.Success, events[0].Outcome);
        Assert.Contains("\"provider\":\"test\"", events[0].Details);
        Assert.Contains("\"subject\":\"alice\"", events[0].Details);
        Assert.Contains("\"devs\"", events[0].Details);
        var everything = string.Join('\n', server.Logs.Lines) + string.Join('\n', (await server.AuditEventsAsync()).Select(e => e.Summary()));
        var providerTokens = JwtShape().Matches(everything).Select(m => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(m.Value.Split('.')[0]))
            .Where(header => header.Contains(OidcTestProvider.SigningKeyId, StringComparison.Ordinal));
        Assert.Empty(providerTokens);
    }

    [Fact]
    public async Task A_person_outside_the_required_group_is_refused_and_audited()
    {
        var (browser, landed, page) = await SignInAsync("bob");
        using var _ = browser;

        Assert.Equal("/ui/signin", landed.AbsolutePath);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains("Your Test Provider account may not sign in here", await page.Content.ReadAsStringAsync());
        using var console = await browser.GetAsync(At("/ui"));
        Assert.Equal(HttpStatusCode.Redirect, console.StatusCode);
        Assert.Null(await FindUserAsync("bob"));
        var events = await server.WaitForAuditAsync(q => q.Where(e => e.Type == AuditEventTypes.SsoSignIn && e.Subject == "bob"), e => e.Count > 0);
        Assert.Equal(AuditOutcome.Unauthorized, events[0].Outcome);
        Assert.Contains("required group 'registry-users'", events[0].Reason);
    }

    [Fact]
    public async Task A_provider_account_that_claims_a_local_users_name_never_becomes_that_user()
    {
        var (browser, landed, page) = await SignInAsync("mallory");
        using var _ = browser;

        Assert.Equal("/ui/signin", landed.AbsolutePath);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        var admin = await UserAsync(AdminName);
        Assert.Equal(IdentitySources.Local, admin.Source);
        Assert.NotEqual("", admin.PasswordHash);
        var events = await server.WaitForAuditAsync(q => q.Where(e => e.Type == AuditEventTypes.SsoSignIn && e.Subject == AdminName), e => e.Count > 0);
        Assert.Contains("belongs to a user of the local source", events[0].Reason);
    }

    [Fact]
    public async Task An_sso_user_made_administrator_gets_the_admin_pages_and_others_get_403()
    {
        var (carol, _, _) = await SignInAsync("carol");
        using (carol)
        {
            using var before = await carol.GetAsync(At("/ui/admin"));
            Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        }
        await server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().SetAdminAsync("carol", true, CancellationToken.None));

        // The role change ended her session (new security stamp); she signs in again.
        var (again, landed, _) = await SignInAsync("carol", "/login/test?returnUrl=/ui/admin");
        using var __ = again;
        Assert.Equal(SsoContinue, landed.AbsolutePath);
        using var admin = await again.GetAsync(At("/ui/admin"));
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("(administrator)", await admin.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_sso_user_has_no_password_here_and_no_cli_secret_without_an_expiry()
    {
        var (browser, _, _) = await SignInAsync("alice");
        using var _ = browser;

        var password = await server.Http.GetTokenAsync($"service={Service}&scope=repository:devs/app:pull", Basic("alice", "any-password-at-all"));
        Assert.Equal(HttpStatusCode.Unauthorized, password.Status);

        var form = await browser.FormTokenAsync(At("/ui/me/tokens"));
        using var forever = await browser.PostAsync(At("/ui/me/tokens?handler=Create"),
            ("__RequestVerificationToken", form), ("Input.Name", "forever"), ("Input.ExpiresInDays", "0"));
        Assert.Equal(HttpStatusCode.BadRequest, forever.StatusCode);
        Assert.Contains("expire within 30 days", await forever.Content.ReadAsStringAsync());

        using var passwordPage = await browser.GetAsync(At("/ui/me/password"));
        Assert.Contains("your password is kept there", await passwordPage.Content.ReadAsStringAsync());
        form = await browser.FormTokenAsync(At("/ui/me/tokens"));
        using var change = await browser.PostAsync(At("/ui/me/password"), ("__RequestVerificationToken", form), ("current", "x"), ("password", "a-new-password-1"), ("confirm", "a-new-password-1"));
        Assert.Equal(HttpStatusCode.Conflict, change.StatusCode);
    }

    [Fact]
    public async Task A_callback_that_did_not_start_here_is_refused_and_audited()
    {
        using var browser = new SsoBrowser();
        using var answer = await browser.GetAsync(At("/login/test/callback?code=made-up&state=made-up"));

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal("/ui/signin?failed=test", answer.Headers.Location!.OriginalString);
        using var page = await browser.GetAsync(At("/ui/signin?failed=test"));
        Assert.Contains("Sign-in with Test Provider did not complete", await page.Content.ReadAsStringAsync());
        await server.WaitForAuditAsync(q => q.Where(e => e.Type == AuditEventTypes.SsoSignIn && e.Outcome == AuditOutcome.Unauthorized && e.Subject == null), e => e.Count > 0);
    }

    [Fact]
    public async Task An_unknown_provider_is_a_404_and_front_channel_sign_out_addresses_are_not_served()
    {
        using var browser = new SsoBrowser();
        using var unknown = await browser.GetAsync(At("/login/nobody"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var signout = await browser.GetAsync(At("/signout-oidc"));
        Assert.Equal(HttpStatusCode.NotFound, signout.StatusCode);
    }

    private const string SsoContinue = "/login/continue";

    private Task<User> UserAsync(string name) => FindUserAsync(name).ContinueWith(t => t.Result ?? throw new InvalidOperationException($"no user {name}"));

    private Task<User?> FindUserAsync(string name) => server.WithServiceAsync(sp =>
        sp.GetRequiredService<AuthServerDbContext>().Users.AsNoTracking().Include(u => u.Memberships).ThenInclude(m => m.Group)
            .SingleOrDefaultAsync(u => u.NormalizedName == name));

    [GeneratedRegex("<a href=\"(/login/test\\?[^\"]*)\">")]
    private static partial Regex ProviderLink();

    [GeneratedRegex("<output id=\"secret-value\" class=\"mono\">([^<]+)</output>")]
    private static partial Regex SecretValue();

    // Any JWT; the provider's (its ID tokens) are those whose header names its key.
    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+")]
    private static partial Regex JwtShape();
}
