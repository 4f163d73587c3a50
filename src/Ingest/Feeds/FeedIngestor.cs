using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OneMap.Ingest.Feeds.Contracts;
using OneMap.Ingest.Feeds.Formats;
using OneMap.Ingest.Feeds.Mapping;
using OneMap.Ingest.Metrics;
using OneMap.Ingest.Privacy;
using OneMap.Ingest.Quarantine;
using OneMap.Ingest.Receipts;
using OneMap.Lakehouse;
using OneMap.Lakehouse.Catalog;
using OneMap.Lakehouse.Tables;

namespace OneMap.Ingest.Feeds;

/// <summary>Progress of one file: records read and bytes consumed of the total.</summary>
public sealed record IngestProgress(string Input, long Records, long BytesRead, long TotalBytes);

/// <summary>What became of one input file.</summary>
public enum FeedOutcomeKind
{
    /// <summary>Its good rows are committed and its bad rows quarantined.</summary>
    Committed,

    /// <summary>The same content was ingested before; nothing changed.</summary>
    Duplicate,

    /// <summary>It could not be read at all; nothing of it landed.</summary>
    Refused,
}

/// <summary>The outcome of ingesting one file, with its receipt (the earlier one for a duplicate).</summary>
public sealed record FeedOutcome(FeedOutcomeKind Kind, IngestReceipt Receipt, string? MovedTo = null);

/// <summary>
/// Ingests one file of a feed: hashes it (a content already ingested changes nothing), reads and maps every record,
/// quarantines bad records with their line and reason, commits the good rows (append, or upsert by key) in one commit
/// per chunk with an idempotent transaction id, and writes the receipt. A file that cannot be read at all is refused.
/// </summary>
public sealed class FeedIngestor(Lake lake, ReceiptStore receipts, QuarantineStore quarantine, PersonalData? personalData, IngestMetrics metrics, ILogger<FeedIngestor>? logger = null)
{
    private readonly ILogger log = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>Rows per commit; a larger file is committed in several chunks, each idempotent. Default 2,000,000.</summary>
    public int ChunkRows { get; init; } = 2_000_000;

