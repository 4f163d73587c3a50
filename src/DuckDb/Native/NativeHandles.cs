using System.Runtime.InteropServices;

namespace OneMap.DuckDb.Native;

/// <summary>Base for DuckDB handles released by a <c>duckdb_destroy_*(handle*)</c> call: released once, even if never disposed.</summary>
internal abstract class DuckDbHandle() : SafeHandle(IntPtr.Zero, ownsHandle: true)
{
    public override bool IsInvalid => handle == IntPtr.Zero;

    internal void Adopt(IntPtr value) => SetHandle(value);
}

internal sealed class DatabaseHandle : DuckDbHandle
{
    protected override bool ReleaseHandle()
    {
        var value = handle;
        NativeMethods.Close(ref value);
        return true;
    }
}

internal sealed class ConnectionHandle : DuckDbHandle
{
    protected override bool ReleaseHandle()
    {
        var value = handle;
        NativeMethods.Disconnect(ref value);
        return true;
    }
}

internal sealed class PreparedStatementHandle : DuckDbHandle
{
    protected override bool ReleaseHandle()
    {
        var value = handle;
        NativeMethods.DestroyPrepare(ref value);
        return true;
    }
}

internal sealed class AppenderHandle : DuckDbHandle
{
    protected override bool ReleaseHandle()
    {
        var value = handle;
        // Destroy flushes what the appender still holds; a failure there cannot be reported from a finalizer.
        NativeMethods.AppenderDestroy(ref value);
        return true;
    }
}

internal sealed class DataChunkHandle : DuckDbHandle
{
    protected override bool ReleaseHandle()
    {
        var value = handle;
        NativeMethods.DestroyDataChunk(ref value);
        return true;
    }
}

/// <summary>A <c>duckdb_result</c> lives in native memory so that its address stays fixed while DuckDB uses it.</summary>
internal sealed unsafe class ResultHandle : SafeHandle
{
    public ResultHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle((IntPtr)NativeMemory.AllocZeroed((nuint)sizeof(DuckDbResultStruct)));
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public DuckDbResultStruct* Pointer => (DuckDbResultStruct*)handle;

    protected override bool ReleaseHandle()
    {
        var result = (DuckDbResultStruct*)handle;
        if (result->InternalData != IntPtr.Zero)
        {
            NativeMethods.DestroyResult(result);
        }
        NativeMemory.Free(result);
        return true;
    }
}
