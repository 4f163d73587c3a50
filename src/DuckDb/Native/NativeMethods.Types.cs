using System.Runtime.InteropServices;

using OneMap.DuckDb.Types;

namespace OneMap.DuckDb.Native;

internal static unsafe partial class NativeMethods
{
    // Logical types

    [LibraryImport(Library, EntryPoint = "duckdb_create_logical_type")]
    internal static partial IntPtr CreateLogicalType(DuckDbTypeId type);

    [LibraryImport(Library, EntryPoint = "duckdb_create_list_type")]
    internal static partial IntPtr CreateListType(IntPtr child);

    [LibraryImport(Library, EntryPoint = "duckdb_create_array_type")]
    internal static partial IntPtr CreateArrayType(IntPtr child, ulong size);

    [LibraryImport(Library, EntryPoint = "duckdb_create_map_type")]
    internal static partial IntPtr CreateMapType(IntPtr key, IntPtr value);

    [LibraryImport(Library, EntryPoint = "duckdb_create_struct_type")]
    internal static partial IntPtr CreateStructType(IntPtr* memberTypes, byte** memberNames, ulong count);

    [LibraryImport(Library, EntryPoint = "duckdb_create_enum_type")]
    internal static partial IntPtr CreateEnumType(byte** memberNames, ulong count);

    [LibraryImport(Library, EntryPoint = "duckdb_create_decimal_type")]
    internal static partial IntPtr CreateDecimalType(byte width, byte scale);

    [LibraryImport(Library, EntryPoint = "duckdb_get_type_id")]
    internal static partial DuckDbTypeId GetTypeId(IntPtr type);

    [LibraryImport(Library, EntryPoint = "duckdb_decimal_width")]
    internal static partial byte DecimalWidth(IntPtr type);

    [LibraryImport(Library, EntryPoint = "duckdb_decimal_scale")]
    internal static partial byte DecimalScale(IntPtr type);

    [LibraryImport(Library, EntryPoint = "duckdb_decimal_internal_type")]
    internal static partial DuckDbTypeId DecimalInternalType(IntPtr type);

    [LibraryImport(Library, EntryPoint = "duckdb_enum_internal_type")]
    internal static partial DuckDbTypeId EnumInternalType(IntPtr type);

    [LibraryImport(Library, EntryPoint = "duckdb_enum_dictionary_size")]
    internal static partial uint EnumDictionarySize(IntPtr type);

    [LibraryImport(Library, EntryPoint = "duckdb_enum_dictionary_value")]
    internal static partial IntPtr EnumDictionaryValue(IntPtr type, ulong index);

    [LibraryImport(Library, EntryPoint = "duckdb_list_type_child_type")]
    internal static partial IntPtr ListTypeChildType(IntPtr type);

    [LibraryImport(Library, EntryPoint = "duckdb_array_type_child_type")]
    internal static partial IntPtr ArrayTypeChildType(IntPtr type);

    [LibraryImport(Library, EntryPoint = "duckdb_array_type_array_size")]
    internal static partial ulong ArrayTypeArraySize(IntPtr type);

    [LibraryImport(Library, EntryPoint = "duckdb_map_type_key_type")]
    internal static partial IntPtr MapTypeKeyType(IntPtr type);

    [LibraryImport(Library, EntryPoint = "duckdb_map_type_value_type")]
    internal static partial IntPtr MapTypeValueType(IntPtr type);

    [LibraryImport(Library, EntryPoint = "duckdb_struct_type_child_count")]
    internal static partial ulong StructTypeChildCount(IntPtr type);

    [LibraryImport(Library, EntryPoint = "duckdb_struct_type_child_name")]
    internal static partial IntPtr StructTypeChildName(IntPtr type, ulong index);

    [LibraryImport(Library, EntryPoint = "duckdb_struct_type_child_type")]
    internal static partial IntPtr StructTypeChildType(IntPtr type, ulong index);

    [LibraryImport(Library, EntryPoint = "duckdb_union_type_member_count")]
    internal static partial ulong UnionTypeMemberCount(IntPtr type);

    [LibraryImport(Library, EntryPoint = "duckdb_union_type_member_name")]
    internal static partial IntPtr UnionTypeMemberName(IntPtr type, ulong index);

