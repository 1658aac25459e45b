using System.Diagnostics.Metrics;
using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.Signing;

/// <summary>
/// The certificates' remaining validity as metrics, and a log warning for each finding (a
/// certificate within AuthServer:Signing:ExpiryWarningDays of its end, a late rotation), at most
/// once a day per finding. Refreshed by each rotation check.
/// </summary>
public sealed class SigningExpiry
{
    public const string MeterName = "AuthServer.Signing";

    private readonly IDbContextFactory<AuthServerDbContext> _dbs;
    private readonly IOptions<SigningOptions> _options;
    private readonly IOptions<TokenOptions> _tokens;
    private readonly TimeProvider _time;
    private readonly ILogger<SigningExpiry> _log;
    private readonly Meter _meter;
    private readonly Dictionary<string, DateTime> _warned = new(StringComparer.Ordinal);
    private volatile SigningStatus? _status;

    public SigningExpiry(
        IDbContextFactory<AuthServerDbContext> dbs, IOptions<SigningOptions> options, IOptions<TokenOptions> tokens, TimeProvider time,
        IMeterFactory meters, ILogger<SigningExpiry> log)
    {
        // The factory owns the meter and disposes it with the container.
        _meter = meters.Create(MeterName);
        _dbs = dbs;
        _options = options;
        _tokens = tokens;
        _time = time;
        _log = log;
        _meter.CreateObservableGauge("authserver_signing_certificate_expiry_seconds", Expiries, "s",
            "Seconds until a signing certificate ends: certificate=ca (the issuing CA) or key (the active key)");
        _meter.CreateObservableGauge("authserver_signing_key_age_seconds", Age, "s", "Seconds since the active signing key started signing");
    }

    /// <summary>The status of the last check; null before the first.</summary>
    public SigningStatus? Status => _status;

    public async Task CheckAsync(CancellationToken ct)
    {
        await using var db = await _dbs.CreateDbContextAsync(ct);
        var now = _time.GetUtcNow().UtcDateTime;
        var status = await SigningStatus.LoadAsync(db, _options.Value, _tokens.Value, now, ct);
        _status = status;
        foreach (var finding in status.Findings)
        {
            lock (_warned)
            {
                if (_warned.TryGetValue(finding.Message, out var at) && now - at < TimeSpan.FromDays(1)) continue;
                _warned[finding.Message] = now;
            }
            if (finding.Severity == "error") _log.LogError("Signing keys: {Finding}", finding.Message);
            else _log.LogWarning("Signing keys: {Finding}", finding.Message);
        }
    }

    private IEnumerable<Measurement<double>> Expiries()
    {
        var status = _status;
        if (status is null) yield break;
        var now = _time.GetUtcNow().UtcDateTime;
        if (status.Ca is { } ca) yield return new((ca.NotAfter - now).TotalSeconds, new KeyValuePair<string, object?>("certificate", "ca"));
        if (status.ActiveKey is { } key) yield return new((key.NotAfter - now).TotalSeconds, new KeyValuePair<string, object?>("certificate", "key"));
    }

    private IEnumerable<Measurement<double>> Age()
    {
        if (_status?.ActiveKeyActivatedAt is { } activatedAt)
            yield return new((_time.GetUtcNow().UtcDateTime - activatedAt).TotalSeconds);
    }
}
