using System.Net;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using AuthServer.Core.Ldap;
using AuthServer.Core.Policy;
using AuthServer.Tests.Infrastructure;
using AuthServer.Tests.WebConsole;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;
using static AuthServer.TestSupport.SlapdServer;

namespace AuthServer.Tests.Ldap;

/// <summary>Directory users signing in through /token against a real slapd: provisioning, groups, refusals, injection.</summary>
public class LdapSignInTests(LdapFixture server) : IClassFixture<LdapFixture>
{
    private Task<TokenClient.Answer> LoginAsync(string user, string password, string scope = "") =>
        server.Http.GetTokenAsync($"service={Service}&account={Uri.EscapeDataString(user)}{(scope.Length > 0 ? "&scope=" + scope : "")}", Basic(user, password));

    private Task<User?> UserAsync(string name) => server.WithServiceAsync(sp =>
        sp.GetRequiredService<AuthServerDbContext>().Users.AsNoTracking().Include(u => u.Memberships).ThenInclude(m => m.Group)
            .SingleOrDefaultAsync(u => u.NormalizedName == name));

    [Fact]
    public async Task Directory_user_signs_in_with_the_directory_password_and_is_provisioned_from_the_directory()
    {
        var answer = await LoginAsync("alice", PasswordOf("alice"));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("alice", answer.Token.Payload.GetProperty("sub").GetString());
        var alice = await UserAsync("alice");
        Assert.NotNull(alice);
        Assert.Equal(IdentitySources.Ldap, alice.Source);
        Assert.Equal(UserDnOf("alice"), alice.ExternalId);
        Assert.Equal("", alice.PasswordHash);
        Assert.Contains(alice.Memberships, m => m.Group.NormalizedName == "developers" && m.Source == IdentitySources.Ldap);
    }

