namespace AuthServer.Registry.Storage;

/// <summary>
/// Where the registry keeps bytes, under '/'-separated paths (distribution's storage driver, cut
/// down to what this registry uses). Paths are built only from validated names and digests.
/// </summary>
public interface IStorageDriver
{
    /// <summary>The content, or null when the path holds no file.</summary>
    Task<Stream?> OpenReadAsync(string path, CancellationToken ct);

    Task<long?> SizeAsync(string path, CancellationToken ct);

    /// <summary>Writes the whole file, replacing it; readers see the old or the new content, never a part.</summary>
    Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken ct);

    /// <summary>Appends to a file (created if missing) and returns its new size.</summary>
    /// <exception cref="ContentTooLargeException">the file would grow past <paramref name="maxSize"/>; nothing is appended.</exception>
    Task<long> AppendAsync(string path, Stream content, long maxSize, CancellationToken ct);

    /// <summary>Moves a file, replacing the target.</summary>
    Task MoveAsync(string source, string destination, CancellationToken ct);

    /// <summary>Deletes a file or everything under a directory; false when there was nothing.</summary>
    Task<bool> DeleteAsync(string path, CancellationToken ct);

    /// <summary>The names directly under a directory (files and directories), empty when it does not exist.</summary>
    Task<IReadOnlyList<string>> ListAsync(string directory, CancellationToken ct);
}

public sealed class ContentTooLargeException(long limit) : Exception($"content exceeds {limit} bytes")
{
    public long Limit { get; } = limit;
}
