using System.Runtime.InteropServices;

namespace OneMap.DuckDb.Native;

internal static unsafe partial class NativeMethods
{
    // Data chunks

    [LibraryImport(Library, EntryPoint = "duckdb_create_data_chunk")]
    internal static partial IntPtr CreateDataChunk(IntPtr* types, ulong columnCount);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_data_chunk")]
    internal static partial void DestroyDataChunk(ref IntPtr chunk);

    [LibraryImport(Library, EntryPoint = "duckdb_data_chunk_reset")]
    internal static partial void DataChunkReset(IntPtr chunk);

    [LibraryImport(Library, EntryPoint = "duckdb_data_chunk_get_column_count")]
    internal static partial ulong DataChunkGetColumnCount(IntPtr chunk);

    [LibraryImport(Library, EntryPoint = "duckdb_data_chunk_get_vector")]
    internal static partial IntPtr DataChunkGetVector(IntPtr chunk, ulong column);

    [LibraryImport(Library, EntryPoint = "duckdb_data_chunk_get_size")]
    internal static partial ulong DataChunkGetSize(IntPtr chunk);

    [LibraryImport(Library, EntryPoint = "duckdb_data_chunk_set_size")]
    internal static partial void DataChunkSetSize(IntPtr chunk, ulong size);

    // Vectors

    [LibraryImport(Library, EntryPoint = "duckdb_vector_get_column_type")]
    internal static partial IntPtr VectorGetColumnType(IntPtr vector);

    [LibraryImport(Library, EntryPoint = "duckdb_vector_get_data")]
    internal static partial void* VectorGetData(IntPtr vector);

    [LibraryImport(Library, EntryPoint = "duckdb_vector_get_validity")]
    internal static partial ulong* VectorGetValidity(IntPtr vector);

    [LibraryImport(Library, EntryPoint = "duckdb_vector_ensure_validity_writable")]
    internal static partial void VectorEnsureValidityWritable(IntPtr vector);

    [LibraryImport(Library, EntryPoint = "duckdb_vector_assign_string_element_len")]
    internal static partial void VectorAssignStringElementLen(IntPtr vector, ulong index, byte* value, ulong length);

    [LibraryImport(Library, EntryPoint = "duckdb_unsafe_vector_assign_string_element_len")]
    internal static partial void UnsafeVectorAssignStringElementLen(IntPtr vector, ulong index, byte* value, ulong length);

    [LibraryImport(Library, EntryPoint = "duckdb_list_vector_get_child")]
    internal static partial IntPtr ListVectorGetChild(IntPtr vector);

    [LibraryImport(Library, EntryPoint = "duckdb_list_vector_get_size")]
    internal static partial ulong ListVectorGetSize(IntPtr vector);

    [LibraryImport(Library, EntryPoint = "duckdb_list_vector_set_size")]
    internal static partial DuckDbState ListVectorSetSize(IntPtr vector, ulong size);

    [LibraryImport(Library, EntryPoint = "duckdb_list_vector_reserve")]
    internal static partial DuckDbState ListVectorReserve(IntPtr vector, ulong capacity);

    [LibraryImport(Library, EntryPoint = "duckdb_struct_vector_get_child")]
    internal static partial IntPtr StructVectorGetChild(IntPtr vector, ulong index);

    [LibraryImport(Library, EntryPoint = "duckdb_array_vector_get_child")]
    internal static partial IntPtr ArrayVectorGetChild(IntPtr vector);
}
