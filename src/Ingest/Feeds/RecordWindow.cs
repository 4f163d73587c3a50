using OneMap.DuckDb.Appending;
using OneMap.DuckDb.Types;
using OneMap.Ingest.Feeds.Formats;
using OneMap.Ingest.Feeds.Mapping;

namespace OneMap.Ingest.Feeds;

/// <summary>
/// A window of consecutive records of one file on their way from the reader to the table: their copies or mapped
/// values, lines and outcomes. Windows are reused from a small pool, so a file of any size holds a bounded number.
/// </summary>
internal sealed class RecordWindow : IDisposable
{
    private readonly List<DuckDbChunkBuilder> chunks = [];

    public RecordWindow(int capacity, int columns, bool copies)
    {
        Capacity = capacity;
        Copies = copies ? Enumerable.Range(0, capacity).Select(_ => new CsvRowCopy()).ToArray() : null;
        Values = Enumerable.Range(0, capacity).Select(_ => new object?[columns]).ToArray();
        Points = new GeometryBuilder.PendingPoint[capacity];
        Lines = new long[capacity];
        Errors = new string?[capacity];
        RawRecords = new string?[capacity];
    }

    public int Capacity { get; }

    public int Count { get; set; }

    /// <summary>What the mappers still have to do with this window's records.</summary>
    public WindowWork Work { get; set; }

    /// <summary>Copies of CSV records, mapped by the mappers (the reader's buffer moves on).</summary>
    public CsvRowCopy[]? Copies { get; }

    /// <summary>Each record's values in the table layout's order.</summary>
    public object?[][] Values { get; }

    /// <summary>Parsed, not yet converted coordinates (when only the geometry is left to the mappers).</summary>
    public GeometryBuilder.PendingPoint[] Points { get; }

    public long[] Lines { get; }

    /// <summary>Null for a good record; otherwise why it is quarantined.</summary>
    public string?[] Errors { get; }

    /// <summary>The record's text, kept only for records already rejected by the reader.</summary>
    public string?[] RawRecords { get; }

    /// <summary>Completed when the mappers are done with the window (faulted if mapping failed unexpectedly).</summary>
    public Task Mapped => mapped.Task;

    private TaskCompletionSource mapped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The window's good rows in DuckDB's layout, in table column order (filled by a mapper).</summary>
    public IReadOnlyList<DuckDbChunkBuilder> Chunks => chunks;

    /// <summary>Chunks of <see cref="Chunks"/> holding rows.</summary>
    public int ChunksUsed { get; private set; }

    /// <summary>Writes a good row into the window's chunks, starting a new chunk when the current one is full.</summary>
    public void AddRow(ReadOnlySpan<object?> row, IReadOnlyList<DuckDbType> types)
    {
        if (ChunksUsed == 0 || chunks[ChunksUsed - 1].IsFull)
        {
            if (ChunksUsed == chunks.Count)
            {
                chunks.Add(new DuckDbChunkBuilder(types));
            }
            ChunksUsed++;
        }
        chunks[ChunksUsed - 1].AppendRow(row);
    }

    /// <summary>Readies the window for the next records.</summary>
    public void Reset()
    {
        Count = 0;
        Work = WindowWork.None;
        for (var i = 0; i < ChunksUsed; i++)
        {
            chunks[i].Reset();
        }
        ChunksUsed = 0;
        mapped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void MarkMapped() => mapped.TrySetResult();

    public void MarkFailed(Exception error) => mapped.TrySetException(error);

    public void Dispose()
    {
        foreach (var chunk in chunks)
        {
            chunk.Dispose();
        }
        chunks.Clear();
        ChunksUsed = 0;
    }
}

/// <summary>What is left to do with a window's records after the reader.</summary>
internal enum WindowWork
{
    /// <summary>The reader mapped them fully.</summary>
    None,

    /// <summary>CSV copies to map whole.</summary>
    MapCopies,

    /// <summary>Deferred coordinates to convert.</summary>
    CompletePoints,
}
