using System.Runtime.ExceptionServices;
using System.Text;
using System.Threading.Channels;
using OneMap.DuckDb.Types;
using OneMap.Ingest.Feeds.Formats;
using OneMap.Ingest.Feeds.Mapping;
using OneMap.Lakehouse.Tables;

namespace OneMap.Ingest.Feeds;

/// <summary>
/// Moves the records of one file into a write batch on every core. The reader (the calling task) fills windows of
/// records; mappers turn whole windows into rows in parallel (CSV records are copied by the reader and mapped there;
/// other formats are mapped as they are read) — converting a window's coordinates together, GCJ-02/BD-09 being the
/// costliest step of a row — and write the good rows straight into DuckDB data chunks of the table's column types;
/// one appender takes the windows in file order, links their chunks into the staging table, reports rejected records
/// in line order and commits every <see cref="ChunkRows"/> rows. Reading, mapping and appending overlap, and the
/// appender (which is not thread-safe) does no per-value work, so no core waits for a serial stage.
/// </summary>
internal sealed class FeedLoadPipeline(RecordReader reader, RowMapper mapper, WriteBatch batch, int[] order)
{
    private const int WindowRows = 4096;

    /// <summary>Rows per commit (the appender commits a chunk as soon as it holds this many).</summary>
    public int ChunkRows { get; init; } = 2_000_000;

    /// <summary>Commits the batch's rows as chunk N (1-based) and returns the table version.</summary>
    public required Func<int, CancellationToken, Task<long>> CommitChunk { get; init; }

    /// <summary>Called on the appender, in line order, for each record rejected with its text.</summary>
    public required Action<long, string, string> Reject { get; init; }

    /// <summary>Called on the reader now and then with records read and bytes consumed.</summary>
    public Action<long, long>? Progress { get; init; }

    public long RowsRead { get; private set; }

    /// <summary>Rows appended since the last chunk commit (to be committed by the caller).</summary>
    public long RowsPending { get; private set; }

    public long RowsCommitted { get; private set; }

    public int Chunks { get; private set; }

    public long? Version { get; private set; }

    /// <summary>Records whose coordinates failed conversion after their text was gone; the caller fetches the text.</summary>
    public List<(long Line, string Error)> LateRejections { get; } = [];

