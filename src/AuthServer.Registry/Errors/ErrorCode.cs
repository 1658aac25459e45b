namespace AuthServer.Registry.Errors;

/// <summary>
/// A registry error code and the one HTTP status it is answered with. Values, messages and statuses
/// are distribution's (registry/api/errcode/register.go, registry/api/v2/errors.go); the last three
/// are ours, for answers distribution has no code for.
/// </summary>
public sealed record ErrorCode(string Value, string Message, int Status)
{
    /// <summary>A fault of the registry itself; the log has the details, the client only this.</summary>
    public static readonly ErrorCode Unknown = new("UNKNOWN", "unknown error", 500);
    public static readonly ErrorCode Unsupported = new("UNSUPPORTED", "The operation is unsupported.", 405);
    public static readonly ErrorCode Unauthorized = new("UNAUTHORIZED", "authentication required", 401);
    public static readonly ErrorCode DigestInvalid = new("DIGEST_INVALID", "provided digest did not match uploaded content", 400);
    public static readonly ErrorCode RangeInvalid = new("RANGE_INVALID", "invalid content range", 416);
    public static readonly ErrorCode NameInvalid = new("NAME_INVALID", "invalid repository name", 400);
    public static readonly ErrorCode TagInvalid = new("TAG_INVALID", "manifest tag did not match URI", 400);
    public static readonly ErrorCode NameUnknown = new("NAME_UNKNOWN", "repository name not known to registry", 404);
    public static readonly ErrorCode ManifestUnknown = new("MANIFEST_UNKNOWN", "manifest unknown", 404);
    public static readonly ErrorCode ManifestInvalid = new("MANIFEST_INVALID", "manifest invalid", 400);
    public static readonly ErrorCode ManifestBlobUnknown = new("MANIFEST_BLOB_UNKNOWN", "blob unknown to registry", 400);
    public static readonly ErrorCode BlobUnknown = new("BLOB_UNKNOWN", "blob unknown to registry", 404);
    public static readonly ErrorCode BlobUploadUnknown = new("BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry", 404);
    public static readonly ErrorCode PaginationNumberInvalid = new("PAGINATION_NUMBER_INVALID", "invalid number of results requested", 400);

    /// <summary>A path that is no route of the v2 API (distribution's router answers a bare 404).</summary>
    public static readonly ErrorCode NotFound = new("NOT_FOUND", "no such route in the registry API", 404);

    /// <summary>The HTTP request itself was broken (a body that ended early, bad chunked encoding).</summary>
    public static readonly ErrorCode BadRequest = new("BAD_REQUEST", "the request is malformed or its body ended early", 400);

    /// <summary>distribution sets no size limit; this registry keeps blobs in memory or one folder, so it has one.</summary>
    public static readonly ErrorCode TooLarge = new("TOO_LARGE", "content is larger than this registry accepts", 413);
}
