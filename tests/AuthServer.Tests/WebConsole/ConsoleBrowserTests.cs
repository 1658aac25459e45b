using System.Net;
using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace AuthServer.Tests.WebConsole;

/// <summary>
/// The console in a real headless Chromium against a real server on loopback: what a person
/// clicks, types and reads. Screenshots of the main pages go to TestResults/console/.
/// </summary>
public class ConsoleBrowserTests(BrowserFixture server) : IClassFixture<BrowserFixture>
{
    private ChromeDriver Browser => server.Browser;

    private IWebElement Field(string name) => Browser.FindElement(By.Name(name));

    private void Submit(string formSelector) => server.ClickAndWait(Browser.FindElement(By.CssSelector($"{formSelector} button[type=submit]")));

    /// <summary>Opens the "Revoke…" or "Delete…" disclosure in the table row naming <paramref name="row"/> and confirms it.</summary>
    private void ConfirmInRow(string row)
    {
        var tr = Browser.FindElement(By.XPath($"//tr[td[contains(normalize-space(.), '{row}')]]"));
        tr.FindElement(By.CssSelector("details.confirm > summary")).Click();
        server.ClickAndWait(tr.FindElement(By.CssSelector("details.confirm button.danger")));
    }

    [Fact]
    public async Task Administrator_signs_in_and_out_and_the_old_session_is_gone()
    {
        // Some traffic for the dashboard to count: granted, partly denied and refused requests.
        var (user, password) = await server.NewUserAsync("traffic");
        for (var i = 0; i < 6; i++) await server.Http.GetTokenAsync($"service=registry&scope=repository:{user}/app:pull", AuthServerFixture.Basic(user, password));
        for (var i = 0; i < 2; i++) await server.Http.GetTokenAsync("service=registry&scope=repository:elsewhere/app:pull", AuthServerFixture.Basic(user, password));
        for (var i = 0; i < 3; i++) await server.Http.GetTokenAsync("service=registry", AuthServerFixture.Basic(user, "wrong-password"));
        await server.WaitForAuditAsync(q => q.Where(e => e.Type == "token.request" && e.Subject == user), e => e.Count == 11);

        server.SignIn(AuthServerFixture.AdminName, AuthServerFixture.AdminPassword);
        Assert.Equal("/ui", server.CurrentPath);
        Assert.Contains("Signed in as admin (administrator)", Browser.FindElement(By.CssSelector("header.top")).Text);
        server.Open("/ui/admin");
        Assert.Contains("Token requests per minute", server.MainText);
        Assert.Contains("database", server.MainText);
        // Other tests of this class share the server, so at least these eleven, drawn as bars.
        Assert.True(int.Parse(Browser.FindElement(By.CssSelector(".cards .big")).Text, System.Globalization.CultureInfo.InvariantCulture) >= 11);
        Assert.NotEmpty(Browser.FindElements(By.CssSelector(".chart svg rect")));
        server.Screenshot("dashboard");

        var cookie = Browser.Manage().Cookies.GetCookieNamed("authserver_console");
        Assert.NotNull(cookie);
        Assert.True(cookie.IsHttpOnly);
        Assert.Equal("Strict", cookie.SameSite);

        server.ClickAndWait(Browser.FindElement(By.CssSelector("header.top form button")));
        Assert.Equal("/ui/signin", server.CurrentPath);
        server.Open("/ui/admin");
        Assert.Equal("/ui/signin", server.CurrentPath);
        server.Screenshot("sign-in");
    }

    [Fact]
    public async Task Administrator_creates_a_user_who_can_then_sign_in()
    {
        server.SignIn(AuthServerFixture.AdminName, AuthServerFixture.AdminPassword);
        server.Open("/ui/admin/users");
        var name = FixtureExtensions.UniqueName("carol");
        Browser.FindElement(By.CssSelector("details > summary")).Click();
        Field("Input.Name").SendKeys(name);
        Field("Input.Password").SendKeys("carol-password-1");
        Submit("form[action*='handler=Create']");

        Assert.Equal($"/ui/admin/users/{name}", server.CurrentPath);
        Assert.Contains($"User {name} was created.", server.MainText);
        var user = await server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().FindAsync(name, CancellationToken.None));
        Assert.NotNull(user);
        var audit = await server.WaitForAuditAsync(q => q.Where(e => e.Type == "user.create" && e.Subject == name), e => e.Count == 1);
        Assert.Equal($"ui:{AuthServerFixture.AdminName}", audit[0].Actor);
        server.Screenshot("user");

