using System.Net.Http.Headers;
using System.Text.Json;
using AuthServer.Registry.Errors;
using AuthServer.Registry.Storage;

namespace AuthServer.Registry.Api;

/// <summary>
/// A pushed manifest, checked the way distribution's manifest handlers unmarshal it (schema2,
/// manifestlist, ocischema): a known media type, <c>schemaVersion</c> 2, a payload <c>mediaType</c>
/// that agrees with the request, and descriptors with valid digests. Schema 1 is not accepted.
/// </summary>
public sealed record ManifestDocument(string MediaType, bool IsIndex, IReadOnlyList<Digest> Blobs, IReadOnlyList<Digest> Manifests)
{
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";

    public static readonly IReadOnlyList<string> MediaTypes = [DockerManifest, DockerManifestList, OciManifest, OciIndex];

    /// <exception cref="RegistryException">MANIFEST_INVALID or DIGEST_INVALID, with the reason as detail.</exception>
    public static ManifestDocument Parse(string? contentType, byte[] body)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw Invalid($"manifest is not JSON: {e.Message}");
        }
        if (root.ValueKind != JsonValueKind.Object) throw Invalid("manifest is not a JSON object");

        var payloadType = root.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString() : null;
        var mediaType = MediaTypeOf(contentType) ?? payloadType;
        if (mediaType is null || !MediaTypes.Contains(mediaType))
            throw Invalid($"unsupported manifest media type \"{mediaType}\": send one of {string.Join(", ", MediaTypes)}");
        // Docker types must name themselves in the payload; OCI may leave it out (ocischema, manifestlist).
        var optional = mediaType is OciManifest or OciIndex;
        if (payloadType is null ? !optional : payloadType != mediaType)
            throw Invalid($"mediaType in manifest should be '{mediaType}' not '{payloadType}'");
        if (!root.TryGetProperty("schemaVersion", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v) || v != 2)
            throw Invalid("schemaVersion must be 2");

        if (mediaType is DockerManifestList or OciIndex)
            return new ManifestDocument(mediaType, true, [], Descriptors(root, "manifests", skipForeign: false));

        if (!root.TryGetProperty("config", out var config) || config.ValueKind != JsonValueKind.Object)
            throw Invalid("manifest has no config descriptor");
        var blobs = new List<Digest> { DescriptorDigest(config, "config") };
        blobs.AddRange(Descriptors(root, "layers", skipForeign: true));
        return new ManifestDocument(mediaType, false, blobs, []);
    }

    /// <summary>The media type without parameters (mime.ParseMediaType), or null when none was sent.</summary>
    public static string? MediaTypeOf(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        if (!MediaTypeHeaderValue.TryParse(header, out var parsed) || parsed.MediaType is null)
            throw Invalid($"Content-Type \"{header}\" is not a media type");
        return parsed.MediaType.ToLowerInvariant();
    }

    private static List<Digest> Descriptors(JsonElement root, string member, bool skipForeign)
    {
        if (!root.TryGetProperty(member, out var array) || array.ValueKind != JsonValueKind.Array)
            throw Invalid($"manifest has no \"{member}\" array");
        var digests = new List<Digest>();
        var i = 0;
        foreach (var d in array.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Object) throw Invalid($"{member}[{i}] is not a descriptor");
            var digest = DescriptorDigest(d, $"{member}[{i++}]");
            // Foreign (non-distributable) layers live elsewhere and are not checked (schema2 verifyManifest).
            if (skipForeign && d.TryGetProperty("urls", out var urls) && urls.ValueKind == JsonValueKind.Array && urls.GetArrayLength() > 0) continue;
            digests.Add(digest);
        }
        return digests;
    }

    private static Digest DescriptorDigest(JsonElement descriptor, string where)
    {
        var text = descriptor.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        if (!Digest.TryParse(text, out var digest, out var problem))
            throw new RegistryException(ErrorCode.DigestInvalid, $"{where}: {problem}");
        return digest;
    }

    private static RegistryException Invalid(string reason) => new(ErrorCode.ManifestInvalid, reason);
}
