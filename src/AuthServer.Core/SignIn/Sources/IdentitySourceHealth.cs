namespace AuthServer.Core.SignIn.Sources;

/// <summary>
/// The last success and failure of a source reaching its back end. The error text is for the
/// operator (admin API, log); a client never sees it.
/// </summary>
public sealed class IdentitySourceHealth(TimeProvider time)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastSuccess;
    private DateTimeOffset? _lastError;
    private string? _lastErrorText;

    /// <summary>Always healthy: a source with no back end to reach (the local accounts).</summary>
    public static IdentitySourceHealth AlwaysUp { get; } = new(TimeProvider.System);

    public void Succeeded()
    {
        lock (_gate) _lastSuccess = time.GetUtcNow();
    }

    public void Failed(string error)
    {
        lock (_gate)
        {
            _lastError = time.GetUtcNow();
            _lastErrorText = error;
        }
    }

    public IdentitySourceStatus Snapshot()
    {
        lock (_gate)
        {
            var healthy = _lastError is not { } error || _lastSuccess is { } success && success >= error;
            return new IdentitySourceStatus(healthy, _lastSuccess, _lastError, _lastErrorText);
        }
    }
}

public sealed record IdentitySourceStatus(bool Healthy, DateTimeOffset? LastSuccess, DateTimeOffset? LastError, string? LastErrorText);
