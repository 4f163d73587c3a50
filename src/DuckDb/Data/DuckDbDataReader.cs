using System.Collections;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

using OneMap.DuckDb.Native;
using OneMap.DuckDb.Types;

namespace OneMap.DuckDb.Data;

/// <summary>
/// Streams a query result chunk by chunk (DuckDB's streaming result + <c>duckdb_fetch_chunk</c>): only the current
/// chunk is held, whatever the result's size. Row access goes through the <see cref="DbDataReader"/> getters
/// (typed, including LIST → <see cref="List{T}"/> and STRUCT → dictionary), vectorised access through
/// <see cref="ReadChunk"/>. Dispose it before running the next statement on the same connection.
/// </summary>
public sealed unsafe class DuckDbDataReader : DbDataReader
{
    private static readonly Task<bool> True = Task.FromResult(true);
    private readonly DuckDbConnection _connection;
    private readonly PreparedStatementHandle? _ownedStatement;
    private readonly ResultHandle _result;
    private readonly string[] _names;
    private readonly DuckDbType[] _types;
    private readonly DuckDbChunk _chunk;
    private readonly CancellationToken _cancellationToken;
    private CancellationTokenRegistration _registration;
    private Dictionary<string, int>? _ordinals;
    private IntPtr _chunkHandle;
    private int _row = -1;
    private bool _exhausted;
    private bool _hadRows;
    private bool _closed;

