namespace AuthServer.Core.Data;

/// <summary>
/// Short notices between the replicas sharing one database (PostgreSQL's LISTEN/NOTIFY); with
/// one server (SQLite) there is nobody to tell. Best effort by design: a notice lost while a
/// replica is cut off costs a moment of staleness that the revision poll or the notice's own
/// purpose (counts that fade anyway) makes good, never a wrong answer.
/// </summary>
public interface IReplicaChannel
{
    /// <summary>Sends an item to every other replica, in the background: never waits, never throws.</summary>
    void Publish(string topic, string item);

    /// <summary>Calls <paramref name="received"/> with the items other replicas published on <paramref name="topic"/>.</summary>
    void Subscribe(string topic, Action<IReadOnlyList<string>> received);

    /// <summary>Whether notices are flowing now (false while the connection is being re-established).</summary>
    bool Connected { get; }

    /// <summary>Listens and sends until <paramref name="ct"/> fires (the host's background service runs it).</summary>
    Task RunAsync(CancellationToken ct);
}

/// <summary>One server on its own database: nothing to share.</summary>
public sealed class SingleReplica : IReplicaChannel
{
    public bool Connected => true;

    public void Publish(string topic, string item)
    {
    }

    public void Subscribe(string topic, Action<IReadOnlyList<string>> received)
    {
    }

    public Task RunAsync(CancellationToken ct) => Task.CompletedTask;
}
