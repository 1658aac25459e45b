using AuthServer.Admin.Models;
using AuthServer.Core.Audit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthServer.Admin;

public static class AuditEndpoints
{
    public static RouteGroupBuilder MapAuditEndpoints(this RouteGroupBuilder api)
    {
        var audit = api.MapGroup("/audit").WithTags("Audit");

        audit.MapGet("/events", async Task<Ok<AuditPage>> (
                DateTimeOffset? from, DateTimeOffset? to, string? subject, string? actor, string? outcome, string? service, string? type,
                long? beforeId, int? limit, string? traceId, AuditQuery query, CancellationToken ct) =>
            {
                var filter = new AuditFilter(from?.UtcDateTime, to?.UtcDateTime, subject, actor, AuditFilter.ParseOutcome(outcome), service, type,
                    beforeId, limit ?? 100, traceId);
                var events = await query.ListAsync(filter, ct);
                var next = events.Count == filter.Limit ? events[^1].Id : (long?)null;
                return TypedResults.Ok(new AuditPage(events.Select(AuditEventView.From).ToArray(), next));
            })
            .WithName("ListAuditEvents")
            .WithSummary("Search the audit log, newest first: time range (from, to), subject, actor, outcome, service, type, traceId (one request's events); page with beforeId")
            .ProducesValidationProblem();
        return api;
    }
}
