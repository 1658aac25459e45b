using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using AuthServer.Core.Audit;
using AuthServer.Core.Signing;
using AuthServer.Tokens;
using Microsoft.Extensions.Options;

namespace AuthServer.Telemetry;

/// <summary>
/// Every token request counted once, by the same outcome its audit event has, with a duration.
/// Labels are bounded: the service only when it is configured ("unknown" otherwise, since the
/// request names it), the grant and credential kinds from their enums; never a user or repository.
/// </summary>
public sealed class TokenMetrics
{
    public const string MeterName = "AuthServer.Tokens";

    private static readonly string[] Outcomes = ["granted", "partial", "invalid", "unauthorized", "locked", "busy", "limited", "error", "other"];
    private static readonly string[] Grants = ["anonymous", "password", "refresh_token", "none"];
    private static readonly string[] Credentials = ["none", "password", "refresh_token", "access_token", "robot_secret", "id_token", "unknown"];
    private const string UnknownService = "unknown";

    // The request counts, one table of every outcome x grant x credential per service label, read
    // only when Prometheus scrapes: a token request pays one dictionary lookup and one interlocked
    // add, where a counter with four labels would look its series up in the SDK on every request.
    // Services are the configured ones plus "unknown", so the dictionary is bounded.
    private readonly ConcurrentDictionary<string, long[]> _requests = new(StringComparer.Ordinal);
    private readonly ObservableCounter<long> _requestsCounter;
    private readonly Histogram<double> _duration;
    private readonly IOptions<TokenOptions> _options;

    public TokenMetrics(IMeterFactory meters, IOptions<TokenOptions> options)
    {
        _options = options;
        var meter = meters.Create(MeterName);
        _requestsCounter = meter.CreateObservableCounter("authserver_token_requests", ReadRequests, null,
            "Token requests by outcome, service, grant and credential kind");
        _duration = meter.CreateHistogram("authserver_token_request_duration", "s",
            "Seconds from reading a token request to its answer, by outcome",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
    }

    /// <summary>
    /// Counts one finished request; <paramref name="startedAt"/> is its Stopwatch timestamp. The
    /// request's span, when one is recorded, gets the same labels as tags.
    /// </summary>
    public void Record(AuditEvent finished, GrantKind? grant, long startedAt, Activity? span = null)
    {
        var traced = span is { IsAllDataRequested: true } && span.OperationName == TokenTracing.Request;
        if (!_requestsCounter.Enabled && !_duration.Enabled && !traced) return;
        int outcome = OutcomeIndex(finished.Outcome), grantIndex = GrantIndex(grant), credential = CredentialIndex(finished.Credential);
        var service = finished.Service is { } s && _options.Value.FindService(s) is not null ? s : UnknownService;
        if (traced)
        {
            span!.SetTag("authserver.outcome", Outcomes[outcome]);
            span.SetTag("authserver.service", service);
            span.SetTag("authserver.grant", Grants[grantIndex]);
            span.SetTag("authserver.credential", Credentials[credential]);
            if (finished.Outcome == AuditOutcome.Error) span.SetStatus(ActivityStatusCode.Error);
        }
        if (_requestsCounter.Enabled)
        {
            var counts = _requests.GetOrAdd(service, static _ => new long[Outcomes.Length * Grants.Length * Credentials.Length]);
            Interlocked.Increment(ref counts[(outcome * Grants.Length + grantIndex) * Credentials.Length + credential]);
        }
        _duration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, new KeyValuePair<string, object?>("outcome", Outcomes[outcome]));
    }

    /// <summary>Every series counted so far, with its labels (a scrape).</summary>
    private IEnumerable<Measurement<long>> ReadRequests()
    {
        foreach (var (service, counts) in _requests)
        {
            for (var i = 0; i < counts.Length; i++)
            {
                var count = Interlocked.Read(ref counts[i]);
                if (count == 0) continue;
                var credential = i % Credentials.Length;
                var grant = i / Credentials.Length % Grants.Length;
                var outcome = i / (Credentials.Length * Grants.Length);
                yield return new Measurement<long>(count,
                    new("outcome", Outcomes[outcome]), new("service", service), new("grant", Grants[grant]), new("credential", Credentials[credential]));
            }
        }
    }

    // Indexes into the label tables above: no string made per request for an enum's name.
    private static int OutcomeIndex(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.Granted => 0,
        AuditOutcome.Partial => 1,
        AuditOutcome.Invalid => 2,
        AuditOutcome.Unauthorized => 3,
        AuditOutcome.Locked => 4,
        AuditOutcome.Busy => 5,
        AuditOutcome.Limited => 6,
        AuditOutcome.Error => 7,
        _ => 8,
    };

    private static int GrantIndex(GrantKind? grant) => grant switch
    {
        GrantKind.Anonymous => 0,
        GrantKind.Password => 1,
        GrantKind.RefreshToken => 2,
        _ => 3,
    };

    private static int CredentialIndex(Core.Identity.CredentialKind? kind) => kind switch
    {
        Core.Identity.CredentialKind.None => 0,
        Core.Identity.CredentialKind.Password => 1,
        Core.Identity.CredentialKind.RefreshToken => 2,
        Core.Identity.CredentialKind.AccessToken => 3,
        Core.Identity.CredentialKind.RobotSecret => 4,
        Core.Identity.CredentialKind.IdToken => 5,
        _ => 6,
    };
}