    [LibraryImport(Library, EntryPoint = "duckdb_union_type_member_type")]
    internal static partial IntPtr UnionTypeMemberType(IntPtr type, ulong index);

    [LibraryImport(Library, EntryPoint = "duckdb_logical_type_get_alias")]
    internal static partial IntPtr LogicalTypeGetAlias(IntPtr type);

    [LibraryImport(Library, EntryPoint = "duckdb_geometry_type_get_crs")]
    internal static partial IntPtr GeometryTypeGetCrs(IntPtr type);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_logical_type")]
    internal static partial void DestroyLogicalType(ref IntPtr type);

    // Values (used where the C API takes a duckdb_value: UUID parameters, table function parameters)

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_value")]
    internal static partial void DestroyValue(ref IntPtr value);

    [LibraryImport(Library, EntryPoint = "duckdb_create_uuid")]
    internal static partial IntPtr CreateUuid(DuckDbUHugeInt value);

    [LibraryImport(Library, EntryPoint = "duckdb_create_time_tz_value")]
    internal static partial IntPtr CreateTimeTzValue(ulong value);

    [LibraryImport(Library, EntryPoint = "duckdb_get_value_type")]
    internal static partial IntPtr GetValueType(IntPtr value);

    [LibraryImport(Library, EntryPoint = "duckdb_is_null_value")]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static partial bool IsNullValue(IntPtr value);

    [LibraryImport(Library, EntryPoint = "duckdb_get_bool")]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static partial bool GetBool(IntPtr value);

    [LibraryImport(Library, EntryPoint = "duckdb_get_int64")]
    internal static partial long GetInt64(IntPtr value);

    [LibraryImport(Library, EntryPoint = "duckdb_get_uint64")]
    internal static partial ulong GetUInt64(IntPtr value);

    [LibraryImport(Library, EntryPoint = "duckdb_get_hugeint")]
    internal static partial DuckDbHugeInt GetHugeInt(IntPtr value);

    [LibraryImport(Library, EntryPoint = "duckdb_get_double")]
    internal static partial double GetDouble(IntPtr value);

    [LibraryImport(Library, EntryPoint = "duckdb_get_decimal")]
    internal static partial DuckDbDecimalStruct GetDecimal(IntPtr value);

    [LibraryImport(Library, EntryPoint = "duckdb_get_date")]
    internal static partial int GetDate(IntPtr value);

    [LibraryImport(Library, EntryPoint = "duckdb_get_time")]
    internal static partial long GetTime(IntPtr value);

    [LibraryImport(Library, EntryPoint = "duckdb_get_timestamp")]
    internal static partial long GetTimestamp(IntPtr value);

    [LibraryImport(Library, EntryPoint = "duckdb_get_timestamp_tz")]
    internal static partial long GetTimestampTz(IntPtr value);

    [LibraryImport(Library, EntryPoint = "duckdb_get_interval")]
    internal static partial DuckDbIntervalStruct GetInterval(IntPtr value);

    [LibraryImport(Library, EntryPoint = "duckdb_get_blob")]
    internal static partial DuckDbBlobStruct GetBlob(IntPtr value);

    [LibraryImport(Library, EntryPoint = "duckdb_get_uuid")]
    internal static partial DuckDbUHugeInt GetUuid(IntPtr value);

    [LibraryImport(Library, EntryPoint = "duckdb_get_varchar")]
    internal static partial IntPtr GetVarchar(IntPtr value);

    [LibraryImport(Library, EntryPoint = "duckdb_get_list_size")]
    internal static partial ulong GetListSize(IntPtr value);

    [LibraryImport(Library, EntryPoint = "duckdb_get_list_child")]
    internal static partial IntPtr GetListChild(IntPtr value, ulong index);

    [LibraryImport(Library, EntryPoint = "duckdb_get_struct_child")]
    internal static partial IntPtr GetStructChild(IntPtr value, ulong index);

    [LibraryImport(Library, EntryPoint = "duckdb_get_map_size")]
    internal static partial ulong GetMapSize(IntPtr value);

    [LibraryImport(Library, EntryPoint = "duckdb_get_map_key")]
    internal static partial IntPtr GetMapKey(IntPtr value, ulong index);

    [LibraryImport(Library, EntryPoint = "duckdb_get_map_value")]
    internal static partial IntPtr GetMapValue(IntPtr value, ulong index);
}
