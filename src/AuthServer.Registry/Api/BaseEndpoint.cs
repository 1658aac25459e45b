namespace AuthServer.Registry.Api;

/// <summary><c>GET /v2/</c>: 200 <c>{}</c> for any valid token; clients ping it to find the challenge.</summary>
public static class BaseEndpoint
{
    public static async Task HandleAsync(HttpContext http, CancellationToken ct)
    {
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
            throw Http.MethodNotAllowed(http, "GET", "HEAD");
        http.Response.ContentType = Http.JsonContentType;
        http.Response.ContentLength = 2;
        if (HttpMethods.IsGet(http.Request.Method)) await http.Response.Body.WriteAsync("{}"u8.ToArray(), ct);
    }
}
