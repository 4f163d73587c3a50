namespace OneMap.Lakehouse.Tables;

/// <summary>Options of one write: idempotency marker, provenance, and whether the schema may grow.</summary>
public sealed record CommitOptions
{
    /// <summary>
    /// Application id of a Delta <c>txn</c> action. With <see cref="AppVersion"/>, a commit whose version is not above
    /// the application's last committed version is skipped (a retried batch is not applied twice).
    /// </summary>
    public string? AppId { get; init; }

    /// <summary>The application's monotonically increasing batch number (used with <see cref="AppId"/>).</summary>
    public long? AppVersion { get; init; }

    /// <summary>Free text stored as commitInfo.userMetadata (shown by Spark's DESCRIBE HISTORY).</summary>
    public string? UserMetadata { get; init; }

    /// <summary>Which feed and ingest receipts produced the commit (stored in commitInfo, read back by the catalog).</summary>
    public CommitLineage? Lineage { get; init; }

    /// <summary>Allow incoming columns the table lacks to be added as nullable columns. Default false.</summary>
    public bool AllowSchemaEvolution { get; init; }

    internal static readonly CommitOptions Default = new();
}

/// <summary>Provenance of a commit: the feed (source) and the ingest receipt ids it wrote.</summary>
public sealed record CommitLineage(string Source, IReadOnlyList<string> Receipts);

/// <summary>What happened to a write.</summary>
public enum CommitStatus
{
    /// <summary>A new table version was committed.</summary>
    Committed,

    /// <summary>The application's txn version was already committed; nothing was written.</summary>
    AlreadyApplied,

    /// <summary>The operation found nothing to change (an empty batch, a delete matching no row); no version was written.</summary>
    NoChanges,
}

/// <summary>The outcome of a write: the new version (or the current one when nothing was committed) and its metrics.</summary>
public sealed record CommitResult
{
    public required CommitStatus Status { get; init; }

    /// <summary>The version written, or the table's current version when nothing was committed.</summary>
    public required long Version { get; init; }

    public required string Operation { get; init; }

    public long RowsWritten { get; init; }

    public long RowsDeleted { get; init; }

    public long RowsUpdated { get; init; }

    public long RowsInserted { get; init; }

    public int FilesAdded { get; init; }

    public int FilesRemoved { get; init; }

    /// <summary>How many times the operation was planned (more than 1 after real conflicts with other writers).</summary>
    public int Attempts { get; init; } = 1;

    public bool Committed => Status == CommitStatus.Committed;
}

/// <summary>Options of an upsert (merge by key).</summary>
public sealed record MergeOptions
{
    /// <summary>Columns the source and the table are matched on; default the table's key columns.</summary>
    public IReadOnlyList<string>? KeyColumns { get; init; }

    /// <summary>
    /// Optional SQL condition over the aliases <c>source</c> and <c>target</c> that a matched row must meet to be
    /// replaced (e.g. <c>source.updated_at &gt;= target.updated_at</c> drops out-of-order updates). Code, not user input.
    /// </summary>
    public string? UpdateCondition { get; init; }

    /// <summary>Optional SQL condition over <c>source</c> marking rows that delete their key instead of upserting it.</summary>
    public string? DeleteCondition { get; init; }
}

/// <summary>Options of OPTIMIZE (compaction of small files).</summary>
public sealed record OptimizeOptions
{
    /// <summary>Files are packed into files of about this size. Default 128 MiB.</summary>
    public long TargetFileSize { get; init; } = 128L * 1024 * 1024;

    /// <summary>Only partitions matching this predicate (over partition columns) are compacted. Default all.</summary>
    public Predicate? Where { get; init; }
}

/// <summary>Options of VACUUM.</summary>
public sealed record VacuumOptions
{
    /// <summary>Unreferenced files younger than this are kept; default the table's deletedFileRetentionDuration (7 days).</summary>
    public TimeSpan? Retention { get; init; }

    /// <summary>
    /// Allows a retention shorter than the table's deletedFileRetentionDuration. Readers of older versions and writers
    /// still writing files may lose them; meant for tests and for recovery after crashes.
    /// </summary>
    public bool AllowShortRetention { get; init; }

    /// <summary>List what would be deleted without deleting it.</summary>
    public bool DryRun { get; init; }
}

/// <summary>What VACUUM found and removed.</summary>
public sealed record VacuumResult(IReadOnlyList<string> DeletedFiles, long DeletedBytes, bool DryRun);

/// <summary>One entry of a table's history (the commitInfo of a version).</summary>
public sealed record HistoryEntry
{
    public required long Version { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    public string? Operation { get; init; }

    public IReadOnlyDictionary<string, string> OperationParameters { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> OperationMetrics { get; init; } = new Dictionary<string, string>();

    public long? ReadVersion { get; init; }

    public bool? IsBlindAppend { get; init; }

    public string? UserMetadata { get; init; }

    public CommitLineage? Lineage { get; init; }

    public string? EngineInfo { get; init; }

    /// <summary>The txn action of the commit (application id and version), if any.</summary>
    public (string AppId, long Version)? Transaction { get; init; }
}
