namespace OneMap.Ingest.Receipts;

/// <summary>What became of an input.</summary>
public static class ReceiptStatus
{
    /// <summary>Its good rows are committed (bad ones quarantined).</summary>
    public const string Committed = "committed";

    /// <summary>It could not be read at all and was moved aside; nothing of it landed.</summary>
    public const string Refused = "refused";
}

/// <summary>
/// The record of one input (a file, an HTTP download, a micro-batch window of sensor readings, a ticket pull): how many
/// rows came in and where each went, so that rows read = rows written + rows rejected + duplicates.
/// </summary>
/// <param name="ReceiptId">Unique id (for files: derived from the feed and the content hash, so a retry reuses it).</param>
/// <param name="SourceKind"><c>feed</c>, <c>sensors</c> or <c>tickets</c>.</param>
/// <param name="Source">The feed id or worker name.</param>
/// <param name="Input">The file name, URL or topic filter.</param>
/// <param name="ContentHash">SHA-256 of the input's bytes (hex), for files and downloads.</param>
/// <param name="Dataset">The table written.</param>
/// <param name="Status">See <see cref="ReceiptStatus"/>.</param>
/// <param name="RowsRead">Records read from the input.</param>
/// <param name="RowsWritten">Rows committed (inserted or upserted).</param>
/// <param name="RowsRejected">Records quarantined.</param>
/// <param name="RowsDuplicate">Records dropped as already present (redeliveries).</param>
/// <param name="TableVersion">The table version that holds the rows.</param>
/// <param name="QuarantinePath">The quarantine file (relative to the lake root), if anything was rejected.</param>
/// <param name="Message">Why the input was refused, or a note.</param>
/// <param name="Watermark">For incremental pulls: the update time reached.</param>
/// <param name="Worker">Host and process that did the work.</param>
/// <param name="StartedAt">When work on the input started.</param>
/// <param name="FinishedAt">When the receipt was written.</param>
public sealed record IngestReceipt(
    string ReceiptId,
    string SourceKind,
    string Source,
    string Input,
    string? ContentHash,
    string Dataset,
    string Status,
    long RowsRead,
    long RowsWritten,
    long RowsRejected,
    long RowsDuplicate,
    long? TableVersion,
    string? QuarantinePath,
    string? Message,
    string? Watermark,
    string Worker,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt)
{
    /// <summary>True when every row read is accounted for.</summary>
    public bool Reconciles => RowsRead == RowsWritten + RowsRejected + RowsDuplicate;

    /// <summary>This process, as receipts name it.</summary>
    public static string ThisWorker { get; } = $"{Environment.MachineName}:{Environment.ProcessId}";
}
