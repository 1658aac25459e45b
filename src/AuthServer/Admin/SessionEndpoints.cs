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

        sessions.MapGet("/", async Task<Ok<IReadOnlyList<SessionView>>> (
                string? user, string? robot, bool? includeEnded, RefreshSessionService service, CancellationToken ct) =>
                TypedResults.Ok(await service.ListAsync(new SessionFilter(user, robot, includeEnded ?? false), ct)))
            .WithName("ListSessions").WithSummary("List refresh sessions (docker login's offline logins, never their tokens)")
            .ProducesProblem(StatusCodes.Status404NotFound);

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
