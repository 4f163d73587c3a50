using OneMap.Lakehouse;
using OneMap.Lakehouse.Catalog;
using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;

namespace OneMap.Ingest.Receipts;

/// <summary>The <c>ingest_receipts</c> table: one row per input, appended; read back for idempotency and watermarks.</summary>
public sealed class ReceiptStore(Lake lake)
{
    /// <summary>The receipts table's name.</summary>
    public const string TableName = "ingest_receipts";

    private static readonly TableDefinition Definition = new()
    {
        Name = TableName,
        Description = "One row per ingested input: rows read, written, rejected and duplicate, content hash, table version.",
        KeyColumns = ["receipt_id"],
        Columns =
        [
            new("receipt_id", DeltaType.String) { Nullable = false, Description = "Receipt id." },
            new("source_kind", DeltaType.String) { Nullable = false, Description = "feed, sensors or tickets." },
            new("source", DeltaType.String) { Nullable = false, Description = "Feed id or worker name." },
            new("input", DeltaType.String) { Nullable = false, Description = "File name, URL or topic." },
            new("content_hash", DeltaType.String) { Description = "SHA-256 of the input bytes (hex)." },
            new("dataset", DeltaType.String) { Nullable = false, Description = "Table written." },
            new("status", DeltaType.String) { Nullable = false, Description = "committed or refused." },
            new("rows_read", DeltaType.Long) { Nullable = false, Description = "Records read.", Unit = "rows" },
            new("rows_written", DeltaType.Long) { Nullable = false, Description = "Rows committed.", Unit = "rows" },
            new("rows_rejected", DeltaType.Long) { Nullable = false, Description = "Records quarantined.", Unit = "rows" },
            new("rows_duplicate", DeltaType.Long) { Nullable = false, Description = "Records already present (redeliveries).", Unit = "rows" },
            new("table_version", DeltaType.Long) { Description = "Table version holding the rows." },
            new("quarantine_path", DeltaType.String) { Description = "Quarantine file, relative to the lake root." },
            new("message", DeltaType.String) { Description = "Why the input was refused, or a note." },
            new("watermark", DeltaType.String) { Description = "Update time reached by an incremental pull." },
            new("worker", DeltaType.String) { Nullable = false, Description = "Host and process id." },
            new("started_at", DeltaType.Timestamp) { Nullable = false, Description = "Work started." },
            new("finished_at", DeltaType.Timestamp) { Nullable = false, Description = "Receipt written." },
        ],
    };

    private readonly SemaphoreSlim createLock = new(1, 1);
    private DeltaTable? table;

    public Lake Lake => lake;

    private async Task<DeltaTable> TableAsync(CancellationToken cancellationToken)
    {
        if (table is not null)
        {
            return table;
        }
        await createLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            table ??= await lake.Catalog.CreateDatasetAsync(Definition, new DatasetDescriptor
            {
                Name = TableName,
                Title = "Ingest receipts",
                Description = Definition.Description,
                OwnerDepartment = "OneMap",
                Sources = ["onemap-ingest"],
            }, cancellationToken).ConfigureAwait(false);
            return table;
        }
        finally
        {
            createLock.Release();
        }
    }

    /// <summary>Appends receipts (one commit).</summary>
    public async Task<long> WriteAsync(IReadOnlyList<IngestReceipt> receipts, CancellationToken cancellationToken = default)
    {
        if (receipts.Count == 0)
        {
            return -1;
        }
        var target = await TableAsync(cancellationToken).ConfigureAwait(false);
        using var batch = target.CreateBatch();
        foreach (var r in receipts)
        {
            batch.AppendRow(r.ReceiptId, r.SourceKind, r.Source, r.Input, r.ContentHash, r.Dataset, r.Status, r.RowsRead, r.RowsWritten,
                r.RowsRejected, r.RowsDuplicate, r.TableVersion, r.QuarantinePath, r.Message, r.Watermark, r.Worker, r.StartedAt, r.FinishedAt);
        }
        var result = await batch.AppendAsync(new CommitOptions
        {
            Lineage = new CommitLineage("onemap-ingest", receipts.Select(r => r.ReceiptId).ToList()),
        }, cancellationToken).ConfigureAwait(false);
        return result.Version;
    }

    public Task<long> WriteAsync(IngestReceipt receipt, CancellationToken cancellationToken = default) => WriteAsync([receipt], cancellationToken);

    /// <summary>The committed receipt of the same content for the same dataset, if there is one.</summary>
    public async Task<IngestReceipt?> FindCommittedAsync(string dataset, string contentHash, CancellationToken cancellationToken = default)
    {
        var found = await QueryAsync(Predicate.And(Predicate.Eq("content_hash", contentHash), Predicate.Eq("dataset", dataset)), cancellationToken).ConfigureAwait(false);
        return found.FirstOrDefault(r => r.Status == ReceiptStatus.Committed);
    }

    /// <summary>The committed receipt of the same content from the same source (e.g. a replayed payload log), if there is one.</summary>
    public async Task<IngestReceipt?> FindCommittedBySourceAsync(string source, string contentHash, CancellationToken cancellationToken = default)
    {
        var found = await QueryAsync(Predicate.And(Predicate.Eq("content_hash", contentHash), Predicate.Eq("source", source)), cancellationToken).ConfigureAwait(false);
        return found.FirstOrDefault(r => r.Status == ReceiptStatus.Committed);
    }

    /// <summary>The highest watermark a source recorded, or null.</summary>
    public async Task<string?> LastWatermarkAsync(string source, CancellationToken cancellationToken = default)
    {
        var found = await QueryAsync(Predicate.Eq("source", source), cancellationToken).ConfigureAwait(false);
        return found.Where(r => r.Status == ReceiptStatus.Committed && r.Watermark is not null)
            .Select(r => r.Watermark!)
            .Order(StringComparer.Ordinal)
            .LastOrDefault();
    }

    /// <summary>Every receipt matching <paramref name="predicate"/> (all of them when null).</summary>
    public async Task<IReadOnlyList<IngestReceipt>> QueryAsync(Predicate? predicate = null, CancellationToken cancellationToken = default)
    {
        var target = lake.Table(TableName);
        if (!target.Exists)
        {
            return [];
        }
        var rows = await target.QueryAsync(
            "SELECT receipt_id, source_kind, source, input, content_hash, dataset, status, rows_read, rows_written, rows_rejected, rows_duplicate, " +
            "table_version, quarantine_path, message, watermark, worker, started_at, finished_at FROM {table} ORDER BY finished_at",
            predicate, cancellationToken: cancellationToken).ConfigureAwait(false);
        return rows.Select(r => new IngestReceipt((string)r[0]!, (string)r[1]!, (string)r[2]!, (string)r[3]!, r[4] as string, (string)r[5]!, (string)r[6]!,
            Convert.ToInt64(r[7], System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt64(r[8], System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToInt64(r[9], System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt64(r[10], System.Globalization.CultureInfo.InvariantCulture),
            r[11] is null ? null : Convert.ToInt64(r[11], System.Globalization.CultureInfo.InvariantCulture),
            r[12] as string, r[13] as string, r[14] as string, (string)r[15]!, Instant(r[16]), Instant(r[17]))).ToList();
    }

    private static DateTimeOffset Instant(object? value) => value switch
    {
        DateTimeOffset o => o,
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        _ => default,
    };
}
