using System.Diagnostics.Metrics;
using AuthServer.Core.Audit;
using AuthServer.Core.Caching;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using AuthServer.Core.SignIn;

namespace AuthServer.Telemetry;

/// <summary>
/// The server's queues, caches, locks, policy and database, read when Prometheus scrapes
/// (observable instruments over plain counters), so the request path pays nothing for them.
/// Every label takes a fixed set of values.
/// </summary>
public sealed class ServerMetrics
{
    public const string MeterName = "AuthServer";

    public ServerMetrics(
        IMeterFactory meters, HashingWorkers hashing, AuditWriter audit, SessionCache sessions, UserCache users, SecretCredentialCache secrets,
        VerifiedPasswords passwords, PolicyStore policy, SmartLockout lockout, DatabaseErrors database)
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

        (string Name, CacheCounter Lookups)[] caches =
            [("password", passwords.Lookups), ("user", users.Lookups), ("session", sessions.Lookups), ("robot", secrets.RobotLookups),
                ("access_token", secrets.AccessTokenLookups), ("decision", policy.DecisionLookups)];
        meter.CreateObservableCounter("authserver_cache_hits", () => caches.Select(c => Measure(c.Lookups.Hits, "cache", c.Name)), null,
            "Cache lookups answered from memory: cache=password (verified passwords), user, session (refresh sessions), robot, access_token, decision (policy decisions)");
        meter.CreateObservableCounter("authserver_cache_misses", () => caches.Select(c => Measure(c.Lookups.Misses, "cache", c.Name)), null,
            "Cache lookups that had to check the password, read the database or walk the rules");

        meter.CreateObservableCounter("authserver_lockouts_imposed",
            () => Enum.GetValues<LockScope>().Select(s => Measure(lockout.Imposed(s), "scope", ScopeLabel(s))), null,
            "Sign-in locks begun: scope=account_at_source, source, unfamiliar_sources");

        meter.CreateObservableGauge("authserver_policy_rules", () => policy.RuleCount, null, "Access rules in the policy snapshot in use");
        meter.CreateObservableCounter("authserver_policy_rebuilds", () => policy.Rebuilds, null, "Policy snapshots built since start");
        meter.CreateObservableCounter("authserver_policy_rebuild_seconds", () => policy.RebuildSeconds, "s",
            "Seconds spent building policy snapshots since start (divide by rebuilds for the mean)");
        meter.CreateObservableGauge("authserver_policy_last_rebuild_seconds", () => policy.LastRebuildSeconds, "s",
            "Seconds the last policy snapshot took to build");

        meter.CreateObservableCounter("authserver_database_errors",
            () => database.Counts.Select(c => Measure(c.Count, "operation", c.Operation)), null,
            "Database operations that failed: operation=connection, command, transaction");
    }

    private static Measurement<long> Measure(long value, string label, string labelValue) =>
        new(value, new KeyValuePair<string, object?>(label, labelValue));

    private static string ScopeLabel(LockScope scope) => scope switch
    {
        LockScope.AccountAtSource => "account_at_source",
        LockScope.Source => "source",
        LockScope.UnfamiliarSources => "unfamiliar_sources",
        _ => "other",
    };
}
