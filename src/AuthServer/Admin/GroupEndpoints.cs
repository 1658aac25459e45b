using AuthServer.Admin.Models;
using AuthServer.Core.Errors;
using AuthServer.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthServer.Admin;

public static class GroupEndpoints
{
    public static RouteGroupBuilder MapGroupEndpoints(this RouteGroupBuilder api)
    {
        var groups = api.MapGroup("/groups").WithTags("Groups");

        groups.MapPost("/", async Task<Created<GroupView>> (GroupCreate body, GroupService service, CancellationToken ct) =>
            {
                var group = await service.CreateAsync(body.Name!, body.Description, ct);
                return TypedResults.Created($"{AdminApi.Prefix}/groups/{Uri.EscapeDataString(group.Name)}",
                    new GroupView(group.Name, group.Description, [], group.CreatedAt));
            })
            .WithName("CreateGroup").WithSummary("Create a group").ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        groups.MapGet("/", async Task<Ok<IReadOnlyList<GroupSummary>>> (GroupService service, CancellationToken ct) =>
                TypedResults.Ok(await service.ListAsync(ct)))
            .WithName("ListGroups").WithSummary("List groups with their member counts");

        groups.MapGet("/{name}", async Task<Ok<GroupView>> (string name, GroupService service, CancellationToken ct) =>
            {
                var group = await service.GetAsync(name, ct);
                return TypedResults.Ok(new GroupView(group.Name, group.Description, await service.MembersAsync(name, ct), group.CreatedAt));
            })
            .WithName("GetGroup").WithSummary("Get a group and its members").ProducesProblem(StatusCodes.Status404NotFound);

        groups.MapDelete("/{name}", async Task<NoContent> (string name, GroupService service, CancellationToken ct) =>
            {
                await service.DeleteAsync(name, ct);
                return TypedResults.NoContent();
            })
            .WithName("DeleteGroup").WithSummary("Delete a group, its memberships, its robots and the rules naming them")
            .ProducesProblem(StatusCodes.Status404NotFound);

        groups.MapGet("/{name}/members", async Task<Ok<IReadOnlyList<string>>> (string name, GroupService service, CancellationToken ct) =>
                TypedResults.Ok(await service.MembersAsync(name, ct)))
            .WithName("ListGroupMembers").WithSummary("List a group's members").ProducesProblem(StatusCodes.Status404NotFound);

        groups.MapPost("/{name}/members", async Task<NoContent> (string name, MemberAdd body, GroupService service, CancellationToken ct) =>
            {
                if (string.IsNullOrWhiteSpace(body.User)) throw new ValidationFailedException("user", "user is required");
                await service.AddMemberAsync(name, body.User, ct);
                return TypedResults.NoContent();
            })
            .WithName("AddGroupMember").WithSummary("Add a user to a group; takes effect on the next token request")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        groups.MapDelete("/{name}/members/{user}", async Task<NoContent> (string name, string user, GroupService service, CancellationToken ct) =>
            {
                await service.RemoveMemberAsync(name, user, ct);
                return TypedResults.NoContent();
            })
            .WithName("RemoveGroupMember").WithSummary("Remove a user from a group").ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }
}
