using AuthServer.Core.Audit;
using AuthServer.Core.SignIn;

namespace AuthServer.Admin;

/// <summary>
/// Runs after authorization on every admin API call: the caller becomes the audit actor of every
/// change the request makes (<c>api:NAME</c>), answers are never cached (some carry a secret
/// shown once), and cross-site browser requests are refused, since a browser may replay Basic
/// credentials it remembers on a request another site made it send.
/// </summary>
public sealed class AdminRequestFilter(AuditActor actor) : IEndpointFilter
{
    public const string ActorPrefix = "api:";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        http.Response.Headers.CacheControl = "no-store";
        if (http.Request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site")
            return TypedResults.Problem("cross-site browser requests are refused", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        actor.Set(ActorPrefix + http.User.Identity!.Name, ClientAddress.Display(http.Connection.RemoteIpAddress));
        return await next(context);
    }
}