    /// <summary>Ingests a file on disk. A refused file is moved into the quarantine when <paramref name="moveRefused"/>.</summary>
    public async Task<FeedOutcome> IngestFileAsync(FeedContract contract, string path, bool moveRefused, IProgress<IngestProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var name = Path.GetFileName(path);
        // A gzip file (.gz) is read through decompression; its hash is that of the content.
        Stream Open()
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress) : file;
        }
        var outcome = await IngestAsync(contract, name, Open, new FileInfo(path).Length, progress, cancellationToken).ConfigureAwait(false);
        if (outcome.Kind == FeedOutcomeKind.Refused && moveRefused)
        {
            var moved = quarantine.MoveRefused(contract.Feed, path, outcome.Receipt.Message!);
            Log.FileRefused(log, contract.Feed, name, moved, outcome.Receipt.Message!);
            return outcome with { MovedTo = moved };
        }
        if (outcome.Kind == FeedOutcomeKind.Refused)
        {
            Log.FileRefused(log, contract.Feed, name, path, outcome.Receipt.Message!);
        }
        return outcome;
    }

    /// <summary>
    /// Brings the catalog's freshness columns (version, last commit time, row count) of the given datasets up to date,
    /// in one catalog commit. Called by the feed worker once per scan that committed something rather than per file;
    /// readers through <see cref="LakeCatalog"/> see live freshness regardless. A failure is logged, not thrown: the
    /// data and receipts are committed, and the next scan tries again.
    /// </summary>
    public async Task RefreshCatalogAsync(IReadOnlyCollection<string> datasets, CancellationToken cancellationToken = default)
    {
        if (datasets.Count == 0)
        {
            return;
        }
        try
        {
            await lake.Catalog.RefreshAsync(datasets, cancellationToken).ConfigureAwait(false);
        }
        catch (LakehouseException e)
        {
            Log.CatalogRefreshFailed(log, string.Join(", ", datasets), e.Message, e);
        }
    }

    /// <summary>Ingests content held in memory (an HTTP download); a refused download is kept in the quarantine.</summary>
    public async Task<FeedOutcome> IngestBytesAsync(FeedContract contract, string input, byte[] content, CancellationToken cancellationToken = default)
    {
        var outcome = await IngestAsync(contract, input, () => new MemoryStream(content, writable: false), content.Length, null, cancellationToken).ConfigureAwait(false);
        if (outcome.Kind == FeedOutcomeKind.Refused)
        {
            var kept = quarantine.KeepRefused(contract.Feed, Path.GetFileName(new Uri(input, UriKind.RelativeOrAbsolute).IsAbsoluteUri ? new Uri(input).AbsolutePath : input) is { Length: > 0 } n ? n : "download", content, outcome.Receipt.Message!);
            Log.FileRefused(log, contract.Feed, input, kept, outcome.Receipt.Message!);
            return outcome with { MovedTo = kept };
        }
        return outcome;
    }

    private async Task<FeedOutcome> IngestAsync(FeedContract contract, string input, Func<Stream> open, long totalBytes, IProgress<IngestProgress>? progress, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var stopwatch = Stopwatch.StartNew();
        var worker = metrics.Worker("feed:" + contract.Feed, "feed");
        worker.Pending(Stopwatch.GetTimestamp());
        try
        {
            var hash = await HashAsync(open, cancellationToken).ConfigureAwait(false);
            var earlier = await receipts.FindCommittedAsync(contract.Dataset, hash, cancellationToken).ConfigureAwait(false);
            if (earlier is not null)
            {
                Log.FileDuplicate(log, contract.Feed, input, earlier.ReceiptId);
                return new FeedOutcome(FeedOutcomeKind.Duplicate, earlier);
            }
            var receiptId = $"{contract.Feed}-{hash[..16]}";
            try
            {
                var (receipt, rejected) = await LoadAsync(contract, input, open, totalBytes, hash, receiptId, started, progress, cancellationToken).ConfigureAwait(false);
                worker.Read(receipt.RowsRead);
                worker.Rejected(rejected);
                worker.Committed(receipt.RowsWritten, 0, receipt.TableVersion ?? -1);
                Log.FileIngested(log, contract.Feed, input, contract.Dataset, receipt.TableVersion, receipt.RowsRead, receipt.RowsWritten, receipt.RowsRejected, stopwatch.ElapsedMilliseconds);
                return new FeedOutcome(FeedOutcomeKind.Committed, receipt);
            }
            catch (FileRefusedException refused)
            {
                var receipt = new IngestReceipt($"{receiptId}-refused-{started.ToUnixTimeMilliseconds()}", "feed", contract.Feed, input, hash, contract.Dataset,
                    ReceiptStatus.Refused, 0, 0, 0, 0, null, null, refused.Message, null, IngestReceipt.ThisWorker, started, DateTimeOffset.UtcNow);
                await receipts.WriteAsync(receipt, cancellationToken).ConfigureAwait(false);
                return new FeedOutcome(FeedOutcomeKind.Refused, receipt);
            }
        }
        finally
        {
            worker.Pending(null);
        }
    }

    private async Task<(IngestReceipt Receipt, long Rejected)> LoadAsync(FeedContract contract, string input, Func<Stream> open, long totalBytes, string hash,
        string receiptId, DateTimeOffset started, IProgress<IngestProgress>? progress, CancellationToken cancellationToken)
    {
        var table = await FeedTables.EnsureAsync(lake, contract, cancellationToken).ConfigureAwait(false);
        using var reader = OpenReader(contract, input, open, personalData);
        var mapper = CreateMapper(contract, reader, input, open);
        var rejected = new List<QuarantinedRecord>();
        var layout = mapper.Layout;
        using var batch = table.CreateBatch();
        var order = batch.Columns.Select(c => layout.IndexOf(c)).ToArray();
        if (order.Any(i => i < 0))
        {
            throw new IngestCommitException(contract.Dataset,
                $"the table has column(s) {string.Join(", ", batch.Columns.Where(c => layout.IndexOf(c) < 0))} that feed '{contract.Feed}' does not map; the contract and the table disagree");
        }
        var receivedAt = DateTimeOffset.UtcNow;
        var pipeline = new FeedLoadPipeline(reader, mapper, batch, order)
        {
            ChunkRows = ChunkRows,
            CommitChunk = async (chunk, token) => (await CommitAsync(contract, batch, receiptId, hash, chunk, token).ConfigureAwait(false)).Version,
            Reject = (line, record, error) =>
            {
                rejected.Add(new QuarantinedRecord(input, line, record, error, receivedAt));
                if (rejected.Count <= 20)
                {
                    Log.RowQuarantined(log, contract.Feed, input, line, error);
                }
            },
            Progress = progress is null ? null : (records, bytes) => progress.Report(new IngestProgress(input, records, bytes, totalBytes)),
        };
        await pipeline.RunAsync(contract.Format.Encoding, cancellationToken).ConfigureAwait(false);
        var read = pipeline.RowsRead;
        var late = pipeline.LateRejections;
        if (late.Count > 0)
        {
            var wanted = late.ToDictionary(l => l.Line, l => l.Error);
            using var again = OpenReader(contract, input, open, personalData);
            while (wanted.Count > 0 && again.Read())
            {
                if (wanted.Remove(again.Line, out var lateError))
                {
                    pipeline.Reject(again.Line, again.RawRecord(), lateError);
                }
            }
            rejected.Sort((a, b) => a.Line.CompareTo(b.Line));
        }
        // Rejected records are on disk before the good rows beside them are committed.
        var quarantinePath = await quarantine.WriteAsync(contract.Feed, receiptId, rejected, cancellationToken).ConfigureAwait(false);
        if (pipeline.RowsPending > 0 || pipeline.Chunks == 0)
        {
            await pipeline.CommitPendingAsync(cancellationToken).ConfigureAwait(false);
        }
        var written = pipeline.RowsCommitted;
        var version = pipeline.Version;
        progress?.Report(new IngestProgress(input, read, totalBytes, totalBytes));
        var receipt = new IngestReceipt(receiptId, "feed", contract.Feed, input, hash, contract.Dataset, ReceiptStatus.Committed, read, written, rejected.Count, 0,
            version, quarantinePath, rejected.Count > 0 ? $"{rejected.Count} record(s) quarantined, e.g. line {rejected[0].Line}: {rejected[0].Reason}" : null,
            null, IngestReceipt.ThisWorker, started, DateTimeOffset.UtcNow);
        await receipts.WriteAsync(receipt, cancellationToken).ConfigureAwait(false);
        return (receipt, rejected.Count);
    }

    private static async Task<CommitResult> CommitAsync(FeedContract contract, WriteBatch batch, string receiptId, string hash, int chunk, CancellationToken cancellationToken)
    {
        var options = new CommitOptions
        {
            // One transaction id per file content and chunk: a retry after a crash between commit and receipt is skipped.
            AppId = $"onemap-feed/{contract.Feed}/{hash}",
            AppVersion = chunk,
            Lineage = new CommitLineage(contract.Feed, [receiptId]),
        };
        try
        {
            return contract.Mode == FeedMode.Upsert
                ? await batch.MergeAsync(new MergeOptions { KeyColumns = contract.Key }, options, cancellationToken).ConfigureAwait(false)
                : await batch.AppendAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (LakehouseException e)
        {
            throw new IngestCommitException(contract.Dataset, e.Message, e);
        }
    }

    private static RecordReader OpenReader(FeedContract contract, string input, Func<Stream> open, PersonalData? personalData)
    {
        var stream = open();
        try
        {
            return RecordReader.Open(contract.Format, stream, input);
        }
        catch (DecoderFallbackException e)
        {
            stream.Dispose();
            var problem = $"is not valid {contract.Format.Encoding.WebName} (in its first lines)";
            throw new FileRefusedException(input, (EncodingHint(contract, input, open, personalData) is { } hint ? $"{problem}; {hint}" : problem) + "; say the file's real encoding in format.encoding", e);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private RowMapper CreateMapper(FeedContract contract, RecordReader reader, string input, Func<Stream> open)
    {
        try
        {
            return new RowMapper(contract, reader, personalData);
        }
        catch (FileRefusedException refused) when (contract.Format.Kind == FeedFormatKind.Csv && EncodingHint(contract, input, open, personalData) is { } hint)
        {
            // Mojibake headers are the usual sign of a wrong encoding.
            throw new FileRefusedException(input, $"{refused.Problem}; {hint}", refused);
        }
    }

    /// <summary>Names another encoding in which the file's header fits the contract, if there is one.</summary>
    private static string? EncodingHint(FeedContract contract, string input, Func<Stream> open, PersonalData? personalData)
    {
        if (contract.Format.Kind != FeedFormatKind.Csv)
        {
            return null;
        }
        foreach (var alternative in new[] { "utf-8", "gb18030" })
        {
            var encoding = alternative == "utf-8"
                ? (Encoding)new UTF8Encoding(false, true)
                : Encoding.GetEncoding(54936, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
            if (encoding.CodePage == contract.Format.Encoding.CodePage)
            {
                continue;
            }
            try
            {
                using var retry = RecordReader.Open(contract.Format with { Encoding = encoding }, open(), input);
                _ = new RowMapper(contract, retry, personalData);
                return $"the file looks like {alternative} (its header fits the contract when read so) but the contract says {contract.Format.Encoding.WebName}";
            }
            catch (Exception e) when (e is FileRefusedException or DecoderFallbackException)
            {
                // Not this encoding either.
            }
        }
        return null;
    }

    private static async Task<string> HashAsync(Func<Stream> open, CancellationToken cancellationToken)
    {
        await using var stream = open();
        var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(hash);
    }
}
