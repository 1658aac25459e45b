using AuthServer.Core.Signing;
using AuthServer.Hosting;
using Microsoft.Extensions.Options;

namespace AuthServer.Tokens;

public static class TokenEndpoints
{
    /// <summary>GET and POST /token, a JSON 405 for every other method, and the JWKS document.</summary>
    public static IEndpointRouteBuilder MapTokenEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/token", [HttpMethods.Get, HttpMethods.Post],
            (HttpContext http, TokenEndpoint endpoint, CancellationToken ct) => endpoint.HandleAsync(http, ct))
            .DisableAntiforgery()
            .RequireRateLimiting(TokenRateLimiting.Policy)
            .WithName("Token");

        app.MapMethods("/token", [HttpMethods.Put, HttpMethods.Delete, HttpMethods.Patch, HttpMethods.Head, HttpMethods.Options],
            (HttpContext http, IOptions<TokenOptions> options) =>
                TokenResults.Error(TokenError.MethodNotAllowed(http.Request.Method), options.Value.Realm))
            .ExcludeFromDescription();

        app.MapGet("/.well-known/jwks.json", async (SigningKeyService keys, CancellationToken ct) =>
            Results.Text((await keys.ExportJwksAsync(ct)).ToJson(), "application/json"))
            .WithName("Jwks");
        return app;
    }
}
