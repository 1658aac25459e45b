using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using AuthServer.Core.Data;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AuthServer.Data.Postgres;

/// <summary>
/// The replicas' notices through PostgreSQL: one connection per replica LISTENs, published items
/// go out in batches with pg_notify. Two channels: <see cref="ChangesChannel"/>, notified inside
/// every transaction that moved a revision (<see cref="PostgresChangeNotice"/>, so it is delivered
/// exactly when the change commits), makes this replica re-read the revisions at its next request;
/// <see cref="ItemsChannel"/> carries the published items (lockout counts). A lost connection is
/// retried with backoff; meanwhile the revision poll (AuthServer:Cache:RevisionCheckInterval) is
/// what finds changes, and on reconnecting the revisions are re-read at once for what was missed.
/// </summary>
public sealed class PostgresReplicaChannel(DatabaseFile database, LocalChanges local, ILogger<PostgresReplicaChannel> log) : IReplicaChannel
{
    public const string ChangesChannel = "authserver_changes";
    public const string ItemsChannel = "authserver_items";

    // PostgreSQL refuses a payload of 8000 bytes or more.
    private const int MaxPayloadBytes = 7000;
    private static readonly TimeSpan BatchDelay = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)];

    private readonly string _replica = Guid.NewGuid().ToString("N");
    private readonly ConcurrentDictionary<string, Action<IReadOnlyList<string>>> _subscribers = new(StringComparer.Ordinal);
    private readonly Channel<(string Topic, string Item)> _outbox =
        Channel.CreateBounded<(string, string)>(new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private volatile bool _connected;
    private long _dropped;

    public bool Connected => _connected;

    /// <summary>Items not sent because the outbox was full or the database did not answer.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Publish(string topic, string item)
    {
        if (!_outbox.Writer.TryWrite((topic, item))) Interlocked.Increment(ref _dropped);
    }

    public void Subscribe(string topic, Action<IReadOnlyList<string>> received) =>
        _subscribers.AddOrUpdate(topic, received, (_, before) => before + received);

    public Task RunAsync(CancellationToken ct) => Task.WhenAll(ListenAsync(ct), SendAsync(ct));

    private async Task ListenAsync(CancellationToken ct)
    {
        // Its own unpooled connection; keepalives find a connection that died silently.
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false, KeepAlive = 5 }.ConnectionString;
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                connection.Notification += OnNotification;
                await connection.OpenAsync(ct);
                await using (var listen = new NpgsqlCommand($"LISTEN {ChangesChannel}; LISTEN {ItemsChannel}", connection))
                    await listen.ExecuteNonQueryAsync(ct);
                _connected = true;
                if (failures > 0) log.LogInformation("Listening for other replicas' changes again");
                failures = 0;
                // Whatever changed while nobody listened is found by re-reading the revisions now.
                local.Committed();
                while (true) await connection.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                _connected = false;
                if (failures == 0)
                    log.LogWarning("Not listening for other replicas' changes ({Error}); polling the revisions until the database answers again",
                        e.Message.ReplaceLineEndings(" "));
                var delay = Backoff[Math.Min(failures++, Backoff.Length - 1)];
                try
                {
                    await Task.Delay(delay, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (e.Channel == ChangesChannel)
        {
            local.Committed();
            return;
        }
        try
        {
            var notice = JsonSerializer.Deserialize(e.Payload, ReplicaNoticeJson.Default.ReplicaNotice);
            if (notice is null || notice.Replica == _replica) return;
            if (_subscribers.TryGetValue(notice.Topic, out var received)) received(notice.Items);
        }
        catch (JsonException)
        {
            log.LogWarning("Ignored a malformed notice on {Channel}", ItemsChannel);
        }
    }

    private async Task SendAsync(CancellationToken ct)
    {
        await using var source = NpgsqlDataSource.Create(database.ConnectionString);
        var reader = _outbox.Reader;
        var failing = false;
        try
        {
            while (await reader.WaitToReadAsync(ct))
            {
                // Gather for a moment: a guessing flood becomes a few notices a second, not one per guess.
                await Task.Delay(BatchDelay, ct);
                foreach (var payload in Batches(reader))
                {
                    try
                    {
                        await using var command = source.CreateCommand("SELECT pg_notify(@channel, @payload)");
                        command.Parameters.AddWithValue("channel", ItemsChannel);
                        command.Parameters.AddWithValue("payload", payload.Json);
                        await command.ExecuteNonQueryAsync(ct);
                        if (failing) log.LogInformation("Sending notices to other replicas again");
                        failing = false;
                    }
                    catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
                    {
                        Interlocked.Add(ref _dropped, payload.Count);
                        if (!failing) log.LogWarning("Notices to other replicas not sent ({Error}); their counts stay local meanwhile", e.Message.ReplaceLineEndings(" "));
                        failing = true;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>What is queued now, as notices under PostgreSQL's payload limit, one topic each.</summary>
    private IEnumerable<(string Json, int Count)> Batches(ChannelReader<(string Topic, string Item)> reader)
    {
        var byTopic = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        while (reader.TryRead(out var queued))
        {
            if (!byTopic.TryGetValue(queued.Topic, out var list)) byTopic[queued.Topic] = list = [];
            list.Add(queued.Item);
        }
        foreach (var (topic, items) in byTopic)
        {
            var batch = new List<string>();
            var bytes = 0;
            foreach (var item in items)
            {
                var size = Encoding.UTF8.GetByteCount(item) * 6 + 3; // worst case once escaped as JSON
                if (size > MaxPayloadBytes - 200) continue;
                if (bytes + size > MaxPayloadBytes - 200 && batch.Count > 0)
                {
                    yield return (Json(topic, batch), batch.Count);
                    batch = [];
                    bytes = 0;
                }
                batch.Add(item);
                bytes += size;
            }
            if (batch.Count > 0) yield return (Json(topic, batch), batch.Count);
        }
    }

    private string Json(string topic, List<string> items) =>
        JsonSerializer.Serialize(new ReplicaNotice(_replica, topic, items), ReplicaNoticeJson.Default.ReplicaNotice);
}
