using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.Audit;

/// <summary>
/// Bounds what one client source can make the audit log store. Anonymous and refused requests
/// (token requests, admin API and console sign-ins) are recorded one by one up to
/// <see cref="AuditOptions.SampleBurst"/> per source per <see cref="AuditOptions.SampleWindow"/>;
/// past it they are only counted, and the count is recorded as one <c>requests.sampled</c> event
/// when the window ends. Granted requests with credentials are always recorded: they are the
/// trail of who got what, and a caller cannot make many without valid credentials.
/// </summary>
public sealed class AuditSampler(IOptions<AuditOptions> options, TimeProvider time)
{
    private const int MaxSources = 100_000;

    private readonly ConcurrentDictionary<string, Window> _sources = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="e"/> is recorded; the summaries of ended windows, if any, go to <paramref name="ended"/>.</summary>
    public bool Admit(AuditEvent e, List<AuditEvent> ended)
    {
        var o = options.Value;
        if (o.SampleBurst == 0 || !IsSampled(e)) return true;
        var now = time.GetUtcNow().UtcDateTime;
        var source = e.ClientAddress ?? "-";
        if (_sources.Count >= MaxSources && !_sources.ContainsKey(source)) ended.AddRange(Flush(now, all: true));
        var window = _sources.GetOrAdd(source, _ => new Window(now));
        lock (window)
        {
            if (now - window.Start >= o.SampleWindow)
            {
                if (window.Summary(source, now) is { } summary) ended.Add(summary);
                window.Reset(now);
            }
            if (window.Recorded < o.SampleBurst)
            {
                window.Recorded++;
                return true;
            }
            window.Suppressed++;
            window.Last = e;
            return false;
        }
    }

    /// <summary>Summaries of the windows that have ended (or all, at shutdown); run periodically.</summary>
    public List<AuditEvent> Flush(bool all = false) => Flush(time.GetUtcNow().UtcDateTime, all);

    private List<AuditEvent> Flush(DateTime now, bool all)
    {
        var summaries = new List<AuditEvent>();
        foreach (var (source, window) in _sources)
        {
            lock (window)
            {
                if (!all && now - window.Start < options.Value.SampleWindow) continue;
                if (window.Summary(source, now) is { } summary) summaries.Add(summary);
                _sources.TryRemove(source, out _);
            }
        }
        return summaries;
    }

    private static bool IsSampled(AuditEvent e) =>
        e.Type is AuditEventTypes.TokenRequest or AuditEventTypes.AdminSignIn or AuditEventTypes.ConsoleSignIn
        && (e.Outcome is not (AuditOutcome.Granted or AuditOutcome.Partial or AuditOutcome.Success) || e.Credential is null or Identity.CredentialKind.None);

    private sealed class Window(DateTime start)
    {
        public DateTime Start { get; private set; } = start;
        public int Recorded { get; set; }
        public long Suppressed { get; set; }
        public AuditEvent? Last { get; set; }

        public void Reset(DateTime now)
        {
            Start = now;
            Recorded = 0;
            Suppressed = 0;
            Last = null;
        }

        public AuditEvent? Summary(string source, DateTime now) => Suppressed == 0 ? null : new AuditEvent
        {
            At = now,
            Type = AuditEventTypes.RequestsSampled,
            Outcome = Last!.Outcome,
            ClientAddress = source == "-" ? null : source,
            Service = Last.Service,
            Reason = $"{Suppressed} more anonymous or refused requests from this source between {Start:HH:mm:ss} and {now:HH:mm:ss} UTC, " +
                     $"not recorded one by one (the last: {Last.Type} {Last.Outcome.ToString().ToLowerInvariant()})",
        };
    }
}
