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

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly IOptions<TokenOptions> _options;

    public TokenMetrics(IMeterFactory meters, IOptions<TokenOptions> options)
    {
        _options = options;
        var meter = meters.Create(MeterName);
        _requests = meter.CreateCounter<long>("authserver_token_requests", null,
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
        if (!_requests.Enabled && !_duration.Enabled && !traced) return;
        var outcome = new KeyValuePair<string, object?>("outcome", OutcomeLabel(finished.Outcome));
        var tags = new TagList
        {
            outcome,
            { "service", finished.Service is { } s && _options.Value.FindService(s) is not null ? s : "unknown" },
            { "grant", GrantLabel(grant) },
            { "credential", CredentialLabel(finished.Credential) },
        };
        if (traced)
        {
            foreach (var tag in tags) span!.SetTag("authserver." + tag.Key, tag.Value);
            if (finished.Outcome == AuditOutcome.Error) span!.SetStatus(ActivityStatusCode.Error);
        }
        _requests.Add(1, tags);
        _duration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, outcome);
    }

    // Constant strings: no allocation per request for an enum's name.
    private static string OutcomeLabel(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.Granted => "granted",
        AuditOutcome.Partial => "partial",
        AuditOutcome.Invalid => "invalid",
        AuditOutcome.Unauthorized => "unauthorized",
        AuditOutcome.Locked => "locked",
        AuditOutcome.Busy => "busy",
        AuditOutcome.Limited => "limited",
        AuditOutcome.Error => "error",
        _ => "other",
    };

    private static string GrantLabel(GrantKind? grant) => grant switch
    {
        GrantKind.Anonymous => "anonymous",
        GrantKind.Password => "password",
        GrantKind.RefreshToken => "refresh_token",
        _ => "none",
    };

    private static string CredentialLabel(Core.Identity.CredentialKind? kind) => kind switch
    {
        Core.Identity.CredentialKind.None => "none",
        Core.Identity.CredentialKind.Password => "password",
        Core.Identity.CredentialKind.RefreshToken => "refresh_token",
        Core.Identity.CredentialKind.AccessToken => "access_token",
        Core.Identity.CredentialKind.RobotSecret => "robot_secret",
        Core.Identity.CredentialKind.IdToken => "id_token",
        _ => "unknown",
    };
}
