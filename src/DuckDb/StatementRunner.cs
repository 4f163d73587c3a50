using OneMap.DuckDb.Native;

namespace OneMap.DuckDb;

/// <summary>
/// Runs prepared statements through DuckDB's pending-result API: materialised for commands, streaming for readers
/// (so a huge result is fetched chunk by chunk, never held whole). Cancellation interrupts the connection.
/// </summary>
internal static unsafe class StatementRunner
{
    public static ResultHandle Run(IntPtr statement, bool streaming, DuckDbConnection connection, string sql, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var state = streaming
            ? NativeMethods.PendingPreparedStreaming(statement, out var pending)
            : NativeMethods.PendingPrepared(statement, out pending);
        try
        {
            if (state != DuckDbState.Success)
            {
                throw DuckDbException.Create(Utf8.FromPointer(NativeMethods.PendingError(pending)), DuckDbErrorType.Invalid, sql);
            }
            var result = new ResultHandle();
            using (cancellationToken.CanBeCanceled ? cancellationToken.Register(static c => ((DuckDbConnection)c!).Interrupt(), connection) : default)
            {
                if (NativeMethods.ExecutePending(pending, result.Pointer) != DuckDbState.Success)
                {
                    var error = ErrorOf(result, sql);
                    result.Dispose();
                    throw Translate(error, cancellationToken);
                }
            }
            return result;
        }
        finally
        {
            NativeMethods.DestroyPending(ref pending);
        }
    }

    /// <summary>The exception for a failed result (message, DuckDB's error class and the SQL).</summary>
    public static DuckDbException ErrorOf(ResultHandle result, string sql) =>
        DuckDbException.Create(
            Utf8.FromPointer(NativeMethods.ResultError(result.Pointer)),
            NativeMethods.ResultErrorType(result.Pointer),
            sql);

    /// <summary>An interruption that a cancelled token asked for surfaces as cancellation, not as a failure.</summary>
    public static Exception Translate(DuckDbException error, CancellationToken cancellationToken) =>
        error.ErrorType == DuckDbErrorType.Interrupt && cancellationToken.IsCancellationRequested
            ? new OperationCanceledException($"the query was cancelled: {error.Message}", error, cancellationToken)
            : error;

    /// <summary>Runs a statement that returns no rows the caller wants; returns the rows it changed.</summary>
    public static long RunNonQuery(IntPtr statement, DuckDbConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var result = Run(statement, streaming: false, connection, sql, cancellationToken);
        return NativeMethods.ResultReturnType(*result.Pointer) == DuckDbResultType.ChangedRows
            ? (long)NativeMethods.RowsChanged(result.Pointer)
            : 0;
    }
}
