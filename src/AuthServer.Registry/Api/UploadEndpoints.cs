using System.Globalization;
using System.Text.RegularExpressions;
using AuthServer.Registry.Errors;
using AuthServer.Registry.Storage;

namespace AuthServer.Registry.Api;

/// <summary>
/// Blob uploads (handlers/blobupload.go): POST starts one (or mounts, or takes the whole blob with
/// <c>digest</c>), PATCH appends a chunk, PUT completes it against its digest, GET reports it,
/// DELETE cancels it.
/// </summary>
public static partial class UploadEndpoints
{
    public static Task StartAsync(HttpContext http, RegistryRoute route, RegistryStore store, CancellationToken ct)
    {
        if (!HttpMethods.IsPost(http.Request.Method)) throw Http.MethodNotAllowed(http, "POST");
        return PostAsync(http, route, store, ct);
    }

    public static Task HandleAsync(HttpContext http, RegistryRoute route, RegistryStore store, CancellationToken ct) => http.Request.Method switch
    {
        "GET" or "HEAD" => StatusAsync(http, route, store, ct),
        "PATCH" => PatchAsync(http, route, store, ct),
        "PUT" => PutAsync(http, route, store, ct),
        "DELETE" => CancelAsync(http, route, store, ct),
        _ => throw Http.MethodNotAllowed(http, "GET", "HEAD", "PATCH", "PUT", "DELETE"),
    };

    private static async Task PostAsync(HttpContext http, RegistryRoute route, RegistryStore store, CancellationToken ct)
    {
        var query = http.Request.Query;
        // A mount that cannot be done (bad digest, bad source name, blob not there) quietly becomes
        // a new upload, as in distribution: the client then pushes the blob itself.
        if (query["mount"].ToString() is { Length: > 0 } mount && query["from"].ToString() is { Length: > 0 } from
            && Digest.TryParse(mount, out var mountDigest, out _) && RegistryNames.IsValidName(from)
            && await store.MountBlobAsync(route.Name, from, mountDigest, ct) is not null)
        {
            Http.BlobCreated(http, route.Name, mountDigest);
            return;
        }

        // A monolithic upload (OCI distribution spec): the whole blob in the POST body with its digest.
        if (query["digest"].ToString() is { Length: > 0 } digestText)
        {
            var digest = Http.ParseDigest(digestText);
            var result = await store.PutBlobAsync(route.Name, http.Request.Body, digest, ct);
            if (!result.Committed) throw Mismatch(digest, result.Computed);
            Http.BlobCreated(http, route.Name, digest);
            return;
        }

        var id = await store.StartUploadAsync(route.Name, ct);
        UploadHeaders(http, route.Name, id, 0);
        http.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private static async Task StatusAsync(HttpContext http, RegistryRoute route, RegistryStore store, CancellationToken ct)
    {
        var size = await store.UploadSizeAsync(route.Name, route.Reference, ct) ?? throw Unknown();
        UploadHeaders(http, route.Name, route.Reference, size);
        http.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task PatchAsync(HttpContext http, RegistryRoute route, RegistryStore store, CancellationToken ct)
    {
        long? offset = null;
        if (http.Request.Headers.ContentRange.ToString() is { Length: > 0 } range)
        {
            // A chunk must start where the upload ends (OCI distribution spec: out of order is 416).
            var m = ContentRange().Match(range);
            if (!m.Success || long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) > long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
                throw new RegistryException(ErrorCode.RangeInvalid, $"Content-Range \"{range}\" is not start-end");
            offset = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        var (size, inOrder) = await store.AppendUploadAsync(route.Name, route.Reference, http.Request.Body, offset, ct);
        if (size is null) throw Unknown();
        if (!inOrder)
        {
            UploadHeaders(http, route.Name, route.Reference, size.Value);
            throw new RegistryException(ErrorCode.RangeInvalid, $"chunk starts at {offset}, the upload holds {size} bytes");
        }
        UploadHeaders(http, route.Name, route.Reference, size.Value);
        http.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private static async Task PutAsync(HttpContext http, RegistryRoute route, RegistryStore store, CancellationToken ct)
    {
        if (await store.UploadSizeAsync(route.Name, route.Reference, ct) is null) throw Unknown();
        var text = http.Request.Query["digest"].ToString();
        if (text.Length == 0) throw new RegistryException(ErrorCode.DigestInvalid, "digest missing");
        if (!Digest.TryParse(text, out var digest, out var problem)) throw new RegistryException(ErrorCode.DigestInvalid, $"digest parsing failed: {problem}");

        // The last chunk may come with the PUT.
        if (await store.AppendUploadAsync(route.Name, route.Reference, http.Request.Body, null, ct) is { Size: null }) throw Unknown();
        var result = await store.CommitUploadAsync(route.Name, route.Reference, digest, ct) ?? throw Unknown();
        if (!result.Committed) throw Mismatch(digest, result.Computed);
        Http.BlobCreated(http, route.Name, digest);
    }

    private static async Task CancelAsync(HttpContext http, RegistryRoute route, RegistryStore store, CancellationToken ct)
    {
        if (!await store.CancelUploadAsync(route.Name, route.Reference, ct)) throw Unknown();
        http.Response.Headers[Http.UploadUuid] = route.Reference;
        http.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>blobUploadResponse: the upload's URL, its UUID, and <c>Range: 0-&lt;last byte&gt;</c> (0-0 when empty).</summary>
    private static void UploadHeaders(HttpContext http, string repository, string id, long size)
    {
        http.Response.Headers.Location = Http.Absolute(http.Request, $"/v2/{repository}/blobs/uploads/{id}");
        http.Response.Headers[Http.UploadUuid] = id;
        http.Response.Headers["Range"] = $"0-{Math.Max(0, size - 1)}";
        http.Response.ContentLength = 0;
    }

    private static RegistryException Unknown() => new(ErrorCode.BlobUploadUnknown);

    private static RegistryException Mismatch(Digest expected, Digest computed) =>
        new(ErrorCode.DigestInvalid, $"content digest {computed} does not match digest {expected}");

    [GeneratedRegex(@"^(?:bytes )?(\d{1,18})-(\d{1,18})$")]
    private static partial Regex ContentRange();
}
