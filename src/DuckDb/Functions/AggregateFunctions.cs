using System.Runtime.InteropServices;

using OneMap.DuckDb.Data;
using OneMap.DuckDb.Native;
using OneMap.DuckDb.Types;

namespace OneMap.DuckDb.Functions;

/// <summary>
/// A C# aggregate (e.g. a spatial union over a GROUP BY): one <typeparamref name="TState"/> object per group,
/// updated row by row, combined across DuckDB's threads, finalized into the result. Methods are called
/// concurrently for different states, so shared fields must be thread-safe.
/// </summary>
public abstract class DuckDbAggregateFunction<TState, TResult> where TState : class
{
    /// <summary>A fresh, empty state (for a group, or for an empty input).</summary>
    public abstract TState CreateState();

    /// <summary>Adds one input row (arguments are the chunk's columns). Rows with a NULL argument are skipped
    /// unless <see cref="HandlesNulls"/>.</summary>
    public abstract void Update(TState state, DuckDbChunk input, int row);

    /// <summary>Merges <paramref name="source"/> into <paramref name="target"/>.</summary>
    public abstract void Combine(TState source, TState target);

    /// <summary>The group's result; null gives NULL.</summary>
    public abstract TResult? Finalize(TState state);

    /// <summary>True to see rows with NULL arguments in <see cref="Update"/>.</summary>
    public virtual bool HandlesNulls => false;
}

