using System.Text.RegularExpressions;

namespace AuthServer.Registry.Api;

public enum RouteKind
{
    Base,
    Catalog,
    Tags,
    Manifest,
    Blob,
    UploadStart,
    Upload,
}

/// <summary>
/// A request path mapped onto the v2 API's routes (registry/api/v2/routes.go). A repository name
/// holds slashes, so the route is found from the end of the path; the dispatcher then checks the name.
/// </summary>
public sealed partial record RegistryRoute(RouteKind Kind, string Name = "", string Reference = "")
{
    public static RegistryRoute? Parse(string path)
    {
        if (path is "/v2" or "/v2/") return new RegistryRoute(RouteKind.Base);
        if (!path.StartsWith("/v2/", StringComparison.Ordinal)) return null;
        var rest = path[4..];
        if (rest == "_catalog") return new RegistryRoute(RouteKind.Catalog);

        // Uploads before blobs: "<name>/blobs/uploads" would otherwise read as a blob called "uploads".
        if (Match(UploadStartRegex(), rest) is { } start) return new RegistryRoute(RouteKind.UploadStart, start.Name);
        if (Match(UploadRegex(), rest) is { } upload) return new RegistryRoute(RouteKind.Upload, upload.Name, upload.Reference);
        if (Match(TagsRegex(), rest) is { } tags) return new RegistryRoute(RouteKind.Tags, tags.Name);
        if (Match(ManifestRegex(), rest) is { } manifest) return new RegistryRoute(RouteKind.Manifest, manifest.Name, manifest.Reference);
        if (Match(BlobRegex(), rest) is { } blob) return new RegistryRoute(RouteKind.Blob, blob.Name, blob.Reference);
        return null;
    }

    public bool HasRepository => Kind is not (RouteKind.Base or RouteKind.Catalog);

    private static (string Name, string Reference)? Match(Regex regex, string rest)
    {
        var m = regex.Match(rest);
        return m.Success ? (m.Groups["name"].Value, m.Groups["ref"].Value) : null;
    }

    [GeneratedRegex("^(?<name>.+)/blobs/uploads/?$")]
    private static partial Regex UploadStartRegex();

    [GeneratedRegex("^(?<name>.+)/blobs/uploads/(?<ref>[^/]+)$")]
    private static partial Regex UploadRegex();

    [GeneratedRegex("^(?<name>.+)/tags/list$")]
    private static partial Regex TagsRegex();

    [GeneratedRegex("^(?<name>.+)/manifests/(?<ref>[^/]+)$")]
    private static partial Regex ManifestRegex();

    [GeneratedRegex("^(?<name>.+)/blobs/(?<ref>[^/]+)$")]
    private static partial Regex BlobRegex();
}
