using System.Net;
using AuthServer.Core.Audit;
using AuthServer.Core.Identity;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Federation.FederationFixture;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Federation;

/// <summary>
/// Trusts added and deleted at run time (admin API and CLI), kept in the database beside the
/// settings' read-only ones: checked like them, audited, and in force from the next sign-in on,
/// in this process at once and in another (the CLI's change) within the revision check.
/// </summary>
public abstract class RuntimeTrustTests<TServer>(TServer server) : IClassFixture<TServer>, IAsyncLifetime
    where TServer : FederationFixture
{
    public Task InitializeAsync() => server.EnsureRobotsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> NewRobotAsync(string name)
    {
        await server.WithServiceAsync(sp => sp.GetRequiredService<RobotService>().CreateAsync(new RobotSpec(name), CancellationToken.None));
        await server.AddRuleAsync(new Core.Policy.RuleSpec(Core.Policy.RuleEffect.Allow, $"robot:robot+{name}", "repository", "octo/**", ["pull", "push"]));
        return $"robot+{name}";
    }

    private Task<TokenClient.Answer> LoginAsync(string robot, string idToken) =>
        server.Http.GetTokenAsync($"service={Service}&account={Uri.EscapeDataString(robot)}&scope=repository:octo/tools:pull", Basic(robot, idToken));

    private object Trust(string name, string robot, string repository = "octo/tools") => new
    {
        name,
        issuer = server.Issuer.Url,
        audiences = new[] { Audience },
        claims = new Dictionary<string, string> { ["repository"] = repository, ["ref"] = "refs/heads/*" },
        robot,
        maxTokenLifetime = "00:05:00",
    };

    [Fact]
    public async Task A_trust_added_through_the_api_admits_a_matching_id_token_and_deleting_it_refuses_it()
    {
        var robot = await NewRobotAsync("tools" + Guid.NewGuid().ToString("N")[..6]);
        using var api = server.AdminClient();
        var idToken = server.Issuer.Token(Audience, repository: "octo/tools");
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(robot, idToken)).Status);

        var name = "tools-" + Guid.NewGuid().ToString("N")[..6];
        var added = await api.ApiPostAsync("/api/v1/federation/trusts", Trust(name, robot));
        Assert.Equal(HttpStatusCode.Created, added.Status);
        Assert.Equal("database", added.Body.GetProperty("source").GetString());
        Assert.False(added.Body.GetProperty("readOnly").GetBoolean());

        var admitted = await LoginAsync(robot, idToken);
        Assert.Equal(HttpStatusCode.OK, admitted.Status);
        Assert.Equal(["pull"], admitted.Token.ActionsFor("repository", "octo/tools"));
        Assert.InRange(admitted.Body.GetProperty("expires_in").GetInt32(), 60, 300);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(robot, server.Issuer.Token(Audience, repository: "octo/other"))).Status);

        var listed = await api.ApiGetAsync("/api/v1/federation/trusts");
        var trusts = listed.Body.EnumerateArray().ToList();
        Assert.Contains(trusts, t => t.GetProperty("name").GetString() == name && t.GetProperty("source").GetString() == "database");
        Assert.Contains(trusts, t => t.GetProperty("name").GetString() == "gha-app" && t.GetProperty("readOnly").GetBoolean());

        Assert.Equal(HttpStatusCode.NoContent, (await api.ApiDeleteAsync($"/api/v1/federation/trusts/{name}")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(robot, idToken)).Status);

        var audit = await server.WaitForAuditAsync(q => q.Where(e => e.Subject == "trust:" + name), e => e.Count >= 2);
        Assert.Equal([AuditEventTypes.TrustAdd, AuditEventTypes.TrustDelete], audit.Select(e => e.Type));
        Assert.All(audit, e => Assert.Equal("api:" + AdminName, e.Actor));
        Assert.Contains("octo/tools", audit[0].Details);
    }

    [Fact]
    public async Task A_trust_is_checked_like_one_in_the_settings()
    {
        var robot = await NewRobotAsync("checked" + Guid.NewGuid().ToString("N")[..6]);
        using var api = server.AdminClient();
        async Task<AdminApi.Answer> AddAsync(object trust) => await api.ApiPostAsync("/api/v1/federation/trusts", trust);

        var http = await AddAsync(new { name = "plain-http", issuer = "http://ci.example.com", audiences = new[] { Audience }, claims = new { repository = "octo/x" }, robot });
        Assert.Equal(HttpStatusCode.BadRequest, http.Status);
        Assert.Contains("must use https", http.FieldErrors("issuer")[0]);
        var open = await AddAsync(new { name = "open", issuer = server.Issuer.Url, audiences = new[] { Audience }, claims = new { repository = "*" }, robot });
        Assert.Contains("at least one condition", open.FieldErrors("claims")[0]);
        var noAudience = await AddAsync(new { name = "no-aud", issuer = server.Issuer.Url, claims = new { repository = "octo/x" }, robot });
        Assert.Equal(HttpStatusCode.BadRequest, noAudience.Status);
        var person = await AddAsync(new { name = "person", issuer = server.Issuer.Url, audiences = new[] { Audience }, claims = new { repository = "octo/x" }, robot = AdminName });
        Assert.Contains("robot login", person.FieldErrors("robot")[0]);
        var ghost = await AddAsync(Trust("ghost", "robot+nobody-here"));
        Assert.Contains("there is no robot", ghost.FieldErrors("robot")[0]);

        Assert.Equal(HttpStatusCode.Conflict, (await AddAsync(Trust("GHA-APP", robot))).Status);
        Assert.Equal(HttpStatusCode.Created, (await AddAsync(Trust("twice-" + robot[6..], robot))).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await AddAsync(Trust("twice-" + robot[6..], robot))).Status);
        var settings = await api.ApiDeleteAsync("/api/v1/federation/trusts/gha-app");
        Assert.Equal(HttpStatusCode.Conflict, settings.Status);
        Assert.Contains("remove it there", settings.Detail);
        Assert.Equal(HttpStatusCode.NotFound, (await api.ApiDeleteAsync("/api/v1/federation/trusts/no-such-trust")).Status);
    }

    [Fact]
    public async Task The_cli_adds_lists_and_deletes_trusts_and_the_running_server_follows()
    {
        var robot = await NewRobotAsync("cli" + Guid.NewGuid().ToString("N")[..6]);
        var settings = new Dictionary<string, string?>();
        if (server.OnPostgres)
            (settings["AuthServer:Database:Provider"], settings["AuthServer:Database:ConnectionString"]) = ("PostgreSQL", server.PostgresConnectionString);
        settings["AuthServer:Federation:AllowHttpLoopbackIssuers"] = "true";
        // The CLI's own settings hold one trust too: listed as read-only beside the database's.
        var t = "AuthServer:Federation:Trusts:0:";
        (settings[t + "Name"], settings[t + "Issuer"], settings[t + "Audiences:0"], settings[t + "Claims:repository"], settings[t + "Robot"]) =
            ("from-settings", server.Issuer.Url, Audience, "octo/app", KeylessRobot);
        var name = "cli-" + robot[6..];
        var idToken = server.Issuer.Token(Audience, repository: "octo/tools", lifetime: TimeSpan.FromMinutes(5));

        var added = await InProcessCli.RunWithAsync(server.DataDirectory, settings, null, "trust", "add", name, "--issuer", server.Issuer.Url,
            "--audience", Audience, "--claim", "repository=octo/tools", "--claim", "ref=refs/heads/*", "--robot", robot, "--max-token-lifetime", "10m");
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains($"added trust {name}", added.Output);

        var listed = await InProcessCli.RunWithAsync(server.DataDirectory, settings, null, "trust", "list");
        Assert.Contains(listed.Output.Split('\n'), l => l.StartsWith(name, StringComparison.Ordinal) && l.Contains("database", StringComparison.Ordinal));
        Assert.Contains(listed.Output.Split('\n'), l => l.StartsWith("from-settings", StringComparison.Ordinal) && l.Contains("settings", StringComparison.Ordinal));

        // Another process's change: the server sees it within its revision check.
        await Eventually.WaitUntilAsync(async () => (await LoginAsync(robot, idToken)).Status == HttpStatusCode.OK, "sign-in through the CLI's trust");

        var refusedHttp = await InProcessCli.RunWithAsync(server.DataDirectory, settings, null, "trust", "add", "bad", "--issuer", "http://ci.example.com",
            "--audience", Audience, "--claim", "repository=octo/x", "--robot", robot);
        Assert.NotEqual(0, refusedHttp.ExitCode);
        Assert.Contains("must use https", refusedHttp.Error);
        var badClaim = await InProcessCli.RunWithAsync(server.DataDirectory, settings, null, "trust", "add", "bad", "--issuer", server.Issuer.Url,
            "--audience", Audience, "--claim", "repository", "--robot", robot);
        Assert.Contains("is not CLAIM=PATTERN", badClaim.Error);

        var deleted = await InProcessCli.RunWithAsync(server.DataDirectory, settings, null, "trust", "delete", name);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        await Eventually.WaitUntilAsync(async () => (await LoginAsync(robot, idToken)).Status == HttpStatusCode.Unauthorized, "refusal after the CLI deleted the trust");
    }
}

public sealed class RuntimeTrustTests(FederationFixture server) : RuntimeTrustTests<FederationFixture>(server);

public sealed class RuntimeTrustTestsOnPostgres(FederationFixtureOnPostgres server) : RuntimeTrustTests<FederationFixtureOnPostgres>(server);
