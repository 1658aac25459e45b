using System.Collections.Concurrent;
using System.Text;

namespace AuthServer.Registry.Storage;

/// <summary>A stored manifest: its bytes exactly as pushed, and the media type it was pushed with.</summary>
public sealed record StoredManifest(Digest Digest, string MediaType, byte[] Content);

/// <summary>The result of completing an upload.</summary>
public sealed record CommitResult(bool Committed, long Size, Digest Computed);

/// <summary>
/// Repositories, blobs, uploads, manifests and tags over a storage driver, in distribution's
/// layout: blob bytes once under <c>blobs/</c>, and per repository links to them (so a mount is a
/// new link, and a delete removes the link, not the bytes).
/// </summary>
public sealed class RegistryStore(IStorageDriver driver, long maxBlobBytes)
{
    /// <summary>distribution's limit on a manifest body (handlers/manifests.go <c>maxManifestBodySize</c>).</summary>
    public const int MaxManifestBytes = 4 * 1024 * 1024;

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _uploadLocks = new(StringComparer.Ordinal);

    // Blobs ------------------------------------------------------------------------------------

    /// <summary>The size of a blob linked into the repository, or null.</summary>
    public async Task<long?> BlobSizeAsync(string repository, Digest digest, CancellationToken ct) =>
        await driver.SizeAsync(LayerLink(repository, digest), ct) is null ? null : await driver.SizeAsync(BlobData(digest), ct);

    public async Task<Stream?> OpenBlobAsync(string repository, Digest digest, CancellationToken ct) =>
        await driver.SizeAsync(LayerLink(repository, digest), ct) is null ? null : await driver.OpenReadAsync(BlobData(digest), ct);

    /// <summary>Links a blob of <paramref name="from"/> into <paramref name="repository"/>; false when <paramref name="from"/> has no such blob.</summary>
    public async Task<long?> MountBlobAsync(string repository, string from, Digest digest, CancellationToken ct)
    {
        var size = await BlobSizeAsync(from, digest, ct);
        if (size is null) return null;
        await LinkAsync(LayerLink(repository, digest), digest, ct);
        return size;
    }

    public Task<bool> DeleteBlobAsync(string repository, Digest digest, CancellationToken ct) =>
        driver.DeleteAsync(LayerLink(repository, digest), ct);

    // Uploads ----------------------------------------------------------------------------------

    public async Task<string> StartUploadAsync(string repository, CancellationToken ct)
    {
        var id = Guid.NewGuid().ToString("D");
        await driver.WriteAsync(UploadData(repository, id), ReadOnlyMemory<byte>.Empty, ct);
        return id;
    }

    /// <summary>Bytes received so far, or null for an unknown upload (ids not of our form included).</summary>
    public Task<long?> UploadSizeAsync(string repository, string id, CancellationToken ct) =>
        IsUploadId(id) ? driver.SizeAsync(UploadData(repository, id), ct) : Task.FromResult<long?>(null);

    /// <summary>Appends a chunk; null when the upload is unknown. <paramref name="expectedOffset"/>, when given, must be the current size.</summary>
    /// <exception cref="ContentTooLargeException">the blob would pass the size limit.</exception>
    public async Task<(long? Size, bool OffsetMatched)> AppendUploadAsync(
        string repository, string id, Stream chunk, long? expectedOffset, CancellationToken ct)
    {
        if (!IsUploadId(id)) return (null, true);
        var gate = _uploadLocks.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            var size = await driver.SizeAsync(UploadData(repository, id), ct);
            if (size is null) return (null, true);
            if (expectedOffset is { } offset && offset != size) return (size, false);
            return (await driver.AppendAsync(UploadData(repository, id), chunk, maxBlobBytes, ct), true);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Verifies the upload against <paramref name="expected"/> and, when it matches, makes it a
    /// blob of the repository. The upload ends either way (distribution cancels it on a mismatch).
    /// Null when the upload is unknown.
    /// </summary>
    public async Task<CommitResult?> CommitUploadAsync(string repository, string id, Digest expected, CancellationToken ct)
    {
        if (!IsUploadId(id)) return null;
        var gate = _uploadLocks.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            var data = UploadData(repository, id);
            Digest computed;
            long size;
            await using (var content = await driver.OpenReadAsync(data, ct))
            {
                if (content is null) return null;
                size = content.Length;
                computed = await expected.ComputeSameAsync(content, ct);
            }
            if (computed != expected)
            {
                await driver.DeleteAsync(UploadDirectory(repository, id), ct);
                return new CommitResult(false, size, computed);
            }
            if (await driver.SizeAsync(BlobData(expected), ct) is null) await driver.MoveAsync(data, BlobData(expected), ct);
            await driver.DeleteAsync(UploadDirectory(repository, id), ct);
            await LinkAsync(LayerLink(repository, expected), expected, ct);
            return new CommitResult(true, size, computed);
        }
        finally
        {
            gate.Release();
            _uploadLocks.TryRemove(id, out _);
        }
    }

    public async Task<bool> CancelUploadAsync(string repository, string id, CancellationToken ct) =>
        IsUploadId(id) && await driver.DeleteAsync(UploadDirectory(repository, id), ct);

    /// <summary>A blob sent in one request (POST or PUT with <c>digest</c>), verified like any upload.</summary>
    public async Task<CommitResult> PutBlobAsync(string repository, Stream content, Digest expected, CancellationToken ct)
    {
        var id = await StartUploadAsync(repository, ct);
        try
        {
            await AppendUploadAsync(repository, id, content, null, ct);
        }
        catch
        {
            await CancelUploadAsync(repository, id, CancellationToken.None);
            throw;
        }
        return (await CommitUploadAsync(repository, id, expected, ct))!;
    }

