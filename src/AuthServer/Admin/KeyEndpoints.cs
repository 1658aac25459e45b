using AuthServer.Admin.Models;
using AuthServer.Core.Signing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthServer.Admin;

public static class KeyEndpoints
{
    public static RouteGroupBuilder MapKeyEndpoints(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/keys").WithTags("Signing keys");

        keys.MapGet("/", async Task<Ok<KeyView[]>> (SigningKeyService service, CancellationToken ct) =>
                TypedResults.Ok((await service.ListAsync(ct)).Select(KeyView.From).ToArray()))
            .WithName("ListKeys").WithSummary("List signing keys: next, active, retired");

        keys.MapGet("/status", async Task<Ok<SigningStatus>> (SigningStatusService status, CancellationToken ct) =>
                TypedResults.Ok(await status.GetAsync(ct)))
            .WithName("GetKeyStatus").WithSummary("Mode, active and next key, next rotation, the CA's and the active key's certificate expiry, and findings");

        keys.MapPost("/", async Task<Created<KeyView>> (KeyCreate body, SigningKeyService service, CancellationToken ct) =>
            {
                var key = await service.AddAsync(body.Algorithm, body.Activate ?? false, ct);
                return TypedResults.Created($"{AdminApi.Prefix}/keys", KeyView.From(key));
            })
            .WithName("CreateKey").WithSummary("Create a signing key: the next key (export the bundle to registries, then activate), or active at once")
            .ProducesValidationProblem();

        keys.MapPost("/{kid}/activate", async Task<Ok<KeyView>> (string kid, SigningKeyService service, CancellationToken ct) =>
                TypedResults.Ok(KeyView.From(await service.ActivateAsync(kid, ct))))
            .WithName("ActivateKey").WithSummary("Sign with this key from the next token on; the current key retires")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        keys.MapPost("/{kid}/retire", async Task<Ok<KeyView>> (string kid, SigningKeyService service, CancellationToken ct) =>
                TypedResults.Ok(KeyView.From(await service.RetireAsync(kid, ct))))
            .WithName("RetireKey").WithSummary("Retire a next key that will not be used")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        keys.MapGet("/bundle", async Task<ContentHttpResult> (SigningKeyService service, CancellationToken ct) =>
                TypedResults.Text(await service.ExportBundleAsync(ct), "application/x-pem-file"))
            .WithName("GetKeyBundle").WithSummary("The registry's rootcertbundle: PEM certificates of every key it should trust")
            .Produces<string>(StatusCodes.Status200OK, "application/x-pem-file");

        keys.MapGet("/jwks", async Task<Ok<JwksDocument>> (SigningKeyService service, CancellationToken ct) =>
                TypedResults.Ok(await service.ExportJwksAsync(ct)))
            .WithName("GetJwks").WithSummary("The JWKS document (registry 3.x auth.token.jwks)");
        return api;
    }
}
