namespace AuthServer.Hosting;

/// <summary>
/// A background job run at start and then every <see cref="Interval"/>. A failed run is logged in
/// one line and tried again at the next tick: housekeeping must never take the server down.
/// </summary>
public abstract class PeriodicService(TimeProvider time, ILogger log) : BackgroundService
{
    protected abstract TimeSpan Interval { get; }

    /// <summary>What the job is, for the failure's log line.</summary>
    protected abstract string Job { get; }

    protected abstract Task RunOnceAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning("{Job} failed, will retry: {Message}", Job, e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }
}
