namespace AuthServer.Core.SignIn;

/// <summary>
/// A leaky bucket of failures: each failure adds one, and one leaks away every <c>leak</c>. Full
/// at the threshold, it refuses until a failure has leaked, so a guesser who keeps going gets one
/// guess per leak interval, no more and no less: the wait never grows without bound, however
/// patiently an attacker spends the one guess each interval allows. Thread-safe.
/// </summary>
internal sealed class LeakyCounter
{
    private double _level;
    private DateTime _updated;

    /// <summary>Failures not yet leaked at <paramref name="now"/>.</summary>
    public double Level(DateTime now, TimeSpan leak)
    {
        lock (this) return Leaked(now, leak);
    }

    /// <summary>How long until one more attempt is allowed, or null when it is allowed now.</summary>
    public TimeSpan? Wait(DateTime now, int threshold, TimeSpan leak)
    {
        lock (this)
        {
            var excess = Leaked(now, leak) - (threshold - 1);
            return excess > 0 ? TimeSpan.FromTicks((long)Math.Ceiling(excess * leak.Ticks)) : null;
        }
    }

    /// <summary>Counts a failure; true when it filled the bucket (a lock begins).</summary>
    public bool Add(DateTime now, int threshold, TimeSpan leak)
    {
        lock (this)
        {
            // Full is "more than threshold - 1 not leaked" (as in Wait): the level leaks
            // continuously, so the threshold-th failure of a quick run lands a hair below it.
            var before = Leaked(now, leak);
            _level = before + 1;
            _updated = now;
            return before <= threshold - 1 && _level > threshold - 1;
        }
    }

    /// <summary>
    /// Raises the count to <paramref name="failures"/> counted at <paramref name="at"/> (a lock
    /// stored by another process), leaked since, unless it holds as many already: reading the same
    /// lock twice, or over failures counted here too, holds it once.
    /// </summary>
    public void Raise(DateTime at, double failures, DateTime now, TimeSpan leak)
    {
        lock (this)
        {
            var stored = leak <= TimeSpan.Zero ? failures : Math.Max(0, failures - Math.Max(0, (now - at) / leak));
            if (stored <= Leaked(now, leak)) return;
            _level = stored;
            _updated = now;
        }
    }

    private double Leaked(DateTime now, TimeSpan leak)
    {
        if (leak <= TimeSpan.Zero) return _level;
        var leaked = (now - _updated) / leak;
        return Math.Max(0, _level - Math.Max(0, leaked));
    }
}
