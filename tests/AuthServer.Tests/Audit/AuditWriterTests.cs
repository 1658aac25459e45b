using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Data.Sqlite;
using AuthServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthServer.Tests.Audit;

/// <summary>The drop policy: a full queue makes the caller wait, then the event goes to the log in full, counted; never silently.</summary>
public class AuditWriterTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private static AuditEvent Event(string subject) => new() { At = DateTime.UtcNow, Type = "test.writer", Outcome = AuditOutcome.Success, Subject = subject };

    [Fact]
    public async Task A_full_queue_waits_then_logs_the_event_in_full_and_counts_it()
    {
        var logs = new CapturedLogs();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var options = Options.Create(new AuditOptions { QueueCapacity = 16, EnqueueTimeout = TimeSpan.FromMilliseconds(200) });
        var dbs = server.Services.GetRequiredService<IDbContextFactory<AuthServerDbContext>>();
        var writer = new AuditWriter(dbs, new SqliteAuditBatchWriter(), options, factory.CreateLogger<AuditWriter>());
        var subject = FixtureExtensions.UniqueName("queued");

        // Not started: nothing drains the queue, as when the database has stalled.
        for (var i = 0; i < 16; i++) await writer.WriteAsync(Event(subject));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await writer.WriteAsync(Event("overflow-" + subject));
        var waited = watch.Elapsed;

        Assert.True(waited >= TimeSpan.FromMilliseconds(150), $"returned after {waited.TotalMilliseconds} ms without waiting for room");
        Assert.Equal(1, writer.Dropped);
        var line = Assert.Single(logs.Lines, l => l.Contains("Audit event not stored"));
        Assert.StartsWith("Error", line);
        Assert.Contains("overflow-" + subject, line);

        await writer.CompleteAsync(CancellationToken.None);
        Assert.Equal(16, writer.Written);
        Assert.Equal(16, (await server.AuditEventsAsync(q => q.Where(e => e.Subject == subject))).Count);
    }

    [Fact]
    public async Task Events_written_after_completion_are_logged_not_lost_silently()
    {
        var logs = new CapturedLogs();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var writer = new AuditWriter(server.Services.GetRequiredService<IDbContextFactory<AuthServerDbContext>>(), new SqliteAuditBatchWriter(),
            Options.Create(new AuditOptions()), factory.CreateLogger<AuditWriter>());
        await writer.CompleteAsync(CancellationToken.None);

        await writer.WriteAsync(Event("late"));

        Assert.Equal(1, writer.Dropped);
        Assert.Contains(logs.Lines, l => l.Contains("audit writer already stopped") && l.Contains("late"));
    }
}
