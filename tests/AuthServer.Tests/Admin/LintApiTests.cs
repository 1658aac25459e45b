using System.Net;
using AuthServer.Core.Data;
using AuthServer.Core.Policy;
using AuthServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AuthServer.Tests.Admin;

/// <summary>Its own server, so the findings are those of the rules made here.</summary>
public class LintApiTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private readonly HttpClient _api = server.AdminClient();

    private async Task<long> RuleAsync(object rule)
    {
        var created = await _api.ApiPostAsync("/api/v1/rules", rule);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return created.Body.GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task Lint_reports_rules_that_never_match_duplicates_and_rules_that_grant_nothing_and_the_cli_agrees()
    {
        var (user, _) = await server.NewUserAsync("xia");
        await _api.ApiPostAsync("/api/v1/groups", new { name = "empty" });
        var robot = (await _api.ApiPostAsync("/api/v1/robots", new { name = "lint" })).Body.GetProperty("robot").GetProperty("name").GetString();

        var allow = await RuleAsync(new { subject = $"user:{user}", pattern = "team/**", actions = new[] { "pull", "push" } });
        var duplicate = await RuleAsync(new { subject = $"user:{user}", pattern = "team/**", actions = new[] { "pull", "push" } });
        var robotUser = await RuleAsync(new { subject = $"robot:{robot}", pattern = "${user}/**", actions = new[] { "pull" } });
        var anonymousUser = await RuleAsync(new { subject = "anonymous", pattern = "${user}/pub", actions = new[] { "pull" } });
        var emptyGroup = await RuleAsync(new { subject = "group:empty", pattern = "x/**", actions = new[] { "pull" } });
        // No allow rule names the registry catalog, so this deny takes nothing away.
        var lonelyDeny = await RuleAsync(new { effect = "deny", subject = "authenticated", resourceType = "registry", pattern = "catalog", actions = new[] { "*" } });
        var cancelled = await RuleAsync(new { subject = "authenticated", pattern = "locked/app", actions = new[] { "pull" } });
        var cancelling = await RuleAsync(new { effect = "deny", subject = "anonymous", pattern = "locked/**", actions = new[] { "*" } });
        var unreachable = await RuleAsync(new { subject = "authenticated", pattern = "team/-bad-", actions = new[] { "pull" } });
        var gone = await RuleAsync(new { subject = "authenticated", service = "short-lived", pattern = "svc/**", actions = new[] { "pull" } });
        // A service dropped from the settings after the rule was written: only the database still names it.
        await server.ChangeAsync<AccessRule>(r => r.Id == gone, r => r.Service = "retired-registry");

        var report = await _api.ApiGetAsync("/api/v1/policy/lint");
        Assert.Equal(HttpStatusCode.OK, report.Status);
        var findings = report.Body.GetProperty("findings").EnumerateArray()
            .Select(f => (Rule: f.GetProperty("ruleId").GetInt64(), Code: f.GetProperty("code").GetString()!, Severity: f.GetProperty("severity").GetString()!)).ToArray();
        Assert.Contains((duplicate, "duplicate", "warning"), findings);
        Assert.Contains((robotUser, "user-variable", "error"), findings);
        Assert.Contains((anonymousUser, "user-variable", "warning"), findings);
        Assert.Contains((emptyGroup, "empty-group", "warning"), findings);
        Assert.Contains((lonelyDeny, "deny-without-allow", "warning"), findings);
        Assert.Contains((cancelled, "grants-nothing", "error"), findings);
        Assert.Contains((unreachable, "pattern-unreachable", "error"), findings);
        Assert.Contains((gone, "unknown-service", "error"), findings);
        Assert.DoesNotContain(findings, f => f.Rule == allow);
        Assert.DoesNotContain(findings, f => f.Rule == cancelling && f.Code == "deny-without-allow");
        Assert.Equal(findings.Count(f => f.Severity == "error"), report.Body.GetProperty("errors").GetInt32());

        var cli = await InProcessCli.RunAsync(server.DataDirectory, null, "rule", "lint", "--json");
        Assert.Equal(1, cli.ExitCode);
        Assert.Contains("\"code\": \"grants-nothing\"", cli.Output);
        Assert.Equal(findings.Length, System.Text.Json.JsonDocument.Parse(cli.Output).RootElement.GetArrayLength());
    }
}
