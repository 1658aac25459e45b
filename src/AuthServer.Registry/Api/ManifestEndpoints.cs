using AuthServer.Registry.Errors;
using AuthServer.Registry.Storage;

namespace AuthServer.Registry.Api;

/// <summary><c>/v2/&lt;name&gt;/manifests/&lt;tag or digest&gt;</c>: GET, HEAD, PUT, DELETE (handlers/manifests.go).</summary>
public static class ManifestEndpoints
{
    public static Task HandleAsync(HttpContext http, RegistryRoute route, RegistryStore store, CancellationToken ct) => http.Request.Method switch
    {
        "GET" or "HEAD" => GetAsync(http, route, store, ct),
        "PUT" => PutAsync(http, route, store, ct),
        "DELETE" => DeleteAsync(http, route, store, ct),
        _ => throw Http.MethodNotAllowed(http, "GET", "HEAD", "PUT", "DELETE"),
    };

    /// <summary>A reference is a digest when it holds ':' (tags cannot), else it must be a valid tag.</summary>
    private static (string? Tag, Digest? Digest) Reference(RegistryRoute route)
    {
        if (route.Reference.Contains(':')) return (null, Http.ParseDigest(route.Reference));
        if (!RegistryNames.IsValidTag(route.Reference))
            throw new RegistryException(ErrorCode.TagInvalid, $"\"{route.Reference}\" is neither a tag ([A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}}) nor a digest");
        return (route.Reference, null);
    }

    private static async Task GetAsync(HttpContext http, RegistryRoute route, RegistryStore store, CancellationToken ct)
    {
        var (tag, byDigest) = Reference(route);
        var digest = byDigest ?? await store.ResolveTagAsync(route.Name, tag!, ct)
            ?? throw new RegistryException(ErrorCode.ManifestUnknown, new Dictionary<string, string> { ["Tag"] = tag! });

        if (EtagMatches(http.Request, digest))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        var manifest = await store.GetManifestAsync(route.Name, digest, ct)
            ?? throw new RegistryException(ErrorCode.ManifestUnknown, new Dictionary<string, string> { ["Name"] = route.Name, ["Revision"] = digest.ToString() });

        // An OCI manifest or index goes only to a client that says it reads one; Docker types are
        // served as stored (3.x: no schema 1 rewriting).
        if (manifest.MediaType is ManifestDocument.OciManifest or ManifestDocument.OciIndex && !Accepts(http.Request, manifest.MediaType))
        {
            var what = manifest.MediaType == ManifestDocument.OciManifest ? "OCI manifest found, but accept header does not support OCI manifests"
                : "OCI index found, but accept header does not support OCI indexes";
            throw new RegistryException([new RegistryError(ErrorCode.ManifestUnknown, Message: what)]);
        }

        http.Response.ContentType = manifest.MediaType;
        http.Response.ContentLength = manifest.Content.Length;
        http.Response.Headers[Http.ContentDigest] = digest.ToString();
        http.Response.Headers.ETag = $"\"{digest}\"";
        if (HttpMethods.IsGet(http.Request.Method)) await http.Response.Body.WriteAsync(manifest.Content, ct);
    }

    private static async Task PutAsync(HttpContext http, RegistryRoute route, RegistryStore store, CancellationToken ct)
    {
        var (tag, byDigest) = Reference(route);
        var body = await ReadBodyAsync(http.Request, ct);
        var document = ManifestDocument.Parse(http.Request.Headers.ContentType.ToString(), body);
        var digest = Digest.Sha256(body);
        if (byDigest is { } expected && expected != digest)
            throw new RegistryException(ErrorCode.DigestInvalid, $"manifest content has digest {digest}, not {expected}");

        var missing = new List<RegistryError>();
        foreach (var blob in document.Blobs.Distinct())
        {
            if (await store.BlobSizeAsync(route.Name, blob, ct) is null) missing.Add(RegistryError.With(ErrorCode.ManifestBlobUnknown, blob.ToString()));
        }
        foreach (var child in document.Manifests.Distinct())
        {
            if (!await store.ManifestExistsAsync(route.Name, child, ct)) missing.Add(RegistryError.With(ErrorCode.ManifestBlobUnknown, child.ToString()));
        }
        if (missing.Count > 0) throw new RegistryException(missing);

        await store.PutManifestAsync(route.Name, new StoredManifest(digest, document.MediaType, body), tag, ct);
        http.Response.StatusCode = StatusCodes.Status201Created;
        http.Response.Headers.Location = Http.Absolute(http.Request, $"/v2/{route.Name}/manifests/{digest}");
        http.Response.Headers[Http.ContentDigest] = digest.ToString();
        http.Response.ContentLength = 0;
    }

    /// <summary>By digest: the manifest and the tags naming it; by tag: the tag only (3.x). 202 Accepted either way.</summary>
    private static async Task DeleteAsync(HttpContext http, RegistryRoute route, RegistryStore store, CancellationToken ct)
    {
        var (tag, digest) = Reference(route);
        var deleted = tag is not null ? await store.DeleteTagAsync(route.Name, tag, ct) : await store.DeleteManifestAsync(route.Name, digest!.Value, ct);
        if (!deleted) throw new RegistryException(ErrorCode.ManifestUnknown);
        http.Response.StatusCode = StatusCodes.Status202Accepted;
        http.Response.ContentLength = 0;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > RegistryStore.MaxManifestBytes)
                throw new RegistryException(ErrorCode.ManifestInvalid, $"manifest is larger than {RegistryStore.MaxManifestBytes} bytes");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>manifests.go: media types from every Accept header, split on ',', parameters dropped.</summary>
    private static bool Accepts(HttpRequest request, string mediaType) =>
        request.Headers.Accept.SelectMany(h => (h ?? "").Split(','))
            .Select(m => m.Split(';')[0].Trim())
            .Contains(mediaType, StringComparer.Ordinal);

    private static bool EtagMatches(HttpRequest request, Digest digest)
    {
        var etag = digest.ToString();
        return request.Headers.IfNoneMatch.Any(v => v == etag || v == $"\"{etag}\"");
    }
}
