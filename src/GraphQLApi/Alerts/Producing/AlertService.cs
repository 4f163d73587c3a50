using Microsoft.Extensions.Options;

using OneMap.Lakehouse;
using OneMap.Lakehouse.Alerts.Producing;

namespace OneMap.GraphQLApi.Alerts.Producing;

/// <summary>
/// Runs the alert producer in the server: learns the station models from the lake at start (and again every
/// <see cref="AlertProducerOptions.RefreshInterval"/>), then scores every batch the sensor worker commits. A failure on
/// one batch is logged and the next batch goes on (its readings are in the lake; a backfill can score them again).
/// </summary>
public sealed partial class AlertService(AlertProducer producer, AlertIngestObserver observer, IOptions<AlertProducerOptions> options, ILogger<AlertService> logger)
    : BackgroundService
{
    /// <summary>Completes once the models were learnt at start (for tests and health checks).</summary>
    public Task Ready => ready.Task;

    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            ready.TrySetResult();
            return;
        }
        try
        {
            await producer.StartAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is LakehouseException or DuckDb.DuckDbException or IOException)
        {
            LogStartFailed(logger, e.Message, e);
        }
        ready.TrySetResult();
        var nextRefresh = DateTimeOffset.UtcNow + options.Value.RefreshInterval;
        var lastLearn = DateTimeOffset.UtcNow;
        var skippedAtLastLearn = producer.SkippedWithoutModel;
        try
        {
            while (await observer.Batches.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (observer.Batches.TryRead(out var batch))
                {
                    var (water, statuses, alarms) = AlertIngestObserver.Convert(batch);
                    try
                    {
                        await producer.ObserveAsync(water, statuses, alarms, stoppingToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is LakehouseException or DuckDb.DuckDbException or IOException or ArgumentException)
                    {
                        LogBatchFailed(logger, water.Count + statuses.Count + alarms.Count, e.Message, e);
                    }
                }
                // Readings of stations without a model (a fresh lake fills up, a new station reports) bring learning forward.
                var unmodelled = producer.SkippedWithoutModel > skippedAtLastLearn && DateTimeOffset.UtcNow >= lastLearn + options.Value.UnmodelledRetryInterval;
                if (DateTimeOffset.UtcNow >= nextRefresh || unmodelled)
                {
                    nextRefresh = DateTimeOffset.UtcNow + options.Value.RefreshInterval;
                    lastLearn = DateTimeOffset.UtcNow;
                    skippedAtLastLearn = producer.SkippedWithoutModel;
                    // Relearning takes a while; batches queue meanwhile and are scored after.
                    try
                    {
                        await producer.LearnAsync(stoppingToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is LakehouseException or DuckDb.DuckDbException or IOException)
                    {
                        // The current models go on scoring; the next refresh tries again.
                        LogRefreshFailed(logger, e.Message, e);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 7200, Level = LogLevel.Error, Message = "Alerts: learning the station models at start failed; readings are not scored until the next refresh: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Warning, Message = "Alerts: relearning the station models failed; the current models go on: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = 7201, Level = LogLevel.Warning, Message = "Alerts: a batch of {Rows} row(s) could not be scored (it is in the lake; a backfill can score it): {Reason}")]
    private static partial void LogBatchFailed(ILogger logger, int rows, string reason, Exception exception);
}
