using System.Runtime.InteropServices;

using OneMap.DuckDb.Data;
using OneMap.DuckDb.Native;
using OneMap.DuckDb.Types;

namespace OneMap.DuckDb.Functions;

/// <summary>
/// A vectorised scalar function: reads a whole input chunk (one vector per argument, up to 2048 rows) and writes
/// one result per row into <paramref name="output"/> (spans for fixed-width types, SetString/SetBytes for VARCHAR,
/// BLOB and GEOMETRY, SetNull). Called concurrently from DuckDB's worker threads, so it must be thread-safe.
/// An exception fails the query with a <see cref="DuckDbFunctionException"/> carrying it.
/// </summary>
public delegate void DuckDbScalarFunction(DuckDbChunk input, DuckDbVector output);

/// <summary>
/// One overload of a scalar function: its argument types, result type and implementation. With
/// <see cref="VarArgs"/> set, the function takes any number of further arguments of that type after the parameters.
/// </summary>
public sealed record DuckDbScalarOverload(
    IReadOnlyList<DuckDbType> Parameters,
    DuckDbType ReturnType,
    DuckDbScalarFunction Function,
    DuckDbFunctionFlags Flags = DuckDbFunctionFlags.None,
    DuckDbType? VarArgs = null);

/// <summary>Registers C# scalar functions with a database (available to all its connections).</summary>
public static class DuckDbScalarFunctions
{
    /// <summary>Registers a vectorised scalar function.</summary>
    public static void RegisterScalarFunction(this DuckDbConnection connection, string name, IReadOnlyList<DuckDbType> parameters,
        DuckDbType returnType, DuckDbScalarFunction function, DuckDbFunctionFlags flags = DuckDbFunctionFlags.None, DuckDbType? varArgs = null) =>
        connection.RegisterScalarFunctionSet(name, new DuckDbScalarOverload(parameters, returnType, function, flags, varArgs));

