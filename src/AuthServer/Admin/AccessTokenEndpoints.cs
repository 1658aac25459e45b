using AuthServer.Admin.Models;
using AuthServer.Core.Errors;
using AuthServer.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthServer.Admin;

public static class AccessTokenEndpoints
{
    public static RouteGroupBuilder MapAccessTokenEndpoints(this RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/access-tokens").WithTags("Access tokens");

        tokens.MapPost("/", async Task<Created<CreatedAccessTokenView>> (
                AccessTokenCreate body, AccessTokenService service, TimeProvider time, CancellationToken ct) =>
            {
                if (string.IsNullOrWhiteSpace(body.User)) throw new ValidationFailedException("user", "user is required");
                var created = await service.CreateAsync(body.User, new AccessTokenSpec(body.Name!, RobotEndpoints.Utc(body.ExpiresAt), body.Scopes), ct);
                var token = created.Token;
                return TypedResults.Created(
                    $"{AdminApi.Prefix}/access-tokens?user={Uri.EscapeDataString(token.User.Name)}",
                    new CreatedAccessTokenView(AccessTokenView.From(token, RobotEndpoints.Now(time)), created.Secret));
            })
            .WithName("CreateAccessToken").WithSummary("Create a personal access token for a user; the answer holds its secret, shown this once only")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        tokens.MapGet("/", async Task<Ok<AccessTokenView[]>> (
                string? user, bool? includeRevoked, AccessTokenService service, TimeProvider time, CancellationToken ct) =>
                TypedResults.Ok((await service.ListAsync(user, includeRevoked ?? false, ct))
                    .Select(t => AccessTokenView.From(t, RobotEndpoints.Now(time))).ToArray()))
            .WithName("ListAccessTokens").WithSummary("List access tokens (never their secrets), of one user or everyone's")
            .ProducesProblem(StatusCodes.Status404NotFound);

        tokens.MapDelete("/{user}/{name}", async Task<NoContent> (string user, string name, AccessTokenService service, CancellationToken ct) =>
            {
                await service.RevokeAsync(user, name, ct);
                return TypedResults.NoContent();
            })
            .WithName("RevokeAccessToken").WithSummary("Revoke a user's access token: refused from the next request on, its sessions end")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }
}
