using System.Diagnostics;
using System.Globalization;
using AuthServer.Core.Identity;
using Microsoft.Extensions.Options;

namespace AuthServer.Bench;

/// <summary>
/// bcrypt verification time at the server's work factor, with the server's own hasher, measured
/// twice: one verification alone on an idle machine, and <c>cores</c> verifications running at
/// once, one per thread, as the hashing workers run them under a burst of cold logins. On shared
/// vCPUs (and with SMT siblings) concurrent hashes each run slower than one alone, so the cold
/// path's real ceiling is cores divided by the second figure, not the first.
/// Prints "ALONE_MS PARALLEL_MS" (milliseconds per verification per core).
/// </summary>
public static class BcryptTiming
{
    private const string Password = "bench-password-1";

    public static int Run(int workFactor)
    {
        var options = Options.Create(new PasswordOptions { WorkFactor = workFactor, HashingConcurrency = 1 });
        using var queue = new HashingWorkers(options, TimeProvider.System);
        var hasher = new PasswordHasher(options, queue);
        var hash = hasher.Hash(Password);
        // Enough rounds for tiered compilation to finish optimising bcrypt's loops.
        for (var i = 0; i < 8; i++) Verify(hasher, hash);

        var alone = new List<double>();
        for (var i = 0; i < 15; i++)
        {
            var watch = Stopwatch.StartNew();
            Verify(hasher, hash);
            alone.Add(watch.Elapsed.TotalMilliseconds);
        }
        alone.Sort();

        var cores = Environment.ProcessorCount;
        const int perThread = 12;
        var start = new Barrier(cores + 1);
        var threads = Enumerable.Range(0, cores).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < perThread; i++) Verify(hasher, hash);
        })).ToList();
        threads.ForEach(t => t.Start());
        start.SignalAndWait();
        var wall = Stopwatch.StartNew();
        threads.ForEach(t => t.Join());
        // Throughput under full load, per core: the time one core spends on each verification.
        var parallel = wall.Elapsed.TotalMilliseconds / perThread;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{alone[alone.Count / 2]:0.00} {parallel:0.00}"));
        return 0;
    }

    private static void Verify(PasswordHasher hasher, string hash)
    {
        if (!hasher.Verify(Password, hash)) throw new InvalidOperationException("bcrypt refused its own hash");
    }
}