    /// <summary>Reads the whole file through the stages. Throws what the reader, a mapper or a commit threw.</summary>
    public async Task RunAsync(Encoding encoding, CancellationToken cancellationToken)
    {
        var csv = reader as CsvRecordReader;
        var work = csv is not null ? WindowWork.MapCopies : mapper.CanDeferGeometry ? WindowWork.CompletePoints : WindowWork.None;
        var mappers = Math.Max(1, Environment.ProcessorCount);
        var poolSize = 2 * mappers + 2;
        var pool = Channel.CreateBounded<RecordWindow>(poolSize);
        var windows = new List<RecordWindow>(poolSize);
        for (var i = 0; i < poolSize; i++)
        {
            windows.Add(new RecordWindow(WindowRows, mapper.Layout.Columns.Count, csv is not null));
            pool.Writer.TryWrite(windows[^1]);
        }
        // Mappers write good rows straight into DuckDB chunks of the table's exact column types.
        var types = batch.Appender.ColumnTypes;
        var toMap = Channel.CreateUnbounded<RecordWindow>(new UnboundedChannelOptions { SingleWriter = true });
        var toAppend = Channel.CreateUnbounded<RecordWindow>(new UnboundedChannelOptions { SingleWriter = true, SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var mapping = Enumerable.Range(0, mappers).Select(_ => Task.Run(() => MapWindowsAsync(toMap.Reader, types, stop.Token), CancellationToken.None)).ToArray();
        var appending = Task.Run(async () =>
        {
            try
            {
                await AppendWindowsAsync(toAppend.Reader, pool.Writer, stop.Token).ConfigureAwait(false);
            }
            catch
            {
                // The reader may be waiting for a free window that will never come back.
                await stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }, CancellationToken.None);
        Exception? readError = null;
        try
        {
            await ReadAsync(csv, work, encoding, pool.Reader, toMap.Writer, toAppend.Writer, stop.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            readError = e;
            await stop.CancelAsync().ConfigureAwait(false);
        }
        toMap.Writer.TryComplete();
        toAppend.Writer.TryComplete();
        try
        {
            if (readError is null)
            {
                await appending.ConfigureAwait(false);
                return;
            }
            await appending.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            // A reader stopped by the appender's failure reports that failure, not its own cancellation.
            if (readError is OperationCanceledException && !cancellationToken.IsCancellationRequested && appending.Exception?.InnerException is { } cause)
            {
                ExceptionDispatchInfo.Throw(cause);
            }
            ExceptionDispatchInfo.Throw(readError);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(mapping).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            foreach (var window in windows)
            {
                window.Dispose();
            }
        }
    }

    private async Task ReadAsync(CsvRecordReader? csv, WindowWork work, Encoding encoding, ChannelReader<RecordWindow> pool,
        ChannelWriter<RecordWindow> toMap, ChannelWriter<RecordWindow> toAppend, CancellationToken cancellationToken)
    {
        var window = await pool.ReadAsync(cancellationToken).ConfigureAwait(false);
        window.Reset();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool more;
            try
            {
                more = reader.Read();
            }
            catch (DecoderFallbackException e)
            {
                throw new FileRefusedException(reader.Name, $"is not valid {encoding.WebName} near line {reader.Line + 1} (byte {e.Index} of a buffer); say the file's real encoding in format.encoding", e);
            }
            if (!more)
            {
                break;
            }
            RowsRead++;
            var slot = window.Count++;
            window.Lines[slot] = reader.Line;
            window.RawRecords[slot] = null;
            string? error;
            if (csv is not null)
            {
                csv.CopyCurrent(window.Copies![slot]);
                error = null;
            }
            else if (work == WindowWork.CompletePoints)
            {
                error = mapper.MapDeferred(window.Values[slot], out window.Points[slot]);
            }
            else
            {
                error = mapper.Map(window.Values[slot]);
            }
            window.Errors[slot] = error;
            if (error is not null)
            {
                window.RawRecords[slot] = reader.RawRecord();
            }
            if (window.Count == window.Capacity)
            {
                await DispatchAsync(window, work, toMap, toAppend, cancellationToken).ConfigureAwait(false);
                window = await pool.ReadAsync(cancellationToken).ConfigureAwait(false);
                window.Reset();
            }
            if ((RowsRead & 0x3FFF) == 0)
            {
                Progress?.Invoke(RowsRead, reader.BytesRead);
            }
        }
        await DispatchAsync(window, work, toMap, toAppend, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask DispatchAsync(RecordWindow window, WindowWork work, ChannelWriter<RecordWindow> toMap, ChannelWriter<RecordWindow> toAppend, CancellationToken cancellationToken)
    {
        window.Work = work;
        await toMap.WriteAsync(window, cancellationToken).ConfigureAwait(false);
        await toAppend.WriteAsync(window, cancellationToken).ConfigureAwait(false);
    }

    private async Task MapWindowsAsync(ChannelReader<RecordWindow> windows, IReadOnlyList<DuckDbType> types, CancellationToken cancellationToken)
    {
        var row = new object?[order.Length];
        await foreach (var window in windows.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var count = window.Count;
                if (window.Work == WindowWork.MapCopies)
                {
                    for (var k = 0; k < count; k++)
                    {
                        if (window.Errors[k] is null)
                        {
                            window.Errors[k] = mapper.CanDeferGeometry
                                ? mapper.MapDeferred(window.Values[k], window.Copies![k], out window.Points[k])
                                : mapper.Map(window.Values[k], window.Copies![k]);
                        }
                    }
                }
                if (window.Work != WindowWork.None && mapper.CanDeferGeometry)
                {
                    mapper.CompletePoints(window.Points.AsSpan(0, count), window.Values.AsSpan(0, count), window.Errors.AsSpan(0, count));
                }
                for (var k = 0; k < count; k++)
                {
                    if (window.Errors[k] is null)
                    {
                        var values = window.Values[k];
                        for (var i = 0; i < order.Length; i++)
                        {
                            row[i] = values[order[i]];
                        }
                        window.AddRow(row, types);
                    }
                }
                window.MarkMapped();
            }
            catch (Exception e)
            {
                // A defect, not bad input (bad input becomes an error string): the appender fails the load with it.
                window.MarkFailed(e);
            }
        }
    }

    private async Task AppendWindowsAsync(ChannelReader<RecordWindow> windows, ChannelWriter<RecordWindow> pool, CancellationToken cancellationToken)
    {
        var appender = batch.Appender;
        await foreach (var window in windows.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await window.Mapped.WaitAsync(cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < window.Count; k++)
            {
                if (window.Errors[k] is not { } error)
                {
                    continue;
                }
                if (window.RawRecords[k] is { } raw)
                {
                    Reject(window.Lines[k], raw, error);
                }
                else if (window.Work == WindowWork.MapCopies)
                {
                    Reject(window.Lines[k], window.Copies![k].RawRecord(), error);
                }
                else
                {
                    // The record's text is fetched after the pass (rare), rather than kept for every row.
                    LateRejections.Add((window.Lines[k], error));
                }
            }
            for (var c = 0; c < window.ChunksUsed; c++)
            {
                appender.AppendChunk(window.Chunks[c]);
                RowsPending += window.Chunks[c].Count;
            }
            pool.TryWrite(window);
            if (RowsPending >= ChunkRows)
            {
                await CommitPendingAsync(cancellationToken).ConfigureAwait(false);
                appender = batch.Appender;
            }
        }
    }

    /// <summary>Commits the rows appended since the last commit as the next chunk (also used for the file's last chunk).</summary>
    public async Task CommitPendingAsync(CancellationToken cancellationToken)
    {
        Chunks++;
        Version = await CommitChunk(Chunks, cancellationToken).ConfigureAwait(false);
        RowsCommitted += RowsPending;
        RowsPending = 0;
    }
}
