using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using AuthServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthServer.Tests.Audit;

/// <summary>
/// The provider's batch writer stores every column as EF would; the drop policy: a full queue makes
/// the caller wait, then the event goes to the log in full, counted; never silently.
/// </summary>
public abstract class AuditWriterTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : AuthServerFixture
{
    private static AuditEvent Event(string subject) => new() { At = DateTime.UtcNow, Type = "test.writer", Outcome = AuditOutcome.Success, Subject = subject };

    [Fact]
    public async Task A_batch_reads_back_column_for_column_with_its_nulls_and_times()
    {
        var subject = FixtureExtensions.UniqueName("stored");
        // Microseconds: what PostgreSQL keeps of a time (SQLite keeps ticks).
        var at = new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1234560);
        AuditEvent[] batch =
        [
            new()
            {
                At = at, Type = AuditEventTypes.TokenRequest, Outcome = AuditOutcome.Partial, Reason = "no rule grants it",
                Subject = subject, Actor = "api:admin", Credential = CredentialKind.RobotSecret, CredentialId = 42, Service = "registry",
                RequestedScopes = "repository:a/b:pull,push", GrantedScopes = "", ClientAddress = "2001:db8::1",
                UserAgent = "docker/27.0 \u00e9", Details = "{\"k\":1}",
            },
            new() { At = at.AddSeconds(1), Type = "test.writer", Outcome = AuditOutcome.Success, Subject = subject },
        ];
        await using (var db = await server.Services.GetRequiredService<IDbContextFactory<AuthServerDbContext>>().CreateDbContextAsync())
            await server.Services.GetRequiredService<IAuditBatchWriter>().WriteAsync(db, batch, CancellationToken.None);

        var stored = await server.AuditEventsAsync(q => q.Where(e => e.Subject == subject));

        Assert.Equal(2, stored.Count);
        foreach (var (written, read) in batch.Zip(stored))
        {
            Assert.Equal(written.At, read.At);
            Assert.Equal(DateTimeKind.Utc, read.At.Kind);
            Assert.Equal(
                (written.Type, written.Outcome, written.Reason, written.Subject, written.Actor, written.Credential, written.CredentialId, written.Service),
                (read.Type, read.Outcome, read.Reason, read.Subject, read.Actor, read.Credential, read.CredentialId, read.Service));
            Assert.Equal(
                (written.RequestedScopes, written.GrantedScopes, written.ClientAddress, written.UserAgent, written.Details),
                (read.RequestedScopes, read.GrantedScopes, read.ClientAddress, read.UserAgent, read.Details));
        }
    }

    [Fact]
    public async Task A_full_queue_waits_then_logs_the_event_in_full_and_counts_it()
    {
        var logs = new CapturedLogs();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var options = Options.Create(new AuditOptions { QueueCapacity = 16, EnqueueTimeout = TimeSpan.FromMilliseconds(200) });
        var dbs = server.Services.GetRequiredService<IDbContextFactory<AuthServerDbContext>>();
        var writer = new AuditWriter(dbs, server.Services.GetRequiredService<IAuditBatchWriter>(), options, factory.CreateLogger<AuditWriter>());
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
        var writer = new AuditWriter(server.Services.GetRequiredService<IDbContextFactory<AuthServerDbContext>>(), server.Services.GetRequiredService<IAuditBatchWriter>(),
            Options.Create(new AuditOptions()), factory.CreateLogger<AuditWriter>());
        await writer.CompleteAsync(CancellationToken.None);

        await writer.WriteAsync(Event("late"));

        Assert.Equal(1, writer.Dropped);
        Assert.Contains(logs.Lines, l => l.Contains("audit writer already stopped") && l.Contains("late"));
    }
}

public sealed class AuditWriterTests(AuthServerFixture server) : AuditWriterTests<AuthServerFixture>(server);

public sealed class AuditWriterTestsOnPostgres(AuthServerOnPostgres server) : AuditWriterTests<AuthServerOnPostgres>(server);
