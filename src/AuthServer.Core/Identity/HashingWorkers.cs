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
/// <para>
/// The queue is shared fairly between client sources (an IPv4 address or IPv6 /64). A source
/// may hold at most <see cref="PasswordOptions.HashingPerSource"/> places, and the waiting hashes
/// are served lowest demand first, demand being how many hashes the source asked for recently
/// (<see cref="HashingDemand"/>), as it stands when a worker becomes free. When the queue is full, a newcomer of lower demand takes the
/// place of the newest hash of the busiest source, which is answered busy. So a flood of made-up
/// names from many addresses, each asking again and again, keeps only itself waiting: a person's
/// first login, one hash from a quiet source, goes to the front.
/// </para>
/// <para>
/// Within a source's share, the same rule between the accounts it asks for: when the share is
/// full, a hash for an account the source asked little for takes the place of one for the account
/// it asks most for. So one broken client retrying a stale password cannot keep a neighbour
/// behind the same NAT from signing in.
/// </para>
/// </summary>
public sealed class HashingWorkers : IDisposable
{
    // Bounded by HashingQueueLimit: scanning it for the next or the worst job costs nothing next to one bcrypt.
    private readonly List<Job> _queue = [];
    private readonly Dictionary<string, int> _queuedPerSource = new(StringComparer.Ordinal);
    private readonly HashingDemand _demand;
    private readonly SemaphoreSlim _available = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread[] _workers;
    private readonly int _limit;
    private readonly int _perSource;
    private long _sequence;
    private long _displaced;

    public HashingWorkers(IOptions<PasswordOptions> options, TimeProvider time)
    {
        var o = options.Value;
        _limit = o.HashingQueueLimit;
        _perSource = Math.Min(o.HashingPerSource, o.HashingQueueLimit);
        _demand = new HashingDemand(o.HashingDemandHalfLife, time);
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
    public int Waiting
    {
        get
        {
            lock (_queue) return _queue.Count;
        }
    }

    /// <summary>Queued hashes that gave their place to a quieter source and were answered busy.</summary>
    public long Displaced => Interlocked.Read(ref _displaced);

    /// <summary>
    /// Queues <paramref name="work"/> for <paramref name="source"/> (null: the server itself, such
    /// as a rehash after sign-in). The task answers a <see cref="Hashed{T}"/> that did not run when the queue
    /// had no place, or when the place was given to a quieter source before a worker took it.
    /// </summary>
    /// <param name="account">The account the hash is for (normalized name), if any: shares within a source are by account.</param>
    public Task<Hashed<T>> Run<T>(string? source, Func<T> work, string? account = null)
    {
        var key = source ?? "";
        var job = new Job<T>(key, AccountKey(key, account), work);
        lock (_queue)
        {
            if (_stopping.IsCancellationRequested) return Task.FromResult(default(Hashed<T>));
            var demand = _demand.Add(key);
            var accountDemand = _demand.Add(job.Account);
            _queuedPerSource.TryGetValue(key, out var queued);
            if (queued >= _perSource && !DisplaceWithinSource(key, accountDemand)) return Task.FromResult(default(Hashed<T>));
            if (_queue.Count >= _limit && !DisplaceBusierThan(demand)) return Task.FromResult(default(Hashed<T>));
            _queuedPerSource.TryGetValue(key, out queued);
            job.Sequence = _sequence++;
            _queue.Add(job);
            _queuedPerSource[key] = queued + 1;
        }
        _available.Release();
        return job.Completion.Task;
    }

    public void Dispose()
    {
        lock (_queue) _stopping.Cancel();
        foreach (var worker in _workers) worker.Join(TimeSpan.FromSeconds(5));
        lock (_queue)
        {
            foreach (var job in _queue) job.Refuse();
            _queue.Clear();
        }
        _available.Dispose();
        _stopping.Dispose();
    }

    private static string AccountKey(string source, string? account) => $"{source}\n{account}";

    /// <summary>Drops the source's waiting hash for the account it asks most for, if that is more than <paramref name="accountDemand"/>.</summary>
    private bool DisplaceWithinSource(string source, double accountDemand)
    {
        var worst = -1;
        var worstDemand = 0.0;
        for (var i = 0; i < _queue.Count; i++)
        {
            if (_queue[i].Source != source) continue;
            var demand = _demand.Current(_queue[i].Account);
            if (worst < 0 || demand >= worstDemand) (worst, worstDemand) = (i, demand);
        }
        if (worst < 0 || worstDemand <= accountDemand) return false;
        Displace(worst);
        return true;
    }

    private void Displace(int index)
    {
        var displaced = _queue[index];
        _queue.RemoveAt(index);
        Dequeued(displaced);
        displaced.Refuse();
        Interlocked.Increment(ref _displaced);
    }

    /// <summary>Drops the waiting hash served last if its source asks for more than <paramref name="demand"/>.</summary>
    private bool DisplaceBusierThan(double demand)
    {
        var worst = Extreme(last: true);
        if (worst < 0 || OrderOf(_queue[worst]).Demand <= demand) return false;
        Displace(worst);
        return true;
    }

    /// <summary>The waiting hash whose source asks for least right now, first come first served among equals.</summary>
    private Job? TakeNext()
    {
        var best = Extreme(last: false);
        if (best < 0) return null;
        var next = _queue[best];
        _queue.RemoveAt(best);
        Dequeued(next);
        return next;
    }

    /// <summary>The index of the waiting hash served first (or <paramref name="last"/>) as demands stand now; -1 when none waits.</summary>
    private int Extreme(bool last)
    {
        var found = -1;
        var foundOrder = default(JobOrder);
        for (var i = 0; i < _queue.Count; i++)
        {
            var order = OrderOf(_queue[i]);
            var comparison = order.CompareTo(foundOrder);
            if (found < 0 || (last ? comparison > 0 : comparison < 0)) (found, foundOrder) = (i, order);
        }
        return found;
    }

    private JobOrder OrderOf(Job job) => new(_demand.Current(job.Source), job.Sequence);

    private void Dequeued(Job job)
    {
        if (--_queuedPerSource[job.Source] == 0) _queuedPerSource.Remove(job.Source);
    }

    private void Work()
    {
        while (true)
        {
            try
            {
                _available.Wait(_stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            Job? next;
            // A displaced job released the semaphore too, so the queue may be empty.
            lock (_queue) next = TakeNext();
            next?.Run();
        }
    }

    /// <summary>Lowest demand first, then first come first served.</summary>
    private readonly record struct JobOrder(double Demand, long Sequence) : IComparable<JobOrder>
    {
        public int CompareTo(JobOrder other) =>
            Demand != other.Demand ? Demand.CompareTo(other.Demand) : Sequence.CompareTo(other.Sequence);
    }

    private abstract class Job(string source, string account)
    {
        public string Source { get; } = source;
        public string Account { get; } = account;
        public long Sequence { get; set; }
        public abstract void Run();
        public abstract void Refuse();
    }

    private sealed class Job<T>(string source, string account, Func<T> work) : Job(source, account)
    {
        // Continuations run on the thread pool, never on a hashing thread.
        public TaskCompletionSource<Hashed<T>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Run()
        {
            try
            {
                Completion.TrySetResult(new Hashed<T>(true, work()));
            }
            catch (Exception e)
            {
                Completion.TrySetException(e);
            }
        }

        public override void Refuse() => Completion.TrySetResult(default(Hashed<T>));
    }
}

/// <summary>A hash computed on the <see cref="HashingWorkers"/>; <c>default</c> (not <see cref="Ran"/>) when it had no place.</summary>
public readonly record struct Hashed<T>(bool Ran, T Value);
