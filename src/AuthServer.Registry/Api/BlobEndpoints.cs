using AuthServer.Registry.Errors;
using AuthServer.Registry.Storage;

namespace AuthServer.Registry.Api;

/// <summary><c>/v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>: GET (with Range), HEAD, DELETE (handlers/blob.go).</summary>
public static class BlobEndpoints
{
    public static Task HandleAsync(HttpContext http, RegistryRoute route, RegistryStore store, CancellationToken ct) => http.Request.Method switch
    {
        "GET" or "HEAD" => GetAsync(http, route, store, ct),
        "DELETE" => DeleteAsync(http, route, store, ct),
        _ => throw Http.MethodNotAllowed(http, "GET", "HEAD", "DELETE"),
    };

    private static async Task GetAsync(HttpContext http, RegistryRoute route, RegistryStore store, CancellationToken ct)
    {
        var digest = Http.ParseDigest(route.Reference);
        var content = await store.OpenBlobAsync(route.Name, digest, ct) ?? throw Unknown(digest);
        await using (content)
        {
            http.Response.Headers[Http.ContentDigest] = digest.ToString();
            // Content-addressed: the bytes behind a digest never change.
            http.Response.Headers.CacheControl = "max-age=31536000";
            if (HttpMethods.IsHead(http.Request.Method))
            {
                http.Response.ContentType = "application/octet-stream";
                http.Response.ContentLength = content.Length;
                http.Response.Headers.ETag = $"\"{digest}\"";
                return;
            }
            await TypedResults.Stream(content, "application/octet-stream",
                entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{digest}\""), enableRangeProcessing: true).ExecuteAsync(http);
        }
    }

    /// <summary>Unlinks the blob from this repository; other repositories keep it.</summary>
    private static async Task DeleteAsync(HttpContext http, RegistryRoute route, RegistryStore store, CancellationToken ct)
    {
        var digest = Http.ParseDigest(route.Reference);
        if (!await store.DeleteBlobAsync(route.Name, digest, ct)) throw Unknown(digest);
        http.Response.StatusCode = StatusCodes.Status202Accepted;
        http.Response.ContentLength = 0;
        http.Response.Headers[Http.ContentDigest] = digest.ToString();
    }

    private static RegistryException Unknown(Digest digest) => new(ErrorCode.BlobUnknown, digest.ToString());
}
