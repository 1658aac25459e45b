using AuthServer.Core.Audit;
using AuthServer.Core.SignIn;

namespace AuthServer.Admin;

/// <summary>
/// Runs after authorization on every admin API call: the caller becomes the audit actor of every
/// change the request makes (<c>api:NAME</c>), answers are never cached (some carry a secret
/// shown once), and cross-site browser requests are refused, since a browser may replay Basic
/// credentials it remembers on a request another site made it send.
/// </summary>
public sealed class AdminRequestFilter(AuditActor actor, Microsoft.Extensions.Options.IOptions<AdminOptions> options) : IEndpointFilter
{
    public const string ActorPrefix = "api:";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        http.Response.Headers.CacheControl = "no-store";
        if (http.Request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site" || ForeignOrigin(http))
            return TypedResults.Problem("cross-site browser requests are refused", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        actor.Set(ActorPrefix + http.User.Identity!.Name, ClientAddress.Display(http.Connection.RemoteIpAddress));
        return await next(context);
    }

    /// <summary>
    /// A change whose <c>Origin</c> is not this server's: older browsers send no Sec-Fetch-Site, but
    /// every browser names the origin of a cross-origin POST, PUT, PATCH or DELETE.
    /// </summary>
    private bool ForeignOrigin(HttpContext http)
    {
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method)) return false;
        var origin = http.Request.Headers.Origin.ToString();
        return origin.Length > 0 && !string.Equals(origin, options.Value.OriginFor(http), StringComparison.OrdinalIgnoreCase);
    }
}