    private DuckDbDataReader(DuckDbConnection connection, PreparedStatementHandle? ownedStatement, ResultHandle result, string sql, CancellationToken cancellationToken)
    {
        _connection = connection;
        _ownedStatement = ownedStatement;
        _result = result;
        Sql = sql;
        _cancellationToken = cancellationToken;
        var count = (int)NativeMethods.ColumnCount(result.Pointer);
        _names = new string[count];
        _types = new DuckDbType[count];
        for (var i = 0; i < count; i++)
        {
            _names[i] = Utf8.FromPointer(NativeMethods.ColumnName(result.Pointer, (ulong)i)) ?? $"#{i}";
            _types[i] = DuckDbType.FromOwnedNative(NativeMethods.ColumnLogicalType(result.Pointer, (ulong)i));
        }
        _chunk = new DuckDbChunk(_types, _names);
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.Register(static c => ((DuckDbConnection)c!).Interrupt(), connection);
        }
    }

    internal static DuckDbDataReader Open(DuckDbConnection connection, PreparedStatementHandle? ownedStatement, IntPtr statement, string sql, CancellationToken cancellationToken)
    {
        var result = StatementRunner.Run(statement, streaming: true, connection, sql, cancellationToken);
        try
        {
            return new DuckDbDataReader(connection, ownedStatement, result, sql, cancellationToken);
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>The SQL whose result this is.</summary>
    public string Sql { get; }

    /// <summary>DuckDB's types of the columns.</summary>
    public IReadOnlyList<DuckDbType> ColumnTypes => _types;

    public override int FieldCount => _types.Length;

    public override int Depth => 0;

    public override bool IsClosed => _closed;

    public override int RecordsAffected => -1;

    public override bool HasRows
    {
        get
        {
            if (!_hadRows && !_exhausted && FetchNextChunk())
            {
                _row = -1;
            }
            return _hadRows;
        }
    }

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    public override bool Read()
    {
        if (_chunkHandle != IntPtr.Zero && _row + 1 < _chunk.RowCount)
        {
            _row++;
            return true;
        }
        return FetchNextChunk();
    }

    /// <summary>
    /// Reads the remaining rows, each as an array of its values (null for NULL, not <see cref="DBNull"/>): the common
    /// case of a small result wanted whole. Large results are better consumed chunk by chunk.
    /// </summary>
    public List<object?[]> ReadAllRows()
    {
        var rows = new List<object?[]>();
        while (Read())
        {
            var row = new object?[FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = Column(i).GetValueOrNull(_row);
            }
            rows.Add(row);
        }
        return rows;
    }

    public override Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (_chunkHandle != IntPtr.Zero && _row + 1 < _chunk.RowCount)
        {
            _row++;
            return True;
        }
        return Task.Run(() =>
        {
            using var registration = cancellationToken.CanBeCanceled
                ? cancellationToken.Register(static c => ((DuckDbConnection)c!).Interrupt(), _connection)
                : default;
            try
            {
                return FetchNextChunk();
            }
            catch (DuckDbException e) when (e.ErrorType == DuckDbErrorType.Interrupt && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("reading the result was cancelled", e, cancellationToken);
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Moves to the next whole chunk and returns it (null at the end): for vectorised reads through column spans.
    /// Rows of the current chunk not yet read with <see cref="Read"/> are skipped. After it, <see cref="Read"/>
    /// continues with the chunk after.
    /// </summary>
    public DuckDbChunk? ReadChunk()
    {
        var prefetched = _chunkHandle != IntPtr.Zero && _row < 0;
        if (!prefetched && !FetchNextChunk())
        {
            return null;
        }
        _row = _chunk.RowCount - 1;
        return _chunk;
    }

    /// <summary>The chunk holding the current row (valid until the reader moves past it).</summary>
    public DuckDbChunk? CurrentChunk => _chunkHandle == IntPtr.Zero ? null : _chunk;

    /// <summary>The current row's index within <see cref="CurrentChunk"/>.</summary>
    public int RowInChunk => _row;

    private bool FetchNextChunk()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        ReleaseChunk();
        while (!_exhausted)
        {
            var chunk = NativeMethods.FetchChunk(*_result.Pointer);
            if (chunk == IntPtr.Zero)
            {
                _exhausted = true;
                if (NativeMethods.ResultError(_result.Pointer) != IntPtr.Zero)
                {
                    throw StatementRunner.Translate(StatementRunner.ErrorOf(_result, Sql), _cancellationToken);
                }
                break;
            }
            var rows = (int)NativeMethods.DataChunkGetSize(chunk);
            if (rows == 0)
            {
                NativeMethods.DestroyDataChunk(ref chunk);
                continue;
            }
            _chunkHandle = chunk;
            _chunk.Attach(chunk, rows);
            _row = 0;
            _hadRows = true;
            return true;
        }
        _chunk.Attach(IntPtr.Zero, 0, bindReaders: false);
        return false;
    }

    private void ReleaseChunk()
    {
        if (_chunkHandle != IntPtr.Zero)
        {
            NativeMethods.DestroyDataChunk(ref _chunkHandle);
            _chunkHandle = IntPtr.Zero;
        }
    }

    private ColumnReader Column(int ordinal)
    {
        if (_chunkHandle == IntPtr.Zero || _row < 0)
        {
            throw new InvalidOperationException("no current row: call Read() first (and check that it returned true)");
        }
        if ((uint)ordinal >= (uint)_types.Length)
        {
            throw new IndexOutOfRangeException($"column {ordinal} does not exist; the result has {_types.Length} columns");
        }
        return _chunk.Reader(ordinal);
    }

    public override bool IsDBNull(int ordinal) => !Column(ordinal).IsValid(_row);

    public override object GetValue(int ordinal) => Column(ordinal).GetValueOrNull(_row) ?? DBNull.Value;

    public override T GetFieldValue<T>(int ordinal) => Column(ordinal).Get<T>(_row);

    public override int GetValues(object[] values)
    {
        var count = Math.Min(values.Length, _types.Length);
        for (var i = 0; i < count; i++)
        {
            values[i] = GetValue(i);
        }
        return count;
    }

    public override bool GetBoolean(int ordinal) => Column(ordinal).GetBoolean(_row);

    public override byte GetByte(int ordinal) => GetFieldValue<byte>(ordinal);

    public sbyte GetSByte(int ordinal) => GetFieldValue<sbyte>(ordinal);

    public override short GetInt16(int ordinal) => GetFieldValue<short>(ordinal);

    public override int GetInt32(int ordinal) => Column(ordinal).GetInt32(_row);

    public override long GetInt64(int ordinal) => Column(ordinal).GetInt64(_row);

    public ushort GetUInt16(int ordinal) => GetFieldValue<ushort>(ordinal);

    public uint GetUInt32(int ordinal) => GetFieldValue<uint>(ordinal);

    public ulong GetUInt64(int ordinal) => GetFieldValue<ulong>(ordinal);

    public Int128 GetInt128(int ordinal) => GetFieldValue<Int128>(ordinal);

    public UInt128 GetUInt128(int ordinal) => GetFieldValue<UInt128>(ordinal);

    public override float GetFloat(int ordinal) => GetFieldValue<float>(ordinal);

    public override double GetDouble(int ordinal) => Column(ordinal).GetDouble(_row);

    public override decimal GetDecimal(int ordinal) => GetFieldValue<decimal>(ordinal);

    public override string GetString(int ordinal) => Column(ordinal).GetString(_row);

    public override char GetChar(int ordinal) => GetFieldValue<char>(ordinal);

    public override Guid GetGuid(int ordinal) => GetFieldValue<Guid>(ordinal);

    /// <summary>TIMESTAMP as written (Kind Unspecified); TIMESTAMPTZ as UTC (Kind Utc); DATE at midnight.</summary>
    public override DateTime GetDateTime(int ordinal) => Column(ordinal).GetDateTime(_row);

    public DateTimeOffset GetDateTimeOffset(int ordinal) => GetFieldValue<DateTimeOffset>(ordinal);

    public DateOnly GetDateOnly(int ordinal) => GetFieldValue<DateOnly>(ordinal);

    public TimeOnly GetTimeOnly(int ordinal) => GetFieldValue<TimeOnly>(ordinal);

    /// <summary>An INTERVAL as a TimeSpan (throws if it counts months), or a TIME as time since midnight.</summary>
    public TimeSpan GetTimeSpan(int ordinal) => GetFieldValue<TimeSpan>(ordinal);

    public DuckDbInterval GetInterval(int ordinal) => GetFieldValue<DuckDbInterval>(ordinal);

    /// <summary>A LIST or ARRAY cell as a typed list (NULL elements need a nullable <typeparamref name="T"/>).</summary>
    public List<T> GetList<T>(int ordinal) => GetFieldValue<List<T>>(ordinal);

    /// <summary>A STRUCT cell as field name → value.</summary>
    public Dictionary<string, object?> GetStruct(int ordinal) => GetFieldValue<Dictionary<string, object?>>(ordinal);

    /// <summary>The bytes of a VARCHAR, BLOB or GEOMETRY cell without copying (valid until the reader moves on).</summary>
    public ReadOnlySpan<byte> GetByteSpan(int ordinal) => Column(ordinal).GetBytes(_row);

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        var bytes = Column(ordinal).GetBytes(_row);
        if (buffer is null)
        {
            return bytes.Length;
        }
        if (dataOffset < 0 || dataOffset > bytes.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(dataOffset), dataOffset, $"the value has {bytes.Length} bytes");
        }
        var count = (int)Math.Min(length, bytes.Length - dataOffset);
        bytes.Slice((int)dataOffset, count).CopyTo(buffer.AsSpan(bufferOffset, count));
        return count;
    }

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
    {
        var text = GetString(ordinal);
        if (buffer is null)
        {
            return text.Length;
        }
        if (dataOffset < 0 || dataOffset > text.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(dataOffset), dataOffset, $"the value has {text.Length} characters");
        }
        var count = (int)Math.Min(length, text.Length - dataOffset);
        text.AsSpan((int)dataOffset, count).CopyTo(buffer.AsSpan(bufferOffset, count));
        return count;
    }

    public override string GetName(int ordinal) => _names[ordinal];

    public override int GetOrdinal(string name)
    {
        if (_ordinals is null)
        {
            _ordinals = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var i = _names.Length - 1; i >= 0; i--)
            {
                _ordinals[_names[i]] = i;
            }
        }
        return _ordinals.TryGetValue(name, out var ordinal)
            ? ordinal
            : throw new IndexOutOfRangeException($"the result has no column '{name}'; it has {string.Join(", ", _names)}");
    }

    public override string GetDataTypeName(int ordinal) => _types[ordinal].ToString();

    /// <summary>DuckDB's type of a column.</summary>
    public DuckDbType GetColumnType(int ordinal) => _types[ordinal];

    [return: DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.PublicProperties)]
    public override Type GetFieldType(int ordinal) => _chunk.Reader(ordinal).FieldType;

    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);

    /// <summary>Only the last statement of a SQL string returns rows, so there is never a next result.</summary>
    public override bool NextResult()
    {
        ReleaseChunk();
        _exhausted = true;
        return false;
    }

    /// <summary>The first column of the first row; NULL or no row gives null/default only for nullable types.</summary>
    internal T? ReadScalar<T>()
    {
        if (Read())
        {
            return GetFieldValue<T>(0);
        }
        if (default(T) is null || Nullable.GetUnderlyingType(typeof(T)) is not null)
        {
            return default;
        }
        throw new InvalidCastException($"the query returned no rows, so there is no {typeof(T).Name} to return; ask for {typeof(T).Name}? instead");
    }

    public override void Close()
    {
        if (_closed)
        {
            return;
        }
        _closed = true;
        _registration.Dispose();
        ReleaseChunk();
        if (!_exhausted)
        {
            EndUnfinishedQuery();
        }
        _result.Dispose();
        _ownedStatement?.Dispose();
    }

    /// <summary>
    /// DuckDB keeps a streaming query (and, in auto-commit mode, its transaction) open until the stream is drained
    /// or the connection starts its next statement; work done meanwhile through other API calls (registering a
    /// function, appending) would join that transaction and be rolled back with it. Small results end with one
    /// more fetch; otherwise preparing a statement makes DuckDB close the stream first, as it does before any
    /// statement. (Interrupting instead would abort an explicit transaction the caller has open.)
    /// </summary>
    private unsafe void EndUnfinishedQuery()
    {
        _exhausted = true;
        if (_connection.IsDisposed)
        {
            return;
        }
        var next = NativeMethods.FetchChunk(*_result.Pointer);
        if (next == IntPtr.Zero)
        {
            return;
        }
        NativeMethods.DestroyDataChunk(ref next);
        var sql = "SELECT 1\0"u8;
        fixed (byte* text = sql)
        {
            NativeMethods.Prepare(_connection.Handle, text, out var statement);
            NativeMethods.DestroyPrepare(ref statement);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close();
        }
        base.Dispose(disposing);
    }
}
