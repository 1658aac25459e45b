using AuthServer.Core.Audit;

namespace AuthServer.Cli;

internal sealed class AuditCommands(CliContext cli)
{
    internal sealed record AuditView(
        long Id, DateTime At, string Type, string Outcome, string? Subject, string? Actor, string? Credential, long? CredentialId,
        string? Service, string? RequestedScopes, string? GrantedScopes, string? ClientAddress, string? UserAgent, string? Reason, string? Details, string? TraceId)
    {
        public static AuditView From(AuditEvent e) => new(
            e.Id, e.At, e.Type, e.Outcome.ToString().ToLowerInvariant(), e.Subject, e.Actor, e.Credential?.ToString(), e.CredentialId,
            e.Service, e.RequestedScopes, e.Granted, e.ClientAddress, e.UserAgent, e.Reason, e.Details, e.TraceId);
    }

    public Command Create()
    {
        var since = new Option<string?>("--since") { Description = "From this time: a duration back (24h, 7d) or a date" };
        var until = new Option<string?>("--until") { Description = "Up to this time: a duration back or a date" };
        var subject = new Option<string?>("--subject") { Description = "Only events about this account (alice, devs+ci) or object (group:devs, rule:12)" };
        var actor = new Option<string?>("--actor") { Description = "Only changes made by this actor, e.g. cli:root" };
        var outcome = new Option<string?>("--outcome")
        {
            Description = "granted, partial, unauthorized, invalid, locked, limited, error or success",
        };
        var service = new Option<string?>("--service") { Description = "Only token requests for this service" };
        var type = new Option<string?>("--type") { Description = "An event type (token.request) or an area (user, robot, login)" };
        var trace = new Option<string?>("--trace") { Description = "Only the events of one request: its trace id, as its log lines show it (trace_id=…)" };
        var before = new Option<long?>("--before") { Description = "Only events older than this id (to page back)" };
        var limit = new Option<int>("--limit") { Description = $"At most this many events, newest first (1-{AuditFilter.MaxLimit})", DefaultValueFactory = _ => 50 };
        var command = new Command("audit", "Search the audit log: token requests, lockouts and every change, newest first")
        {
            since, until, subject, actor, outcome, service, type, trace, before, limit,
        };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var filter = new AuditFilter(
                TimeInput.Since(parse.GetValue(since), "--since", now),
                TimeInput.Since(parse.GetValue(until), "--until", now),
                parse.GetValue(subject), parse.GetValue(actor), AuditFilter.ParseOutcome(parse.GetValue(outcome)), parse.GetValue(service),
                parse.GetValue(type), parse.GetValue(before), parse.GetValue(limit), parse.GetValue(trace));
            var events = await services.GetRequiredService<AuditQuery>().ListAsync(filter, ct);
            output.List(events.Select(AuditView.From).ToList(), ["ID", "TIME", "TYPE", "OUTCOME", "SUBJECT", "ACTOR", "SERVICE", "CLIENT", "TRACE", "DETAIL"],
                e => [e.Id.ToString(), e.At.ToString("u"), e.Type, e.Outcome, e.Subject ?? "-", e.Actor ?? "-", e.Service ?? "-", e.ClientAddress ?? "-", e.TraceId ?? "-", Detail(e)]);
        });
        return command;
    }

    /// <summary>The part that says why: the reason, the scopes asked and given, or the change.</summary>
    private static string Detail(AuditView e)
    {
        var parts = new List<string>();
        if (e.Reason is not null) parts.Add(e.Reason);
        if (e.RequestedScopes is { Length: > 0 }) parts.Add($"asked [{e.RequestedScopes}]");
        if (e.GrantedScopes is not null && e.Type == AuditEventTypes.TokenRequest && e.Outcome is "granted" or "partial") parts.Add($"got [{e.GrantedScopes}]");
        if (e.Details is not null) parts.Add(e.Details);
        return string.Join("; ", parts);
    }
}
