using System.ComponentModel.DataAnnotations;

namespace AuthServer.Core.Audit;

public sealed class AuditOptions
{
    public const string Section = "AuthServer:Audit";

    /// <summary>Events older than this are deleted by the periodic prune.</summary>
    [Range(1, 36500)]
    public int RetentionDays { get; set; } = 90;

    /// <summary>How many events may wait for the background writer.</summary>
    [Range(16, 1_000_000)]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>How long a request waits for room in a full queue before its event is dropped (and logged in full).</summary>
    public TimeSpan EnqueueTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Events written per database transaction.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// How long the writer lets a batch gather after the first event arrives. Each batch is one
    /// transaction, and each commit a WAL write and fsync: without the wait, a busy server commits
    /// a handful of events at a time, thousands of times a second. Events wait this much longer in
    /// memory, where they already sit until written.
    /// </summary>
    public TimeSpan BatchDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Answer a request only once its event is committed, so a crash or kill -9 cannot lose an event
    /// of an answered request. Off by default: it adds a database commit to every token request's
    /// answer time (docs/security.md has the measured cost).
    /// </summary>
    public bool WriteBeforeAnswer { get; set; }

    /// <summary>How often old events are pruned.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Anonymous and refused requests recorded one by one per client source (IPv4 address, IPv6 /64)
    /// per <see cref="SampleWindow"/>; past it they are counted and recorded as one summary event,
    /// so a single address cannot grow the database without bound. 0 records every one.
    /// </summary>
    [Range(0, 1_000_000)]
    public int SampleBurst { get; set; } = 20;

    public TimeSpan SampleWindow { get; set; } = TimeSpan.FromMinutes(1);
}
