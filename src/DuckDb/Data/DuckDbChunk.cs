using OneMap.DuckDb.Native;
using OneMap.DuckDb.Types;

namespace OneMap.DuckDb.Data;

/// <summary>
/// A data chunk: up to 2048 rows of every column, in DuckDB's columnar memory. Query results arrive as chunks
/// (<see cref="DuckDbDataReader.ReadChunk"/>), function callbacks receive them, table functions fill them.
/// Column spans and validity masks give vectorised access without copying; a chunk is valid until the reader
/// fetches the next one (or the callback returns).
/// </summary>
public sealed class DuckDbChunk
{
    private readonly ColumnReader[] _readers;
    private readonly IntPtr[] _vectors;
    private ColumnWriter?[]? _writers;
    private int _version;
    private int[]? _writerVersions;

    internal DuckDbChunk(IReadOnlyList<DuckDbType> types, IReadOnlyList<string>? names = null)
    {
        Types = types;
        Names = names;
        _vectors = new IntPtr[types.Count];
        _readers = new ColumnReader[types.Count];
        for (var i = 0; i < types.Count; i++)
        {
            _readers[i] = ColumnReader.Create(types[i], names?[i] ?? $"#{i}");
        }
    }

    internal IntPtr Handle { get; private set; }

    /// <summary>Rows in the chunk (for a chunk being filled: the rows it can take).</summary>
    public int RowCount { get; private set; }

    public int ColumnCount => Types.Count;

    public IReadOnlyList<DuckDbType> Types { get; }

    /// <summary>Column names, when the chunk is a query result's.</summary>
    public IReadOnlyList<string>? Names { get; }

    /// <summary>Points the view at a (new) native chunk and re-binds the column readers to its vectors.</summary>
    internal void Attach(IntPtr handle, int rowCount, bool bindReaders = true)
    {
        Handle = handle;
        RowCount = rowCount;
        _version++;
        for (var i = 0; i < _vectors.Length; i++)
        {
            _vectors[i] = NativeMethods.DataChunkGetVector(handle, (ulong)i);
            if (bindReaders)
            {
                _readers[i].Bind(_vectors[i]);
            }
        }
    }

    internal ColumnReader Reader(int column) => _readers[column];

    /// <summary>The vector of a column.</summary>
    public DuckDbVector this[int column] => new(_vectors[CheckColumn(column)], Types[column], RowCount);

    /// <summary>A column's values as a span of <typeparamref name="T"/> (see <see cref="DuckDbVector.GetData{T}"/>).</summary>
    public ReadOnlySpan<T> GetColumn<T>(int column) where T : unmanaged => this[column].GetData<T>();

    public DuckDbValidity GetValidity(int column) => this[column].Validity;

    public bool IsNull(int column, int row) => !_readers[CheckColumn(column)].IsValid(CheckRow(row));

    public T GetValue<T>(int column, int row) => _readers[CheckColumn(column)].Get<T>(CheckRow(row));

    public object? GetValue(int column, int row) => _readers[CheckColumn(column)].GetValueOrNull(CheckRow(row));

    public string GetString(int column, int row) => _readers[CheckColumn(column)].GetString(CheckRow(row));

    /// <summary>The bytes of a VARCHAR, BLOB or GEOMETRY (WKB) cell, without copying.</summary>
    public ReadOnlySpan<byte> GetBytes(int column, int row) => _readers[CheckColumn(column)].GetBytes(CheckRow(row));

    /// <summary>Writes a cell of a chunk being filled (table function output), converting to the column's type.</summary>
    public void SetValue<T>(int column, int row, T value) => Writer(CheckColumn(column)).Write(CheckRow(row), value);

    public void SetNull(int column, int row) => Writer(CheckColumn(column)).SetNull(CheckRow(row));

    private ColumnWriter Writer(int column)
    {
        _writers ??= new ColumnWriter?[Types.Count];
        _writerVersions ??= new int[Types.Count];
        var writer = _writers[column] ??= ColumnWriter.Create(Types[column], Names?[column] ?? $"#{column}");
        if (_writerVersions[column] != _version)
        {
            writer.Bind(_vectors[column]);
            _writerVersions[column] = _version;
        }
        return writer;
    }

    private int CheckColumn(int column) => (uint)column < (uint)_vectors.Length
        ? column
        : throw new ArgumentOutOfRangeException(nameof(column), column, $"the chunk has {_vectors.Length} columns");

    private int CheckRow(int row) => (uint)row < (uint)RowCount
        ? row
        : throw new ArgumentOutOfRangeException(nameof(row), row, $"the chunk has {RowCount} rows");

    public override string ToString() => $"chunk of {RowCount} rows × {ColumnCount} columns";
}
