using OneMap.DuckDb.Data;
using OneMap.DuckDb.Native;

namespace OneMap.DuckDb;

/// <summary>
/// A statement parsed and planned once, run many times with different parameters. Parameters are numbered from 1
/// (<c>$1</c> or <c>?</c>) or named (<c>$name</c>); bound values keep their .NET type (long → BIGINT, DateTime →
/// TIMESTAMP, DateTimeOffset → TIMESTAMPTZ, Guid → UUID, decimal → DECIMAL, byte[] → BLOB …). Not thread-safe:
/// it belongs to its connection's user. Running it again closes the reader of the previous run.
/// </summary>
public sealed class DuckDbPreparedStatement : IDisposable
{
    private readonly PreparedStatementHandle _handle;
    private IReadOnlyList<string>? _parameterNames;

    internal DuckDbPreparedStatement(DuckDbConnection connection, PreparedStatementHandle handle, string sql)
    {
        Connection = connection;
        _handle = handle;
        Sql = sql;
        ParameterCount = (int)NativeMethods.ParameterCount(handle.DangerousGetHandle());
    }

    public DuckDbConnection Connection { get; }

    public string Sql { get; }

    /// <summary>Number of distinct parameters the statement takes.</summary>
    public int ParameterCount { get; }

    /// <summary>The parameters' names in index order (<c>1</c>, <c>2</c>… for positional ones).</summary>
    public IReadOnlyList<string> ParameterNames => _parameterNames ??= Enumerable.Range(1, ParameterCount)
        .Select(i => Utf8.FromOwnedPointer(NativeMethods.ParameterName(Handle, (ulong)i)) ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .ToArray();

    internal IntPtr Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle.DangerousGetHandle();
        }
    }

    /// <summary>Binds the parameter at <paramref name="index"/> (from 1) with DuckDB's type for <typeparamref name="T"/>; null binds NULL.</summary>
    public DuckDbPreparedStatement Bind<T>(int index, T value)
    {
        CheckIndex(index);
        ParameterBinder.Bind(Handle, (ulong)index, value, Sql);
        return this;
    }

    /// <summary>Binds the parameter called <paramref name="name"/> (<c>$name</c> or <c>name</c>).</summary>
    public DuckDbPreparedStatement Bind<T>(string name, T value)
    {
        ParameterBinder.Bind(Handle, ParameterBinder.ResolveName(Handle, name, Sql), value, Sql);
        return this;
    }

    public DuckDbPreparedStatement BindNull(int index) => Bind<object?>(index, null);

    public DuckDbPreparedStatement BindNull(string name) => Bind<object?>(name, null);

    /// <summary>Binds values by position ($1, $2, …), or by name for <see cref="DuckDbParameter"/> values.</summary>
    public DuckDbPreparedStatement BindAll(params object?[] values)
    {
        ParameterBinder.BindAll(Handle, values, Sql);
        return this;
    }

    /// <summary>Forgets every bound value.</summary>
    public void ClearBindings()
    {
        if (NativeMethods.ClearBindings(Handle) != DuckDbState.Success)
        {
            throw new DuckDbException("DuckDB could not clear the bindings", DuckDbErrorType.Invalid, Sql);
        }
    }

    /// <summary>Runs the statement; returns the rows it inserted, updated or deleted (0 for other statements).</summary>
    public long ExecuteNonQuery(CancellationToken cancellationToken = default) =>
        StatementRunner.RunNonQuery(Handle, Connection, Sql, cancellationToken);

    /// <summary>Runs the statement and streams its result.</summary>
    public DuckDbDataReader ExecuteReader(CancellationToken cancellationToken = default) =>
        DuckDbDataReader.Open(Connection, ownedStatement: null, Handle, Sql, cancellationToken);

    /// <summary>The first column of the first row (see <see cref="DuckDbConnection.ExecuteScalar{T}"/> for NULL and no rows).</summary>
    public T? ExecuteScalar<T>(CancellationToken cancellationToken = default)
    {
        using var reader = ExecuteReader(cancellationToken);
        return reader.ReadScalar<T>();
    }

    public Task<long> ExecuteNonQueryAsync(CancellationToken cancellationToken = default) =>
        Task.Run(() => ExecuteNonQuery(cancellationToken), cancellationToken);

    public Task<DuckDbDataReader> ExecuteReaderAsync(CancellationToken cancellationToken = default) =>
        Task.Run(() => ExecuteReader(cancellationToken), cancellationToken);

    public Task<T?> ExecuteScalarAsync<T>(CancellationToken cancellationToken = default) =>
        Task.Run(() => ExecuteScalar<T>(cancellationToken), cancellationToken);

    private void CheckIndex(int index)
    {
        if (index < 1 || index > ParameterCount)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"parameters are numbered from 1 to {ParameterCount} in: {Sql}");
        }
    }

    public void Dispose() => _handle.Dispose();

    public override string ToString() => Sql;
}
