using AuthServer.Admin.Models;
using AuthServer.Core.Errors;
using AuthServer.Core.Identity;
using AuthServer.Core.SignIn;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthServer.Admin;

public static class UserEndpoints
{
    public static RouteGroupBuilder MapUserEndpoints(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");

        users.MapPost("/", async Task<Created<UserView>> (UserCreate body, UserService service, CancellationToken ct) =>
            {
                var user = await service.CreateAsync(body.Name!, body.Password!, body.Admin ?? false, ct);
                return TypedResults.Created($"{AdminApi.Prefix}/users/{Uri.EscapeDataString(user.Name)}", UserView.From(user));
            })
            .WithName("CreateUser").WithSummary("Create a user").ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        users.MapGet("/", async Task<Ok<Page<UserView>>> (string? filter, int? offset, int? limit, UserService service, CancellationToken ct) =>
            {
                var (skip, take) = PageRequest.Read(offset, limit);
                var page = await service.ListAsync(filter, skip, take, ct);
                var total = await service.CountAsync(filter, ct);
                return TypedResults.Ok(new Page<UserView>(page.Select(UserView.From).ToArray(), total, skip, take));
            })
            .WithName("ListUsers").WithSummary("List users, by name, a page at a time; filter keeps names containing the text")
            .ProducesValidationProblem();

        users.MapGet("/{name}", async Task<Ok<UserView>> (string name, UserService service, CancellationToken ct) =>
                TypedResults.Ok(UserView.From(await service.GetAsync(name, ct))))
            .WithName("GetUser").WithSummary("Get a user").ProducesProblem(StatusCodes.Status404NotFound);

        users.MapPatch("/{name}", async Task<Ok<UserView>> (string name, UserPatch body, UserService service, CancellationToken ct) =>
                TypedResults.Ok(UserView.From(await service.UpdateAsync(name, new UserUpdate(body.Admin, body.Disabled), ct))))
            .WithName("UpdateUser").WithSummary("Change a user's admin or disabled flag; fields left out stay as they are")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        users.MapPut("/{name}/password", async Task<NoContent> (string name, PasswordChange body, UserService service, CancellationToken ct) =>
            {
                await service.SetPasswordAsync(name, body.Password!, ct);
                return TypedResults.NoContent();
            })
            .WithName("SetUserPassword").WithSummary("Set a user's password; the refresh sessions the old one started end")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        users.MapPost("/{name}/disable", (string name, UserService service, CancellationToken ct) => SetDisabledAsync(name, true, service, ct))
            .WithName("DisableUser").WithSummary("Disable a user: no more tokens, their sessions and their robots' sessions end")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        users.MapPost("/{name}/enable", (string name, UserService service, CancellationToken ct) => SetDisabledAsync(name, false, service, ct))
            .WithName("EnableUser").WithSummary("Enable a disabled user").ProducesProblem(StatusCodes.Status404NotFound);

        users.MapPost("/{name}/unlock", async Task<NoContent> (string name, LockoutService lockouts, CancellationToken ct) =>
            {
                await lockouts.UnlockUserAsync(name, ct);
                return TypedResults.NoContent();
            })
            .WithName("UnlockUser").WithSummary("Lift a lockout after failed sign-ins").ProducesProblem(StatusCodes.Status404NotFound);

        users.MapDelete("/{name}", async Task<NoContent> (string name, UserService service, CancellationToken ct) =>
            {
                await service.DeleteAsync(name, ct);
                return TypedResults.NoContent();
            })
            .WithName("DeleteUser").WithSummary("Delete a user with their memberships, sessions, access tokens, robots and the rules naming them")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<Ok<UserView>> SetDisabledAsync(string name, bool disabled, UserService service, CancellationToken ct)
    {
        await service.SetDisabledAsync(name, disabled, ct);
        return TypedResults.Ok(UserView.From(await service.GetAsync(name, ct)));
    }
}
