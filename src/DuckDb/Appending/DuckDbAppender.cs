using OneMap.DuckDb.Data;
using OneMap.DuckDb.Native;
using OneMap.DuckDb.Types;

namespace OneMap.DuckDb.Appending;

/// <summary>
/// Bulk-inserts rows into a table, bypassing SQL. Values are written straight into a 2048-row data chunk in
/// DuckDB's columnar layout (one pointer store per value, no call into DuckDB) and the chunk is handed to
/// <c>duckdb_append_data_chunk</c> when full; <see cref="AppendColumns"/> copies whole columns at once.
/// Append each value of a row in column order, then <see cref="EndRow"/>. Values are converted to the column's type
/// (a long into an INTEGER column is range-checked, a DateTime into TIMESTAMP keeps its wall-clock value, a
/// DateTimeOffset into TIMESTAMPTZ keeps its instant); a value that does not fit throws, naming the column.
/// Rows become visible at <see cref="Flush"/> or <see cref="Dispose"/> (which flushes and may throw).
/// </summary>
public sealed class DuckDbAppender : IDisposable
{
    private readonly AppenderHandle _handle;
    private readonly DataChunkHandle _chunk;
    private readonly ColumnWriter[] _writers;
    private readonly IntPtr[] _vectors;
    private readonly int _capacity;
    private int _row;
    private int _column;
    private bool _closed;

    private DuckDbAppender(DuckDbConnection connection, AppenderHandle handle, string table, IReadOnlyList<DuckDbType> types, IReadOnlyList<string> names)
    {
        Connection = connection;
        _handle = handle;
        Table = table;
        ColumnTypes = types;
        _capacity = (int)NativeMethods.VectorSize();
        _chunk = CreateChunk(types);
        _vectors = new IntPtr[types.Count];
        _writers = new ColumnWriter[types.Count];
        for (var i = 0; i < types.Count; i++)
        {
            _writers[i] = ColumnWriter.Create(types[i], $"{table}.{names[i]}");
        }
        BindChunk();
    }

    public DuckDbConnection Connection { get; }

    public string Table { get; }

    /// <summary>The table's column types, in the order values are appended.</summary>
    public IReadOnlyList<DuckDbType> ColumnTypes { get; }

    /// <summary>Rows appended so far (including those not yet flushed).</summary>
    public long RowsAppended { get; private set; }

