using System.Runtime.InteropServices;

namespace OneMap.DuckDb.Native;

internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "duckdb_appender_create_ext", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState AppenderCreateExt(IntPtr connection, string? catalog, string? schema, string table, out IntPtr appender);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_column_count")]
    internal static partial ulong AppenderColumnCount(IntPtr appender);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_column_type")]
    internal static partial IntPtr AppenderColumnType(IntPtr appender, ulong column);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_error_data")]
    internal static partial IntPtr AppenderErrorData(IntPtr appender);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_flush")]
    internal static partial DuckDbState AppenderFlush(IntPtr appender);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_close")]
    internal static partial DuckDbState AppenderClose(IntPtr appender);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_destroy")]
    internal static partial DuckDbState AppenderDestroy(ref IntPtr appender);

    [LibraryImport(Library, EntryPoint = "duckdb_append_data_chunk")]
    internal static partial DuckDbState AppendDataChunk(IntPtr appender, IntPtr chunk);

    [LibraryImport(Library, EntryPoint = "duckdb_append_default_to_chunk")]
    internal static partial DuckDbState AppendDefaultToChunk(IntPtr appender, IntPtr chunk, ulong column, ulong row);
}
