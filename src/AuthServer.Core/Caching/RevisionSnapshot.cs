using AuthServer.Core.Data;

namespace AuthServer.Core.Caching;

/// <summary>A whole state loaded at once, the revision it was loaded at, and optionally a time it stops being valid.</summary>
public sealed record Snapshot<T>(long Revision, T Value, DateTimeOffset? ValidUntil = null);

/// <summary>
/// One value that stands for a whole area (the policy, the signing keys), reloaded by one caller
/// while the others keep reading the current one, when the area's revision moves or the value's
/// own validity ends. The loader reads the revision in the same read transaction as the state.
/// </summary>
public sealed class RevisionSnapshot<T>(
    RevisionMonitor revisions, string area, Func<CancellationToken, Task<Snapshot<T>>> load, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private volatile Snapshot<T>? _current;

    /// <summary>Called with the old and the new value after a reload (the old one may be null).</summary>
    public event Action<T?, T>? Replaced;

    /// <summary>The value as last loaded, without asking whether it is current.</summary>
    public T? Loaded => _current is { } c ? c.Value : default;

    public async ValueTask<T> GetAsync(CancellationToken ct)
    {
        var revision = await revisions.GetAsync(area, ct);
        var current = _current;
        if (IsCurrent(current, revision)) return current!.Value;

        await _lock.WaitAsync(ct);
        try
        {
            current = _current;
            if (IsCurrent(current, revision)) return current!.Value;
            var loaded = await load(ct);
            _current = loaded;
            Replaced?.Invoke(current is null ? default : current.Value, loaded.Value);
            return loaded.Value;
        }
        finally
        {
            _lock.Release();
        }
    }

    private bool IsCurrent(Snapshot<T>? snapshot, long revision) =>
        snapshot is not null && snapshot.Revision >= revision && (snapshot.ValidUntil is not { } until || time.GetUtcNow() < until);

    public void Dispose() => _lock.Dispose();
}