/// <summary>Registers C# aggregate functions.</summary>
public static class DuckDbAggregateFunctions
{
    /// <summary>Registers <paramref name="aggregate"/> as <c>name(parameters…)</c> returning <paramref name="returnType"/>.</summary>
    public static unsafe void RegisterAggregateFunction<TState, TResult>(this DuckDbConnection connection, string name,
        IReadOnlyList<DuckDbType> parameters, DuckDbType returnType, DuckDbAggregateFunction<TState, TResult> aggregate)
        where TState : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(aggregate);
        var function = NativeMethods.CreateAggregateFunction();
        try
        {
            NativeMethods.AggregateFunctionSetName(function, name);
            foreach (var parameter in parameters)
            {
                CallbackSupport.WithNativeType(parameter, t => NativeMethods.AggregateFunctionAddParameter(function, t));
            }
            CallbackSupport.WithNativeType(returnType, t => NativeMethods.AggregateFunctionSetReturnType(function, t));
            if (aggregate.HandlesNulls)
            {
                NativeMethods.AggregateFunctionSetSpecialHandling(function);
            }
            var state = new AggregateState<TState, TResult>(name, parameters.ToArray(), returnType, aggregate);
            NativeMethods.AggregateFunctionSetExtraInfo(function, CallbackSupport.Pin(state), CallbackSupport.FreeCallback);
            NativeMethods.AggregateFunctionSetFunctions(function,
                (delegate* unmanaged<IntPtr, ulong>)&StateSize,
                (delegate* unmanaged<IntPtr, IntPtr*, void>)&InitState,
                (delegate* unmanaged<IntPtr, IntPtr, IntPtr*, void>)&Update,
                (delegate* unmanaged<IntPtr, IntPtr*, IntPtr*, ulong, void>)&Combine,
                (delegate* unmanaged<IntPtr, IntPtr*, IntPtr, ulong, ulong, void>)&Finalize);
            NativeMethods.AggregateFunctionSetDestructor(function, (delegate* unmanaged<IntPtr*, ulong, void>)&Destroy);
            if (NativeMethods.RegisterAggregateFunction(connection.Handle, function) != DuckDbState.Success)
            {
                throw new DuckDbException($"DuckDB refused to register the aggregate function {name} (does a function of that name already exist?)", DuckDbErrorType.Catalog);
            }
        }
        finally
        {
            NativeMethods.DestroyAggregateFunction(ref function);
        }
    }

    // A state is one pointer-sized slot holding a GCHandle to the C# state object, created on first use.

    [UnmanagedCallersOnly]
    private static ulong StateSize(IntPtr info) => (ulong)IntPtr.Size;

    [UnmanagedCallersOnly]
    private static unsafe void InitState(IntPtr info, IntPtr* state) => *state = IntPtr.Zero;

    [UnmanagedCallersOnly]
    private static unsafe void Update(IntPtr info, IntPtr input, IntPtr* states)
    {
        IAggregateState? aggregate = null;
        try
        {
            aggregate = CallbackSupport.Target<IAggregateState>(NativeMethods.AggregateFunctionGetExtraInfo(info));
            aggregate.Update(input, states);
        }
        catch (Exception e)
        {
            CallbackSupport.ReportError(info, aggregate?.Name ?? "aggregate function", e, &SetError);
        }
    }

    [UnmanagedCallersOnly]
    private static unsafe void Combine(IntPtr info, IntPtr* source, IntPtr* target, ulong count)
    {
        IAggregateState? aggregate = null;
        try
        {
            aggregate = CallbackSupport.Target<IAggregateState>(NativeMethods.AggregateFunctionGetExtraInfo(info));
            aggregate.Combine(source, target, (int)count);
        }
        catch (Exception e)
        {
            CallbackSupport.ReportError(info, aggregate?.Name ?? "aggregate function", e, &SetError);
        }
    }

    [UnmanagedCallersOnly]
    private static unsafe void Finalize(IntPtr info, IntPtr* source, IntPtr result, ulong count, ulong offset)
    {
        IAggregateState? aggregate = null;
        try
        {
            aggregate = CallbackSupport.Target<IAggregateState>(NativeMethods.AggregateFunctionGetExtraInfo(info));
            aggregate.Finalize(source, result, (int)count, (int)offset);
        }
        catch (Exception e)
        {
            CallbackSupport.ReportError(info, aggregate?.Name ?? "aggregate function", e, &SetError);
        }
    }

    [UnmanagedCallersOnly]
    private static unsafe void Destroy(IntPtr* states, ulong count)
    {
        for (ulong i = 0; i < count; i++)
        {
            var slot = (IntPtr*)states[i];
            if (slot != null && *slot != IntPtr.Zero)
            {
                GCHandle.FromIntPtr(*slot).Free();
                *slot = IntPtr.Zero;
            }
        }
    }

    private static unsafe void SetError(IntPtr info, byte* message) => NativeMethods.AggregateFunctionSetError(info, message);

    private unsafe interface IAggregateState
    {
        string Name { get; }

        void Update(IntPtr input, IntPtr* states);

        void Combine(IntPtr* source, IntPtr* target, int count);

        void Finalize(IntPtr* source, IntPtr result, int count, int offset);
    }

    private sealed unsafe class AggregateState<TState, TResult>(string name, DuckDbType[] parameters, DuckDbType returnType, DuckDbAggregateFunction<TState, TResult> aggregate)
        : IAggregateState where TState : class
    {
        public string Name { get; } = name;

        // states[i] points at row i's slot; the slot holds the GCHandle of the group's state object.
        private TState StateAt(IntPtr slotPointer)
        {
            var slot = (IntPtr*)slotPointer;
            if (*slot == IntPtr.Zero)
            {
                *slot = GCHandle.ToIntPtr(GCHandle.Alloc(aggregate.CreateState()));
            }
            return (TState)GCHandle.FromIntPtr(*slot).Target!;
        }

        public void Update(IntPtr input, IntPtr* states)
        {
            var rows = (int)NativeMethods.DataChunkGetSize(input);
            var chunk = new DuckDbChunk(parameters);
            chunk.Attach(input, rows);
            var skipNulls = !aggregate.HandlesNulls;
            for (var row = 0; row < rows; row++)
            {
                if (skipNulls && HasNull(chunk, row))
                {
                    continue;
                }
                aggregate.Update(StateAt(states[row]), chunk, row);
            }
        }

        private static bool HasNull(DuckDbChunk chunk, int row)
        {
            for (var c = 0; c < chunk.ColumnCount; c++)
            {
                if (!chunk.Reader(c).IsValid(row))
                {
                    return true;
                }
            }
            return false;
        }

        public void Combine(IntPtr* source, IntPtr* target, int count)
        {
            for (var i = 0; i < count; i++)
            {
                var slot = (IntPtr*)source[i];
                if (*slot == IntPtr.Zero)
                {
                    continue; // nothing was added to the source
                }
                aggregate.Combine((TState)GCHandle.FromIntPtr(*slot).Target!, StateAt(target[i]));
            }
        }

        public void Finalize(IntPtr* source, IntPtr result, int count, int offset)
        {
            var writer = ColumnWriter.Create(returnType, Name);
            writer.Bind(result);
            for (var i = 0; i < count; i++)
            {
                var value = aggregate.Finalize(StateAt(source[i]));
                writer.Write(offset + i, value);
            }
        }
    }
}
