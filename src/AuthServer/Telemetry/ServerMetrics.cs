using System.Diagnostics.Metrics;
using AuthServer.Core.Audit;
using AuthServer.Core.Identity;

namespace AuthServer.Telemetry;

/// <summary>
/// The server's queues and caches, read when Prometheus scrapes (observable instruments), so the
/// request path pays nothing for them.
/// </summary>
public sealed class ServerMetrics
{
    public const string MeterName = "AuthServer";

    public ServerMetrics(IMeterFactory meters, HashingWorkers hashing, AuditWriter audit, SessionCache sessions)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("authserver_password_hashing_waiting", () => hashing.Waiting, null,
            "Password hashes (bcrypt) waiting for a hashing worker");
        meter.CreateObservableGauge("authserver_password_hashing_workers", () => hashing.Concurrency, null,
            "Dedicated password hashing threads");
        meter.CreateObservableGauge("authserver_audit_queue_depth", () => audit.Pending, null,
            "Audit events waiting to be written to the database");
        meter.CreateObservableCounter("authserver_audit_events_written", () => audit.Written, null,
            "Audit events written to the database since start");
        meter.CreateObservableCounter("authserver_audit_events_dropped", () => audit.Dropped, null,
            "Audit events dropped since start because the queue stayed full");
        meter.CreateObservableGauge("authserver_session_cache_entries", () => sessions.Count, null,
            "Refresh sessions held in memory");
    }
}
