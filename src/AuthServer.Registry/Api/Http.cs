using AuthServer.Registry.Errors;
using AuthServer.Registry.Storage;

namespace AuthServer.Registry.Api;

/// <summary>Response pieces every endpoint shares.</summary>
public static class Http
{
    public const string ContentDigest = "Docker-Content-Digest";
    public const string UploadUuid = "Docker-Upload-UUID";
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>distribution builds absolute URLs from the request's host (urls.go <c>NewURLBuilderFromRequest</c>).</summary>
    public static string Absolute(HttpRequest request, string path) => $"{request.Scheme}://{request.Host}{request.PathBase}{path}";

    /// <summary>gorilla's MethodHandler answers other methods with 405 and an Allow header.</summary>
    public static RegistryException MethodNotAllowed(HttpContext http, params string[] allowed)
    {
        http.Response.Headers.Allow = string.Join(", ", allowed);
        return new RegistryException(ErrorCode.Unsupported, new Dictionary<string, string> { ["method"] = http.Request.Method });
    }

    /// <summary>blobupload.go <c>writeBlobCreatedHeaders</c>: 201, the blob's URL, its digest, no body.</summary>
    public static void BlobCreated(HttpContext http, string repository, Digest digest)
    {
        http.Response.StatusCode = StatusCodes.Status201Created;
        http.Response.Headers.Location = Absolute(http.Request, $"/v2/{repository}/blobs/{digest}");
        http.Response.Headers[ContentDigest] = digest.ToString();
        http.Response.ContentLength = 0;
    }

    public static Digest ParseDigest(string? text)
    {
        if (!Digest.TryParse(text, out var digest, out var problem)) throw new RegistryException(ErrorCode.DigestInvalid, problem);
        return digest;
    }

    public static async Task WriteJsonAsync<T>(HttpResponse response, T value, CancellationToken ct)
    {
        response.ContentType = JsonContentType;
        var bytes = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(value, ErrorJson.Options);
        response.ContentLength = bytes.Length + 1;
        await response.Body.WriteAsync(bytes, ct);
        // json.Encoder ends every document with a newline.
        await response.Body.WriteAsync("\n"u8.ToArray(), ct);
    }
}
