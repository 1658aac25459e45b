using System.Diagnostics;

namespace AuthServer.Core.Audit;

public static class AuditTrace
{
    /// <summary>The current request's W3C trace id, or null outside one.</summary>
    public static string? Current() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity && activity.TraceId != default ? activity.TraceId.ToHexString() : null;
}
