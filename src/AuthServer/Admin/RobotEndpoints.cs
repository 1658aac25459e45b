using AuthServer.Admin.Models;
using AuthServer.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthServer.Admin;

public static class RobotEndpoints
{
    public static RouteGroupBuilder MapRobotEndpoints(this RouteGroupBuilder api)
    {
        var robots = api.MapGroup("/robots").WithTags("Robots");

        robots.MapPost("/", async Task<Created<CreatedRobotView>> (RobotCreate body, RobotService service, TimeProvider time, CancellationToken ct) =>
            {
                var created = await service.CreateAsync(
                    new RobotSpec(body.Name!, body.Owner, body.Description, Utc(body.ExpiresAt), body.Scopes), ct);
                return TypedResults.Created($"{AdminApi.Prefix}/robots/{Uri.EscapeDataString(created.Robot.Name)}",
                    new CreatedRobotView(RobotView.From(created.Robot, Now(time)), created.Secret));
            })
            .WithName("CreateRobot").WithSummary("Create a robot; the answer holds its secret, shown this once only")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        robots.MapGet("/", async Task<Ok<RobotView[]>> (string? owner, RobotService service, TimeProvider time, CancellationToken ct) =>
                TypedResults.Ok((await service.ListAsync(owner, ct)).Select(r => RobotView.From(r, Now(time))).ToArray()))
            .WithName("ListRobots").WithSummary("List robots; owner keeps those of user:NAME, group:NAME or system")
            .ProducesValidationProblem();

        robots.MapGet("/{name}", async Task<Ok<RobotView>> (string name, RobotService service, TimeProvider time, CancellationToken ct) =>
                TypedResults.Ok(RobotView.From(await service.GetAsync(name, ct), Now(time))))
            .WithName("GetRobot").WithSummary("Get a robot (never its secret)").ProducesProblem(StatusCodes.Status404NotFound);

        robots.MapPost("/{name}/disable", async Task<Ok<RobotView>> (string name, RobotService service, TimeProvider time, CancellationToken ct) =>
                TypedResults.Ok(RobotView.From(await service.SetDisabledAsync(name, true, ct), Now(time))))
            .WithName("DisableRobot").WithSummary("Disable a robot: refused from the next request on, its sessions end")
            .ProducesProblem(StatusCodes.Status404NotFound);

        robots.MapPost("/{name}/enable", async Task<Ok<RobotView>> (string name, RobotService service, TimeProvider time, CancellationToken ct) =>
                TypedResults.Ok(RobotView.From(await service.SetDisabledAsync(name, false, ct), Now(time))))
            .WithName("EnableRobot").WithSummary("Enable a disabled robot").ProducesProblem(StatusCodes.Status404NotFound);

        robots.MapDelete("/{name}", async Task<NoContent> (string name, RobotService service, CancellationToken ct) =>
            {
                await service.DeleteAsync(name, ct);
                return TypedResults.NoContent();
            })
            .WithName("DeleteRobot").WithSummary("Delete a robot, its sessions and the rules naming it").ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    internal static DateTime Now(TimeProvider time) => time.GetUtcNow().UtcDateTime;

    /// <summary>JSON times without an offset are read as UTC, as everything here is.</summary>
    internal static DateTime? Utc(DateTime? at) => at switch
    {
        null => null,
        { Kind: DateTimeKind.Unspecified } t => DateTime.SpecifyKind(t, DateTimeKind.Utc),
        { } t => t.ToUniversalTime(),
    };
}
