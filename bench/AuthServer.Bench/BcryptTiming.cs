using System.Diagnostics;
using AuthServer.Core.Identity;
using Microsoft.Extensions.Options;

namespace AuthServer.Bench;

/// <summary>
/// One bcrypt verification at the server's work factor, timed with the server's own hasher on one
/// thread: the cold path's ceiling is the core count divided by this.
/// </summary>
public static class BcryptTiming
{
    public static int Run(int workFactor)
    {
        var options = Options.Create(new PasswordOptions { WorkFactor = workFactor, HashingConcurrency = 1 });
        using var queue = new HashingQueue(options);
        var hasher = new PasswordHasher(options, queue);
        var hash = hasher.Hash("bench-password-1");
        // Enough rounds for tiered compilation to finish optimising bcrypt's loops.
        for (var i = 0; i < 8; i++) hasher.Verify("bench-password-1", hash);
        var times = new List<double>();
        for (var i = 0; i < 15; i++)
        {
            var watch = Stopwatch.StartNew();
            if (!hasher.Verify("bench-password-1", hash)) throw new InvalidOperationException("bcrypt refused its own hash");
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine(times[times.Count / 2].ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    }
}
