namespace AuthServer.Tests.Telemetry;

/// <summary>
/// OpenTelemetry hears every meter of a name in the process, so while other test classes' servers
/// run, a scrape's observable counters (caches, locks) may be another server's. Alone, after the
/// parallel classes, /metrics shows this class's server only, as a real process does.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsAlone
{
    public const string Name = "metrics, alone in the process";
}
