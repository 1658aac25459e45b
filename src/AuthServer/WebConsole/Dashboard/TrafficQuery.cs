using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.WebConsole.Dashboard;

/// <summary>A span of time the dashboard shows, cut into equal buckets.</summary>
public sealed record TrafficWindow(string Name, string Label, TimeSpan Length, TimeSpan Bucket)
{
    public static readonly TrafficWindow Hour = new("hour", "last hour", TimeSpan.FromHours(1), TimeSpan.FromMinutes(1));
    public static readonly TrafficWindow Day = new("day", "last 24 hours", TimeSpan.FromDays(1), TimeSpan.FromMinutes(15));

    public static TrafficWindow Parse(string? name) => name == Day.Name ? Day : Hour;
}

/// <summary>Token requests that started in one bucket, by outcome.</summary>
public sealed record TrafficBucket(DateTime Start, IReadOnlyDictionary<AuditOutcome, int> Counts)
{
    public int Total => Counts.Values.Sum();
}

public sealed record Traffic(TrafficWindow Window, DateTime From, DateTime To, IReadOnlyList<TrafficBucket> Buckets, int Lockouts)
{
    public int Count(AuditOutcome outcome) => Buckets.Sum(b => b.Counts.GetValueOrDefault(outcome));
    public int Requests => Buckets.Sum(b => b.Total);
}

/// <summary>
/// Token requests per bucket and outcome, counted from the audit log (one grouped query per
/// window): every request is there, with its outcome, whatever the metrics setup.
/// </summary>
public sealed class TrafficQuery(AuthServerDbContext db, TimeProvider time)
{
    public async Task<Traffic> ReadAsync(TrafficWindow window, CancellationToken ct)
    {
        var bucket = window.Bucket;
        var now = time.GetUtcNow().UtcDateTime;
        var to = new DateTime(now.Ticks - now.Ticks % bucket.Ticks, DateTimeKind.Utc) + bucket;
        var from = to - window.Length;
        var minutes = (int)bucket.TotalMinutes;

        // A window is at most a day, so day of month, hour and slot name each bucket uniquely.
        var rows = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Type == AuditEventTypes.TokenRequest && e.At >= from && e.At < to)
            .GroupBy(e => new { e.At.Day, e.At.Hour, Slot = e.At.Minute / minutes, e.Outcome })
            .Select(g => new { g.Key.Day, g.Key.Hour, g.Key.Slot, g.Key.Outcome, Count = g.Count() })
            .ToListAsync(ct);
        var byKey = rows.GroupBy(r => (r.Day, r.Hour, r.Slot))
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<AuditOutcome, int>)g.ToDictionary(r => r.Outcome, r => r.Count));
        var buckets = new List<TrafficBucket>();
        for (var start = from; start < to; start += bucket)
        {
            var counts = byKey.GetValueOrDefault((start.Day, start.Hour, start.Minute / minutes)) ?? new Dictionary<AuditOutcome, int>();
            buckets.Add(new TrafficBucket(start, counts));
        }
        var lockouts = await db.AuditEvents.CountAsync(e => e.Type == AuditEventTypes.LoginLockout && e.At >= from && e.At < to, ct);
        return new Traffic(window, from, to, buckets, lockouts);
    }
}
