using System.Runtime.InteropServices;

using OneMap.DuckDb.Data;
using OneMap.DuckDb.Native;
using OneMap.DuckDb.Types;

namespace OneMap.DuckDb.Functions;

/// <summary>
/// Produces a table function's rows, one chunk at a time. Created anew for every execution of a query.
/// If it is <see cref="IDisposable"/>, it is disposed when DuckDB is done with it.
/// </summary>
public interface IDuckDbTableScan
{
    /// <summary>Writes up to <c>output.RowCount</c> (2048) rows into <paramref name="output"/> (spans or
    /// <see cref="DuckDbChunk.SetValue{T}"/>) and returns how many; 0 ends the table.</summary>
    int Fill(DuckDbChunk output);
}

/// <summary>What a table function's bind step sees: the call's arguments; it declares the result columns.</summary>
public sealed class DuckDbTableBindContext
{
    private readonly IntPtr _info;
    private readonly List<DuckDbField> _columns = [];

    internal DuckDbTableBindContext(IntPtr info, IReadOnlyList<object?> parameters, IReadOnlyDictionary<string, object?> namedParameters)
    {
        _info = info;
        Parameters = parameters;
        NamedParameters = namedParameters;
    }

    /// <summary>Positional arguments of the call, as .NET values (null for NULL).</summary>
    public IReadOnlyList<object?> Parameters { get; }

    /// <summary>Named arguments given in the call (<c>f(1, name := 'x')</c>); absent ones are missing.</summary>
    public IReadOnlyDictionary<string, object?> NamedParameters { get; }

    public IReadOnlyList<DuckDbField> Columns => _columns;

    /// <summary>A positional argument converted to <typeparamref name="T"/>.</summary>
    public T GetParameter<T>(int index) => ValueConverter.Convert<T>(Parameters[index], DuckDbType.Any, $"argument {index + 1}");

    /// <summary>Declares the next result column.</summary>
    public DuckDbTableBindContext AddColumn(string name, DuckDbType type)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _columns.Add(new DuckDbField(name, type));
        return this;
    }

    /// <summary>Tells the planner how many rows to expect.</summary>
    public void SetCardinality(long rows, bool exact)
    {
        NativeMethods.BindSetCardinality(_info, (ulong)Math.Max(0, rows), exact);
    }
}

/// <summary>Registers C# table functions (<c>SELECT * FROM name(args)</c>).</summary>
public static class DuckDbTableFunctions
{
    /// <summary>
    /// Registers a table function. <paramref name="bind"/> runs when a query is planned: it reads the arguments,
    /// declares the columns and returns what the scan needs; <paramref name="scan"/> runs for each execution and
    /// returns the producer of the rows.
    /// </summary>
    public static unsafe void RegisterTableFunction<TBind>(this DuckDbConnection connection, string name, IReadOnlyList<DuckDbType> parameters,
        Func<DuckDbTableBindContext, TBind> bind, Func<TBind, IDuckDbTableScan> scan, IReadOnlyDictionary<string, DuckDbType>? namedParameters = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(bind);
        ArgumentNullException.ThrowIfNull(scan);
        var function = NativeMethods.CreateTableFunction();
        try
        {
            NativeMethods.TableFunctionSetName(function, name);
            foreach (var parameter in parameters)
            {
                CallbackSupport.WithNativeType(parameter, t => NativeMethods.TableFunctionAddParameter(function, t));
            }
            foreach (var (parameterName, type) in namedParameters ?? new Dictionary<string, DuckDbType>())
            {
                CallbackSupport.WithNativeType(type, t => NativeMethods.TableFunctionAddNamedParameter(function, parameterName, t));
            }
            var state = new TableFunctionState(name, namedParameters?.Keys.ToArray() ?? [],
                context => bind(context), bound => scan((TBind)bound!));
            NativeMethods.TableFunctionSetExtraInfo(function, CallbackSupport.Pin(state), CallbackSupport.FreeCallback);
            NativeMethods.TableFunctionSetBind(function, (delegate* unmanaged<IntPtr, void>)&Bind);
            NativeMethods.TableFunctionSetInit(function, (delegate* unmanaged<IntPtr, void>)&Init);
            NativeMethods.TableFunctionSetFunction(function, (delegate* unmanaged<IntPtr, IntPtr, void>)&Produce);
            if (NativeMethods.RegisterTableFunction(connection.Handle, function) != DuckDbState.Success)
            {
                throw new DuckDbException($"DuckDB refused to register the table function {name} (does a function of that name already exist?)", DuckDbErrorType.Catalog);
            }
        }
        finally
        {
            NativeMethods.DestroyTableFunction(ref function);
        }
    }

    /// <summary>
    /// Registers a table function whose rows come from an enumerable of value arrays (one value per column), for
    /// functions where convenience matters more than speed.
    /// </summary>
    public static void RegisterTableFunction(this DuckDbConnection connection, string name, IReadOnlyList<DuckDbType> parameters,
        IReadOnlyList<DuckDbField> columns, Func<IReadOnlyList<object?>, IEnumerable<object?[]>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        connection.RegisterTableFunction(name, parameters,
            context =>
            {
                foreach (var column in columns)
                {
                    context.AddColumn(column.Name, column.Type);
                }
                return context.Parameters;
            },
            arguments => new EnumerableScan(rows(arguments).GetEnumerator(), columns.Count));
    }

