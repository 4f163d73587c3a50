using System.Runtime.InteropServices;

namespace OneMap.DuckDb.Native;

// Callbacks are passed as unmanaged function pointers ([UnmanagedCallersOnly] methods), typed void* here.
internal static unsafe partial class NativeMethods
{
    // Scalar functions

    [LibraryImport(Library, EntryPoint = "duckdb_create_scalar_function")]
    internal static partial IntPtr CreateScalarFunction();

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_scalar_function")]
    internal static partial void DestroyScalarFunction(ref IntPtr function);

    [LibraryImport(Library, EntryPoint = "duckdb_scalar_function_set_name", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void ScalarFunctionSetName(IntPtr function, string name);

    [LibraryImport(Library, EntryPoint = "duckdb_scalar_function_set_varargs")]
    internal static partial void ScalarFunctionSetVarargs(IntPtr function, IntPtr type);

    [LibraryImport(Library, EntryPoint = "duckdb_scalar_function_set_special_handling")]
    internal static partial void ScalarFunctionSetSpecialHandling(IntPtr function);

    [LibraryImport(Library, EntryPoint = "duckdb_scalar_function_set_volatile")]
    internal static partial void ScalarFunctionSetVolatile(IntPtr function);

    [LibraryImport(Library, EntryPoint = "duckdb_scalar_function_add_parameter")]
    internal static partial void ScalarFunctionAddParameter(IntPtr function, IntPtr type);

    [LibraryImport(Library, EntryPoint = "duckdb_scalar_function_set_return_type")]
    internal static partial void ScalarFunctionSetReturnType(IntPtr function, IntPtr type);

    [LibraryImport(Library, EntryPoint = "duckdb_scalar_function_set_extra_info")]
    internal static partial void ScalarFunctionSetExtraInfo(IntPtr function, IntPtr extraInfo, void* destroy);

    [LibraryImport(Library, EntryPoint = "duckdb_scalar_function_set_function")]
    internal static partial void ScalarFunctionSetFunction(IntPtr function, void* callback);

    [LibraryImport(Library, EntryPoint = "duckdb_register_scalar_function")]
    internal static partial DuckDbState RegisterScalarFunction(IntPtr connection, IntPtr function);

    [LibraryImport(Library, EntryPoint = "duckdb_scalar_function_get_extra_info")]
    internal static partial IntPtr ScalarFunctionGetExtraInfo(IntPtr info);

    [LibraryImport(Library, EntryPoint = "duckdb_scalar_function_set_error")]
    internal static partial void ScalarFunctionSetError(IntPtr info, byte* error);

    [LibraryImport(Library, EntryPoint = "duckdb_create_scalar_function_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr CreateScalarFunctionSet(string name);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_scalar_function_set")]
    internal static partial void DestroyScalarFunctionSet(ref IntPtr set);

    [LibraryImport(Library, EntryPoint = "duckdb_add_scalar_function_to_set")]
    internal static partial DuckDbState AddScalarFunctionToSet(IntPtr set, IntPtr function);

    [LibraryImport(Library, EntryPoint = "duckdb_register_scalar_function_set")]
    internal static partial DuckDbState RegisterScalarFunctionSet(IntPtr connection, IntPtr set);

    // Aggregate functions

    [LibraryImport(Library, EntryPoint = "duckdb_create_aggregate_function")]
    internal static partial IntPtr CreateAggregateFunction();

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_aggregate_function")]
    internal static partial void DestroyAggregateFunction(ref IntPtr function);

    [LibraryImport(Library, EntryPoint = "duckdb_aggregate_function_set_name", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void AggregateFunctionSetName(IntPtr function, string name);

    [LibraryImport(Library, EntryPoint = "duckdb_aggregate_function_add_parameter")]
    internal static partial void AggregateFunctionAddParameter(IntPtr function, IntPtr type);

    [LibraryImport(Library, EntryPoint = "duckdb_aggregate_function_set_return_type")]
    internal static partial void AggregateFunctionSetReturnType(IntPtr function, IntPtr type);

    [LibraryImport(Library, EntryPoint = "duckdb_aggregate_function_set_functions")]
    internal static partial void AggregateFunctionSetFunctions(IntPtr function, void* stateSize, void* init, void* update, void* combine, void* finalize);

    [LibraryImport(Library, EntryPoint = "duckdb_aggregate_function_set_destructor")]
    internal static partial void AggregateFunctionSetDestructor(IntPtr function, void* destroy);

    [LibraryImport(Library, EntryPoint = "duckdb_aggregate_function_set_special_handling")]
    internal static partial void AggregateFunctionSetSpecialHandling(IntPtr function);

    [LibraryImport(Library, EntryPoint = "duckdb_aggregate_function_set_extra_info")]
    internal static partial void AggregateFunctionSetExtraInfo(IntPtr function, IntPtr extraInfo, void* destroy);

    [LibraryImport(Library, EntryPoint = "duckdb_aggregate_function_get_extra_info")]
    internal static partial IntPtr AggregateFunctionGetExtraInfo(IntPtr info);

    [LibraryImport(Library, EntryPoint = "duckdb_aggregate_function_set_error")]
    internal static partial void AggregateFunctionSetError(IntPtr info, byte* error);

    [LibraryImport(Library, EntryPoint = "duckdb_register_aggregate_function")]
    internal static partial DuckDbState RegisterAggregateFunction(IntPtr connection, IntPtr function);

    // Table functions

    [LibraryImport(Library, EntryPoint = "duckdb_create_table_function")]
    internal static partial IntPtr CreateTableFunction();

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_table_function")]
    internal static partial void DestroyTableFunction(ref IntPtr function);

    [LibraryImport(Library, EntryPoint = "duckdb_table_function_set_name", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void TableFunctionSetName(IntPtr function, string name);

    [LibraryImport(Library, EntryPoint = "duckdb_table_function_add_parameter")]
    internal static partial void TableFunctionAddParameter(IntPtr function, IntPtr type);

    [LibraryImport(Library, EntryPoint = "duckdb_table_function_add_named_parameter", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void TableFunctionAddNamedParameter(IntPtr function, string name, IntPtr type);

    [LibraryImport(Library, EntryPoint = "duckdb_table_function_set_extra_info")]
    internal static partial void TableFunctionSetExtraInfo(IntPtr function, IntPtr extraInfo, void* destroy);

    [LibraryImport(Library, EntryPoint = "duckdb_table_function_set_bind")]
    internal static partial void TableFunctionSetBind(IntPtr function, void* bind);

    [LibraryImport(Library, EntryPoint = "duckdb_table_function_set_init")]
    internal static partial void TableFunctionSetInit(IntPtr function, void* init);

    [LibraryImport(Library, EntryPoint = "duckdb_table_function_set_function")]
    internal static partial void TableFunctionSetFunction(IntPtr function, void* callback);

    [LibraryImport(Library, EntryPoint = "duckdb_register_table_function")]
    internal static partial DuckDbState RegisterTableFunction(IntPtr connection, IntPtr function);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_get_extra_info")]
    internal static partial IntPtr BindGetExtraInfo(IntPtr info);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_add_result_column")]
    internal static partial void BindAddResultColumn(IntPtr info, byte* name, IntPtr type);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_get_parameter_count")]
    internal static partial ulong BindGetParameterCount(IntPtr info);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_get_parameter")]
    internal static partial IntPtr BindGetParameter(IntPtr info, ulong index);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_get_named_parameter", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr BindGetNamedParameter(IntPtr info, string name);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_set_bind_data")]
    internal static partial void BindSetBindData(IntPtr info, IntPtr bindData, void* destroy);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_set_cardinality")]
    internal static partial void BindSetCardinality(IntPtr info, ulong cardinality, [MarshalAs(UnmanagedType.U1)] bool isExact);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_set_error")]
    internal static partial void BindSetError(IntPtr info, byte* error);

    [LibraryImport(Library, EntryPoint = "duckdb_init_get_extra_info")]
    internal static partial IntPtr InitGetExtraInfo(IntPtr info);

    [LibraryImport(Library, EntryPoint = "duckdb_init_get_bind_data")]
    internal static partial IntPtr InitGetBindData(IntPtr info);

    [LibraryImport(Library, EntryPoint = "duckdb_init_set_init_data")]
    internal static partial void InitSetInitData(IntPtr info, IntPtr initData, void* destroy);

    [LibraryImport(Library, EntryPoint = "duckdb_init_set_error")]
    internal static partial void InitSetError(IntPtr info, byte* error);

    [LibraryImport(Library, EntryPoint = "duckdb_function_get_extra_info")]
    internal static partial IntPtr FunctionGetExtraInfo(IntPtr info);

    [LibraryImport(Library, EntryPoint = "duckdb_function_get_bind_data")]
    internal static partial IntPtr FunctionGetBindData(IntPtr info);

    [LibraryImport(Library, EntryPoint = "duckdb_function_get_init_data")]
    internal static partial IntPtr FunctionGetInitData(IntPtr info);

    [LibraryImport(Library, EntryPoint = "duckdb_function_set_error")]
    internal static partial void FunctionSetError(IntPtr info, byte* error);
}
