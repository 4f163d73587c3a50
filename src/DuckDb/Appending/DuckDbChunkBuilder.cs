using OneMap.DuckDb.Data;
using OneMap.DuckDb.Native;
using OneMap.DuckDb.Types;

namespace OneMap.DuckDb.Appending;

/// <summary>
/// One data chunk (up to DuckDB's vector size of rows, 2,048) filled row by row on any thread, then handed whole to
/// <see cref="DuckDbAppender.AppendChunk(DuckDbChunkBuilder)"/>. Lets several threads turn rows into DuckDB's columnar layout in parallel
/// while one appender, which is not thread-safe, only links finished chunks into the table in order. The column types
/// must be the table's exactly (<see cref="DuckDbAppender.ColumnTypes"/>): DuckDB casts nothing on this path.
/// </summary>
public sealed class DuckDbChunkBuilder : IDisposable
{
    private readonly DataChunkHandle _chunk;
    private readonly ColumnWriter[] _writers;
    private bool _disposed;

    public DuckDbChunkBuilder(IReadOnlyList<DuckDbType> types, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(types);
        if (types.Count == 0)
        {
            throw new ArgumentException("a chunk needs at least one column", nameof(types));
        }
        ColumnTypes = types;
        Capacity = (int)NativeMethods.VectorSize();
        _chunk = DuckDbAppender.CreateChunk(types);
        _writers = new ColumnWriter[types.Count];
        for (var i = 0; i < types.Count; i++)
        {
            _writers[i] = ColumnWriter.Create(types[i], names is not null && i < names.Count ? names[i] : $"#{i}");
        }
        Bind();
    }

    public IReadOnlyList<DuckDbType> ColumnTypes { get; }

    /// <summary>Rows the chunk holds at most (DuckDB's vector size).</summary>
    public int Capacity { get; }

    /// <summary>Rows written so far.</summary>
    public int Count { get; private set; }

    public bool IsFull => Count == Capacity;

    /// <summary>
    /// Writes one row (values in column order; null for NULL; a value is converted to the column's type as
    /// <see cref="DuckDbAppender.AppendValue"/> does). A value that does not fit throws and leaves the row unwritten.
    /// </summary>
    public void AppendRow(ReadOnlySpan<object?> values)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (values.Length != _writers.Length)
        {
            throw new ArgumentException($"the chunk has {_writers.Length} columns but the row has {values.Length} values", nameof(values));
        }
        if (IsFull)
        {
            throw new InvalidOperationException($"the chunk already holds {Capacity} rows; append it and reset it first");
        }
        for (var i = 0; i < values.Length; i++)
        {
            _writers[i].WriteObject(Count, values[i]);
        }
        Count++;
    }

    /// <summary>Empties the chunk for reuse (after it has been appended).</summary>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        NativeMethods.DataChunkReset(_chunk.DangerousGetHandle());
        Count = 0;
        // DuckDB may hand out new buffers after a reset.
        Bind();
    }

    /// <summary>The native chunk with its size set to the rows written, for the appender.</summary>
    internal IntPtr Seal()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var chunk = _chunk.DangerousGetHandle();
        NativeMethods.DataChunkSetSize(chunk, (ulong)Count);
        return chunk;
    }

    private void Bind()
    {
        var chunk = _chunk.DangerousGetHandle();
        for (var i = 0; i < _writers.Length; i++)
        {
            _writers[i].Bind(NativeMethods.DataChunkGetVector(chunk, (ulong)i));
        }
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _chunk.Dispose();
        }
    }
}
