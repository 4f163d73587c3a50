using System.Runtime.InteropServices;

namespace OneMap.DuckDb.Native;

// Layouts follow duckdb.h (v1.5.x). Only what the binding reads or writes is declared.

/// <summary><c>duckdb_state</c>.</summary>
internal enum DuckDbState
{
    Success = 0,
    Error = 1,
}

/// <summary><c>duckdb_pending_state</c>.</summary>
internal enum DuckDbPendingState
{
    ResultReady = 0,
    ResultNotReady = 1,
    Error = 2,
    NoTasksAvailable = 3,
}

/// <summary><c>duckdb_result_type</c>.</summary>
internal enum DuckDbResultType
{
    Invalid = 0,
    ChangedRows = 1,
    Nothing = 2,
    QueryResult = 3,
}

/// <summary>
/// <c>duckdb_result</c>: six pointer-sized fields, passed by value to the chunk functions and by pointer elsewhere.
/// The deprecated fields are never read; the struct only carries <c>internal_data</c> around.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbResultStruct
{
    public ulong DeprecatedColumnCount;
    public ulong DeprecatedRowCount;
    public ulong DeprecatedRowsChanged;
    public IntPtr DeprecatedColumns;
    public IntPtr DeprecatedErrorMessage;
    public IntPtr InternalData;
}

/// <summary><c>duckdb_hugeint</c>: value = upper · 2^64 + lower (same layout as <see cref="Int128"/> on little-endian).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbHugeInt
{
    public ulong Lower;
    public long Upper;

    public DuckDbHugeInt(Int128 value)
    {
        Lower = (ulong)(value & ulong.MaxValue);
        Upper = (long)(value >> 64);
    }

    public readonly Int128 ToInt128() => new((ulong)Upper, Lower);
}

/// <summary><c>duckdb_uhugeint</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbUHugeInt
{
    public ulong Lower;
    public ulong Upper;
}

/// <summary><c>duckdb_decimal</c>: width, scale and the unscaled value.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbDecimalStruct
{
    public byte Width;
    public byte Scale;
    public DuckDbHugeInt Value;
}

/// <summary><c>duckdb_interval</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbIntervalStruct
{
    public int Months;
    public int Days;
    public long Micros;
}

/// <summary><c>duckdb_time_tz_struct</c> pieces as returned by <c>duckdb_from_time_tz</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbTimeStruct
{
    public sbyte Hour;
    public sbyte Min;
    public sbyte Sec;
    public int Micros;
}

[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbTimeTzStruct
{
    public DuckDbTimeStruct Time;
    public int Offset;
}

/// <summary><c>duckdb_blob</c> / <c>duckdb_string</c>: data that the caller frees with <c>duckdb_free</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbBlobStruct
{
    public IntPtr Data;
    public ulong Size;
}

/// <summary>
/// <c>duckdb_string_t</c>: 16 bytes; strings up to 12 bytes are inlined after the length, longer ones keep a 4-byte
/// prefix and a pointer. Used for VARCHAR, BLOB, BIT and GEOMETRY vectors.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 16)]
internal unsafe struct DuckDbStringT
{
    public const int InlineLength = 12;

    public uint Length;
    public uint Prefix;
    public byte* Pointer;

    public readonly ReadOnlySpan<byte> AsSpan(byte* self) =>
        Length <= InlineLength ? new ReadOnlySpan<byte>(self + 4, (int)Length) : new ReadOnlySpan<byte>(Pointer, (int)Length);
}
