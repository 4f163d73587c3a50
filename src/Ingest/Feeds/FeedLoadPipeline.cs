using System.Runtime.ExceptionServices;
using System.Text;
using System.Threading.Channels;
using OneMap.Ingest.Feeds.Formats;
using OneMap.Ingest.Feeds.Mapping;
using OneMap.Lakehouse.Tables;

namespace OneMap.Ingest.Feeds;

/// <summary>
/// Moves the records of one file into a write batch on every core. The reader (the calling task) fills windows of
/// records; mappers turn whole windows into rows in parallel (CSV records are copied by the reader and mapped there;
/// other formats are mapped as they are read and only their coordinates are converted there, conversion from
/// GCJ-02/BD-09 being the costliest step of a row); one appender takes the windows in file order, appends the good
/// rows, reports rejected records in line order and commits every <see cref="ChunkRows"/> rows. Reading, mapping and
/// appending overlap, so no core waits for another stage to finish a window.
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
        var mappers = work == WindowWork.None ? 0 : Math.Max(1, Environment.ProcessorCount);
        var poolSize = 2 * Math.Max(mappers, 1) + 2;
        var pool = Channel.CreateBounded<RecordWindow>(poolSize);
        for (var i = 0; i < poolSize; i++)
        {
            pool.Writer.TryWrite(new RecordWindow(WindowRows, mapper.Layout.Columns.Count, csv is not null));
        }
        var toMap = Channel.CreateUnbounded<RecordWindow>(new UnboundedChannelOptions { SingleWriter = true });
        var toAppend = Channel.CreateUnbounded<RecordWindow>(new UnboundedChannelOptions { SingleWriter = true, SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var mapping = Enumerable.Range(0, mappers).Select(_ => Task.Run(() => MapWindowsAsync(toMap.Reader, stop.Token), CancellationToken.None)).ToArray();
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
        if (work == WindowWork.None || window.Count == 0)
        {
            window.MarkMapped();
        }
        else
        {
            await toMap.WriteAsync(window, cancellationToken).ConfigureAwait(false);
        }
        await toAppend.WriteAsync(window, cancellationToken).ConfigureAwait(false);
    }

    private async Task MapWindowsAsync(ChannelReader<RecordWindow> windows, CancellationToken cancellationToken)
    {
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
                if (mapper.CanDeferGeometry)
                {
                    mapper.CompletePoints(window.Points.AsSpan(0, count), window.Values.AsSpan(0, count), window.Errors.AsSpan(0, count));
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
        var row = new object?[order.Length];
        var appender = batch.Appender;
        await foreach (var window in windows.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await window.Mapped.WaitAsync(cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < window.Count; k++)
            {
                if (window.Errors[k] is { } error)
                {
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
                    continue;
                }
                var values = window.Values[k];
                for (var i = 0; i < order.Length; i++)
                {
                    row[i] = values[order[i]];
                }
                appender.AppendRow(row);
                RowsPending++;
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
