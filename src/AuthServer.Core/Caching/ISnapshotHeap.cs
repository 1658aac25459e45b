namespace AuthServer.Core.Caching;

/// <summary>
/// Gives memory back around the rebuild of a large in-memory snapshot. How (a compacting garbage
/// collection) is the host's decision: domain code neither knows the collector nor calls it.
/// </summary>
public interface ISnapshotHeap
{
    /// <summary>Before a large build (the heap builds it where earlier garbage was) and after its swap (the old one goes).</summary>
    void Compact();
}
