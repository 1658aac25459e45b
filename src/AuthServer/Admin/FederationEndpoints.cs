using AuthServer.Admin.Models;
using AuthServer.Core.Errors;
using AuthServer.Core.Federation;
using AuthServer.Core.Policy.Explain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthServer.Admin;

/// <summary>Keyless CI: the trusts in force, and what an ID token with given claims would get.</summary>
public static class FederationEndpoints
{
    public static RouteGroupBuilder MapFederationEndpoints(this RouteGroupBuilder api)
    {
        var federation = api.MapGroup("/federation").WithTags("Keyless CI");

        federation.MapGet("/trusts", Ok<TrustView[]> (FederatedSignIn trusts) => TypedResults.Ok(trusts.Trusts.Select(TrustView.From).ToArray()))
            .WithName("ListTrusts").WithSummary("The trusts (AuthServer:Federation:Trusts): which ID tokens sign in as which robot");

        federation.MapPost("/explain", async Task<Ok<IdTokenExplanation>> (
                IdTokenExplainRequest body, FederatedSignIn trusts, PolicyExplainer explainer, CancellationToken ct) =>
            {
                if (string.IsNullOrWhiteSpace(body.Issuer)) throw new ValidationFailedException("issuer", "the ID token's iss is required");
                if (string.IsNullOrWhiteSpace(body.Audience)) throw new ValidationFailedException("audience", "the ID token's aud is required");
                var match = trusts.Match(body.Issuer, body.Audience, body.Claims ?? [], body.Robot);
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
