using System.Runtime;
using AuthServer.Core.Caching;

namespace AuthServer.Hosting;

/// <summary>
/// A large rebuild leaves the old snapshot and the build's own arrays behind, many of them on the
/// large object heap, which only a full collection frees; under steady token traffic that
/// collection may not come for a long time, and the garbage stays resident. One compacting
/// collection gives it back (tens of milliseconds, once per change of a large policy).
/// </summary>
public sealed class CompactingSnapshotHeap : ISnapshotHeap
{
    public void Compact()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }
}