    [Fact]
    public async Task Names_are_matched_without_regard_to_case_like_local_names()
    {
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync("ALICE", PasswordOf("alice"))).Status);
    }

    [Fact]
    public async Task Wrong_password_is_401_and_counted_by_the_lockout_like_a_local_one()
    {
        var answers = new List<TokenClient.Answer>();
        for (var i = 0; i < 6; i++) answers.Add(await LoginAsync("heidi", $"guess-{i}"));

        Assert.All(answers.Take(5), a => Assert.Equal(HttpStatusCode.Unauthorized, a.Status));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[5].Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync("heidi", PasswordOf("heidi"))).Status);
    }

    [Fact]
    public async Task User_outside_the_required_group_is_refused_even_with_the_right_password()
    {
        var answer = await LoginAsync("mallory", PasswordOf("mallory"));

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Null(await UserAsync("mallory"));
        // Token events are written by the audit queue, a moment after the answer.
        var events = await server.WaitForAuditAsync("mallory");
        Assert.Contains(events, e => e.Reason == "not in the directory's required group");
    }

    [Fact]
    public async Task Required_group_counts_through_a_nested_group()
    {
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync("carol", PasswordOf("carol"))).Status);
    }

    [Fact]
    public async Task Nested_directory_group_is_mapped_by_DN_pattern_and_grants_by_rules()
    {
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync("bob", PasswordOf("bob"))).Status);
        var bob = await UserAsync("bob");
        Assert.Contains(bob!.Memberships, m => m.Group.NormalizedName == "platform-team");
        Assert.DoesNotContain(bob.Memberships, m => m.Group.NormalizedName == "developers");
        await server.AddRuleAsync(new RuleSpec(RuleEffect.Allow, "group:platform-team", "repository", "infra/**", ["pull", "push"]));

        var answer = await LoginAsync("bob", PasswordOf("bob"), "repository:infra/base:pull,push");

        Assert.Equal(["pull", "push"], answer.Token.ActionsFor("repository", "infra/base").Order());
    }

    [Fact]
    public async Task Local_account_keeps_its_name_when_local_comes_first()
    {
        await server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().CreateAsync("dave", "dave-local-password", false, CancellationToken.None));

        Assert.Equal(HttpStatusCode.OK, (await LoginAsync("dave", "dave-local-password")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync("dave", PasswordOf("dave"))).Status);
        Assert.Equal(IdentitySources.Local, (await UserAsync("dave"))!.Source);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("al*")]
    [InlineData("*)(uid=*")]
    [InlineData("alice)(|(uid=*")]
    [InlineData("alice\0")]
    [InlineData("alice\\2a")]
    [InlineData("(uid=alice)")]
    public async Task Filter_syntax_in_the_login_name_signs_nobody_in(string name)
    {
        var answer = await LoginAsync(name, PasswordOf("alice"));

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
    }

    [Fact]
    public async Task Empty_password_is_refused_without_an_unauthenticated_bind()
    {
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync("alice", PasswordOf("alice"))).Status);

        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync("alice", "")).Status);
    }

    [Fact]
    public async Task Service_bind_password_never_reaches_the_log()
    {
        await LoginAsync("alice", PasswordOf("alice"));
        await LoginAsync("nobody-here", "whatever-password");

        Assert.DoesNotContain(server.Logs.Lines, line => line.Contains(ServicePassword, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Directory_users_local_password_cannot_be_set()
    {
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync("ivan", PasswordOf("ivan"))).Status);

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => server.WithServiceAsync(sp =>
            sp.GetRequiredService<UserService>().SetPasswordAsync("ivan", "a-local-password-1", CancellationToken.None)));
        Assert.Contains("ldap identity source", refused.Message);
    }

    [Fact]
    public async Task User_removed_from_the_required_group_loses_access_at_the_refresh_and_sessions_end()
    {
        var first = await server.Http.PostTokenAsync(("grant_type", "password"), ("service", Service), ("client_id", "test"),
            ("access_type", "offline"), ("username", "erin"), ("password", PasswordOf("erin")));
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.NotNull(first.RefreshToken);

        await server.Directory.ModifyAsync($"dn: {GroupDnOf("authserver-users")}\nchangetype: modify\ndelete: member\nmember: {UserDnOf("erin")}\n");
        var refresh = await server.Services.GetRequiredService<DirectoryRefresher>().RefreshAllAsync(CancellationToken.None);

        Assert.True(refresh.Complete, refresh.Error);
        Assert.True((await UserAsync("erin"))!.SourceDenied, $"refresh: {refresh}");
        // The password was cached before: the refusal ends that too.
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync("erin", PasswordOf("erin"))).Status);
        var refreshed = await server.Http.PostTokenAsync(("grant_type", "refresh_token"), ("service", Service), ("client_id", "test"),
            ("refresh_token", first.RefreshToken!));
        Assert.Equal(HttpStatusCode.Unauthorized, refreshed.Status);

        await server.Directory.ModifyAsync($"dn: {GroupDnOf("authserver-users")}\nchangetype: modify\nadd: member\nmember: {UserDnOf("erin")}\n");
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync("erin", PasswordOf("erin"))).Status);
        Assert.False((await UserAsync("erin"))!.SourceDenied);
    }

    [Fact]
    public async Task Refresh_follows_group_changes_in_the_directory()
    {
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync("frank", PasswordOf("frank"))).Status);
        Assert.Contains((await UserAsync("frank"))!.Memberships, m => m.Group.NormalizedName == "platform-team");

        await server.Directory.ModifyAsync($"dn: {GroupDnOf("ops")}\nchangetype: modify\ndelete: member\nmember: {UserDnOf("frank")}\n");
        await server.Services.GetRequiredService<DirectoryRefresher>().RefreshAllAsync(CancellationToken.None);

        Assert.DoesNotContain((await UserAsync("frank"))!.Memberships, m => m.Group.NormalizedName == "platform-team");
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync("frank", PasswordOf("frank"))).Status);
    }

    [Fact]
    public async Task Console_shows_the_identity_sources_health_and_each_users_source_without_a_password_form_for_directory_users()
    {
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync("alice", PasswordOf("alice"))).Status);
        using var console = new ConsoleClient(server.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await console.SignInAsync(AdminName, AdminPassword)).StatusCode);

        var dashboard = await (await console.GetAsync("/ui/admin")).Content.ReadAsStringAsync();
        var users = await (await console.GetAsync("/ui/admin/users?filter=alice")).Content.ReadAsStringAsync();
        var alice = await (await console.GetAsync("/ui/admin/users/alice")).Content.ReadAsStringAsync();
        var admin = await (await console.GetAsync($"/ui/admin/users/{AdminName}")).Content.ReadAsStringAsync();

        Assert.Matches(@"<td>identity source 1: local</td><td><span class=""state ok"">healthy</span></td><td>\d+ users, \d+ disabled</td>", dashboard);
        Assert.Matches(@"<td>identity source 2: ldap</td><td><span class=""state ok"">healthy</span></td><td>\d+ users, 0 disabled; reached \d{4}-", dashboard);
        Assert.Contains("<td data-label=\"Source\">ldap</td>", users);
        Assert.Contains("ldap (password kept there", alice);
        Assert.DoesNotContain("Set password", alice);
        Assert.Contains("local (password kept here)", admin);
        Assert.Contains("Set password", admin);
    }

    [Fact]
    public async Task Directory_user_is_told_in_the_console_that_the_password_is_changed_in_the_directory()
    {
        using var console = new ConsoleClient(server.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await console.SignInAsync("judy", PasswordOf("judy"))).StatusCode);

        var page = await (await console.GetAsync("/ui/me/password")).Content.ReadAsStringAsync();
        var token = await console.FormTokenAsync("/ui/me/tokens");
        using var post = await console.PostAsync("/ui/me/password", token, ("current", PasswordOf("judy")), ("password", "a-local-password-1"), ("confirm", "a-local-password-1"));

        Assert.Contains("You sign in through the <strong>ldap</strong> identity source", page);
        Assert.DoesNotContain("name=\"current\"", page);
        Assert.Equal(HttpStatusCode.Conflict, post.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync("judy", PasswordOf("judy"))).Status);
    }

    [Fact]
    public async Task Admin_API_lists_the_identity_sources_in_order_with_their_health_and_users_with_their_source()
    {
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync("alice", PasswordOf("alice"))).Status);
        var api = server.AdminClient();

        var sources = await api.ApiGetAsync("/api/v1/identity-sources");
        var alice = await api.ApiGetAsync("/api/v1/users/alice");

        Assert.Equal(HttpStatusCode.OK, sources.Status);
        Assert.Equal(["local", "ldap"], sources.Body.EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.All(sources.Body.EnumerateArray(), s => Assert.True(s.GetProperty("healthy").GetBoolean()));
        Assert.Equal("ldap", alice.Body.GetProperty("source").GetString());
    }

    [Fact]
    public async Task Ldap_test_command_prints_the_user_and_groups_and_checks_the_password_without_showing_it()
    {
        var found = await InProcessCli.RunAsync(server.DataDirectory, PasswordOf("bob"), ["ldap", "test", "bob", "--password-stdin", .. server.DirectoryArguments()]);
        var outsider = await InProcessCli.RunAsync(server.DataDirectory, null, ["ldap", "test", "mallory", .. server.DirectoryArguments()]);
        var wrong = await InProcessCli.RunAsync(server.DataDirectory, "not-bobs", ["ldap", "test", "bob", "--password-stdin", .. server.DirectoryArguments()]);

        Assert.Equal(0, found.ExitCode);
        Assert.Contains(UserDnOf("bob"), found.Output);
        Assert.Contains(GroupDnOf("platform"), found.Output);
        Assert.Contains("platform-team", found.Output);
        Assert.Contains("password: accepted", found.Output);
        Assert.DoesNotContain(PasswordOf("bob"), found.Output + found.Error);
        Assert.DoesNotContain(ServicePassword, found.Output + found.Error);
        Assert.Equal(1, outsider.ExitCode);
        Assert.Contains("required group", outsider.Output);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("password: refused", wrong.Output);
    }
}
