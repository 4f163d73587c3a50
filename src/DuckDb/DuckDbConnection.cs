using OneMap.DuckDb.Appending;
using OneMap.DuckDb.Data;
using OneMap.DuckDb.Native;

namespace OneMap.DuckDb;

/// <summary>
/// A connection to a <see cref="DuckDbDatabase"/>: runs SQL, prepares statements, streams results, appends rows.
/// One user at a time: give each concurrent thread its own connection (they are cheap) or use a pool.
/// A connection runs one statement at a time; starting another closes the reader of the previous one.
/// SQL strings may hold several statements separated by ';' (parameters bind to those that take them; the last
/// statement's result is returned). Every user value should reach SQL as a parameter.
/// </summary>
public sealed class DuckDbConnection : IDisposable
{
    private readonly ConnectionHandle _handle;

    internal DuckDbConnection(DuckDbDatabase database, ConnectionHandle handle)
    {
        Database = database;
        _handle = handle;
    }

    public DuckDbDatabase Database { get; }

    internal IntPtr Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle.DangerousGetHandle();
        }
    }

    internal bool IsDisposed => _handle.IsClosed;

    /// <summary>Runs SQL; returns the rows the (last) statement inserted, updated or deleted, 0 for other statements.</summary>
    public long Execute(string sql, params object?[] parameters) => ExecuteCore(sql, parameters, CancellationToken.None);

    /// <summary>The first column of the first row, as <typeparamref name="T"/>. NULL or no row gives null for
    /// reference and nullable types (<c>long?</c>), and throws <see cref="InvalidCastException"/> for the others.</summary>
    public T? ExecuteScalar<T>(string sql, params object?[] parameters)
    {
        using var reader = Query(sql, parameters);
        return reader.ReadScalar<T>();
    }

    /// <summary>Runs SQL and streams the (last) statement's result, chunk by chunk.</summary>
    public DuckDbDataReader Query(string sql, params object?[] parameters) => QueryCore(sql, parameters, CancellationToken.None);

    /// <summary>Prepares one statement for repeated runs.</summary>
    public DuckDbPreparedStatement Prepare(string sql)
    {
        using var statements = new StatementSplitter(this, sql);
        if (statements.Count != 1)
        {
            throw new DuckDbException($"Prepare takes exactly one statement; the SQL holds {statements.Count}", DuckDbErrorType.InvalidInput, sql);
        }
        return new DuckDbPreparedStatement(this, statements.Prepare(0), sql);
    }

    /// <summary>An appender that bulk-inserts rows into <paramref name="table"/> (in <paramref name="schema"/>, default main).</summary>
    public DuckDbAppender CreateAppender(string table, string? schema = null, string? catalog = null) =>
        DuckDbAppender.Create(this, table, schema, catalog);

    /// <summary>
    /// Asks the running query to stop (callable from any thread); it ends with a <see cref="DuckDbInterruptedException"/>,
    /// or an <see cref="OperationCanceledException"/> if a cancellation token asked for it. Does nothing if idle.
    /// </summary>
    public void Interrupt()
    {
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            NativeMethods.Interrupt(_handle.DangerousGetHandle());
        }
        catch (ObjectDisposedException)
        {
            // A disposed connection runs nothing that could be interrupted.
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    public Task<long> ExecuteAsync(string sql, CancellationToken cancellationToken = default) =>
        ExecuteAsync(sql, [], cancellationToken);

    /// <summary>Runs SQL on a pool thread; cancelling interrupts DuckDB and ends in <see cref="OperationCanceledException"/>.</summary>
    public Task<long> ExecuteAsync(string sql, IReadOnlyList<object?> parameters, CancellationToken cancellationToken = default) =>
        Task.Run(() => ExecuteCore(sql, parameters, cancellationToken), cancellationToken);

    public Task<DuckDbDataReader> QueryAsync(string sql, CancellationToken cancellationToken = default) =>
        QueryAsync(sql, [], cancellationToken);

    /// <summary>
    /// Runs SQL on a pool thread and returns the streaming reader once the first results are ready. The token stays
    /// attached to the reader: cancelling it later interrupts the fetching of further chunks.
    /// </summary>
    public Task<DuckDbDataReader> QueryAsync(string sql, IReadOnlyList<object?> parameters, CancellationToken cancellationToken = default) =>
        Task.Run(() => QueryCore(sql, parameters, cancellationToken), cancellationToken);

    public Task<T?> ExecuteScalarAsync<T>(string sql, CancellationToken cancellationToken = default) =>
        ExecuteScalarAsync<T>(sql, [], cancellationToken);

    public Task<T?> ExecuteScalarAsync<T>(string sql, IReadOnlyList<object?> parameters, CancellationToken cancellationToken = default) =>
        Task.Run(() =>
        {
            using var reader = QueryCore(sql, parameters, cancellationToken);
            return reader.ReadScalar<T>();
        }, cancellationToken);

    private long ExecuteCore(string sql, IReadOnlyList<object?> parameters, CancellationToken cancellationToken)
    {
        using var statements = new StatementSplitter(this, sql);
        long changed = 0;
        for (var i = 0; i < statements.Count; i++)
        {
            // Prepared one at a time, after the previous ran: a statement may use a table the one before created.
            using var statement = statements.Prepare(i);
            BindIfTaken(statement, parameters, sql);
            changed = StatementRunner.RunNonQuery(statement.DangerousGetHandle(), this, sql, cancellationToken);
        }
        return changed;
    }

    private DuckDbDataReader QueryCore(string sql, IReadOnlyList<object?> parameters, CancellationToken cancellationToken)
    {
        using var statements = new StatementSplitter(this, sql);
        if (statements.Count == 0)
        {
            throw new DuckDbException("the SQL holds no statement", DuckDbErrorType.InvalidInput, sql);
        }
        for (var i = 0; i < statements.Count - 1; i++)
        {
            using var statement = statements.Prepare(i);
            BindIfTaken(statement, parameters, sql);
            StatementRunner.RunNonQuery(statement.DangerousGetHandle(), this, sql, cancellationToken);
        }
        var last = statements.Prepare(statements.Count - 1);
        try
        {
            BindIfTaken(last, parameters, sql);
            return DuckDbDataReader.Open(this, last, last.DangerousGetHandle(), sql, cancellationToken);
        }
        catch
        {
            last.Dispose();
            throw;
        }
    }

    private static void BindIfTaken(PreparedStatementHandle statement, IReadOnlyList<object?> parameters, string sql)
    {
        if (parameters.Count > 0 && NativeMethods.ParameterCount(statement.DangerousGetHandle()) > 0)
        {
            ParameterBinder.BindAll(statement.DangerousGetHandle(), parameters, sql);
        }
    }

    /// <summary>The statements of a SQL string (DuckDB's prepare takes one statement at a time).</summary>
    private sealed unsafe class StatementSplitter : IDisposable
    {
        private readonly DuckDbConnection _connection;
        private readonly string _sql;
        private IntPtr _extracted;

        public StatementSplitter(DuckDbConnection connection, string sql)
        {
            ArgumentNullException.ThrowIfNull(sql);
            _connection = connection;
            _sql = sql;
            using var utf8 = new Utf8.Buffer(sql);
            fixed (byte* text = utf8)
            {
                Count = (int)NativeMethods.ExtractStatements(connection.Handle, text, out _extracted);
            }
            if (Count == 0)
            {
                var error = Utf8.FromPointer(NativeMethods.ExtractStatementsError(_extracted));
                if (error is not null)
                {
                    Dispose();
                    throw DuckDbException.Create(error, DuckDbErrorType.Invalid, sql);
                }
            }
        }

        public int Count { get; }

        public PreparedStatementHandle Prepare(int index)
        {
            var handle = new PreparedStatementHandle();
            var state = NativeMethods.PrepareExtractedStatement(_connection.Handle, _extracted, (ulong)index, out var statement);
            handle.Adopt(statement);
            if (state != DuckDbState.Success)
            {
                var error = DuckDbException.Create(Utf8.FromPointer(NativeMethods.PrepareError(statement)), DuckDbErrorType.Invalid, _sql);
                handle.Dispose();
                throw error;
            }
            return handle;
        }

        public void Dispose()
        {
            if (_extracted != IntPtr.Zero)
            {
                NativeMethods.DestroyExtracted(ref _extracted);
                _extracted = IntPtr.Zero;
            }
        }
    }

    public void Dispose() => _handle.Dispose();
}
