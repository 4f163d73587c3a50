namespace OneMap.GraphQL.Execution;

/// <summary>Fetches values for many keys at once; keys without a value are left out of the result.</summary>
public delegate ValueTask<IReadOnlyDictionary<TKey, TValue>> BatchLoadFunction<TKey, TValue>(IReadOnlyList<TKey> keys, CancellationToken cancellationToken)
    where TKey : notnull;

/// <summary>
/// The DataLoader pattern for one request: <see cref="LoadAsync"/> queues a key and returns a pending value; the
/// executor fetches all queued keys in one call once no resolver can proceed without them. Each key is fetched once
/// per request (later loads reuse the value). Get one with <see cref="ResolveContext.BatchLoader{TKey,TValue}"/>.
/// </summary>
public sealed class BatchLoader<TKey, TValue> : BatchScheduler.IBatch where TKey : notnull
{
    private readonly BatchScheduler _scheduler;
    private readonly BatchLoadFunction<TKey, TValue> _load;
    private readonly CancellationToken _cancellationToken;
    private readonly int _maxBatchSize;
    private readonly Lock _lock = new();
    private readonly Dictionary<TKey, TaskCompletionSource<TValue?>> _cache = [];
    private List<TKey> _queue = [];

    internal BatchLoader(BatchScheduler scheduler, BatchLoadFunction<TKey, TValue> load, int maxBatchSize, CancellationToken cancellationToken)
    {
        _scheduler = scheduler;
        _load = load;
        _maxBatchSize = maxBatchSize;
        _cancellationToken = cancellationToken;
    }

    /// <summary>How many fetches this loader made (one per dispatched batch); handy in tests and logs.</summary>
    public int FetchCount { get; private set; }

    /// <summary>The value for <paramref name="key"/>, or default when the fetch returned none for it.</summary>
    public ValueTask<TValue?> LoadAsync(TKey key)
    {
        TaskCompletionSource<TValue?> pending;
        var enqueue = false;
        lock (_lock)
        {
            if (_cache.TryGetValue(key, out var existing))
            {
                return existing.Task.IsCompletedSuccessfully ? new ValueTask<TValue?>(existing.Task.Result) : new ValueTask<TValue?>(existing.Task);
            }
            // Continuations run inline when the batch completes, so the next level's keys queue before the next dispatch.
            pending = new TaskCompletionSource<TValue?>();
            _cache[key] = pending;
            _queue.Add(key);
            enqueue = _queue.Count == 1;
        }
        if (enqueue)
        {
            _scheduler.Enqueue(this);
        }
        return new ValueTask<TValue?>(pending.Task);
    }

    /// <summary>Values for several keys, in the order given.</summary>
    public async ValueTask<IReadOnlyList<TValue?>> LoadManyAsync(IEnumerable<TKey> keys)
    {
        var tasks = keys.Select(LoadAsync).ToList();
        var results = new TValue?[tasks.Count];
        for (var i = 0; i < tasks.Count; i++)
        {
            results[i] = await tasks[i].ConfigureAwait(false);
        }
        return results;
    }

    async Task BatchScheduler.IBatch.DispatchAsync()
    {
        List<TKey> keys;
        lock (_lock)
        {
            keys = _queue;
            _queue = [];
        }
        for (var start = 0; start < keys.Count; start += _maxBatchSize)
        {
            var batch = keys.GetRange(start, Math.Min(_maxBatchSize, keys.Count - start));
            FetchCount++;
            IReadOnlyDictionary<TKey, TValue>? values = null;
            Exception? failure = null;
            try
            {
                values = await _load(batch, _cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                failure = e;
            }
            foreach (var key in batch)
            {
                TaskCompletionSource<TValue?> pending;
                lock (_lock)
                {
                    pending = _cache[key];
                }
                if (failure is not null)
                {
                    pending.TrySetException(failure);
                }
                else
                {
                    pending.TrySetResult(values!.TryGetValue(key, out var value) ? value : default);
                }
            }
        }
    }
}
