using AuthServer.Admin.Models;
using AuthServer.Core.Errors;
using AuthServer.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthServer.Admin;

public static class SessionEndpoints
{
    public static RouteGroupBuilder MapSessionEndpoints(this RouteGroupBuilder api)
    {
        var sessions = api.MapGroup("/sessions").WithTags("Refresh sessions");

        sessions.MapGet("/", async Task<Ok<Page<SessionView>>> (
                string? user, string? robot, bool? includeEnded, string? filter, int? offset, int? limit,
                RefreshSessionService service, CancellationToken ct) =>
            {
                var (skip, take) = PageRequest.Read(offset, limit);
                var page = await service.ListAsync(new SessionFilter(user, robot, includeEnded ?? false, filter), skip, take, ct);
                return TypedResults.Ok(new Page<SessionView>(page.Items, page.Total, skip, take));
            })
            .WithName("ListSessions")
            .WithSummary("List refresh sessions (docker login's offline logins, never their tokens), most recently used first, a page at a time")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        sessions.MapDelete("/{id:long}", async Task<Ok<SessionView>> (long id, RefreshSessionService service, CancellationToken ct) =>
                TypedResults.Ok(await service.RevokeAsync(id, ct)))
            .WithName("EndSession").WithSummary("End one session: its refresh token is refused from the next request on")
            .ProducesProblem(StatusCodes.Status404NotFound);

        sessions.MapDelete("/", async Task<Ok<SessionsEnded>> (string? user, string? robot, RefreshSessionService service, CancellationToken ct) =>
            {
                if (string.IsNullOrWhiteSpace(user) == string.IsNullOrWhiteSpace(robot))
                    throw new ValidationFailedException("user", "give user=NAME or robot=NAME (one of them)");
                return TypedResults.Ok(user is not null
                    ? new SessionsEnded(user, await service.RevokeAllForUserAsync(user, ct))
                    : new SessionsEnded(robot!, await service.RevokeAllForRobotAsync(robot!, ct)));
            })
            .WithName("EndSessions").WithSummary("End every session of one user (user=NAME) or robot (robot=NAME)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }
}
