using AuthServer.Core.Data;
using AuthServer.Core.Policy;
using AuthServer.Core.Policy.Lint;
using AuthServer.Core.SignIn.Sources;
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
    TrafficQuery traffic, HealthCheckService health, AuthServerDbContext db, RuleLintService lint, RuleService rules, SigningKeyService keys,
    IdentitySourceSet sources)
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
        lines.AddRange(await SourceLinesAsync(report.Status == HealthStatus.Healthy, ct));
        Health = lines;
        var findings = await lint.LintAsync(ct);
        LintErrors = findings.Count(f => f.Severity == LintSeverity.Error);
        LintWarnings = findings.Count(f => f.Severity == LintSeverity.Warning);
        RuleCount = (await rules.ListAsync(ct)).Count;
        ActiveKey = (await keys.ListAsync(ct)).FirstOrDefault(k => k.State == SigningKeyState.Active);
    }

    /// <summary>
    /// Each identity source in the order it is asked, reached once now (as GET /api/v1/identity-sources
    /// does), with how many users it provisioned; the counts only while the database answers.
    /// </summary>
    private async Task<IEnumerable<HealthLine>> SourceLinesAsync(bool databaseAnswers, CancellationToken ct)
    {
        await Task.WhenAll(sources.Ordered.Select(s => s.ProbeAsync(ct)));
        var counts = databaseAnswers
            ? await db.Users.GroupBy(u => u.Source).Select(g => new { Source = g.Key, Users = g.Count(), Disabled = g.Count(u => u.IsDisabled) })
                .ToDictionaryAsync(g => g.Source, ct)
            : null;
        return sources.Ordered.Select((source, i) =>
        {
            var status = source.Health.Snapshot();
            var users = counts is null ? "" : counts.TryGetValue(source.Name, out var c) ? $"{c.Users} users, {c.Disabled} disabled; " : "no users yet; ";
            var detail = (status.Healthy, status.LastSuccess) switch
            {
                (false, _) => $"{users}last error {ConsoleFormat.Time(status.LastError?.UtcDateTime)}: {status.LastErrorText}",
                (true, { } reached) => $"{users}reached {ConsoleFormat.Time(reached.UtcDateTime)}",
                // This server's own database (the local source) has no back end of its own to reach.
                _ => users.TrimEnd(' ', ';'),
            };
            return new HealthLine($"identity source {i + 1}: {source.Name}", status.Healthy, detail);
        });
    }
}
