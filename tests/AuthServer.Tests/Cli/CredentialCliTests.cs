using System.Net;
using System.Text.Json;
using AuthServer.Core.Identity;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Cli;

/// <summary>
/// The credential commands, run in process as the executable runs them, against the database of a
/// running server: what an operator types takes effect on the server within its revision check
/// interval (1 s), the CLI being another process as far as the server knows.
/// </summary>
public class CredentialCliTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private Task<CliProcess.Result> Run(params string[] args) => InProcessCli.RunAsync(server.DataDirectory, null, args);

    private async Task<JsonElement> Json(params string[] args)
    {
        var result = await Run([.. args, "--json"]);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)}: exit {result.ExitCode}: {result.Error}");
        return JsonDocument.Parse(result.Output).RootElement;
    }

    private static void AssertRefused(CliProcess.Result result, string mentions)
    {
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.StartsWith("error: ", line);
        Assert.Contains(mentions, line);
    }

    private Task<TokenClient.Answer> GetAsync(string user, string secret, string scope = "repository:team/app:pull,push") =>
        server.Http.GetTokenAsync($"service={Service}&scope={scope}", Basic(user, secret));

    /// <summary>The status once it is no longer <paramref name="before"/>, or that after 10 s: the server holds robots and tokens in memory until the revision moves.</summary>
    private static async Task<HttpStatusCode> ChangedFromAsync(HttpStatusCode before, Func<Task<TokenClient.Answer>> request)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        HttpStatusCode status;
        while ((status = (await request()).Status) == before && DateTime.UtcNow < until) await Task.Delay(100);
        return status;
    }

    [Fact]
    public async Task Robot_add_list_disable_enable_delete()
    {
        var group = FixtureExtensions.UniqueName("team");
        await server.WithServiceAsync(sp => sp.GetRequiredService<GroupService>().CreateAsync(group, null, CancellationToken.None));

        var added = await Json("robot", "add", "ci", "--owner", $"group:{group}", "--scope", "repository:team/**:pull", "--scope", "repository:tools/**:pull", "--expires", "30d");
        var login = added.GetProperty("robot").GetProperty("name").GetString()!;
        var secret = added.GetProperty("secret").GetString()!;
        Assert.Equal($"{group}+ci", login);
        Assert.StartsWith("asrb_", secret);
        Assert.Equal(0, (await Run("rule", "add", "--subject", $"robot:{login}", "--pattern", "team/**", "--actions", "pull,push")).ExitCode);

        var answer = await GetAsync(login, secret);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(["pull"], answer.Token.ActionsFor("repository", "team/app"));

        var listed = (await Json("robot", "list", "--owner", $"group:{group}")).EnumerateArray().Single();
        Assert.Equal(("active", $"group:{group}"), (listed.GetProperty("state").GetString(), listed.GetProperty("owner").GetString()));
        Assert.Equal(["repository:team/**:pull", "repository:tools/**:pull"], listed.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.InRange(listed.GetProperty("expiresAt").GetDateTime(), DateTime.UtcNow.AddDays(29), DateTime.UtcNow.AddDays(31));
        var table = await Run("robot", "list");
        Assert.Matches(@"NAME\s+OWNER\s+STATE\s+EXPIRES\s+LAST USED\s+SCOPES", table.Output);
        Assert.DoesNotContain(secret, table.Output);

        Assert.Equal(0, (await Run("robot", "disable", login)).ExitCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await ChangedFromAsync(HttpStatusCode.OK, () => GetAsync(login, secret)));
        Assert.Equal(0, (await Run("robot", "enable", login)).ExitCode);
        Assert.Equal(HttpStatusCode.OK, await ChangedFromAsync(HttpStatusCode.Unauthorized, () => GetAsync(login, secret)));
        Assert.Equal(0, (await Run("robot", "delete", login)).ExitCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await ChangedFromAsync(HttpStatusCode.OK, () => GetAsync(login, secret)));
        AssertRefused(await Run("robot", "delete", login), $"robot '{login}' does not exist");
    }

    [Fact]
    public async Task Token_add_list_revoke()
    {
        var (user, _) = await server.NewUserAsync("lee");
        var added = await Run("token", "add", user, "--name", "laptop", "--expires", "7d");
        Assert.Equal(0, added.ExitCode);
        var secret = added.Output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("aspat_"));
        Assert.Contains("shown only this once", added.Output);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(user, secret, $"repository:{user}/app:pull")).Status);
        var listed = (await Json("token", "list", user)).EnumerateArray().Single();
        Assert.Equal(("laptop", "active"), (listed.GetProperty("name").GetString(), listed.GetProperty("state").GetString()));
        Assert.DoesNotContain(secret, listed.GetRawText());

        Assert.Equal(0, (await Run("token", "revoke", user, "laptop")).ExitCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await ChangedFromAsync(HttpStatusCode.OK, () => GetAsync(user, secret, $"repository:{user}/app:pull")));
        Assert.Empty((await Json("token", "list", user)).EnumerateArray());
        Assert.Equal("revoked", (await Json("token", "list", user, "--all")).EnumerateArray().Single().GetProperty("state").GetString());
        AssertRefused(await Run("token", "revoke", user, "laptop"), "does not exist");
    }

    [Fact]
    public async Task Session_list_and_revoke()
    {
        var (user, password) = await server.NewUserAsync("max");
        var logins = new List<string>();
        for (var i = 0; i < 2; i++)
            logins.Add((await server.Http.GetTokenAsync($"service={Service}&offline_token=true&client_id=docker", Basic(user, password))).RefreshToken!);
        var refresh = (string token) => server.Http.PostTokenAsync(("grant_type", "refresh_token"), ("refresh_token", token), ("service", Service));
        // The CLI is another process as far as the server knows: its change arrives within the
        // revision check interval (1 s), when the server's session cache sees the revision move.
        async Task<HttpStatusCode> RefusedWithinAsync(string token)
        {
            var until = DateTime.UtcNow.AddSeconds(10);
            HttpStatusCode status;
            while ((status = (await refresh(token)).Status) == HttpStatusCode.OK && DateTime.UtcNow < until) await Task.Delay(100);
            return status;
        }

        var sessions = (await Json("session", "list", "--user", user)).EnumerateArray().ToList();
        Assert.Equal(2, sessions.Count);
        Assert.All(sessions, s => Assert.Equal(("docker", "127.0.0.1", "password"),
            (s.GetProperty("clientId").GetString(), s.GetProperty("clientIp").GetString(), s.GetProperty("credential").GetString())));

        Assert.Equal(0, (await Run("session", "revoke", sessions.Min(s => s.GetProperty("id").GetInt64()).ToString())).ExitCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await RefusedWithinAsync(logins[0]));
        Assert.Equal(HttpStatusCode.OK, (await refresh(logins[1])).Status);

        var all = await Run("session", "revoke", "--user", user);
        Assert.Contains($"1 sessions of {user} ended", all.Output);
        Assert.Equal(HttpStatusCode.Unauthorized, await RefusedWithinAsync(logins[1]));
        Assert.Equal(2, (await Json("session", "list", "--user", user, "--all")).GetArrayLength());
        Assert.NotEqual(0, (await Run("session", "revoke")).ExitCode);
    }

    [Fact]
    public async Task User_unlock_reaches_the_running_server()
    {
        var (user, password) = await server.NewUserAsync("ned");
        for (var i = 0; i < 5; i++) await GetAsync(user, "wrong-password");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetAsync(user, password)).Status);

        var unlock = await Run("user", "unlock", user);
        Assert.Equal((0, $"user {user} unlocked"), (unlock.ExitCode, unlock.Output.Trim()));

        // The server sees the unlock at its next revision check (AuthServer:Cache:RevisionCheckInterval, 1 s).
        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpStatusCode status;
        do
        {
            await Task.Delay(250);
            status = (await GetAsync(user, password)).Status;
        }
        while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.OK, status);

        Assert.Equal(0, (await Run("user", "unlock", "--address", "127.0.0.1")).ExitCode);
        AssertRefused(await Run("user", "unlock", "--address", "not-an-address"), "not an IP address");
        AssertRefused(await Run("user", "unlock", "nobody-at-all"), "user 'nobody-at-all' does not exist");
    }

    [Fact]
    public async Task Audit_lists_and_filters_and_names_the_cli_actor()
    {
        var (user, password) = await server.NewUserAsync("ola");
        await GetAsync(user, "wrong-password");
        await GetAsync(user, password, $"repository:{user}/app:pull");
        // The token requests' events are written in the background: wait for them, so the CLI's change comes after.
        await server.WaitForAuditAsync(user, 3);
        Assert.Equal(0, (await Run("token", "add", user, "--name", "audited")).ExitCode);
        await server.WaitForAuditAsync(user, 4);

        var all = (await Json("audit", "--subject", user, "--since", "1h")).EnumerateArray().ToList();
        Assert.Equal(["access-token.create", "token.request", "token.request", "user.create"], all.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal($"cli:{Environment.UserName}", all[0].GetProperty("actor").GetString());
        var refused = (await Json("audit", "--subject", user, "--outcome", "unauthorized")).EnumerateArray().Single();
        Assert.Equal("wrong password", refused.GetProperty("reason").GetString());
        var granted = (await Json("audit", "--subject", user, "--type", "token.request", "--outcome", "granted", "--service", Service)).EnumerateArray().Single();
        Assert.Equal($"repository:{user}/app:pull", granted.GetProperty("grantedScopes").GetString());
        Assert.Single((await Json("audit", "--subject", user, "--limit", "1")).EnumerateArray());

        var table = await Run("audit", "--subject", user);
        Assert.Matches(@"ID\s+TIME\s+TYPE\s+OUTCOME\s+SUBJECT\s+ACTOR\s+SERVICE\s+CLIENT\s+TRACE\s+DETAIL", table.Output);
        Assert.Contains("wrong password", table.Output);
        AssertRefused(await Run("audit", "--outcome", "bogus"), "outcome 'bogus' is not one of");
        AssertRefused(await Run("audit", "--since", "yesterday"), "neither a duration");
        AssertRefused(await Run("audit", "--limit", "0"), "limit must be between 1 and 1000");
    }

    [Fact]
    public async Task Bad_input_is_refused_in_one_line()
    {
        AssertRefused(await Run("robot", "add", "x", "--owner", "team:foo"), "must be user:NAME, group:NAME or system");
        AssertRefused(await Run("robot", "add", "x", "--owner", "user:nobody-at-all"), "user 'nobody-at-all' does not exist");
        AssertRefused(await Run("robot", "add", "x", "--expires", "someday"), "neither a duration");
        AssertRefused(await Run("robot", "add", "x", "--expires", "2001-01-01"), "the expiry must be in the future");
        AssertRefused(await Run("robot", "add", "x", "--scope", "junk"), "scope limit 'junk'");
        AssertRefused(await Run("robot", "add", "has space"), "robot name");
        AssertRefused(await Run("token", "add", "nobody-at-all", "--name", "x"), "user 'nobody-at-all' does not exist");
        AssertRefused(await Run("rule", "add", "--subject", "robot:robot+none", "--pattern", "x/**", "--actions", "pull"), "robot 'robot+none' does not exist");
    }

    [Fact]
    public async Task User_update_changes_the_admin_flag_the_api_also_sees_and_keeps_the_last_administrator()
    {
        var (user, password) = await server.NewUserAsync("upd");
        var updated = await Json("user", "update", user, "--admin", "true");
        Assert.True(updated.GetProperty("admin").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await server.AdminClient(Basic(user, password)).ApiGetAsync("/api/v1/users")).Status);

        Assert.Equal(0, (await Run("user", "update", user, "--admin", "false", "--disabled", "true")).ExitCode);
        // The command is another host: the server sees its change at its next revision check (1 s).
        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpStatusCode status;
        do
        {
            await Task.Delay(250);
            status = (await server.AdminClient(Basic(user, password)).ApiGetAsync("/api/v1/users")).Status;
        }
        while (status != HttpStatusCode.Unauthorized && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        AssertRefused(await Run("user", "update", AdminName, "--admin", "false"), "last enabled administrator");
    }
}