        server.SignIn(name, "carol-password-1");
        Assert.Equal("/ui", server.CurrentPath);
        Assert.Contains($"My account: {name}", server.MainText);
    }

    [Fact]
    public async Task A_new_rule_changes_the_explain_beside_the_rule_list()
    {
        var (user, _) = await server.NewUserAsync("dave");
        server.SignIn(AuthServerFixture.AdminName, AuthServerFixture.AdminPassword);
        server.Open($"/ui/admin/rules?account={user}&repository=shared/tools&actions=pull&actions=push");
        var explain = Browser.FindElement(By.CssSelector("aside.panel"));
        Assert.Contains("Granted: nothing", explain.Text);
        Assert.Contains("pull: refused not granted: no rule allows it", explain.Text);

        Browser.FindElement(By.CssSelector(".grid details > summary")).Click();
        Field("Input.Subject").SendKeys($"user:{user}");
        Field("Input.Pattern").SendKeys("shared/**");
        Submit("form[action*='handler=Create']");

        var rules = await server.WithServiceAsync(sp => sp.GetRequiredService<RuleService>().ListAsync(CancellationToken.None));
        var rule = rules.Single(r => r.Subject == user);
        Assert.Equal("pull", rule.Actions);
        Assert.Contains($"Rule {rule.Id} was created.", server.MainText);
        explain = Browser.FindElement(By.CssSelector("aside.panel"));
        Assert.Contains("Granted: pull", explain.Text);
        Assert.Contains($"pull: granted granted: allowed by rule {rule.Id}", explain.Text);
        Assert.Contains("push: refused", explain.Text);
        server.Screenshot("rules-explain");
    }

    [Fact]
    public async Task Access_token_made_in_the_console_works_at_the_token_endpoint_until_it_is_revoked()
    {
        var (user, password) = await server.NewUserAsync("erin");
        server.SignIn(user, password);
        server.Open("/ui/me/tokens");
        Field("Input.Name").SendKeys("laptop");
        Field("Input.Scopes").SendKeys($"repository:{user}/**:pull");
        Submit("form[action*='handler=Create']");

        var secret = Browser.FindElement(By.Id("secret-value")).Text;
        Assert.StartsWith("aspat_", secret);
        Assert.Equal($"docker login -u {user} {AuthServerFixture.Service}", Browser.FindElement(By.Id("login-command")).Text);
        Assert.True(Browser.FindElement(By.CssSelector("button[data-copy='secret-value']")).Displayed);
        server.Screenshot("my-tokens-created");

        var granted = await server.Http.GetTokenAsync($"service=registry&scope=repository:{user}/app:pull,push", AuthServerFixture.Basic(user, secret));
        Assert.Equal(HttpStatusCode.OK, granted.Status);
        Assert.Equal(["pull"], granted.Token.ActionsFor("repository", $"{user}/app"));

        // Shown once: the page's next showing has the token in its list, never its secret.
        server.Open("/ui/me/tokens");
        Assert.DoesNotContain(secret, Browser.PageSource);
        ConfirmInRow("laptop");
        Assert.Contains("Access token laptop was revoked.", server.MainText);
        var refused = await server.Http.GetTokenAsync($"service=registry&scope=repository:{user}/app:pull", AuthServerFixture.Basic(user, secret));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
    }

    [Fact]
    public async Task A_user_who_is_not_an_administrator_gets_403_on_every_admin_page()
    {
        var (user, password) = await server.NewUserAsync("frank");
        server.SignIn(user, password);
        Assert.Empty(Browser.FindElements(By.CssSelector("nav.menu a[href='/ui/admin/users']")));
        server.Open("/ui/admin/users");
        Assert.Contains("Not allowed", server.MainText);
        Assert.Contains("HTTP status 403", server.MainText);

        using var client = new ConsoleClient(server.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(user, password)).StatusCode);
        foreach (var page in new[] { "/ui/admin", "/ui/admin/users", "/ui/admin/groups", "/ui/admin/robots", "/ui/admin/tokens",
                     "/ui/admin/sessions", "/ui/admin/rules", "/ui/admin/keys", "/ui/admin/audit", "/ui/admin/keys?handler=Jwks" })
        {
            using var answer = await client.GetAsync(page);
            Assert.True(answer.StatusCode == HttpStatusCode.Forbidden, $"{page}: {(int)answer.StatusCode}");
        }
        using var own = await client.GetAsync("/ui/me/tokens");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task A_form_without_its_antiforgery_token_is_refused_and_changes_nothing()
    {
        using var client = new ConsoleClient(server.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(AuthServerFixture.AdminName, AuthServerFixture.AdminPassword)).StatusCode);
        var name = FixtureExtensions.UniqueName("mallory");
        using var forged = await client.PostAsync("/ui/admin/users?handler=Create", null, ("Input.Name", name), ("Input.Password", "forged-password-1"));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("antiforgery", await forged.Content.ReadAsStringAsync());
        Assert.Null(await server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().FindAsync(name, CancellationToken.None)));

        // A token from another session (another person's page) does not do either.
        using var other = new ConsoleClient(server.BaseAddress);
        var (user, password) = await server.NewUserAsync("grace");
        await other.SignInAsync(user, password);
        var foreign = await other.FormTokenAsync("/ui/me/tokens");
        using var replayed = await client.PostAsync("/ui/admin/users?handler=Create", foreign, ("Input.Name", name), ("Input.Password", "forged-password-1"));
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);

        var token = await client.FormTokenAsync("/ui/admin/users");
        using var genuine = await client.PostAsync("/ui/admin/users?handler=Create", token, ("Input.Name", name), ("Input.Password", "genuine-password-1"));
        Assert.Equal(HttpStatusCode.Redirect, genuine.StatusCode);
        Assert.NotNull(await server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().FindAsync(name, CancellationToken.None)));
    }

    [Fact]
    public async Task Pages_fit_a_phone_and_a_long_name_breaks_no_layout()
    {
        var longName = FixtureExtensions.UniqueName("a-very-long-user-name-that-goes-on-and-on-and-on-") + "x";
        await server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().CreateAsync(longName, "long-password-1", false, CancellationToken.None));
        await server.WithServiceAsync(sp => sp.GetRequiredService<AccessTokenService>()
            .CreateAsync(longName, new AccessTokenSpec("a-token-name-just-as-long-as-anyone-would-type-in-the-form-xyz"), CancellationToken.None));
        server.SignIn(AuthServerFixture.AdminName, AuthServerFixture.AdminPassword);
        try
        {
            foreach (var (width, height, label) in new[] { (BrowserFixture.DesktopWidth, BrowserFixture.DesktopHeight, "desktop"), (BrowserFixture.PhoneWidth, BrowserFixture.PhoneHeight, "phone") })
            {
                server.Resize(width, height);
                foreach (var page in new[] { "/ui/admin/users", $"/ui/admin/users/{longName}", "/ui/admin/tokens", "/ui/admin/rules", "/ui/admin/audit", "/ui/admin", "/ui/me/tokens" })
                {
                    server.Open(page);
                    Assert.True(server.FitsWidth(), $"{page} is wider than a {label} window ({width} px)");
                }
            }
            server.Resize(BrowserFixture.PhoneWidth, BrowserFixture.PhoneHeight);
            server.Open("/ui/admin/tokens");
            server.Screenshot("phone-tokens");
        }
        finally
        {
            server.Resize(BrowserFixture.DesktopWidth, BrowserFixture.DesktopHeight);
        }
    }

    [Fact]
    public void The_keyboard_reaches_the_skip_link_first_and_it_moves_to_the_content()
    {
        server.SignIn(AuthServerFixture.AdminName, AuthServerFixture.AdminPassword);
        server.Open("/ui/admin/users");
        Browser.FindElement(By.TagName("body")).SendKeys(Keys.Tab);
        var focused = Browser.SwitchTo().ActiveElement();
        Assert.Equal("Skip to content", focused.Text);
        focused.SendKeys(Keys.Enter);
        Assert.EndsWith("#main", Browser.Url);
        Assert.Equal("main", Browser.SwitchTo().ActiveElement().TagName);
        Assert.Equal("page", Browser.FindElement(By.CssSelector("nav.menu a[href='/ui/admin/users']")).GetAttribute("aria-current"));
    }

    [Fact]
    public async Task A_denied_request_in_the_audit_log_is_explained_rule_by_rule()
    {
        var (user, password) = await server.NewUserAsync("heidi");
        var deny = await server.AddRuleAsync(new RuleSpec(RuleEffect.Deny, $"user:{user}", "repository", "secret/**", ["push"]));
        var allow = await server.AddRuleAsync(new RuleSpec(RuleEffect.Allow, $"user:{user}", "repository", "secret/**", ["pull", "push"]));
        var answer = await server.Http.GetTokenAsync($"service=registry&scope=repository:secret/db:pull,push", AuthServerFixture.Basic(user, password));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var events = await server.WaitForAuditAsync(q => q.Where(e => e.Type == "token.request" && e.Subject == user), e => e.Count == 1);

        server.SignIn(AuthServerFixture.AdminName, AuthServerFixture.AdminPassword);
        server.Open($"/ui/admin/audit?subject={user}&outcome=partial");
        server.ClickAndWait(Browser.FindElement(By.CssSelector($"a[href='/ui/admin/audit/{events[0].Id}']")));
        var text = server.MainText;
        Assert.Contains("Why, rule by rule", text);
        Assert.Contains($"pull: granted granted: allowed by rule {allow.Id}", text);
        Assert.Contains($"push: refused denied by rule {deny.Id}", text);
        server.Screenshot("audit-denial");

        server.Open("/ui/admin/audit");
        server.Screenshot("audit");
        server.Open("/ui/admin/keys");
        Assert.Contains("active", server.MainText);
        server.Screenshot("keys");
    }
}