    [UnmanagedCallersOnly]
    private static unsafe void Bind(IntPtr info)
    {
        TableFunctionState? state = null;
        try
        {
            state = CallbackSupport.Target<TableFunctionState>(NativeMethods.BindGetExtraInfo(info));
            var count = (int)NativeMethods.BindGetParameterCount(info);
            var parameters = new object?[count];
            for (var i = 0; i < count; i++)
            {
                parameters[i] = NativeValues.ToObjectAndDestroy(NativeMethods.BindGetParameter(info, (ulong)i));
            }
            var named = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (var parameterName in state.NamedParameters)
            {
                var value = NativeMethods.BindGetNamedParameter(info, parameterName);
                if (value != IntPtr.Zero)
                {
                    named[parameterName] = NativeValues.ToObjectAndDestroy(value);
                }
            }
            var context = new DuckDbTableBindContext(info, parameters, named);
            var bound = state.Bind(context);
            if (context.Columns.Count == 0)
            {
                throw new InvalidOperationException("the bind step declared no result columns (call AddColumn)");
            }
            foreach (var column in context.Columns)
            {
                using var columnName = new Utf8.Buffer(column.Name);
                var type = column.Type.CreateNative();
                try
                {
                    fixed (byte* text = columnName)
                    {
                        NativeMethods.BindAddResultColumn(info, text, type);
                    }
                }
                finally
                {
                    NativeMethods.DestroyLogicalType(ref type);
                }
            }
            var bindData = new TableBindData(state, bound, context.Columns.Select(c => c.Type).ToArray(), context.Columns.Select(c => c.Name).ToArray());
            NativeMethods.BindSetBindData(info, CallbackSupport.Pin(bindData), CallbackSupport.FreeCallback);
        }
        catch (Exception e)
        {
            CallbackSupport.ReportError(info, state?.Name ?? "table function", e, &SetBindError);
        }
    }

    [UnmanagedCallersOnly]
    private static unsafe void Init(IntPtr info)
    {
        TableBindData? bindData = null;
        try
        {
            bindData = CallbackSupport.Target<TableBindData>(NativeMethods.InitGetBindData(info));
            var scan = bindData.Function.CreateScan(bindData.Bound);
            var scanState = new TableScanState(scan, new DuckDbChunk(bindData.Types, bindData.Names));
            NativeMethods.InitSetInitData(info, CallbackSupport.Pin(scanState), CallbackSupport.FreeCallback);
        }
        catch (Exception e)
        {
            CallbackSupport.ReportError(info, bindData?.Function.Name ?? "table function", e, &SetInitError);
        }
    }

    [UnmanagedCallersOnly]
    private static unsafe void Produce(IntPtr info, IntPtr output)
    {
        TableBindData? bindData = null;
        try
        {
            bindData = CallbackSupport.Target<TableBindData>(NativeMethods.FunctionGetBindData(info));
            var scan = CallbackSupport.Target<TableScanState>(NativeMethods.FunctionGetInitData(info));
            var capacity = (int)NativeMethods.VectorSize();
            scan.Output.Attach(output, capacity, bindReaders: false);
            var rows = scan.Scan.Fill(scan.Output);
            if (rows < 0 || rows > capacity)
            {
                throw new InvalidOperationException($"Fill returned {rows} rows; a chunk holds 0 to {capacity}");
            }
            NativeMethods.DataChunkSetSize(output, (ulong)rows);
        }
        catch (Exception e)
        {
            NativeMethods.DataChunkSetSize(output, 0);
            CallbackSupport.ReportError(info, bindData?.Function.Name ?? "table function", e, &SetFunctionError);
        }
    }

    private static unsafe void SetBindError(IntPtr info, byte* message) => NativeMethods.BindSetError(info, message);

    private static unsafe void SetInitError(IntPtr info, byte* message) => NativeMethods.InitSetError(info, message);

    private static unsafe void SetFunctionError(IntPtr info, byte* message) => NativeMethods.FunctionSetError(info, message);

    private sealed class TableFunctionState(string name, string[] namedParameters, Func<DuckDbTableBindContext, object?> bind, Func<object?, IDuckDbTableScan> createScan)
    {
        public string Name { get; } = name;

        public string[] NamedParameters { get; } = namedParameters;

        public object? Bind(DuckDbTableBindContext context) => bind(context);

        public IDuckDbTableScan CreateScan(object? bound) => createScan(bound);
    }

    private sealed record TableBindData(TableFunctionState Function, object? Bound, DuckDbType[] Types, string[] Names);

    private sealed class TableScanState(IDuckDbTableScan scan, DuckDbChunk output) : IDisposable
    {
        public IDuckDbTableScan Scan { get; } = scan;

        public DuckDbChunk Output { get; } = output;

        public void Dispose() => (Scan as IDisposable)?.Dispose();
    }

    private sealed class EnumerableScan(IEnumerator<object?[]> rows, int columns) : IDuckDbTableScan, IDisposable
    {
        public int Fill(DuckDbChunk output)
        {
            var count = 0;
            while (count < output.RowCount && rows.MoveNext())
            {
                var row = rows.Current;
                if (row.Length != columns)
                {
                    throw new InvalidOperationException($"a row has {row.Length} values but the function declares {columns} columns");
                }
                for (var c = 0; c < columns; c++)
                {
                    output.SetValue(c, count, row[c]);
                }
                count++;
            }
            return count;
        }

        public void Dispose() => rows.Dispose();
    }
}
