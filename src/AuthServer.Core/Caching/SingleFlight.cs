using System.Collections.Concurrent;

namespace AuthServer.Core.Caching;

/// <summary>
/// One run per key at a time: callers arriving while a run for their key is under way share its
/// outcome (or its exception) instead of starting their own. Used where a cold check is costly
/// and clients ask in bursts: 30 pulls of a CI job with one cold password cost one bcrypt, or one
/// directory bind, not 30. Nothing is kept after the run ends.
/// </summary>
public sealed class SingleFlight<TResult>
{
    private readonly ConcurrentDictionary<string, Task<TResult>> _running = new(StringComparer.Ordinal);

    public async Task<TResult> RunAsync(string key, Func<Task<TResult>> run)
    {
        var mine = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = _running.GetOrAdd(key, mine.Task);
        if (running != mine.Task) return await running;
        try
        {
            var result = await run();
            mine.SetResult(result);
            return result;
        }
        catch (Exception e)
        {
            mine.SetException(e);
            throw;
        }
        finally
        {
            _running.TryRemove(key, out _);
        }
    }
}
