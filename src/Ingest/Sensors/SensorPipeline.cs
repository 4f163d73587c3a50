using System.Globalization;
using Microsoft.Extensions.Logging;
using OneMap.Ingest.Metrics;
using OneMap.Ingest.Quarantine;

namespace OneMap.Ingest.Sensors;

/// <summary>Rows accounted for since the last receipt.</summary>
public sealed record SensorTotals(long Messages, long Read, long Written, long Rejected, long Duplicates, long Version);

/// <summary>
/// Collects parsed sensor messages into micro-batches and commits them, one commit in flight while the next batch
/// fills. A batch is due one <see cref="SensorOptions.BatchInterval"/> after its first message or when it holds
/// <see cref="SensorOptions.BatchMaxReadings"/> readings. Its rejected messages are written to the quarantine, its rows
/// committed, and only then its messages acknowledged; a failed commit is retried with backoff until it succeeds or
/// the worker stops (then the broker redelivers, and redeliveries are dropped by key).
/// </summary>
public sealed class SensorPipeline(
    SensorCommitter committer,
    SensorPayloadParser parser,
    QuarantineStore quarantine,
    SensorOptions options,
    WorkerMetrics metrics,
    string workerName,
    ILogger logger,
    TimeProvider? time = null,
    IReadOnlyList<IReadingBatchObserver>? observers = null)
{
    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private readonly ParsedMessage scratch = new();
    private readonly string batchPrefix = $"{workerName}-{DateTimeOffset.UtcNow:yyyyMMdd'T'HHmmss}-{Environment.ProcessId}";
    private readonly Lock totalsLock = new();
    private SensorBatch current = new();
    private Task previous = Task.CompletedTask;
    private long sequence;
    private long messages, read, written, rejected, duplicates, version = -1;

    /// <summary>True when the batch being collected should be committed now.</summary>
    public bool IsDue => !current.IsEmpty && (current.Readings >= options.BatchMaxReadings || clock.GetElapsedTime(current.FirstArrival) >= options.BatchInterval);

    /// <summary>
    /// True when no commit is in flight and the batch is worth committing before it is due: it holds a sizeable share of
    /// the maximum (a tenth), or it came in as a burst that has ended (see <see cref="SensorOptions.BurstIdle"/>). While a
    /// commit is in flight the batch keeps filling instead, so the next commit carries more rows for the same overhead.
    /// </summary>
    public bool IsWorthCommittingEarly => !current.IsEmpty && previous.IsCompleted && (current.Readings >= BurstReadingsPerSecond || IsBurstOver);

    /// <summary>The commit in flight, or null when none is.</summary>
    public Task? CommitInFlight => previous.IsCompleted ? null : previous;

    /// <summary>How long until the batch being collected is due (infinite while it is empty).</summary>
    public TimeSpan TimeUntilDue => current.IsEmpty
        ? Timeout.InfiniteTimeSpan
        : TimeSpan.FromTicks(Math.Max(0, (options.BatchInterval - clock.GetElapsedTime(current.FirstArrival)).Ticks));

    /// <summary>
    /// How long the worker may wait for messages before it should look at the batch again: until it is due, or until the
    /// stream has been idle long enough to end a burst (infinite while the batch is empty).
    /// </summary>
    public TimeSpan TimeUntilCheck
    {
        get
        {
            var due = TimeUntilDue;
            if (current.IsEmpty || options.BurstIdle <= TimeSpan.Zero || !previous.IsCompleted)
            {
                // While a commit is in flight the worker also wakes when it completes.
                return due;
            }
            var idle = options.BurstIdle - clock.GetElapsedTime(current.LastArrival);
            return idle > TimeSpan.Zero && idle < due ? idle : due;
        }
    }

    private int BurstReadingsPerSecond => Math.Max(1, options.BatchMaxReadings / 10);

    /// <summary>
    /// Nothing arrived for <see cref="SensorOptions.BurstIdle"/> and the batch arrived at burst rate: its readings per
    /// second, over its arrival span (at least the idle time, so a lone message is never a burst), reach a tenth of the maximum.
    /// </summary>
    private bool IsBurstOver
    {
        get
        {
            var idle = options.BurstIdle;
            if (idle <= TimeSpan.Zero || clock.GetElapsedTime(current.LastArrival) < idle)
            {
                return false;
            }
            var span = clock.GetElapsedTime(current.FirstArrival, current.LastArrival);
            var seconds = Math.Max(span.TotalSeconds, idle.TotalSeconds);
            return current.Readings >= BurstReadingsPerSecond * seconds;
        }
    }

    /// <summary>Parses a message into the current batch; <paramref name="acknowledge"/> runs after its batch is committed.</summary>
    public void Add(string topic, ReadOnlyMemory<byte> payload, int? oversizedLength, Func<bool>? acknowledge, string input, long line, bool mayBeRedelivery = true)
    {
        if (mayBeRedelivery)
        {
            current.MayHoldRedeliveries = true;
        }
        parser.Parse(topic, payload, oversizedLength, scratch);
        var now = clock.GetTimestamp();
        if (current.IsEmpty)
        {
            current.FirstArrival = now;
        }
        current.LastArrival = now;
        current.Add(scratch, input, line, payload.Span, oversizedLength, clock.GetUtcNow());
        if (acknowledge is not null)
        {
            current.Acknowledgements.Add(acknowledge);
        }
        if (scratch.Rejected.Count > 0)
        {
            Log.MessageQuarantined(logger, workerName, topic, scratch.Rejected[0].Reason);
        }
    }

    /// <summary>Starts committing the current batch (after the previous commit finished) and begins a new one.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (current.IsEmpty)
        {
            return;
        }
        var batch = current;
        current = new SensorBatch();
        await previous.ConfigureAwait(false);
        metrics.Pending(batch.FirstArrival);
        var number = ++sequence;
        previous = Task.Run(() => CommitAsync(batch, number, cancellationToken), CancellationToken.None);
    }

    /// <summary>Commits everything collected and waits for it.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await previous.ConfigureAwait(false);
        await FlushTwinsLoggingFailureAsync(onlyWhenDue: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Merges the twin's pending values. The twin is derived from readings already committed and acknowledged, so a
    /// failed merge (another worker's merge of the same table racing it, a full disk) is logged and never stops the
    /// stream or the receipt of what was committed; the values stay pending for the next merge.
    /// </summary>
    private async Task FlushTwinsLoggingFailureAsync(bool onlyWhenDue, CancellationToken cancellationToken)
    {
        try
        {
            if (onlyWhenDue)
            {
                await committer.FlushTwinsIfDueAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await committer.FlushTwinsAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A failed twin merge must not stop the stream; the values stay pending and are merged again.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.SensorBatchFailed(logger, workerName, 0, "twin merge: " + e.Message, e);
        }
    }

    /// <summary>Commits the twin's pending latest values when the stream has gone quiet (called between messages).</summary>
    public async Task FlushTwinsIfIdleAsync(CancellationToken cancellationToken)
    {
        if (current.IsEmpty && previous.IsCompleted)
        {
            await FlushTwinsLoggingFailureAsync(onlyWhenDue: false, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The counts committed since the last call (for a receipt).</summary>
    public SensorTotals TakeTotals()
    {
        lock (totalsLock)
        {
            var totals = new SensorTotals(messages, read, written, rejected, duplicates, version);
            messages = read = written = rejected = duplicates = 0;
            return totals;
        }
    }

    private async Task CommitAsync(SensorBatch batch, long number, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        SensorCommitResult result;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Rejected messages are on disk before the batch's messages are acknowledged.
                await quarantine.WriteAsync("sensors", $"{batchPrefix}-{number.ToString("D8", CultureInfo.InvariantCulture)}", batch.Rejected, cancellationToken).ConfigureAwait(false);
                result = await committer.CommitReadingsAsync(batch, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return; // Unacknowledged: the broker keeps the messages for the next run.
            }
#pragma warning disable CA1031 // Any failure of a commit is retried; the messages stay unacknowledged meanwhile.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.SensorBatchFailed(logger, workerName, batch.Readings, e.Message, e);
                // Part of it may have been committed: the retry inserts only what the lake lacks.
                batch.MayHoldRedeliveries = true;
                var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(attempt, 10))));
                try
                {
                    await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
        foreach (var acknowledge in batch.Acknowledgements)
        {
            acknowledge();
        }
        var readings = batch.Readings;
        metrics.Read(readings);
        metrics.Rejected(batch.Rejected.Count);
        metrics.Committed(result.Written, result.Duplicates, result.Version);
        metrics.Pending(null);
        lock (totalsLock)
        {
            messages += batch.Messages;
            read += readings;
            written += result.Written;
            rejected += batch.Rejected.Count;
            duplicates += result.Duplicates;
            if (result.Version >= 0)
            {
                version = result.Version;
            }
        }
        Log.SensorBatchCommitted(logger, workerName, readings, batch.Messages, result.Version, result.Duplicates, batch.Rejected.Count, (long)clock.GetElapsedTime(started).TotalMilliseconds);
        // Observers (the alert producer) hear of the committed readings first: an alert must not wait for the twin merge.
        await NotifyAsync(batch, result.Version, cancellationToken).ConfigureAwait(false);
        // The twin is derived from committed readings, so it is merged after the acknowledgements (before the next batch commits).
        await FlushTwinsLoggingFailureAsync(onlyWhenDue: true, cancellationToken).ConfigureAwait(false);
    }

    private async Task NotifyAsync(SensorBatch batch, long version, CancellationToken cancellationToken)
    {
        if (observers is not { Count: > 0 })
        {
            return;
        }
        var committed = new CommittedSensorBatch(batch.Water, batch.Manhole, batch.Alarms, version);
        foreach (var observer in observers)
        {
            try
            {
                await observer.OnBatchCommittedAsync(committed, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // An observer's failure is logged; the readings are committed and ingest goes on.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.ObserverFailed(logger, workerName, observer.GetType().Name, e.Message, e);
            }
        }
    }
}
