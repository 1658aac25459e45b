using System.Collections.Concurrent;

namespace AuthServer.Registry.Storage;

/// <summary>
/// Files in memory: the default, gone when the process ends. A file is an immutable snapshot
/// (array, length); appends write past every earlier snapshot's length, so a reader never sees a
/// write in progress.
/// </summary>
public sealed class MemoryDriver : IStorageDriver
{
    private sealed record Entry(byte[] Buffer, int Length);

    private readonly ConcurrentDictionary<string, Entry> _files = new(StringComparer.Ordinal);
    private readonly object _appendLock = new();

    public Task<Stream?> OpenReadAsync(string path, CancellationToken ct) =>
        Task.FromResult<Stream?>(_files.TryGetValue(path, out var e) ? new MemoryStream(e.Buffer, 0, e.Length, writable: false) : null);

    public Task<long?> SizeAsync(string path, CancellationToken ct) =>
        Task.FromResult<long?>(_files.TryGetValue(path, out var e) ? e.Length : null);

    public Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        _files[path] = new Entry(content.ToArray(), content.Length);
        return Task.CompletedTask;
    }

    public async Task<long> AppendAsync(string path, Stream content, long maxSize, CancellationToken ct)
    {
        // Arrays stop at 2 GiB; the options keep maxSize below that for this driver.
        var current = _files.TryGetValue(path, out var e) ? e.Length : 0;
        var incoming = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(buffer, ct)) > 0)
        {
            if (current + incoming.Length + read > maxSize) throw new ContentTooLargeException(maxSize);
            incoming.Write(buffer, 0, read);
        }

        lock (_appendLock)
        {
            var entry = _files.GetValueOrDefault(path) ?? new Entry([], 0);
            var length = entry.Length + (int)incoming.Length;
            if (length > maxSize) throw new ContentTooLargeException(maxSize);
            var target = entry.Buffer;
            if (target.Length < length)
            {
                target = new byte[Math.Max(length, Math.Min(Array.MaxLength, (long)entry.Buffer.Length * 2))];
                Array.Copy(entry.Buffer, target, entry.Length);
            }
            incoming.GetBuffer().AsSpan(0, (int)incoming.Length).CopyTo(target.AsSpan(entry.Length));
            _files[path] = new Entry(target, length);
            return length;
        }
    }

    public Task MoveAsync(string source, string destination, CancellationToken ct)
    {
        if (!_files.TryRemove(source, out var e)) throw new FileNotFoundException($"{source} does not exist");
        _files[destination] = e;
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(string path, CancellationToken ct)
    {
        var deleted = _files.TryRemove(path, out _);
        var prefix = path + "/";
        foreach (var key in _files.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
            deleted |= _files.TryRemove(key, out _);
        return Task.FromResult(deleted);
    }

    public Task<IReadOnlyList<string>> ListAsync(string directory, CancellationToken ct)
    {
        var prefix = directory + "/";
        IReadOnlyList<string> names = _files.Keys
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Select(k => k[prefix.Length..].Split('/')[0])
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(names);
    }
}