    // Manifests and tags -----------------------------------------------------------------------

    public async Task PutManifestAsync(string repository, StoredManifest manifest, string? tag, CancellationToken ct)
    {
        if (await driver.SizeAsync(BlobData(manifest.Digest), ct) is null)
            await driver.WriteAsync(BlobData(manifest.Digest), manifest.Content, ct);
        await driver.WriteAsync(Revision(repository, manifest.Digest) + "/mediatype", Encoding.UTF8.GetBytes(manifest.MediaType), ct);
        await LinkAsync(Revision(repository, manifest.Digest) + "/link", manifest.Digest, ct);
        if (tag is not null) await LinkAsync(TagLink(repository, tag), manifest.Digest, ct);
    }

    public async Task<StoredManifest?> GetManifestAsync(string repository, Digest digest, CancellationToken ct)
    {
        var mediaType = await ReadTextAsync(Revision(repository, digest) + "/mediatype", ct);
        if (mediaType is null || await driver.SizeAsync(Revision(repository, digest) + "/link", ct) is null) return null;
        await using var content = await driver.OpenReadAsync(BlobData(digest), ct);
        if (content is null) return null;
        var bytes = new MemoryStream();
        await content.CopyToAsync(bytes, ct);
        return new StoredManifest(digest, mediaType, bytes.ToArray());
    }

    public async Task<bool> ManifestExistsAsync(string repository, Digest digest, CancellationToken ct) =>
        await driver.SizeAsync(Revision(repository, digest) + "/link", ct) is not null;

    public async Task<Digest?> ResolveTagAsync(string repository, string tag, CancellationToken ct) =>
        await ReadTextAsync(TagLink(repository, tag), ct) is { } text && Digest.TryParse(text, out var d, out _) ? d : null;

    /// <summary>Removes a manifest and every tag that points at it (manifests.go <c>DeleteManifest</c>).</summary>
    public async Task<bool> DeleteManifestAsync(string repository, Digest digest, CancellationToken ct)
    {
        if (!await driver.DeleteAsync(Revision(repository, digest), ct)) return false;
        foreach (var tag in await driver.ListAsync(Repo(repository) + "/_manifests/tags", ct))
        {
            if (await ResolveTagAsync(repository, tag, ct) == digest) await driver.DeleteAsync(Repo(repository) + "/_manifests/tags/" + tag, ct);
        }
        return true;
    }

    public Task<bool> DeleteTagAsync(string repository, string tag, CancellationToken ct) =>
        driver.DeleteAsync(Repo(repository) + "/_manifests/tags/" + tag, ct);

    /// <summary>The repository's tags in order, or null when the repository does not exist.</summary>
    public async Task<IReadOnlyList<string>?> TagsAsync(string repository, CancellationToken ct)
    {
        if (!await ExistsAsync(repository, ct)) return null;
        var tags = await driver.ListAsync(Repo(repository) + "/_manifests/tags", ct);
        return tags.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Every repository in catalog order: distribution walks the tree and compares paths with '/'
    /// sorting first (storage/catalog.go <c>lessPath</c>), so <c>a/b</c> comes before <c>a-b</c>.
    /// </summary>
    public async Task<IReadOnlyList<string>> RepositoriesAsync(CancellationToken ct)
    {
        var found = new List<string>();
        await WalkAsync("", found, ct);
        return found.OrderBy(CatalogKey, StringComparer.Ordinal).ToList();
    }

    public static string CatalogKey(string name) => name.Replace('/', '\0');

    private async Task WalkAsync(string prefix, List<string> found, CancellationToken ct)
    {
        var children = await driver.ListAsync(prefix.Length == 0 ? "repositories" : "repositories/" + prefix, ct);
        if (prefix.Length > 0 && (children.Contains("_layers") || children.Contains("_manifests"))) found.Add(prefix);
        foreach (var child in children.Where(c => !c.StartsWith('_')))
            await WalkAsync(prefix.Length == 0 ? child : prefix + "/" + child, found, ct);
    }

    private async Task<bool> ExistsAsync(string repository, CancellationToken ct)
    {
        var children = await driver.ListAsync(Repo(repository), ct);
        return children.Contains("_layers") || children.Contains("_manifests");
    }

    // Paths ------------------------------------------------------------------------------------

    private async Task LinkAsync(string path, Digest digest, CancellationToken ct) =>
        await driver.WriteAsync(path, Encoding.UTF8.GetBytes(digest.ToString()), ct);

    private async Task<string?> ReadTextAsync(string path, CancellationToken ct)
    {
        await using var stream = await driver.OpenReadAsync(path, ct);
        if (stream is null) return null;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(ct);
    }

    private static bool IsUploadId(string id) => Guid.TryParseExact(id, "D", out _) && !id.Any(char.IsUpper);

    private static string Repo(string repository) => "repositories/" + repository;
    private static string BlobData(Digest d) => $"blobs/{d.Algorithm}/{d.Hex[..2]}/{d.Hex}/data";
    private static string LayerLink(string repository, Digest d) => $"{Repo(repository)}/_layers/{d.Algorithm}/{d.Hex}/link";
    private static string Revision(string repository, Digest d) => $"{Repo(repository)}/_manifests/revisions/{d.Algorithm}/{d.Hex}";
    private static string TagLink(string repository, string tag) => $"{Repo(repository)}/_manifests/tags/{tag}/link";
    private static string UploadDirectory(string repository, string id) => $"{Repo(repository)}/_uploads/{id}";
    private static string UploadData(string repository, string id) => UploadDirectory(repository, id) + "/data";
}
