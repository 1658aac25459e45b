using System.Net;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using AuthServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;
using static AuthServer.Tests.Infrastructure.FixtureExtensions;

namespace AuthServer.Tests.Credentials;

/// <summary>Robot accounts over the real token endpoint: docker login -u owner+name -p asrb_….</summary>
public class RobotTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private readonly HttpClient _http = server.Http;

    private Task<TokenClient.Answer> GetAsync(string login, string secret, string scope) =>
        _http.GetTokenAsync($"service={Service}&account={Uri.EscapeDataString(login)}&scope={scope}", Basic(login, secret));

    private Task<AccessRule> AllowAsync(string subject, string pattern, params string[] actions) =>
        server.AddRuleAsync(new RuleSpec(RuleEffect.Allow, subject, "repository", pattern, actions));

    [Fact]
    public async Task A_robot_signs_in_with_its_secret_and_gets_what_rules_naming_it_allow()
    {
        var (login, secret) = await server.NewRobotAsync();
        await AllowAsync($"robot:{login}", "ci/**", "pull", "push");

        var answer = await GetAsync(login, secret, "repository:ci/app:pull,push,delete");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(login, answer.Token.Payload.GetProperty("sub").GetString());
        Assert.Equal(["pull", "push"], answer.Token.ActionsFor("repository", "ci/app"));
    }

    [Fact]
    public async Task A_robot_works_in_the_post_password_grant()
    {
        var (login, secret) = await server.NewRobotAsync();
        await AllowAsync($"robot:{login}", "ci/**", "pull");

        var answer = await _http.PostTokenAsync(("grant_type", "password"), ("username", login), ("password", secret),
            ("service", Service), ("client_id", "containerd-client"), ("scope", "repository:ci/app:pull"));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("repository:ci/app:pull", answer.Body.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task Login_names_are_owner_plus_name_and_secrets_carry_the_robot_prefix()
    {
        var (group, user) = (UniqueName("team"), await server.NewUserAsync("owner"));
        await server.WithServiceAsync(sp => sp.GetRequiredService<GroupService>().CreateAsync(group, null, CancellationToken.None));

        var system = await server.WithServiceAsync(sp => sp.GetRequiredService<RobotService>().CreateAsync(new RobotSpec("deployer"), CancellationToken.None));
        var ofGroup = await server.WithServiceAsync(sp => sp.GetRequiredService<RobotService>().CreateAsync(new RobotSpec("ci", $"group:{group}"), CancellationToken.None));
        var ofUser = await server.WithServiceAsync(sp => sp.GetRequiredService<RobotService>().CreateAsync(new RobotSpec("backup", $"user:{user.Name}"), CancellationToken.None));

        Assert.Equal("robot+deployer", system.Robot.Name);
        Assert.Equal($"{group}+ci", ofGroup.Robot.Name);
        Assert.Equal($"{user.Name}+backup", ofUser.Robot.Name);
        Assert.Matches("^asrb_[A-Za-z0-9_-]{43}$", system.Secret);
        Assert.NotEqual(system.Secret, ofGroup.Secret);
    }

    [Fact]
    public async Task A_robot_gets_authenticated_rules_but_not_its_owners_namespace()
    {
        // The seeded rule gives every authenticated caller ${user}/**: a robot has no ${user},
        // and a user's robot does not act as the user.
        var (owner, _) = await server.NewUserAsync("lender");
        var (login, secret) = await server.NewRobotAsync($"user:{owner}");
        await AllowAsync("authenticated", "library/**", "pull");

        var answer = await GetAsync(login, secret, $"repository:library/base:pull&scope=repository:{owner}/app:pull");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(["pull"], answer.Token.ActionsFor("repository", "library/base"));
        Assert.Empty(answer.Token.ActionsFor("repository", $"{owner}/app"));
    }

    [Fact]
    public async Task Scope_limits_narrow_what_the_rules_grant_and_never_widen_it()
    {
        var (login, secret) = await server.NewRobotAsync(scopes: ["repository:ci/app:pull", "repository:ci/other:*"]);
        await AllowAsync($"robot:{login}", "ci/**", "pull", "push");

        var answer = await GetAsync(login, secret, "repository:ci/app:pull,push&scope=repository:ci/other:pull,push,delete&scope=repository:ci/third:pull");

        Assert.Equal(["pull"], answer.Token.ActionsFor("repository", "ci/app"));
        Assert.Equal(["pull", "push"], answer.Token.ActionsFor("repository", "ci/other"));
        Assert.Empty(answer.Token.ActionsFor("repository", "ci/third"));
    }

    [Fact]
    public async Task A_disabled_robot_is_refused_on_the_next_request_and_works_again_when_enabled()
    {
        var (login, secret) = await server.NewRobotAsync();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(login, secret, "repository:a/b:pull")).Status);

        await server.WithServiceAsync(sp => sp.GetRequiredService<RobotService>().SetDisabledAsync(login, true, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(login, secret, "repository:a/b:pull")).Status);

        await server.WithServiceAsync(sp => sp.GetRequiredService<RobotService>().SetDisabledAsync(login, false, CancellationToken.None));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(login, secret, "repository:a/b:pull")).Status);
    }

    [Fact]
    public async Task An_expired_robot_is_refused()
    {
        var (login, secret) = await server.NewRobotAsync(expiresAt: DateTime.UtcNow.AddHours(1));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(login, secret, "repository:a/b:pull")).Status);

        await server.ChangeAsync<Robot>(r => r.Name == login, r => r.ExpiresAt = DateTime.UtcNow.AddSeconds(-1));

        var answer = await GetAsync(login, secret, "repository:a/b:pull");
        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        var normalized = login.ToLowerInvariant();
        var refused = await server.WaitForAuditAsync(q => q.Where(e => e.Subject == normalized && e.Reason == "robot expired"), e => e.Count == 1);
        Assert.Single(refused);
    }

    [Fact]
    public async Task A_deleted_robot_is_refused_and_its_rules_go_with_it()
    {
        var (login, secret) = await server.NewRobotAsync();
        await AllowAsync($"robot:{login}", "gone/**", "pull");
        await server.WithServiceAsync(sp => sp.GetRequiredService<RobotService>().DeleteAsync(login, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(login, secret, "repository:gone/x:pull")).Status);
        var rules = await server.WithServiceAsync(sp => sp.GetRequiredService<RuleService>().ListAsync(CancellationToken.None));
        var normalized = login.ToLowerInvariant();
        Assert.DoesNotContain(rules, r => r.SubjectKind == SubjectKind.Robot && r.Subject == normalized);
    }

    [Fact]
    public async Task A_group_robot_used_a_moment_ago_is_refused_once_its_group_is_deleted()
    {
        var group = UniqueName("crew");
        await server.WithServiceAsync(sp => sp.GetRequiredService<GroupService>().CreateAsync(group, null, CancellationToken.None));
        var (login, secret) = await server.NewRobotAsync($"group:{group}");
        await AllowAsync($"robot:{login}", "crew/**", "pull");
        // Held in memory now: the group's deletion removes the robot by a database cascade, which must still end that.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(login, secret, "repository:crew/x:pull")).Status);

        await server.WithServiceAsync(sp => sp.GetRequiredService<GroupService>().DeleteAsync(group, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(login, secret, "repository:crew/x:pull")).Status);
    }

    [Fact]
    public async Task A_user_owned_robot_stops_while_its_owner_is_disabled_and_goes_when_the_owner_is_deleted()
    {
        var (owner, _) = await server.NewUserAsync("keeper");
        var (login, secret) = await server.NewRobotAsync($"user:{owner}");
        await AllowAsync($"robot:{login}", "keep/**", "pull");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(login, secret, "repository:keep/x:pull")).Status);

        await server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().SetDisabledAsync(owner, true, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(login, secret, "repository:keep/x:pull")).Status);

        await server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().DeleteAsync(owner, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(login, secret, "repository:keep/x:pull")).Status);
        var normalized = login.ToLowerInvariant();
        var left = await server.WithServiceAsync(sp => sp.GetRequiredService<AuthServerDbContext>().AccessRules.CountAsync(r => r.Subject == normalized));
        Assert.Equal(0, left);
    }

    [Fact]
    public async Task Robot_names_are_validated()
    {
        var robots = (IServiceProvider sp) => sp.GetRequiredService<RobotService>();
        await Assert.ThrowsAsync<AuthServer.Core.Errors.ValidationFailedException>(() =>
            server.WithServiceAsync(sp => robots(sp).CreateAsync(new RobotSpec("has space"), CancellationToken.None)));
        await Assert.ThrowsAsync<AuthServer.Core.Errors.ValidationFailedException>(() =>
            server.WithServiceAsync(sp => robots(sp).CreateAsync(new RobotSpec("x", "user:nobody-here"), CancellationToken.None)));
        await Assert.ThrowsAsync<AuthServer.Core.Errors.ValidationFailedException>(() =>
            server.WithServiceAsync(sp => robots(sp).CreateAsync(new RobotSpec("x", "team:devs"), CancellationToken.None)));
        await Assert.ThrowsAsync<AuthServer.Core.Errors.ValidationFailedException>(() =>
            server.WithServiceAsync(sp => robots(sp).CreateAsync(new RobotSpec("x", Scopes: ["repository:ci/**"]), CancellationToken.None)));
        await Assert.ThrowsAsync<AuthServer.Core.Errors.ValidationFailedException>(() =>
            server.WithServiceAsync(sp => robots(sp).CreateAsync(new RobotSpec("x", ExpiresAt: DateTime.UtcNow.AddDays(-1)), CancellationToken.None)));
        await server.WithServiceAsync(sp => robots(sp).CreateAsync(new RobotSpec("twice"), CancellationToken.None));
        await Assert.ThrowsAsync<AuthServer.Core.Errors.ConflictException>(() =>
            server.WithServiceAsync(sp => robots(sp).CreateAsync(new RobotSpec("TWICE"), CancellationToken.None)));
    }

    [Fact]
    public async Task Robot_secrets_are_stored_only_as_hashes_and_last_use_is_recorded()
    {
        var (login, secret) = await server.NewRobotAsync();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(login, secret, "repository:a/b:pull")).Status);

        await server.Services.GetRequiredService<LastUsedRecorder>().FlushAsync(CancellationToken.None);
        var robot = await server.WithServiceAsync(sp => sp.GetRequiredService<RobotService>().GetAsync(login, CancellationToken.None));
        Assert.Equal(Secrets.Hash(secret), robot.SecretHash);
        Assert.NotNull(robot.LastUsedAt);
        var bytes = await File.ReadAllBytesAsync(Path.Combine(server.DataDirectory, "authserver.db"));
        Assert.DoesNotContain(secret, System.Text.Encoding.UTF8.GetString(bytes));
    }
}