    internal static DuckDbAppender Create(DuckDbConnection connection, string table, string? schema, string? catalog)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        var handle = new AppenderHandle();
        try
        {
            var state = NativeMethods.AppenderCreateExt(connection.Handle, catalog, schema, table, out var raw);
            handle.Adopt(raw);
            var where = schema is null ? table : $"{schema}.{table}";
            if (state != DuckDbState.Success)
            {
                throw ErrorOf(raw, $"could not create an appender for {where}");
            }
            var count = (int)NativeMethods.AppenderColumnCount(raw);
            var types = new DuckDbType[count];
            for (var i = 0; i < count; i++)
            {
                types[i] = DuckDbType.FromOwnedNative(NativeMethods.AppenderColumnType(raw, (ulong)i));
            }
            var names = ColumnNames(connection, table, schema, count);
            return new DuckDbAppender(connection, handle, where, types, names);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Column names for error messages; positions when the catalog cannot tell.</summary>
    private static IReadOnlyList<string> ColumnNames(DuckDbConnection connection, string table, string? schema, int count)
    {
        try
        {
            using var reader = connection.Query(
                "SELECT column_name FROM duckdb_columns() WHERE lower(table_name) = lower($1) AND lower(schema_name) = lower(coalesce($2, current_schema())) ORDER BY column_index",
                table, schema);
            var names = new List<string>(count);
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
            if (names.Count == count)
            {
                return names;
            }
        }
        catch (DuckDbException)
        {
            // Names only improve messages; positions will do.
        }
        return Enumerable.Range(0, count).Select(i => $"#{i}").ToArray();
    }

    internal static unsafe DataChunkHandle CreateChunk(IReadOnlyList<DuckDbType> types)
    {
        var native = new IntPtr[types.Count];
        try
        {
            for (var i = 0; i < native.Length; i++)
            {
                native[i] = types[i].CreateNative();
            }
            var chunk = new DataChunkHandle();
            fixed (IntPtr* pointer = native)
            {
                chunk.Adopt(NativeMethods.CreateDataChunk(pointer, (ulong)native.Length));
            }
            return chunk;
        }
        finally
        {
            for (var i = 0; i < native.Length; i++)
            {
                if (native[i] != IntPtr.Zero)
                {
                    NativeMethods.DestroyLogicalType(ref native[i]);
                }
            }
        }
    }

    /// <summary>After a reset DuckDB may hand out new buffers, so every writer is re-pointed.</summary>
    private void BindChunk()
    {
        var chunk = _chunk.DangerousGetHandle();
        for (var i = 0; i < _writers.Length; i++)
        {
            _vectors[i] = NativeMethods.DataChunkGetVector(chunk, (ulong)i);
            _writers[i].Bind(_vectors[i]);
        }
    }

    /// <summary>The writer of the next column; the cursor moves on only once the value is written, so a
    /// refused value can be replaced by another.</summary>
    private ColumnWriter Current()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_column >= _writers.Length)
        {
            throw new InvalidOperationException($"the row already has a value for each of {Table}'s {_writers.Length} columns; call EndRow()");
        }
        return _writers[_column];
    }

    /// <summary>Discards the values appended to the current row so far.</summary>
    public void ClearRow() => _column = 0;

    public DuckDbAppender Append(bool value)
    {
        Current().WriteBoolean(_row, value);
        _column++;
        return this;
    }

    public DuckDbAppender Append(sbyte value)
    {
        Current().WriteInt64(_row, value);
        _column++;
        return this;
    }

    public DuckDbAppender Append(short value)
    {
        Current().WriteInt64(_row, value);
        _column++;
        return this;
    }

    public DuckDbAppender Append(int value)
    {
        Current().WriteInt64(_row, value);
        _column++;
        return this;
    }

    public DuckDbAppender Append(long value)
    {
        Current().WriteInt64(_row, value);
        _column++;
        return this;
    }

    public DuckDbAppender Append(byte value)
    {
        Current().WriteUInt64(_row, value);
        _column++;
        return this;
    }

    public DuckDbAppender Append(ushort value)
    {
        Current().WriteUInt64(_row, value);
        _column++;
        return this;
    }

    public DuckDbAppender Append(uint value)
    {
        Current().WriteUInt64(_row, value);
        _column++;
        return this;
    }

    public DuckDbAppender Append(ulong value)
    {
        Current().WriteUInt64(_row, value);
        _column++;
        return this;
    }

    public DuckDbAppender Append(Int128 value)
    {
        Current().WriteInt128(_row, value);
        _column++;
        return this;
    }

    public DuckDbAppender Append(UInt128 value)
    {
        Current().WriteUInt128(_row, value);
        _column++;
        return this;
    }

    public DuckDbAppender Append(float value)
    {
        Current().WriteDouble(_row, value);
        _column++;
        return this;
    }

    public DuckDbAppender Append(double value)
    {
        Current().WriteDouble(_row, value);
        _column++;
        return this;
    }

    public DuckDbAppender Append(decimal value)
    {
        Current().WriteDecimal(_row, value);
        _column++;
        return this;
    }

    /// <summary>Appends text (VARCHAR, ENUM); null appends NULL.</summary>
    public DuckDbAppender Append(string? value)
    {
        var writer = Current();
        if (value is null)
        {
            writer.SetNull(_row);
        }
        else
        {
            writer.WriteString(_row, value);
        }
        _column++;
        return this;
    }

    /// <summary>Appends bytes (BLOB, or WKB into GEOMETRY); null appends NULL.</summary>
    public DuckDbAppender Append(byte[]? value)
    {
        var writer = Current();
        if (value is null)
        {
            writer.SetNull(_row);
        }
        else
        {
            writer.WriteBytes(_row, value);
        }
        _column++;
        return this;
    }

    public DuckDbAppender Append(ReadOnlySpan<byte> value)
    {
        Current().WriteBytes(_row, value);
        _column++;
        return this;
    }

    public DuckDbAppender Append(DateOnly value)
    {
        Current().WriteDate(_row, value);
        _column++;
        return this;
    }

    public DuckDbAppender Append(DateTime value)
    {
        Current().WriteDateTime(_row, value);
        _column++;
        return this;
    }

    public DuckDbAppender Append(DateTimeOffset value)
    {
        Current().WriteDateTimeOffset(_row, value);
        _column++;
        return this;
    }

    public DuckDbAppender Append(TimeOnly value)
    {
        Current().WriteTime(_row, value);
        _column++;
        return this;
    }

    /// <summary>Appends an INTERVAL (or a TIME, when the column is one).</summary>
    public DuckDbAppender Append(TimeSpan value)
    {
        Current().WriteTimeSpan(_row, value);
        _column++;
        return this;
    }

    public DuckDbAppender Append(Guid value)
    {
        Current().WriteGuid(_row, value);
        _column++;
        return this;
    }

    public DuckDbAppender Append(DuckDbInterval value)
    {
        Current().WriteInterval(_row, value);
        _column++;
        return this;
    }

    /// <summary>Appends a value whose type is known at run time, including lists and dictionaries (STRUCT, MAP).</summary>
    public DuckDbAppender AppendValue(object? value)
    {
        Current().WriteObject(_row, value);
        _column++;
        return this;
    }

    public DuckDbAppender AppendNull()
    {
        Current().SetNull(_row);
        _column++;
        return this;
    }

    /// <summary>Appends the column's DEFAULT.</summary>
    public DuckDbAppender AppendDefault()
    {
        Current();
        if (NativeMethods.AppendDefaultToChunk(_handle.DangerousGetHandle(), _chunk.DangerousGetHandle(), (ulong)_column, (ulong)_row) != DuckDbState.Success)
        {
            throw ErrorOf(_handle.DangerousGetHandle(), $"could not append the default of column {_column} of {Table}");
        }
        _column++;
        return this;
    }

    /// <summary>Ends the current row; every column must have had a value.</summary>
    public void EndRow()
    {
        if (_column != _writers.Length)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            throw new InvalidOperationException($"the row has {_column} value(s) but {Table} has {_writers.Length} columns");
        }
        _column = 0;
        _row++;
        RowsAppended++;
        if (_row == _capacity)
        {
            AppendChunk();
        }
    }

    /// <summary>Appends one whole row.</summary>
    public void AppendRow(params object?[] values)
    {
        if (values.Length != _writers.Length)
        {
            throw new ArgumentException($"{Table} has {_writers.Length} columns but the row has {values.Length} values", nameof(values));
        }
        foreach (var value in values)
        {
            AppendValue(value);
        }
        EndRow();
    }

    /// <summary>
    /// Appends whole columns at once (one array or memory per table column, all of the same length): values of the
    /// column's own width are block-copied into DuckDB's vectors, others converted value by value.
    /// </summary>
    public void AppendColumns(params ReadOnlySpan<DuckDbColumnData> columns)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (columns.Length != _writers.Length)
        {
            throw new ArgumentException($"{Table} has {_writers.Length} columns but {columns.Length} were given", nameof(columns));
        }
        if (_column != 0)
        {
            throw new InvalidOperationException("a row is in progress; end it before appending whole columns");
        }
        var length = columns[0].Length;
        for (var i = 1; i < columns.Length; i++)
        {
            if (columns[i].Length != length)
            {
                throw new ArgumentException($"column {i} has {columns[i].Length} values but column 0 has {length}", nameof(columns));
            }
        }
        if (_row > 0)
        {
            AppendChunk();
        }
        for (var offset = 0; offset < length; offset += _capacity)
        {
            var count = Math.Min(_capacity, length - offset);
            for (var i = 0; i < columns.Length; i++)
            {
                columns[i].CopyTo(_writers[i], _vectors[i], offset, count);
            }
            _row = count;
            RowsAppended += count;
            AppendChunk();
        }
    }

    /// <summary>
    /// Appends a chunk built elsewhere (see <see cref="DuckDbChunkBuilder"/>), after the rows appended so far. The
    /// builder's column types must be this table's; the builder can be reset and reused once this returns.
    /// </summary>
    public void AppendChunk(DuckDbChunkBuilder chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_column != 0)
        {
            throw new InvalidOperationException("a row is in progress; end it before appending a chunk");
        }
        if (chunk.ColumnTypes.Count != ColumnTypes.Count || !chunk.ColumnTypes.Zip(ColumnTypes).All(pair => pair.First.Equals(pair.Second)))
        {
            throw new ArgumentException($"the chunk's columns ({string.Join(", ", chunk.ColumnTypes)}) are not {Table}'s ({string.Join(", ", ColumnTypes)})", nameof(chunk));
        }
        if (chunk.Count == 0)
        {
            return;
        }
        AppendChunk();
        if (NativeMethods.AppendDataChunk(_handle.DangerousGetHandle(), chunk.Seal()) != DuckDbState.Success)
        {
            throw ErrorOf(_handle.DangerousGetHandle(), $"DuckDB refused a chunk of {chunk.Count} rows appended to {Table}");
        }
        RowsAppended += chunk.Count;
    }

    /// <summary>Hands the filled part of the chunk to DuckDB and starts an empty one.</summary>
    private void AppendChunk()
    {
        if (_row == 0)
        {
            return;
        }
        var chunk = _chunk.DangerousGetHandle();
        NativeMethods.DataChunkSetSize(chunk, (ulong)_row);
        var state = NativeMethods.AppendDataChunk(_handle.DangerousGetHandle(), chunk);
        NativeMethods.DataChunkReset(chunk);
        _row = 0;
        BindChunk();
        if (state != DuckDbState.Success)
        {
            throw ErrorOf(_handle.DangerousGetHandle(), $"DuckDB refused rows appended to {Table}");
        }
    }

    /// <summary>Writes every complete row appended so far into the table.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_column != 0)
        {
            throw new InvalidOperationException($"the current row has only {_column} of {_writers.Length} values; end it before flushing");
        }
        AppendChunk();
        if (NativeMethods.AppenderFlush(_handle.DangerousGetHandle()) != DuckDbState.Success)
        {
            throw ErrorOf(_handle.DangerousGetHandle(), $"could not flush the rows appended to {Table}");
        }
    }

    /// <summary>
    /// Writes every ended row and closes the appender. A row never ended (<see cref="EndRow"/> is a row's commit
    /// point) is not written; throwing for it here would hide the exception that interrupted it.
    /// </summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }
        try
        {
            _column = 0;
            AppendChunk();
            if (NativeMethods.AppenderClose(_handle.DangerousGetHandle()) != DuckDbState.Success)
            {
                throw ErrorOf(_handle.DangerousGetHandle(), $"could not write the rows appended to {Table}");
            }
        }
        finally
        {
            _closed = true;
            _chunk.Dispose();
            _handle.Dispose();
        }
    }

    /// <summary>Same as <see cref="Close"/>: flushes, and throws if DuckDB refuses the rows (so they are never lost silently).</summary>
    public void Dispose() => Close();

    private static DuckDbException ErrorOf(IntPtr appender, string context)
    {
        var error = NativeMethods.AppenderErrorData(appender);
        try
        {
            var message = error == IntPtr.Zero ? null : Utf8.FromPointer(NativeMethods.ErrorDataMessage(error));
            var type = error == IntPtr.Zero ? DuckDbErrorType.Invalid : NativeMethods.ErrorDataErrorType(error);
            return DuckDbException.Create(message is null ? context : $"{context}: {message}", type, null);
        }
        finally
        {
            if (error != IntPtr.Zero)
            {
                NativeMethods.DestroyErrorData(ref error);
            }
        }
    }
}
