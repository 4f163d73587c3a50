using System.Runtime.InteropServices;

namespace OneMap.DuckDb.Native;

/// <summary>
/// P/Invoke declarations of DuckDB's C API (duckdb.h, v1.5.x), grouped by the header's sections. Handles are raw
/// pointers here; the public types own them and release them exactly once.
/// </summary>
internal static unsafe partial class NativeMethods
{
    /// <summary>Resolved by the runtime to libduckdb.so beside the application (copied there by the build).</summary>
    internal const string Library = "duckdb";

    // Open / connect

    [LibraryImport(Library, EntryPoint = "duckdb_open_ext", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState OpenExt(string? path, out IntPtr database, IntPtr config, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "duckdb_close")]
    internal static partial void Close(ref IntPtr database);

    [LibraryImport(Library, EntryPoint = "duckdb_connect")]
    internal static partial DuckDbState Connect(IntPtr database, out IntPtr connection);

    [LibraryImport(Library, EntryPoint = "duckdb_disconnect")]
    internal static partial void Disconnect(ref IntPtr connection);

    [LibraryImport(Library, EntryPoint = "duckdb_interrupt")]
    internal static partial void Interrupt(IntPtr connection);

    [LibraryImport(Library, EntryPoint = "duckdb_library_version")]
    internal static partial IntPtr LibraryVersion();

    // Configuration

    [LibraryImport(Library, EntryPoint = "duckdb_create_config")]
    internal static partial DuckDbState CreateConfig(out IntPtr config);

    [LibraryImport(Library, EntryPoint = "duckdb_set_config", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState SetConfig(IntPtr config, string name, string option);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_config")]
    internal static partial void DestroyConfig(ref IntPtr config);

    // Memory

    [LibraryImport(Library, EntryPoint = "duckdb_free")]
    internal static partial void Free(IntPtr pointer);

    [LibraryImport(Library, EntryPoint = "duckdb_vector_size")]
    internal static partial ulong VectorSize();

    // Error data

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_error_data")]
    internal static partial void DestroyErrorData(ref IntPtr errorData);

    [LibraryImport(Library, EntryPoint = "duckdb_error_data_error_type")]
    internal static partial DuckDbErrorType ErrorDataErrorType(IntPtr errorData);

    [LibraryImport(Library, EntryPoint = "duckdb_error_data_message")]
    internal static partial IntPtr ErrorDataMessage(IntPtr errorData);

    [LibraryImport(Library, EntryPoint = "duckdb_error_data_has_error")]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static partial bool ErrorDataHasError(IntPtr errorData);

    // Date / time helpers

    [LibraryImport(Library, EntryPoint = "duckdb_from_time_tz")]
    internal static partial DuckDbTimeTzStruct FromTimeTz(ulong micros);

    [LibraryImport(Library, EntryPoint = "duckdb_create_time_tz")]
    internal static partial ulong CreateTimeTz(long micros, int offset);
}
