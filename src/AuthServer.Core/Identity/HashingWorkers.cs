using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.Identity;

/// <summary>
/// Where every bcrypt computation runs: a fixed set of dedicated worker threads (one per core by
/// default) fed by a bounded queue. A burst of cold logins then waits in the queue without
/// holding thread-pool threads, so warm token requests keep being served between hashes; when
/// the queue is full the caller learns it at once and can answer 503.
/// <para>
/// Dedicated threads rather than a semaphore around the thread pool: a hash occupies its thread
/// for a hundred milliseconds, and on a small machine a few of those would leave the pool no
/// thread for anything else until it injects more, seconds later.
/// </para>
/// </summary>
public sealed class HashingWorkers : IDisposable
{
    private readonly BlockingCollection<Job> _jobs;
    private readonly Thread[] _workers;

    public HashingWorkers(IOptions<PasswordOptions> options)
    {
        var o = options.Value;
        _jobs = new BlockingCollection<Job>(new ConcurrentQueue<Job>(), o.HashingQueueLimit);
        Concurrency = o.HashingConcurrency > 0 ? o.HashingConcurrency : Environment.ProcessorCount;
        _workers = new Thread[Concurrency];
        for (var i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Thread(Work) { IsBackground = true, Name = $"bcrypt-{i}" };
            _workers[i].Start();
        }
    }

    public int Concurrency { get; }

    /// <summary>Hashes waiting for a worker right now.</summary>
    public int Waiting => _jobs.Count;

    /// <summary>Queues <paramref name="work"/>; null when the queue is full (nothing is run then).</summary>
    public Task<T>? TryRun<T>(Func<T> work)
    {
        var job = new Job<T>(work);
        try
        {
            return _jobs.TryAdd(job) ? job.Completion.Task : null;
        }
        catch (InvalidOperationException)
        {
            // Shutting down: the queue no longer takes work.
            return null;
        }
    }

    public void Dispose()
    {
        _jobs.CompleteAdding();
        foreach (var worker in _workers) worker.Join(TimeSpan.FromSeconds(5));
        _jobs.Dispose();
    }

    private void Work()
    {
        foreach (var job in _jobs.GetConsumingEnumerable()) job.Run();
    }

    private abstract class Job
    {
        public abstract void Run();
    }

    private sealed class Job<T>(Func<T> work) : Job
    {
        // Continuations run on the thread pool, never on a hashing thread.
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Run()
        {
            try
            {
                Completion.SetResult(work());
            }
            catch (Exception e)
            {
                Completion.SetException(e);
            }
        }
    }
}
