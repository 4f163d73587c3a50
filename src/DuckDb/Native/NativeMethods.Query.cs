using System.Runtime.InteropServices;

namespace OneMap.DuckDb.Native;

internal static unsafe partial class NativeMethods
{
    // Results

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_result")]
    internal static partial void DestroyResult(DuckDbResultStruct* result);

    [LibraryImport(Library, EntryPoint = "duckdb_column_name")]
    internal static partial IntPtr ColumnName(DuckDbResultStruct* result, ulong column);

    [LibraryImport(Library, EntryPoint = "duckdb_column_logical_type")]
    internal static partial IntPtr ColumnLogicalType(DuckDbResultStruct* result, ulong column);

    [LibraryImport(Library, EntryPoint = "duckdb_column_count")]
    internal static partial ulong ColumnCount(DuckDbResultStruct* result);

    [LibraryImport(Library, EntryPoint = "duckdb_rows_changed")]
    internal static partial ulong RowsChanged(DuckDbResultStruct* result);

    [LibraryImport(Library, EntryPoint = "duckdb_result_error")]
    internal static partial IntPtr ResultError(DuckDbResultStruct* result);

    [LibraryImport(Library, EntryPoint = "duckdb_result_error_type")]
    internal static partial DuckDbErrorType ResultErrorType(DuckDbResultStruct* result);

    [LibraryImport(Library, EntryPoint = "duckdb_result_return_type")]
    internal static partial DuckDbResultType ResultReturnType(DuckDbResultStruct result);

    [LibraryImport(Library, EntryPoint = "duckdb_fetch_chunk")]
    internal static partial IntPtr FetchChunk(DuckDbResultStruct result);

    // Prepared statements

    [LibraryImport(Library, EntryPoint = "duckdb_prepare")]
    internal static partial DuckDbState Prepare(IntPtr connection, byte* query, out IntPtr statement);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_prepare")]
    internal static partial void DestroyPrepare(ref IntPtr statement);

    [LibraryImport(Library, EntryPoint = "duckdb_prepare_error")]
    internal static partial IntPtr PrepareError(IntPtr statement);

    [LibraryImport(Library, EntryPoint = "duckdb_nparams")]
    internal static partial ulong ParameterCount(IntPtr statement);

    [LibraryImport(Library, EntryPoint = "duckdb_parameter_name")]
    internal static partial IntPtr ParameterName(IntPtr statement, ulong index);

    [LibraryImport(Library, EntryPoint = "duckdb_clear_bindings")]
    internal static partial DuckDbState ClearBindings(IntPtr statement);

    [LibraryImport(Library, EntryPoint = "duckdb_prepared_statement_type")]
    internal static partial int PreparedStatementType(IntPtr statement);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_parameter_index", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState BindParameterIndex(IntPtr statement, out ulong index, string name);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_value")]
    internal static partial DuckDbState BindValue(IntPtr statement, ulong index, IntPtr value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_boolean")]
    internal static partial DuckDbState BindBoolean(IntPtr statement, ulong index, [MarshalAs(UnmanagedType.U1)] bool value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_int8")]
    internal static partial DuckDbState BindInt8(IntPtr statement, ulong index, sbyte value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_int16")]
    internal static partial DuckDbState BindInt16(IntPtr statement, ulong index, short value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_int32")]
    internal static partial DuckDbState BindInt32(IntPtr statement, ulong index, int value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_int64")]
    internal static partial DuckDbState BindInt64(IntPtr statement, ulong index, long value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_hugeint")]
    internal static partial DuckDbState BindHugeInt(IntPtr statement, ulong index, DuckDbHugeInt value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_uhugeint")]
    internal static partial DuckDbState BindUHugeInt(IntPtr statement, ulong index, DuckDbUHugeInt value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_decimal")]
    internal static partial DuckDbState BindDecimal(IntPtr statement, ulong index, DuckDbDecimalStruct value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_uint8")]
    internal static partial DuckDbState BindUInt8(IntPtr statement, ulong index, byte value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_uint16")]
    internal static partial DuckDbState BindUInt16(IntPtr statement, ulong index, ushort value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_uint32")]
    internal static partial DuckDbState BindUInt32(IntPtr statement, ulong index, uint value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_uint64")]
    internal static partial DuckDbState BindUInt64(IntPtr statement, ulong index, ulong value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_float")]
    internal static partial DuckDbState BindFloat(IntPtr statement, ulong index, float value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_double")]
    internal static partial DuckDbState BindDouble(IntPtr statement, ulong index, double value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_date")]
    internal static partial DuckDbState BindDate(IntPtr statement, ulong index, int days);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_time")]
    internal static partial DuckDbState BindTime(IntPtr statement, ulong index, long micros);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_timestamp")]
    internal static partial DuckDbState BindTimestamp(IntPtr statement, ulong index, long micros);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_timestamp_tz")]
    internal static partial DuckDbState BindTimestampTz(IntPtr statement, ulong index, long micros);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_interval")]
    internal static partial DuckDbState BindInterval(IntPtr statement, ulong index, DuckDbIntervalStruct value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_varchar_length")]
    internal static partial DuckDbState BindVarcharLength(IntPtr statement, ulong index, byte* value, ulong length);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_blob")]
    internal static partial DuckDbState BindBlob(IntPtr statement, ulong index, byte* data, ulong length);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_null")]
    internal static partial DuckDbState BindNull(IntPtr statement, ulong index);

    // Extracting several statements from one string

    [LibraryImport(Library, EntryPoint = "duckdb_extract_statements")]
    internal static partial ulong ExtractStatements(IntPtr connection, byte* query, out IntPtr extracted);

    [LibraryImport(Library, EntryPoint = "duckdb_prepare_extracted_statement")]
    internal static partial DuckDbState PrepareExtractedStatement(IntPtr connection, IntPtr extracted, ulong index, out IntPtr statement);

    [LibraryImport(Library, EntryPoint = "duckdb_extract_statements_error")]
    internal static partial IntPtr ExtractStatementsError(IntPtr extracted);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_extracted")]
    internal static partial void DestroyExtracted(ref IntPtr extracted);

    // Pending results: execution that can be interrupted, and results that stream

    [LibraryImport(Library, EntryPoint = "duckdb_pending_prepared")]
    internal static partial DuckDbState PendingPrepared(IntPtr statement, out IntPtr pending);

    [LibraryImport(Library, EntryPoint = "duckdb_pending_prepared_streaming")]
    internal static partial DuckDbState PendingPreparedStreaming(IntPtr statement, out IntPtr pending);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_pending")]
    internal static partial void DestroyPending(ref IntPtr pending);

    [LibraryImport(Library, EntryPoint = "duckdb_pending_error")]
    internal static partial IntPtr PendingError(IntPtr pending);

    [LibraryImport(Library, EntryPoint = "duckdb_execute_pending")]
    internal static partial DuckDbState ExecutePending(IntPtr pending, DuckDbResultStruct* result);
}