    /// <summary>Registers several overloads under one name; DuckDB picks one by the argument types of each call.</summary>
    public static void RegisterScalarFunctionSet(this DuckDbConnection connection, string name, params IReadOnlyList<DuckDbScalarOverload> overloads)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (overloads.Count == 0)
        {
            throw new ArgumentException("at least one overload is needed", nameof(overloads));
        }
        var set = NativeMethods.CreateScalarFunctionSet(name);
        try
        {
            foreach (var overload in overloads)
            {
                var function = CreateNative(name, overload);
                try
                {
                    if (NativeMethods.AddScalarFunctionToSet(set, function) != DuckDbState.Success)
                    {
                        throw new DuckDbException($"DuckDB refused an overload of {name}({string.Join(", ", overload.Parameters)}): two overloads take the same argument types", DuckDbErrorType.Catalog);
                    }
                }
                finally
                {
                    NativeMethods.DestroyScalarFunction(ref function);
                }
            }
            if (NativeMethods.RegisterScalarFunctionSet(connection.Handle, set) != DuckDbState.Success)
            {
                throw new DuckDbException($"DuckDB refused to register the scalar function {name} (does a function of that name already exist?)", DuckDbErrorType.Catalog);
            }
        }
        finally
        {
            NativeMethods.DestroyScalarFunctionSet(ref set);
        }
    }

    /// <summary>Registers a row-wise function of one argument (types inferred from the delegate, or given).
    /// Rows with a NULL argument give NULL unless <paramref name="flags"/> has SpecialNullHandling.</summary>
    public static void RegisterScalarFunction<T1, TResult>(this DuckDbConnection connection, string name, Func<T1, TResult> function,
        DuckDbFunctionFlags flags = DuckDbFunctionFlags.None, DuckDbType? parameterType = null, DuckDbType? returnType = null) =>
        connection.RegisterScalarFunction(name,
            [parameterType ?? DuckDbType.FromClrType(typeof(T1))],
            returnType ?? DuckDbType.FromClrType(typeof(TResult)),
            RowWise.Create(function, flags), flags);

    /// <summary>Registers a row-wise function of two arguments.</summary>
    public static void RegisterScalarFunction<T1, T2, TResult>(this DuckDbConnection connection, string name, Func<T1, T2, TResult> function,
        DuckDbFunctionFlags flags = DuckDbFunctionFlags.None, IReadOnlyList<DuckDbType>? parameterTypes = null, DuckDbType? returnType = null) =>
        connection.RegisterScalarFunction(name,
            parameterTypes ?? [DuckDbType.FromClrType(typeof(T1)), DuckDbType.FromClrType(typeof(T2))],
            returnType ?? DuckDbType.FromClrType(typeof(TResult)),
            RowWise.Create(function, flags), flags);

    /// <summary>Registers a row-wise function of three arguments.</summary>
    public static void RegisterScalarFunction<T1, T2, T3, TResult>(this DuckDbConnection connection, string name, Func<T1, T2, T3, TResult> function,
        DuckDbFunctionFlags flags = DuckDbFunctionFlags.None, IReadOnlyList<DuckDbType>? parameterTypes = null, DuckDbType? returnType = null) =>
        connection.RegisterScalarFunction(name,
            parameterTypes ?? [DuckDbType.FromClrType(typeof(T1)), DuckDbType.FromClrType(typeof(T2)), DuckDbType.FromClrType(typeof(T3))],
            returnType ?? DuckDbType.FromClrType(typeof(TResult)),
            RowWise.Create(function, flags), flags);

    private static unsafe IntPtr CreateNative(string name, DuckDbScalarOverload overload)
    {
        ArgumentNullException.ThrowIfNull(overload.Function);
        var function = NativeMethods.CreateScalarFunction();
        try
        {
            NativeMethods.ScalarFunctionSetName(function, name);
            foreach (var parameter in overload.Parameters)
            {
                CallbackSupport.WithNativeType(parameter, t => NativeMethods.ScalarFunctionAddParameter(function, t));
            }
            if (overload.VarArgs is { } varArgs)
            {
                CallbackSupport.WithNativeType(varArgs, t => NativeMethods.ScalarFunctionSetVarargs(function, t));
            }
            CallbackSupport.WithNativeType(overload.ReturnType, t => NativeMethods.ScalarFunctionSetReturnType(function, t));
            if (overload.Flags.HasFlag(DuckDbFunctionFlags.SpecialNullHandling))
            {
                NativeMethods.ScalarFunctionSetSpecialHandling(function);
            }
            if (overload.Flags.HasFlag(DuckDbFunctionFlags.Volatile))
            {
                NativeMethods.ScalarFunctionSetVolatile(function);
            }
            // DuckDB owns the state from here and frees it (through the callback) when the function is dropped.
            NativeMethods.ScalarFunctionSetExtraInfo(function, CallbackSupport.Pin(new ScalarFunctionState(name, overload)), CallbackSupport.FreeCallback);
            NativeMethods.ScalarFunctionSetFunction(function, (delegate* unmanaged<IntPtr, IntPtr, IntPtr, void>)&Execute);
            return function;
        }
        catch
        {
            NativeMethods.DestroyScalarFunction(ref function);
            throw;
        }
    }

    [UnmanagedCallersOnly]
    private static unsafe void Execute(IntPtr info, IntPtr input, IntPtr output)
    {
        ScalarFunctionState? state = null;
        try
        {
            state = CallbackSupport.Target<ScalarFunctionState>(NativeMethods.ScalarFunctionGetExtraInfo(info));
            state.Invoke(input, output);
        }
        catch (Exception e)
        {
            CallbackSupport.ReportError(info, state?.Name ?? "scalar function", e, &SetError);
        }
    }

    private static unsafe void SetError(IntPtr info, byte* message) => NativeMethods.ScalarFunctionSetError(info, message);

    private sealed class ScalarFunctionState(string name, DuckDbScalarOverload overload)
    {
        private readonly bool _typesVary = overload.VarArgs is not null || overload.Parameters.Any(p => p.Id == DuckDbTypeId.Any);

        public string Name { get; } = name;

        public void Invoke(IntPtr input, IntPtr output)
        {
            var rows = (int)NativeMethods.DataChunkGetSize(input);
            var types = _typesVary ? InputTypes(input) : overload.Parameters;
            var chunk = new DuckDbChunk(types);
            chunk.Attach(input, rows);
            overload.Function(chunk, new DuckDbVector(output, overload.ReturnType, rows));
        }

        private static DuckDbType[] InputTypes(IntPtr input)
        {
            var count = (int)NativeMethods.DataChunkGetColumnCount(input);
            var types = new DuckDbType[count];
            for (var i = 0; i < count; i++)
            {
                types[i] = DuckDbType.FromOwnedNative(NativeMethods.VectorGetColumnType(NativeMethods.DataChunkGetVector(input, (ulong)i)));
            }
            return types;
        }
    }
}
