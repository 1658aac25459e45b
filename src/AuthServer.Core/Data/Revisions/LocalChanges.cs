namespace AuthServer.Core.Data;

/// <summary>
/// Counts the commits of this process that moved a revision area, so <see cref="RevisionMonitor"/>
/// re-reads the revisions on the next request instead of at its next interval. Apart from the
/// monitor so the interceptor that signals it does not depend on the context factory it is part of.
/// </summary>
public sealed class LocalChanges
{
    private long _generation;

    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Called after a commit that moved a revision, never before: see <see cref="RevisionMonitor"/>.</summary>
    public void Committed() => Interlocked.Increment(ref _generation);
}
