namespace AuthServer.Registry.Storage;

/// <summary>
/// Files under one folder, laid out as the paths say, so the content outlives the process.
/// Whole-file writes go through a temporary file and a rename, so a crash never leaves half a file.
/// </summary>
public sealed class FolderDriver : IStorageDriver
{
    private readonly string _root;

    public FolderDriver(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    public Task<Stream?> OpenReadAsync(string path, CancellationToken ct)
    {
        try
        {
            return Task.FromResult<Stream?>(new FileStream(Full(path), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task<long?> SizeAsync(string path, CancellationToken ct)
    {
        var file = new FileInfo(Full(path));
        return Task.FromResult<long?>(file.Exists ? file.Length : null);
    }

    public async Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        var full = Full(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = $"{full}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temp, content.ToArray(), ct);
        File.Move(temp, full, overwrite: true);
    }

    public async Task<long> AppendAsync(string path, Stream content, long maxSize, CancellationToken ct)
    {
        var full = Full(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await using var file = new FileStream(full, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, 81920, useAsync: true);
        var start = file.Seek(0, SeekOrigin.End);
        var buffer = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(buffer, ct)) > 0)
        {
            if (file.Length + read > maxSize)
            {
                // Nothing of a refused request stays behind.
                file.SetLength(start);
                throw new ContentTooLargeException(maxSize);
            }
            await file.WriteAsync(buffer.AsMemory(0, read), ct);
        }
        return file.Length;
    }

    public Task MoveAsync(string source, string destination, CancellationToken ct)
    {
        var target = Full(destination);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(Full(source), target, overwrite: true);
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(string path, CancellationToken ct)
    {
        var full = Full(path);
        if (File.Exists(full))
        {
            File.Delete(full);
            return Task.FromResult(true);
        }
        if (Directory.Exists(full))
        {
            Directory.Delete(full, recursive: true);
            return Task.FromResult(true);
        }
        return Task.FromResult(false);
    }

    public Task<IReadOnlyList<string>> ListAsync(string directory, CancellationToken ct)
    {
        var full = Full(directory);
        IReadOnlyList<string> names = Directory.Exists(full)
            ? Directory.EnumerateFileSystemEntries(full).Select(Path.GetFileName).Where(n => n is not null && !n.EndsWith(".tmp", StringComparison.Ordinal)).Select(n => n!).ToList()
            : [];
        return Task.FromResult(names);
    }

    private string Full(string path) => Path.Combine(_root, path.Replace('/', Path.DirectorySeparatorChar));
}
