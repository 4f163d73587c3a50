namespace OneMap.GraphQL.Execution;

/// <summary>
/// Collects the keys batch loaders are asked for while execution runs, and dispatches every pending batch once
/// execution can go no further without them, so a list of N parents costs one fetch per loader and level, not N.
/// </summary>
internal sealed class BatchScheduler
{
    private readonly Lock _lock = new();
    private List<IBatch> _pending = [];
    private TaskCompletionSource? _signal;

    public bool HasPending
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count > 0;
            }
        }
    }

    public void Enqueue(IBatch batch)
    {
        TaskCompletionSource? signal;
        lock (_lock)
        {
            _pending.Add(batch);
            signal = _signal;
            _signal = null;
        }
        signal?.TrySetResult();
    }

    /// <summary>Completes when a batch is waiting (at once when one already is).</summary>
    public Task WhenWorkAsync()
    {
        lock (_lock)
        {
            if (_pending.Count > 0)
            {
                return Task.CompletedTask;
            }
            _signal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _signal.Task;
        }
    }

    /// <summary>Runs every waiting batch; their results resume the waiting resolvers on this thread.</summary>
    public Task DispatchAsync()
    {
        List<IBatch> batches;
        lock (_lock)
        {
            batches = _pending;
            _pending = [];
        }
        if (batches.Count == 1)
        {
            return batches[0].DispatchAsync();
        }
        var tasks = new Task[batches.Count];
        for (var i = 0; i < batches.Count; i++)
        {
            tasks[i] = batches[i].DispatchAsync();
        }
        return Task.WhenAll(tasks);
    }

    /// <summary>
    /// Drives <paramref name="execution"/> to completion, dispatching batches whenever it waits on them. Execution
    /// that never uses a loader completes without entering the loop.
    /// </summary>
    public async Task<T> RunAsync<T>(ValueTask<T> execution)
    {
        if (execution.IsCompleted && !HasPending)
        {
            return await execution.ConfigureAwait(false);
        }
        var task = execution.AsTask();
        while (!task.IsCompleted)
        {
            if (HasPending)
            {
                await DispatchAsync().ConfigureAwait(false);
                continue;
            }
            await Task.WhenAny(task, WhenWorkAsync()).ConfigureAwait(false);
        }
        return await task.ConfigureAwait(false);
    }

    internal interface IBatch
    {
        Task DispatchAsync();
    }
}
