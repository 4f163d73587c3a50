using System.Runtime.InteropServices;

using OneMap.DuckDb.Native;
using OneMap.DuckDb.Types;

namespace OneMap.DuckDb.Functions;

/// <summary>What every C# callback registered with DuckDB needs: its state behind a GCHandle, and errors as messages.</summary>
internal static unsafe class CallbackSupport
{
    public static IntPtr Pin(object state) => GCHandle.ToIntPtr(GCHandle.Alloc(state));

    public static T Target<T>(IntPtr handle) where T : class => (T)GCHandle.FromIntPtr(handle).Target!;

    /// <summary>DuckDB's delete callback for anything the binding pinned (function state, bind data, scan state).</summary>
    [UnmanagedCallersOnly]
    public static void Free(void* data)
    {
        if (data == null)
        {
            return;
        }
        var handle = GCHandle.FromIntPtr((IntPtr)data);
        if (handle.Target is IDisposable disposable)
        {
            try
            {
                disposable.Dispose();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // An exception cannot cross into DuckDB; a scan that fails to clean up is not worth a crash.
            }
        }
        handle.Free();
    }

    public static delegate* unmanaged<void*, void> FreeCallback => &Free;

    /// <summary>Hands DuckDB the error of a callback; DuckDB ends the query with it.</summary>
    public static void ReportError(IntPtr info, string functionName, Exception exception, delegate* managed<IntPtr, byte*, void> setError)
    {
        try
        {
            using var message = new Utf8.Buffer(CallbackErrors.Describe(functionName, exception));
            fixed (byte* text = message)
            {
                setError(info, text);
            }
        }
        catch
        {
            // Reporting must never throw into native code.
        }
    }

    /// <summary>Creates the native logical types of a signature, runs <paramref name="use"/> and destroys them.</summary>
    public static void WithNativeType(DuckDbType type, Action<IntPtr> use)
    {
        var native = type.CreateNative();
        try
        {
            use(native);
        }
        finally
        {
            NativeMethods.DestroyLogicalType(ref native);
        }
    }
}
