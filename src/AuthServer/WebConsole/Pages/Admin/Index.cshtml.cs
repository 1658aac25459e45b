using AuthServer.Core.Data;
using AuthServer.Core.Policy;
using AuthServer.Core.Policy.Lint;
using AuthServer.Core.Signing;
using AuthServer.Hosting;
using AuthServer.WebConsole.Dashboard;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AuthServer.WebConsole.Pages.Admin;

/// <summary>One health line: the database (the readiness check) and each identity source.</summary>
public sealed record HealthLine(string Name, bool Healthy, string Detail);

/// <summary>What the server is doing now: token requests by outcome, lockouts, health, rule findings.</summary>
public sealed class DashboardModel(
    TrafficQuery traffic, HealthCheckService health, AuthServerDbContext db, RuleLintService lint, RuleService rules, SigningKeyService keys)
    : ConsolePage
{
    [BindProperty(SupportsGet = true)]
    public string? Window { get; set; }

    public Traffic Traffic { get; private set; } = null!;
    public IReadOnlyList<HealthLine> Health { get; private set; } = [];
    public int RuleCount { get; private set; }
    public int LintErrors { get; private set; }
    public int LintWarnings { get; private set; }
    public SigningKey? ActiveKey { get; private set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public override async Task LoadAsync(CancellationToken ct)
    {
        Traffic = await traffic.ReadAsync(TrafficWindow.Parse(Window), ct);
        var report = await health.CheckHealthAsync(c => c.Tags.Contains(HealthEndpoints.ReadyTag), ct);
        var lines = report.Entries.Select(e => new HealthLine(
            e.Key, e.Value.Status == HealthStatus.Healthy,
            e.Value.Status == HealthStatus.Healthy ? $"answered in {e.Value.Duration.TotalMilliseconds:0} ms" : e.Value.Description ?? "did not answer")).ToList();
        if (report.Status == HealthStatus.Healthy)
        {
            var users = await db.Users.CountAsync(ct);
            var disabled = await db.Users.CountAsync(u => u.IsDisabled, ct);
            lines.Add(new HealthLine("local users (identity source)", true, $"{users} users, {disabled} disabled"));
        }
        Health = lines;
        var findings = await lint.LintAsync(ct);
        LintErrors = findings.Count(f => f.Severity == LintSeverity.Error);
        LintWarnings = findings.Count(f => f.Severity == LintSeverity.Warning);
        RuleCount = (await rules.ListAsync(ct)).Count;
        ActiveKey = (await keys.ListAsync(ct)).FirstOrDefault(k => k.State == SigningKeyState.Active);
    }
}
