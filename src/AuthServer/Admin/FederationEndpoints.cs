using AuthServer.Admin.Models;
using AuthServer.Core.Errors;
using AuthServer.Core.Federation;
using AuthServer.Core.Policy.Explain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthServer.Admin;

/// <summary>Keyless CI: the trusts in force, added and deleted at run time, and what an ID token with given claims would get.</summary>
public static class FederationEndpoints
{
    public static RouteGroupBuilder MapFederationEndpoints(this RouteGroupBuilder api)
    {
        var federation = api.MapGroup("/federation").WithTags("Keyless CI");

        federation.MapGet("/trusts", async Task<Ok<TrustView[]>> (TrustService trusts, CancellationToken ct) =>
                TypedResults.Ok((await trusts.ListAsync(ct)).Select(TrustView.From).ToArray()))
            .WithName("ListTrusts")
            .WithSummary("The trusts in force: those of AuthServer:Federation:Trusts (read-only here) and those added at run time");

        federation.MapPost("/trusts", async Task<Created<TrustView>> (TrustCreate body, TrustService trusts, CancellationToken ct) =>
            {
                var added = await trusts.AddAsync(body.ToOptions(), ct);
                return TypedResults.Created($"{AdminApi.Prefix}/federation/trusts/{Uri.EscapeDataString(added.Options.Name)}", TrustView.From(added));
            })
            .WithName("AddTrust")
            .WithSummary("Add a trust: ID tokens of this issuer, for one of these audiences, whose claims match, sign in as this robot")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        federation.MapDelete("/trusts/{name}", async Task<NoContent> (string name, TrustService trusts, CancellationToken ct) =>
            {
                await trusts.DeleteAsync(name, ct);
                return TypedResults.NoContent();
            })
            .WithName("DeleteTrust")
            .WithSummary("Delete a trust added at run time: its ID tokens are refused from the next sign-in on (a trust of the settings: 409)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        federation.MapPost("/explain", async Task<Ok<IdTokenExplanation>> (
                IdTokenExplainRequest body, FederatedSignIn trusts, PolicyExplainer explainer, CancellationToken ct) =>
            {
                if (string.IsNullOrWhiteSpace(body.Issuer)) throw new ValidationFailedException("issuer", "the ID token's iss is required");
                if (string.IsNullOrWhiteSpace(body.Audience)) throw new ValidationFailedException("audience", "the ID token's aud is required");
                var match = await trusts.MatchAsync(body.Issuer, body.Audience, body.Claims ?? [], body.Robot, ct);
                // Signature and times aside: with a trust met, the robot's rules decide as for any of its logins.
                var access = match.Robot is { } robot && body.Scopes is { Count: > 0 }
                    ? await explainer.ExplainAsync(new ExplainRequest(body.Service, body.Scopes, robot), ct)
                    : null;
                return TypedResults.Ok(new IdTokenExplanation(match, access));
            })
            .WithName("ExplainIdToken")
            .WithSummary("Which trust an ID token with these issuer, audience and claims would meet (signature and times aside), and what its robot would be granted")
            .ProducesValidationProblem();
        return api;
    }
}
