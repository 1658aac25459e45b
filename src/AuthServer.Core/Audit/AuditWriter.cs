using System.Data.Common;
using System.Threading.Channels;
using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.Audit;

/// <summary>
/// Takes token-request and lockout events off the request path: a request puts its event in a
/// bounded queue and goes on; one background loop writes the queue to the database in batches.
/// <para>
/// Drop policy: nothing is dropped silently. When the queue is full the request waits up to
/// <see cref="AuditOptions.EnqueueTimeout"/> for room (back-pressure: requests slow to the
/// writer's pace). If the database has stalled so long that no room appears, or a batch still
/// fails after retries, the event is written in full to the server log at Error level, counted in
/// <see cref="Dropped"/>, and the request goes on: a token server that stops issuing tokens
/// because its log table is locked would take every registry down with it.
/// </para>
/// On shutdown <see cref="CompleteAsync"/> stops taking events and writes everything still queued.
/// A kill -9 loses what is queued: at most <see cref="AuditOptions.BatchDelay"/> of events plus the
/// batch being written. With <see cref="AuditOptions.WriteBeforeAnswer"/> a request waits until its
/// event is committed (or dropped as above), so no answered request goes unrecorded.
/// </summary>
public sealed class AuditWriter(
    IDbContextFactory<AuthServerDbContext> dbs, IAuditBatchWriter batches, IOptions<AuditOptions> options, ILogger<AuditWriter> log,
    AuditSampler? sampler = null)
    : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)];

    private readonly Channel<Queued> _queue = Channel.CreateBounded<Queued>(
        new BoundedChannelOptions(options.Value.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Lock _gate = new();
    private Task? _loop;
    private volatile bool _completing;
    private long _written;
    private long _dropped;

    public long Written => Interlocked.Read(ref _written);
    public long Dropped => Interlocked.Read(ref _dropped);
    public int Pending => _queue.Reader.Count;

    /// <summary>
    /// Queues an event. Returns at once unless the queue is full, or, with WriteBeforeAnswer, when
    /// the event is committed; never throws.
    /// </summary>
    public ValueTask WriteAsync(AuditEvent auditEvent)
    {
        auditEvent.TraceId ??= AuditTrace.Current();
        if (sampler is not null)
        {
            var ended = new List<AuditEvent>(0);
            var admitted = sampler.Admit(auditEvent, ended);
            if (ended.Count > 0) return EnqueueAllAsync(ended, admitted ? auditEvent : null);
            return admitted ? Enqueue(auditEvent) : ValueTask.CompletedTask;
        }
        return Enqueue(auditEvent);
    }

    /// <summary>Queues the counts of sampled requests whose window ended (all of them with <paramref name="all"/>, at shutdown).</summary>
    public async Task FlushSampledAsync(bool all = false)
    {
        if (sampler is null) return;
        foreach (var summary in sampler.Flush(all)) await Enqueue(summary);
    }

    private async ValueTask EnqueueAllAsync(List<AuditEvent> summaries, AuditEvent? auditEvent)
    {
        foreach (var summary in summaries) await Enqueue(summary);
        if (auditEvent is not null) await Enqueue(auditEvent);
    }

    private ValueTask Enqueue(AuditEvent auditEvent)
    {
        var queued = new Queued(auditEvent, options.Value.WriteBeforeAnswer ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null);
        if (!_queue.Writer.TryWrite(queued)) return WaitForRoomAsync(queued);
        return queued.Written is null ? ValueTask.CompletedTask : new ValueTask(queued.Written.Task);
    }

    /// <summary>Starts the background loop (the server does; the CLI records its changes in-transaction instead).</summary>
    public void Start()
    {
        lock (_gate) _loop ??= Task.Run(RunAsync, CancellationToken.None);
    }

    /// <summary>Stops taking events and writes every queued one; waits at most until <paramref name="ct"/> fires.</summary>
    public async Task CompleteAsync(CancellationToken ct)
    {
        await FlushSampledAsync(all: true);
        _completing = true;
        _queue.Writer.TryComplete();
        Task loop;
        lock (_gate) loop = _loop ??= Task.Run(RunAsync, CancellationToken.None);
        try
        {
            await loop.WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            log.LogError("Shutdown did not wait for the audit log: {Pending} events were still queued and are lost", Pending);
        }
    }

    /// <summary>A host disposed without being stopped still writes what is queued.</summary>
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await CompleteAsync(timeout.Token);
    }

    // The CLI disposes its host synchronously; there is no synchronization context to deadlock on.
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async ValueTask WaitForRoomAsync(Queued queued)
    {
        using var timeout = new CancellationTokenSource(options.Value.EnqueueTimeout);
        try
        {
            await _queue.Writer.WriteAsync(queued, timeout.Token);
            if (queued.Written is not null) await queued.Written.Task;
        }
        catch (OperationCanceledException)
        {
            Drop([queued], $"audit queue full for {options.Value.EnqueueTimeout.TotalSeconds:0.###} s", null);
        }
        catch (ChannelClosedException)
        {
            Drop([queued], "audit writer already stopped", null);
        }
    }

    private async Task RunAsync()
    {
        var batchSize = options.Value.BatchSize;
        var batch = new List<Queued>(batchSize);
        // Requests waiting for their event gather into batches by themselves; a delay would only slow each of them.
        var delay = options.Value.WriteBeforeAnswer ? TimeSpan.Zero : options.Value.BatchDelay;
        while (await _queue.Reader.WaitToReadAsync())
        {
            if (delay > TimeSpan.Zero && _queue.Reader.Count < batchSize) await Task.Delay(delay);
            while (batch.Count < batchSize && _queue.Reader.TryRead(out var next)) batch.Add(next);
            await PersistAsync(batch);
            batch.Clear();
        }
    }

    private async Task PersistAsync(List<Queued> batch)
    {
        Exception? last = null;
        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 0)
            {
                // A database that is away (restarting, unreachable) gets the batch when it is back:
                // the queue keeps filling meanwhile (bounded, its overflow logged and counted).
                // A batch it refuses for what it holds is tried a few times, then logged.
                if (attempt > RetryDelays.Length && !(Unavailable(last) && !_completing)) break;
                await Task.Delay(RetryDelays[Math.Min(attempt, RetryDelays.Length) - 1]);
            }
            try
            {
                await using var db = await dbs.CreateDbContextAsync();
                await batches.WriteAsync(db, batch.ConvertAll(q => q.Event), CancellationToken.None);
                Interlocked.Add(ref _written, batch.Count);
                foreach (var q in batch) q.Written?.TrySetResult();
                if (attempt > 0) log.LogInformation("Wrote {Count} audit events after {Attempts} attempts", batch.Count, attempt + 1);
                return;
            }
            // The loop must outlive any failure of the database, whatever its type.
            catch (Exception e)
            {
                last = e;
                if (attempt <= RetryDelays.Length)
                    log.LogWarning("Writing {Count} audit events failed (attempt {Attempt}): {Message}", batch.Count, attempt + 1, e.Message);
            }
        }
        Drop(batch, "the database refused the audit events", last);
    }

    /// <summary>The database could not be reached or was busy, as opposed to refusing the rows.</summary>
    private static bool Unavailable(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is DbException { IsTransient: true } or TimeoutException or System.Net.Sockets.SocketException) return true;
        return false;
    }

    private void Drop(List<Queued> events, string why, Exception? error)
    {
        var total = Interlocked.Add(ref _dropped, events.Count);
        foreach (var e in events)
        {
            log.LogError(error, "Audit event not stored ({Why}; {Dropped} lost since start), recorded here instead: {Event}", why, total, e.Event.Summary());
            e.Written?.TrySetResult();
        }
    }

    /// <summary>An event, and for a request that waits for it, the signal that it was committed (or logged as dropped).</summary>
    private sealed record Queued(AuditEvent Event, TaskCompletionSource? Written);
}
