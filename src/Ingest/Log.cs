using Microsoft.Extensions.Logging;

namespace OneMap.Ingest;

/// <summary>The ingest workers' log messages (source-generated, stable event ids).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Feed {Feed}: {Input} → {Dataset} v{Version}: {Read} read, {Written} written, {Rejected} quarantined in {Elapsed} ms")]
    public static partial void FileIngested(ILogger logger, string feed, string input, string dataset, long? version, long read, long written, long rejected, long elapsed);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Feed {Feed}: {Input} was already ingested (receipt {ReceiptId}); nothing changed")]
    public static partial void FileDuplicate(ILogger logger, string feed, string input, string receiptId);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Feed {Feed}: {Input} refused and moved to {MovedTo}: {Reason}")]
    public static partial void FileRefused(ILogger logger, string feed, string input, string movedTo, string reason);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Feed {Feed}: {Input} line {Line} quarantined: {Reason}")]
    public static partial void RowQuarantined(ILogger logger, string feed, string input, long line, string reason);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Error, Message = "Feed {Feed}: {Input} failed and stays for a retry: {Reason}")]
    public static partial void FileFailed(ILogger logger, string feed, string input, string reason, Exception exception);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Error, Message = "Feed contracts in {Folder} cannot be loaded: {Reason}")]
    public static partial void ContractsFailed(ILogger logger, string folder, string reason, Exception exception);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Information, Message = "Feed worker watching {Count} feed(s) from {Folder}")]
    public static partial void FeedsLoaded(ILogger logger, int count, string folder);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Warning, Message = "Feed {Feed}: fetching {Url} failed (attempt {Attempt}, transient: {Transient}): {Reason}")]
    public static partial void FetchFailed(ILogger logger, string feed, string url, int attempt, bool transient, string reason);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "Sensors {Worker}: batch of {Readings} reading(s) from {Messages} message(s) committed (v{Version}): {Duplicates} duplicate(s), {Rejected} quarantined, {Elapsed} ms")]
    public static partial void SensorBatchCommitted(ILogger logger, string worker, int readings, int messages, long version, long duplicates, int rejected, long elapsed);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Warning, Message = "Sensors {Worker}: message on {Topic} quarantined: {Reason}")]
    public static partial void MessageQuarantined(ILogger logger, string worker, string topic, string reason);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Error, Message = "Sensors {Worker}: committing a batch of {Readings} reading(s) failed; the broker keeps them unacknowledged and the batch is retried: {Reason}")]
    public static partial void SensorBatchFailed(ILogger logger, string worker, int readings, string reason, Exception exception);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Warning, Message = "Feeds: refreshing the catalog's freshness of {Datasets} failed; retrying after the next scan: {Reason}")]
    public static partial void CatalogRefreshFailed(ILogger logger, string datasets, string reason, Exception exception);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Information, Message = "Sensors {Worker}: connected to {Endpoint} as {ClientId}, subscribed to {Topics}")]
    public static partial void SensorsConnected(ILogger logger, string worker, string endpoint, string clientId, string topics);

    [LoggerMessage(EventId = 5014, Level = LogLevel.Information, Message = "Sensors {Worker}: no broker configured; replaying payload logs from {Folder}")]
    public static partial void SensorsReplaying(ILogger logger, string worker, string folder);

    [LoggerMessage(EventId = 5015, Level = LogLevel.Warning, Message = "Sensors {Worker}: broker unavailable ({Reason}); retrying in {Delay} ms")]
    public static partial void BrokerUnavailable(ILogger logger, string worker, string reason, long delay);

    [LoggerMessage(EventId = 5016, Level = LogLevel.Warning, Message = "Sensors {Worker}: batch observer {Observer} failed (the batch is committed): {Reason}")]
    public static partial void ObserverFailed(ILogger logger, string worker, string observer, string reason, Exception exception);

    [LoggerMessage(EventId = 5020, Level = LogLevel.Information, Message = "Tickets {Source}: {Tickets} ticket(s), {Events} event(s) committed up to {Watermark} ({Rejected} quarantined)")]
    public static partial void TicketsPulled(ILogger logger, string source, int tickets, int events, string? watermark, int rejected);

    [LoggerMessage(EventId = 5021, Level = LogLevel.Warning, Message = "Tickets {Source}: request failed (attempt {Attempt}, transient: {Transient}): {Reason}")]
    public static partial void TicketRequestFailed(ILogger logger, string source, int attempt, bool transient, string reason);

    [LoggerMessage(EventId = 5022, Level = LogLevel.Error, Message = "Tickets {Source}: pull failed; retrying at the next interval: {Reason}")]
    public static partial void TicketPullFailed(ILogger logger, string source, string reason, Exception exception);

    [LoggerMessage(EventId = 5030, Level = LogLevel.Information, Message = "Worker {Worker}: {RowsPerSecond:0} rows/s, lag {Lag:0.0} s, last commit {LastCommit}, {Rejected} rejected in total")]
    public static partial void WorkerSummary(ILogger logger, string worker, double rowsPerSecond, double lag, string lastCommit, long rejected);
}
