using AuthServer.Core.SignIn.Sources;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthServer.Admin;

/// <summary>One identity source as the admin API shows it. The last error is the back end's own text, for the operator.</summary>
/// <param name="Position">Where it is asked, from 1: the first that knows a name decides.</param>
public sealed record IdentitySourceView(
    string Name, int Position, bool Healthy, DateTimeOffset? LastSuccessAt, DateTimeOffset? LastErrorAt, string? LastError);

public static class IdentitySourceEndpoints
{
    public static RouteGroupBuilder MapIdentitySourceEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/identity-sources", async Task<Ok<IdentitySourceView[]>> (IdentitySourceSet sources, CancellationToken ct) =>
            {
                // Each source is reached once now, so the answer is its health at this moment, not at its last sign-in.
                await Task.WhenAll(sources.Ordered.Select(s => s.ProbeAsync(ct)));
                return TypedResults.Ok(sources.Ordered.Select((source, i) =>
                {
                    var status = source.Health.Snapshot();
                    return new IdentitySourceView(source.Name, i + 1, status.Healthy, status.LastSuccess, status.LastError, status.LastErrorText);
                }).ToArray());
            })
            .WithTags("Identity sources").WithName("ListIdentitySources")
            .WithSummary("The identity sources in the order they are asked, each checked now: health, last success, last error");
        return api;
    }
}
