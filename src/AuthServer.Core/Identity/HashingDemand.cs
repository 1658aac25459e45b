namespace AuthServer.Core.Identity;

/// <summary>
/// How many hashes each client source asked for recently: a count that halves every
/// <c>halfLife</c>, so a source that floods keeps a high demand while it floods and a quiet one
/// starts near zero. Not thread-safe: <see cref="HashingWorkers"/> calls it under its lock.
/// </summary>
internal sealed class HashingDemand(TimeSpan halfLife, TimeProvider time)
{
    // Bounds the memory a spray of addresses can take; past it, sources of little demand are forgotten.
    private const int MaxSources = 100_000;

    private readonly Dictionary<string, (double Level, long At)> _sources = new(StringComparer.Ordinal);

    /// <summary>Counts one more hash for <paramref name="source"/>; returns its demand, this hash included.</summary>
    public double Add(string source)
    {
        var now = time.GetTimestamp();
        var level = _sources.TryGetValue(source, out var seen) ? Decayed(seen.Level, seen.At, now) + 1 : 1;
        if (_sources.Count >= MaxSources && !_sources.ContainsKey(source)) Forget(now);
        _sources[source] = (level, now);
        return level;
    }

    /// <summary>The demand of <paramref name="source"/> now, without counting a new hash.</summary>
    public double Current(string source)
    {
        var now = time.GetTimestamp();
        return _sources.TryGetValue(source, out var seen) ? Decayed(seen.Level, seen.At, now) : 0;
    }

    private double Decayed(double level, long at, long now)
    {
        if (halfLife <= TimeSpan.Zero) return 0;
        var halvings = time.GetElapsedTime(at, now) / halfLife;
        return level * Math.Pow(0.5, halvings);
    }

    private void Forget(long now)
    {
        foreach (var (source, seen) in _sources)
            if (Decayed(seen.Level, seen.At, now) < 1) _sources.Remove(source);
    }
}
